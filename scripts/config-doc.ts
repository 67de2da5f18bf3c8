/**
 * Writes docs/configuration.md from the configuration schemas, so the reference cannot drift
 * from what start-up validates. `node --import tsx scripts/config-doc.ts [--check]`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { yamlSchema } from '../services/config.ts';

const ENV: [string, string, string][] = [
  ['DATABASE_URL', 'postgresql://postgres@127.0.0.1:5432/a2d2', 'PostgreSQL; the database is created if missing and migrated on start'],
  ['REDIS_URL', 'redis://127.0.0.1:6379', 'Redis for queues, rate limits and short-lived button data (production: `maxmemory-policy noeviction`, AOF everysec)'],
  ['REDIS_SENTINELS', '', 'Redis Sentinel: `host:port,host:port` of the sentinels (port 26379 when left out); every Redis client then asks them for the primary and follows a failover. REDIS_URL still gives the password, db and TLS. Overrides the YAML `redis.sentinels`'],
  ['REDIS_SENTINEL_NAME', 'mymaster', 'the primary\'s name the sentinels monitor; overrides the YAML `redis.sentinelName`'],
  ['REDIS_SENTINEL_PASSWORD', '', 'password of the sentinels themselves, when they require one'],
  ['HOST', '127.0.0.1', 'HTTP listen address (`0.0.0.0` in containers)'],
  ['PORT', '3000', 'HTTP port'],
  ['A2D2_CONFIG', './a2d2.yaml', 'YAML file; when unset and ./a2d2.yaml does not exist, defaults apply'],
  ['LOG_LEVEL', 'info', 'fatal, error, warn, info, debug, trace, silent'],
  ['A2D2_QUEUE_PREFIX', 'a2d2', 'Redis key prefix of everything a2d2 keeps in Redis: lets several installs share one Redis. On a Redis Cluster write it with braces (`{a2d2}`): a hash tag puts all keys of an install in one slot, which BullMQ\'s and the outbound limiter\'s multi-key scripts need there (a changed prefix no longer sees jobs queued under the old one: drain the queues first)'],
  ['A2D2_DATA_DIR', './data', 'where uploaded documents are stored'],
  ['SLACK_SIGNING_SECRET', '', 'Slack request signing secret; with SLACK_BOT_TOKEN turns Slack on'],
  ['SLACK_BOT_TOKEN', '', 'Slack bot token (xoxb-)'],
  ['SLACK_APP_TOKEN', '', 'Slack app-level token (xapp-): Socket Mode, no public URL needed'],
  ['SLACK_API_URL', "Slack's", 'Web API base URL (tests point it at a fake)'],
  ['TELEGRAM_BOT_TOKEN', '', 'turns Telegram on'],
  ['TELEGRAM_WEBHOOK_SECRET', '', '1-256 of A-Z a-z 0-9 _ -; required for webhook mode, checked on every update'],
  ['TELEGRAM_MODE', 'webhook with a secret, else polling', '`webhook` refuses to start without TELEGRAM_WEBHOOK_SECRET; `polling` for local use (one process)'],
  ['TELEGRAM_WEBHOOK_URL', '', 'public https URL of POST /telegram/webhook; when set, a2d2 calls setWebhook itself'],
  ['TELEGRAM_API_ROOT', "Telegram's", 'Bot API base URL (tests point it at a fake)'],
  ['OPENAI_API_KEY', '', 'key of the default OpenAI-compatible provider (see `llm` below for several)'],
  ['OPENAI_BASE_URL', '', 'base URL of the default provider (vLLM, Ollama, LM Studio, llama.cpp server, ...)'],
  ['OPENAI_MODEL', '', 'model of the default provider'],
  ['GITHUB_WEBHOOK_SECRET', '', 'turns on POST /webhooks/github (X-Hub-Signature-256)'],
  ['ALERTMANAGER_TOKEN', '', 'bearer token of POST /webhooks/alertmanager and /webhooks/grafana'],
  ['A2D2_API_TOKEN', '', 'bearer token of the REST API /api/v1/* and POST /webhooks/deploy (acts as admin)'],
  ['A2D2_PUBLIC_URL', '', 'the address people reach a2d2 at (e.g. `https://a2d2.example.com`); links a2d2 hands out start with it (the console sign-in link)'],
  ['A2D2_CONSOLE_SECRET', '', 'at least 32 characters; signs the web console\'s session cookies. With A2D2_PUBLIC_URL turns on /console'],
];

/** What each key is for, where the schema itself carries no description. */
const NOTES: Record<string, string> = {
  defaultRole: 'role of users the file does not name',
  roles: 'role -> list of `platform:user-id` (e.g. `slack:U0123`, `telegram:42`, `terminal:alice`)',
  defaultLocale: 'language when neither the user (`lang`) nor the message says',
  http: 'HTTP limits: body size, request timeout, rate limits per client address',
  redis: 'Redis Sentinel (the environment\'s REDIS_SENTINELS / REDIS_SENTINEL_NAME win); docs/scaling.md',
  'redis.sentinels': '`host:port` of each sentinel; empty: REDIS_URL is the Redis itself',
  'redis.sentinelName': 'the primary\'s name the sentinels monitor',
  shutdown: 'how long running jobs may finish after SIGTERM (the process exits within 25 s)',
  llm: 'OpenAI-compatible providers in fallback order, prices per 1M tokens, daily budgets (docs/agents.md)',
  agents: 'agent run limits, approvals, thread memory, the weekly report (docs/agents.md)',
  alerts: 'alert routing, health checks, deploy correlation, storm control (docs/alerts.md)',
  tickets: 'SLA policy, business hours, triage destination, escalation chains',
  documents: 'upload limits, OCR, expiry reminders',
  processes: 'process definitions folder, HTTP allow-list, secrets by env reference (docs/processes.md)',
  outbound: 'per-chat and per-platform send limits, retry bounds',
  'http.rateLimitPerMinute': 'requests per client address per minute on REST and other public routes',
  'http.webhookAuthFailuresPerMinute': 'failed verifications per address per minute on /slack, /telegram, /webhooks before 429 (verified deliveries are never throttled)',
  'shutdown.graceMs': 'time running jobs get to finish before they are left to retry elsewhere',
};

