/**
 * Configuration: secrets and endpoints from the environment, routing/roles/policies from an
 * optional YAML file (A2D2_CONFIG, default ./a2d2.yaml). Both are validated once at start-up;
 * a bad value stops start-up with one line naming the key and what was expected.
 * This is the only module that reads process.env (workers receive the parsed config).
 */
import { readFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { ROLES } from './users/roles.ts';
import { configSections } from './config-sections.ts';
import { durationSchema } from './duration.ts';
import { SHIPPED_SECRET_ENV } from './processes/definition.ts';
import { parseSentinels, type RedisTarget } from './redis.ts';
import { parseTargets } from './db/pg-hosts.ts';
import { redisConfigSchema } from './redis.config.ts';
import { translate } from './i18n/i18n.ts';

/**
 * A start-up configuration error: `key` names the setting, `message` says what is expected.
 * Worded from the catalogue's `startup.*` keys (docs/troubleshooting.md explains each).
 */
export class ConfigError extends Error {
  constructor(
    readonly key: string,
    readonly expected: string,
  ) {
    super(translate('en', 'startup.config', { key, expected }));
    this.name = 'ConfigError';
  }
}

const optionalSecret = z
  .string()
  .transform((s) => s.trim())
  .pipe(z.string())
  .optional()
  .transform((s) => (s ? s : undefined));

const urlString = (protocols: string[]) =>
  z.string().refine(
    (v) => {
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    },
    { message: `a URL (${protocols.join(' or ')})` },
  );

/** A postgresql:// address, one host or several (`db1:5432,db2:5432`, with target_session_attrs). */
const pgUrlString = z.string().refine(
  (v) => {
    try {
      const t = parseTargets(v);
      return t.hosts.length > 0 && ['postgresql:', 'postgres:'].includes(new URL(t.base).protocol);
    } catch {
      return false;
    }
  },
  { message: 'a URL (postgresql:, one host or several separated by commas)' },
);

const sentinelList = z.string().transform((v, ctx) => {
  try {
    const list = parseSentinels(v);
    if (list.length === 0) throw new Error('no entry');
    return list;
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `host:port,host:port (${(err as Error).message})` });
    return z.NEVER;
  }
});

