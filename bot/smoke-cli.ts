/**
 * `a2d2 smoke [--url URL] [--json] [--timeout 10s]`: checks a running deployment end to end
 * with this process's configuration (the same environment as the deployment's). The checks
 * are in services/ops/smoke.ts; this file reads the options and words the result for the
 * operator: a table, or the same as JSON. The exit code is 0 only when no check failed.
 */
import type { Writable } from 'node:stream';
import { redisTarget, type AppConfig } from '../services/config.ts';
import { parseDuration } from '../services/duration.ts';
import type { Logger } from '../services/logger.ts';
import { runSmoke, type SmokeReport, type SmokeTarget } from '../services/ops/smoke.ts';
import { resolveTelegramMode } from './adapters/telegram/telegram.adapter.ts';
import { option } from './cli-options.ts';
import { LocalizedError, translator, type Locale } from '../services/i18n/i18n.ts';

export interface SmokeOptions {
  url: string | null;
  json: boolean;
  timeoutMs: number;
}

export function parseSmokeArgs(args: string[]): SmokeOptions {
  for (const a of args) {
    if (a.startsWith('--') && !['--url', '--json', '--timeout'].includes(a.split('=')[0]!)) throw new LocalizedError('cli.smoke.unknownOption', { option: a });
  }
  const url = option(args, '--url');
  if (url !== null && !/^https?:\/\/[^/]/.test(url)) throw new LocalizedError('cli.option.url', { name: '--url', value: url });
  const timeout = option(args, '--timeout') ?? '10s';
  const timeoutMs = parseDuration(timeout);
  if (timeoutMs === null || timeoutMs <= 0) throw new LocalizedError('cli.option.timeout', { example: '10s', value: timeout });
  return { url, json: args.includes('--json'), timeoutMs };
}

/** This install's own listener, when no --url is given. */
function defaultUrl(config: AppConfig): string {
  const host = ['0.0.0.0', '::', ''].includes(config.env.HOST) ? '127.0.0.1' : config.env.HOST;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.env.PORT}`;
}

/** What to check, from the configuration: only the platforms it sets up are checked. */
export function smokeTarget(config: AppConfig, logger: Logger, opts: SmokeOptions): SmokeTarget {
  const env = config.env;
  return {
    url: opts.url ?? defaultUrl(config),
    timeoutMs: opts.timeoutMs,
    databaseUrl: env.DATABASE_URL,
    redis: redisTarget(config),
    queuePrefix: env.A2D2_QUEUE_PREFIX,
    logger,
    ...(env.SLACK_SIGNING_SECRET && env.SLACK_BOT_TOKEN ? { slack: { token: env.SLACK_BOT_TOKEN, ...(env.SLACK_API_URL ? { apiUrl: env.SLACK_API_URL } : {}) } } : {}),
    ...(env.TELEGRAM_BOT_TOKEN
      ? { telegram: { token: env.TELEGRAM_BOT_TOKEN, webhook: resolveTelegramMode(env) === 'webhook', ...(env.TELEGRAM_API_ROOT ? { apiRoot: env.TELEGRAM_API_ROOT } : {}) } }
      : {}),
    alertmanager: Boolean(env.ALERTMANAGER_TOKEN),
  };
}

/** The report as the operator reads it: one line per check, then the verdict. */
export function smokeTable(report: SmokeReport, lang: Locale = 'en'): string {
  const t = translator(lang);
  const head = [t('cli.smoke.head.check'), t('cli.smoke.head.result'), t('cli.smoke.head.ms'), t('cli.smoke.head.detail')];
  const rows = report.checks.map((c) => [c.check, t(`cli.smoke.result.${c.result}`), c.result === 'skip' ? '-' : String(c.ms), t(c.said.key, c.said.params)]);
  const width = (col: number) => Math.max(head[col]!.length, ...rows.map((r) => r[col]!.length));
  const line = (r: string[]) => [r[0]!.padEnd(width(0)), r[1]!.padEnd(width(1)), r[2]!.padStart(width(2)), r[3]!].join('  ').trimEnd();
  const count = (what: string) => report.checks.filter((c) => c.result === what).length;
  const failed = report.checks.filter((c) => c.result === 'fail').map((c) => c.check);
  const verdict = failed.length ? t('cli.smoke.unhealthy', { checks: failed.join(', ') }) : t('cli.smoke.healthy');
  return [
    t('cli.smoke.title', { url: report.url }),
    '',
    line(head),
    ...rows.map(line),
    '',
    `${t('cli.smoke.summary', { pass: count('pass'), fail: count('fail'), skip: count('skip') })} ${verdict}`,
    '',
  ].join('\n');
}

/** Runs `a2d2 smoke`; resolves to the exit code. */
export async function smokeCommand(args: string[], config: AppConfig, logger: Logger, out: Writable): Promise<number> {
  const opts = parseSmokeArgs(args);
  const report = await runSmoke(smokeTarget(config, logger, opts));
  // JSON keeps the English detail only; the catalogue key is for the table.
  const json = () => JSON.stringify({ ...report, checks: report.checks.map(({ said: _said, ...c }) => c) }, null, 2);
  out.write(opts.json ? `${json()}\n` : smokeTable(report, config.file.defaultLocale));
  return report.ok ? 0 : 1;
}