type Json = { type?: string | string[]; properties?: Record<string, Json>; items?: Json; default?: unknown; enum?: unknown[]; anyOf?: Json[]; description?: string; additionalProperties?: Json | boolean; const?: unknown; format?: string; minimum?: number; maximum?: number; pattern?: string };

function typeOf(s: Json): string {
  if (s.enum) return s.enum.map((v) => `\`${String(v)}\``).join(' \\| ');
  if (s.const !== undefined) return `\`${String(s.const)}\``;
  if (s.anyOf) return s.anyOf.map(typeOf).join(' or ');
  const t = Array.isArray(s.type) ? s.type.join('/') : s.type ?? 'any';
  if (t === 'array') return `list of ${s.items ? typeOf(s.items) : 'any'}`;
  if (t === 'object' && !s.properties && s.additionalProperties && typeof s.additionalProperties === 'object') return `map of ${typeOf(s.additionalProperties)}`;
  return t;
}

function fmtDefault(v: unknown): string {
  if (v === undefined) return '';
  const text = JSON.stringify(v);
  return text.length > 60 ? '`…`' : `\`${text}\``;
}

function rows(s: Json, path: string, out: string[]): void {
  const props = s.properties ?? {};
  for (const [key, child] of Object.entries(props)) {
    const p = path ? `${path}.${key}` : key;
    const nested = child.properties ? child : child.anyOf?.find((a) => a.properties);
    if (nested?.properties) {
      out.push(`| \`${p}\` | object |  | ${child.description ?? NOTES[p] ?? ''} |`);
      rows(nested, p, out);
      continue;
    }
    const item = child.items?.properties ? child.items : undefined;
    out.push(`| \`${p}\` | ${typeOf(child)} | ${fmtDefault(child.default)} | ${(child.description ?? NOTES[p] ?? '').replace(/\n/g, ' ')} |`);
    if (item) rows(item, `${p}[]`, out);
  }
}

export function render(): string {
  const schema = z.toJSONSchema(yamlSchema, { io: 'input', unrepresentable: 'any' }) as Json;
  const out: string[] = [
    '# Configuration',
    '',
    '<!-- Generated by `node --import tsx scripts/config-doc.ts` from the schemas start-up validates. Do not edit by hand. -->',
    '',
    'Secrets and endpoints come from the environment; routes, roles and policies from an optional YAML',
    'file. Both are validated at start-up: a wrong or missing value stops start-up with one line naming',
    'the key (with file and line for the YAML) and what is expected. A platform or webhook whose secret',
    'is unset is off, and start-up says so in one line. Secrets are redacted from every log line.',
    '',
    '## Environment',
    '',
    '| variable | default | meaning |',
    '|---|---|---|',
    ...ENV.map(([k, d, m]) => `| \`${k}\` | ${d ? `\`${d}\``.replace("`Slack's`", "Slack's").replace("`Telegram's`", "Telegram's") : ''} | ${m} |`),
    '',
    '## YAML file',
    '',
    'See `a2d2.example.yaml` for a commented example. Unknown keys are refused. Durations are in the',
    'units their names say (`Ms`, `Seconds`, `Minutes`) or as strings like `30s`, `4h`, `7d` where the',
    'type says string.',
    '',
    '| key | type | default | meaning |',
    '|---|---|---|---|',
  ];
  rows(schema, '', out);
  return `${out.join('\n')}\n`;
}

const target = new URL('../docs/configuration.md', import.meta.url);
if (process.argv.includes('--check')) {
  const current = readFileSync(target, 'utf8');
  if (current !== render()) {
    console.error('docs/configuration.md is out of date: run node --import tsx scripts/config-doc.ts');
    process.exit(1);
  }
} else if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  writeFileSync(target, render());
  console.log('wrote docs/configuration.md');
}