/** Environment variables (the outside contract). Each `.describe()` is its line in docs/configuration.md. */
export const envSchema = z.object({
  NODE_ENV: z.string().optional().describe('Accepted and not read by a2d2 itself (libraries may read it); set `production` in deployments as usual'),
  DATABASE_URL: pgUrlString
    .default('postgresql://postgres@127.0.0.1:5432/a2d2')
    .describe('PostgreSQL; the database is created if missing and migrated on start. Several hosts (`db1:5432,db2:5432` with `target_session_attrs`) are tried in turn for the writable one'),
  REDIS_URL: urlString(['redis:', 'rediss:'])
    .default('redis://127.0.0.1:6379')
    .describe('Redis for queues, rate limits and short-lived button data (production: `maxmemory-policy noeviction`, AOF everysec)'),
  REDIS_SENTINELS: sentinelList
    .optional()
    .describe('Redis Sentinel: `host:port,host:port` of the sentinels (port 26379 when left out); every Redis client then asks them for the primary and follows a failover. REDIS_URL still gives the password, db and TLS. Overrides the YAML `redis.sentinels`'),
  REDIS_SENTINEL_NAME: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'a name of A-Z a-z 0-9 . _ -')
    .optional()
    .describe("The primary's name the sentinels monitor; overrides the YAML `redis.sentinelName` (default there `mymaster`)"),
  REDIS_SENTINEL_PASSWORD: optionalSecret.describe('Password of the sentinels themselves, when they require one'),
  HOST: z.string().min(1).default('127.0.0.1').describe('HTTP listen address (`0.0.0.0` in containers)'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000).describe('HTTP port'),
  METRICS_PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65535)
    .optional()
    .describe('A worker role listens here (on HOST) for GET /metrics and /healthz only; unset: a worker role has no listener. Ignored by the roles that serve HTTP (their /metrics is on PORT)'),
  A2D2_CONFIG: z.string().optional().describe('The YAML file. Unset: ./a2d2.yaml when it exists, else every YAML default applies; a path that does not exist stops start-up'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('Lowest level written to the log (JSON lines on stdout)'),
  SLACK_SIGNING_SECRET: optionalSecret.describe('Slack request signing secret (checked on every request to /slack/*); with SLACK_BOT_TOKEN turns Slack on'),
  SLACK_BOT_TOKEN: optionalSecret.describe('Slack bot token (xoxb-)'),
  SLACK_APP_TOKEN: optionalSecret.describe('Slack app-level token (xapp-, scope connections:write): Socket Mode, events arrive over a socket and no public URL is needed'),
  SLACK_API_URL: urlString(['http:', 'https:']).optional().describe("Slack Web API base URL; unset: Slack's own (tests point it at a fake)"),
  TELEGRAM_BOT_TOKEN: optionalSecret.describe('Telegram bot token from @BotFather; turns Telegram on'),
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,256}$/, '1-256 characters of A-Z, a-z, 0-9, _ and -')
    .optional()
    .describe('1-256 of A-Z a-z 0-9 _ -; required for webhook mode, compared with the X-Telegram-Bot-Api-Secret-Token header of every update'),
  TELEGRAM_API_ROOT: urlString(['http:', 'https:']).optional().describe("Bot API base URL; unset: Telegram's own (tests point it at a fake)"),
  TELEGRAM_MODE: z
    .enum(['webhook', 'polling'])
    .optional()
    .describe('Unset: `webhook` when TELEGRAM_WEBHOOK_SECRET is set, else `polling`. `webhook` refuses to start without the secret; `polling` for local use (one process)'),
  TELEGRAM_WEBHOOK_URL: urlString(['https:'])
    .optional()
    .describe('Public https URL of POST /telegram/webhook; when set, start-up registers it with setWebhook (with the secret)'),
  OPENAI_API_KEY: optionalSecret.describe('Key of the default OpenAI-compatible provider, used when `llm.providers` is empty and by providers with `apiKey: env`'),
  OPENAI_BASE_URL: urlString(['http:', 'https:'])
    .optional()
    .describe('Base URL (…/v1) of the default provider (any OpenAI-compatible server); alone, without a key, it also makes a provider (local servers)'),
  OPENAI_MODEL: z.string().optional().describe('Model of the default provider; unset: `gpt-4o-mini`'),
  GITHUB_WEBHOOK_SECRET: optionalSecret.describe('Turns on POST /webhooks/github (deploy events, checked by X-Hub-Signature-256)'),
  ALERTMANAGER_TOKEN: optionalSecret.describe('Bearer token of POST /webhooks/alertmanager and /webhooks/grafana; unset: those routes are off'),
  A2D2_API_TOKEN: optionalSecret.describe('Bearer token of the REST API /api/v1/* and POST /webhooks/deploy (acts as admin); unset: they are off'),
  A2D2_PUBLIC_URL: urlString(['http:', 'https:'])
    .optional()
    .describe('The address people reach a2d2 at (e.g. `https://a2d2.example.com`, optional path prefix); links a2d2 hands out start with it (the console sign-in link)'),
  A2D2_CONSOLE_SECRET: optionalSecret
    .pipe(z.string().min(32, 'at least 32 characters').optional())
    .describe("At least 32 characters; signs the web console's session cookies. With A2D2_PUBLIC_URL turns on /console"),
  A2D2_QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_-]*(\{[A-Za-z0-9:_-]+\})?[A-Za-z0-9:_-]*$/, 'A-Z a-z 0-9 : _ - and at most one {hash tag}')
    .min(1)
    .default('a2d2')
    .describe("Key prefix of everything a2d2 keeps in Redis: lets several installs (or test runs) share one Redis. On a Redis Cluster write it with braces (`{a2d2}`): a hash tag puts all keys of an install in one slot, which BullMQ's and the outbound limiter's multi-key scripts need there. A changed prefix no longer sees jobs queued under the old one: drain the queues first"),
  A2D2_DATA_DIR: z.string().default('./data').describe('Where uploaded documents are stored (its `documents` folder); back it up with the database'),
});
export type Env = z.infer<typeof envSchema>;

