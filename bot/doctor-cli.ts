/**
 * `a2d2 doctor [--lang en|ru] [--json] [--timeout 5s] [--public-url URL]`: checks a site's
 * set-up with this process's configuration before it goes live. The checks are in
 * services/ops/doctor*.ts; this file loads the configuration (an invalid one is the first
 * failed check, not a crash), builds the target from it, and words the report from the i18n
 * catalogue: one line per check, ok / warn / fail with the fix. Exit code 1 on any fail.
 */
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { ConfigError, loadConfig, redisTarget, secretValues, type AppConfig } from '../services/config.ts';
import { parseDuration } from '../services/duration.ts';
import { LocalizedError, translate, type Locale } from '../services/i18n/i18n.ts';
import { fail, ok, runCheck, runDoctor, warn, type DoctorCheck, type DoctorCheckResult, type DoctorFinding, type DoctorReport, type DoctorTarget } from '../services/ops/doctor.ts';
import { doctorChecks } from '../services/ops/doctor-checks.ts';
import { resolveProviders, modelFor } from '../agents/llm.service.ts';
import { LLM_ROUTES } from '../services/agents-config.ts';
import { resolveTelegramMode } from './adapters/telegram/telegram.adapter.ts';
import { slackBotScopes } from './adapters/slack/slack-scopes.ts';
import { option } from './cli-options.ts';

export interface DoctorOptions {
  lang: Locale | null;
  json: boolean;
  timeoutMs: number;
  publicUrl: string | null;
}

const OPTIONS = ['--lang', '--json', '--timeout', '--public-url'];

export function parseDoctorArgs(args: string[]): DoctorOptions {
  for (const a of args) {
    if (a.startsWith('--') && !OPTIONS.includes(a.split('=')[0]!)) throw new LocalizedError('cli.doctor.unknownOption', { option: a, options: OPTIONS.join(', ') });
  }
  const lang = option(args, '--lang');
  if (lang !== null && lang !== 'en' && lang !== 'ru') throw new LocalizedError('cli.option.lang', { value: lang });
  const publicUrl = option(args, '--public-url');
  if (publicUrl !== null && !/^https?:\/\/[^/]/.test(publicUrl)) throw new LocalizedError('cli.option.url', { name: '--public-url', value: publicUrl });
  const timeout = option(args, '--timeout') ?? '5s';
  const timeoutMs = parseDuration(timeout);
  if (timeoutMs === null || timeoutMs <= 0) throw new LocalizedError('cli.option.timeout', { example: '5s', value: timeout });
  return { lang, json: args.includes('--json'), timeoutMs, publicUrl };
}

/** The config check: what loadConfig refused, or what it accepted but will not work as meant. */
function configFinding(config: AppConfig): DoctorFinding {
  try {
    return configWarnings(config);
  } catch (err) {
    if (err instanceof ConfigError) return configError(err);
    throw err;
  }
}

function configWarnings(config: AppConfig): DoctorFinding {
  const env = config.env;
  const file = config.configPath ?? '-';
  if (env.TELEGRAM_BOT_TOKEN) resolveTelegramMode(env); // throws ConfigError for webhook mode without a secret
  try {
    resolveProviders(config); // reads API key files
  } catch (err) {
    return configError(new Error(`llm.providers[].apiKey.file: ${err instanceof Error ? err.message : String(err)}`));
  }
  if (Boolean(env.SLACK_SIGNING_SECRET) !== Boolean(env.SLACK_BOT_TOKEN)) {
    return warn('doctor.config.slackHalf', { file }, 'doctor.fix.config.slackHalf');
  }
  return ok(config.configPath ? 'doctor.config.ok' : 'doctor.config.defaults', { file });
}

function configError(err: unknown): DoctorFinding {
  const detail = err instanceof Error ? err.message : String(err);
  return fail('doctor.config.invalid', { error: detail }, 'doctor.fix.config.invalid');
}

/** The address the platforms reach: --public-url, else A2D2_PUBLIC_URL, else the origin of TELEGRAM_WEBHOOK_URL. */
function publicUrlOf(config: AppConfig, opts: DoctorOptions): string | undefined {
  if (opts.publicUrl) return opts.publicUrl;
  if (config.env.A2D2_PUBLIC_URL) return config.env.A2D2_PUBLIC_URL;
  const tg = config.env.TELEGRAM_WEBHOOK_URL;
  return tg ? new URL(tg).origin : undefined;
}

/** Every chat the YAML posts to, once each, with the first key that names it. */
export function configuredDestinations(config: AppConfig): DoctorTarget['destinations'] {
  const { alerts, tickets, agents } = config.file;
  const named: [string, { platform: string; chatId: string } | undefined][] = [
    ...alerts.routes.flatMap((r, i) => r.destinations.map((d, j) => [`alerts.routes[${i}].destinations[${j}]`, d] as [string, typeof d])),
    ...alerts.defaultDestinations.map((d, i) => [`alerts.defaultDestinations[${i}]`, d] as [string, typeof d]),
    ['tickets.triage', tickets.triage],
    ...Object.entries(tickets.escalation).flatMap(([sev, steps]) => (steps ?? []).map((st, i) => [`tickets.escalation.${sev}[${i}].to`, st.to] as [string, typeof st.to])),
    ...tickets.slaReport.chats.map((d, i) => [`tickets.slaReport.chats[${i}]`, d] as [string, typeof d]),
    ['agents.report.destination', agents.report.destination],
  ];
  const seen = new Map<string, DoctorTarget['destinations'][number]>();
  for (const [where, d] of named) {
    if (d && !seen.has(`${d.platform}:${d.chatId}`)) seen.set(`${d.platform}:${d.chatId}`, { platform: d.platform, chatId: d.chatId, where });
  }
  return [...seen.values()];
}