const platformUserRef = z
  .string()
  .regex(/^(slack|telegram|terminal):[^\s]+$/, 'platform:user-id, e.g. slack:U0123 or telegram:42');

/** Foundation part of the YAML file. Domain sections come from config-sections.ts. Every key carries its `.describe()`. */
export const yamlSchema = z
  .object({
    defaultRole: z.enum(ROLES).default('viewer').describe('Role given to users `roles` does not name, stored with them when first seen'),
    roles: z
      .partialRecord(z.enum(ROLES), z.array(platformUserRef))
      .default({})
      .describe('Role -> list of `platform:user-id` (e.g. `slack:U0123`, `telegram:42`, `terminal:alice`); the highest role any linked identity is listed under applies. An unlisted user has `defaultRole`; stored roles are re-synced with this list at every start (an audit row per change)'),
    defaultLocale: z.enum(['en', 'ru']).default('en').describe('Language when neither the user (`lang`) nor the platform says'),
    http: z
      .object({
        bodyLimitBytes: z.number().int().positive().default(1_048_576).describe('Largest request body accepted on JSON routes, in bytes (Telegram updates: at most 1 MiB whatever this says; uploads have `documents.uploadLimitBytes`)'),
        requestTimeoutMs: z.number().int().positive().default(10_000).describe('Time one HTTP request may take before the server ends it (a connection\'s socket timeout is twice this)'),
        rateLimitPerMinute: z.number().int().positive().default(600).describe('Requests per client address per minute on REST and other public routes'),
        webhookAuthFailuresPerMinute: z
          .number()
          .int()
          .positive()
          .default(120)
          .describe('Failed verifications per address per minute on /slack, /telegram and /webhooks before 429 (verified deliveries are never throttled)'),
        readinessTimeoutMs: z
          .number()
          .int()
          .positive()
          .max(30_000)
          .default(1_000)
          .describe('How long /readyz waits for each dependency before counting it as down (a paused Redis must not hang the probe)'),
      })
      .describe('HTTP limits: body size, request timeout, rate limits per client address, readiness probe')
      .prefault({}),
    redis: redisConfigSchema,
    shutdown: z
      .object({
        drain: durationSchema
          .default('5s')
          .describe('After SIGTERM, how long an http role keeps serving while /readyz answers 503, so a load balancer stops routing to it before the listener closes'),
        graceMs: z.number().int().positive().max(60_000).default(20_000).describe('Once the drain is over, how long running jobs get to finish before they are left to retry elsewhere'),
      })
      .describe('What a process does between SIGTERM and exit')
      .prefault({}),
    ...configSections,
  })
  .strict();
export type YamlConfig = z.infer<typeof yamlSchema>;
/** The YAML as written (defaults not yet applied): what overrides and tests pass. */
export type YamlInput = z.input<typeof yamlSchema>;

/** The whole validated configuration handed to every factory. */
export interface AppConfig {
  env: Env;
  file: YamlConfig;
  /** Path the YAML came from, or null when defaults were used. */
  configPath: string | null;
  version: string;
  /**
   * Values of the environment variables the YAML allows processes to use as secrets
   * (processes.secretEnv, plus those the shipped processes name). Nothing else leaves here.
   */
  envSecrets: Record<string, string>;
}

function firstIssue(error: z.ZodError, prefix: string): ConfigError {
  const issue = error.issues[0];
  const key = [prefix, ...(issue?.path ?? []).map(String)].filter(Boolean).join('.');
  return new ConfigError(key || prefix, issue?.message ?? 'invalid');
}

/** Line number (1-based) of a YAML path, for error messages. */
function lineOf(doc: ReturnType<typeof parseDocument>, source: string, path: PropertyKey[]): number | null {
  const node = doc.getIn(path, true) as { range?: [number, number] } | undefined;
  const offset = node?.range?.[0];
  if (offset === undefined) return null;
  return source.slice(0, offset).split('\n').length;
}

/** Reads and validates the YAML file; throws ConfigError with the file, line and key. */
export function loadYaml(path: string | null): YamlConfig {
  if (!path) return yamlSchema.parse({});
  const source = readFileSync(path, 'utf8');
  const doc = parseDocument(source, { prettyErrors: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    throw new ConfigError(path, translate('en', 'startup.yamlSyntax', { line: e.linePos?.[0]?.line ?? '?', reason: e.message.split('\n')[0] }));
  }
  const parsed = yamlSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const line = lineOf(doc, source, issue.path);
    const key = issue.path.map(String).join('.') || '(root)';
    throw new ConfigError(`${path}${line ? `:${line}` : ''} ${key}`, issue.message);
  }
  return parsed.data;
}

/** Reads package.json's version once. */
function readVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/**
 * Loads env + YAML. `source` defaults to process.env; tests pass their own.
 * Throws {@link ConfigError}; callers print its message as one line and exit.
 */
export function loadConfig(source: Record<string, string | undefined> = process.env, overrides?: Partial<YamlInput> | Partial<YamlConfig>): AppConfig {
  const envResult = envSchema.safeParse(source);
  if (!envResult.success) throw firstIssue(envResult.error, '');
  const env = envResult.data;
  const explicit = env.A2D2_CONFIG;
  let configPath: string | null = null;
  if (explicit) {
    configPath = resolve(explicit);
    if (!existsSync(configPath)) throw new ConfigError('A2D2_CONFIG', translate('en', 'startup.configNotFound', { path: configPath }));
  } else if (existsSync(resolve('a2d2.yaml'))) {
    configPath = resolve('a2d2.yaml');
  }
  let file = loadYaml(configPath);
  if (overrides) {
    const merged = yamlSchema.safeParse({ ...file, ...overrides });
    if (!merged.success) throw firstIssue(merged.error, 'overrides');
    file = merged.data;
  }
  const envSecrets: Record<string, string> = {};
  for (const name of new Set([...file.processes.secretEnv, ...SHIPPED_SECRET_ENV])) {
    const value = source[name];
    if (value) envSecrets[name] = value;
  }
  return { env, file, configPath, version: readVersion(), envSecrets };
}

/**
 * Where Redis is for this process: REDIS_URL, and the sentinels of REDIS_SENTINELS (or the
 * YAML's `redis.sentinels`; the environment wins) with REDIS_SENTINEL_NAME / `redis.sentinelName`.
 */
export function redisTarget(config: Pick<AppConfig, 'env' | 'file'>): RedisTarget {
  const { env, file } = config;
  const sentinels = env.REDIS_SENTINELS ?? (file.redis.sentinels.length ? parseSentinels(file.redis.sentinels.join(',')) : undefined);
  if (!sentinels) return { url: env.REDIS_URL };
  return {
    url: env.REDIS_URL,
    sentinels,
    sentinelName: env.REDIS_SENTINEL_NAME ?? file.redis.sentinelName,
    ...(env.REDIS_SENTINEL_PASSWORD ? { sentinelPassword: env.REDIS_SENTINEL_PASSWORD } : {}),
  };
}

/** Secrets that must never appear in logs; used by the logger's redaction. */
export function secretValues(env: Env, envSecrets: Record<string, string> = {}): string[] {
  return [
    ...Object.values(envSecrets),
    env.SLACK_SIGNING_SECRET,
    env.SLACK_BOT_TOKEN,
    env.SLACK_APP_TOKEN,
    env.TELEGRAM_BOT_TOKEN,
    env.TELEGRAM_WEBHOOK_SECRET,
    env.OPENAI_API_KEY,
    env.GITHUB_WEBHOOK_SECRET,
    env.ALERTMANAGER_TOKEN,
    env.A2D2_API_TOKEN,
    env.A2D2_CONSOLE_SECRET,
    env.REDIS_SENTINEL_PASSWORD,
  ].filter((s): s is string => typeof s === 'string' && s.length >= 4);
}