/** What to check, from the configuration: only the platforms it sets up are checked. */
export function doctorTarget(config: AppConfig, opts: DoctorOptions): DoctorTarget {
  const env = config.env;
  const publicUrl = publicUrlOf(config, opts);
  return {
    timeoutMs: opts.timeoutMs,
    databaseUrl: env.DATABASE_URL,
    redis: redisTarget(config),
    documents: { dir: join(env.A2D2_DATA_DIR, 'documents'), uploadLimitBytes: config.file.documents.uploadLimitBytes },
    destinations: configuredDestinations(config),
    ocr: { ...config.file.documents.ocr, languages: config.file.documents.ocrLanguages, ...(config.file.documents.ocrLangPath ? { path: config.file.documents.ocrLangPath } : {}) },
    ...(env.SLACK_SIGNING_SECRET && env.SLACK_BOT_TOKEN
      ? { slack: { token: env.SLACK_BOT_TOKEN, scopes: slackBotScopes(), ...(env.SLACK_API_URL ? { apiUrl: env.SLACK_API_URL } : {}) } }
      : {}),
    ...(env.TELEGRAM_BOT_TOKEN
      ? {
          telegram: {
            token: env.TELEGRAM_BOT_TOKEN,
            mode: resolveTelegramMode(env),
            ...(env.TELEGRAM_API_ROOT ? { apiRoot: env.TELEGRAM_API_ROOT } : {}),
            ...(env.TELEGRAM_WEBHOOK_URL ? { webhookUrl: env.TELEGRAM_WEBHOOK_URL } : {}),
          },
        }
      : {}),
    llm: resolveProviders(config).map((p) => ({
      name: p.name,
      baseUrl: p.baseUrl ?? 'https://api.openai.com/v1',
      apiKey: p.apiKey,
      models: [...new Set(LLM_ROUTES.map((r) => modelFor(p, r)))],
    })),
    ...(publicUrl ? { publicUrl } : {}),
  };
}

/** Runs every check: the config's first; the rest only when the config loaded. */
export async function diagnose(source: Record<string, string | undefined>, opts: DoctorOptions): Promise<{ report: DoctorReport; config: AppConfig | null }> {
  let config: AppConfig | null = null;
  let configCheck: DoctorCheck;
  try {
    const loaded = loadConfig(source);
    config = loaded;
    configCheck = { name: 'config', run: async () => configFinding(loaded) };
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    configCheck = { name: 'config', run: async () => configError(err) };
  }
  const first = await runCheck(configCheck, opts.timeoutMs);
  if (!config || first.level === 'fail') {
    return { report: { ok: false, checks: [first] }, config };
  }
  const rest = await runDoctor(doctorChecks(doctorTarget(config, opts)), opts.timeoutMs);
  return { report: { ok: rest.ok, checks: [first, ...rest.checks] }, config };
}

/** One check as the operator reads it: level, name, what was found, and the fix. */
function words(c: DoctorCheckResult, lang: Locale): { level: string; check: string; message: string; fix: string | null } {
  return {
    level: translate(lang, `doctor.level.${c.level}`),
    check: translate(lang, `doctor.check.${c.check.replace(/ /g, '_')}`),
    message: translate(lang, c.message.key, c.message.params),
    fix: c.fix ? translate(lang, c.fix.key, c.fix.params) : null,
  };
}

/** The report as lines: one per check, then the counts and the verdict. */
export function doctorText(report: DoctorReport, lang: Locale): string {
  const rows = report.checks.map((c) => words(c, lang));
  const lw = Math.max(...rows.map((r) => r.level.length));
  const cw = Math.max(...rows.map((r) => r.check.length));
  const lines = rows.map((r) => `${r.level.padEnd(lw)}  ${r.check.padEnd(cw)}  ${r.message}${r.fix ? ` ${translate(lang, 'doctor.line.fix', { fix: r.fix })}` : ''}`);
  const count = (level: string) => report.checks.filter((c) => c.level === level).length;
  const summary = translate(lang, 'doctor.summary', { ok: count('ok'), warn: count('warn'), fail: count('fail'), skip: count('skip') });
  const verdict = translate(lang, report.ok ? (count('warn') ? 'doctor.verdict.warn' : 'doctor.verdict.ok') : 'doctor.verdict.fail');
  return `${translate(lang, 'doctor.title')}\n\n${lines.join('\n')}\n\n${summary} ${verdict}\n`;
}

export function doctorJson(report: DoctorReport, lang: Locale): string {
  const checks = report.checks.map((c) => {
    const w = words(c, lang);
    return { check: c.check, level: c.level, ms: c.ms, key: c.message.key, message: w.message, ...(w.fix ? { fix: w.fix } : {}) };
  });
  return `${JSON.stringify({ ok: report.ok, checks }, null, 2)}\n`;
}

function llmKeys(config: AppConfig): string[] {
  try {
    return resolveProviders(config).map((p) => p.apiKey).filter((k) => k !== 'none' && k.length >= 4);
  } catch {
    return [];
  }
}

/** Runs `a2d2 doctor`; resolves to the exit code. Known secrets are blanked from the output. */
export async function doctorCommand(args: string[], source: Record<string, string | undefined>, out: Writable): Promise<number> {
  const opts = parseDoctorArgs(args);
  const { report, config } = await diagnose(source, opts);
  const lang = opts.lang ?? config?.file.defaultLocale ?? 'en';
  let text = opts.json ? doctorJson(report, lang) : doctorText(report, lang);
  const secrets = config ? [...secretValues(config.env, config.envSecrets), ...llmKeys(config)] : [];
  for (const secret of secrets) text = text.split(secret).join('***');
  out.write(text);
  return report.ok ? 0 : 1;
}
