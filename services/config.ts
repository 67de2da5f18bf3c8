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

/** Environment variables (the outside contract). */
export const envSchema = z.object({
  NODE_ENV: z.string().optional(),
  DATABASE_URL: pgUrlString.default('postgresql://postgres@127.0.0.1:5432/a2d2'),
  REDIS_URL: urlString(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
  /** Sentinels that know the Redis primary, `host:port,host:port`; with them REDIS_URL gives only credentials and db. */
  REDIS_SENTINELS: sentinelList.optional(),
  /** The primary's name the sentinels monitor. */
  REDIS_SENTINEL_NAME: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'a name of A-Z a-z 0-9 . _ -').optional(),
  REDIS_SENTINEL_PASSWORD: optionalSecret,
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  A2D2_CONFIG: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SLACK_SIGNING_SECRET: optionalSecret,
  SLACK_BOT_TOKEN: optionalSecret,
  SLACK_APP_TOKEN: optionalSecret,
  SLACK_API_URL: urlString(['http:', 'https:']).optional(),
  TELEGRAM_BOT_TOKEN: optionalSecret,
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,256}$/, '1-256 characters of A-Z, a-z, 0-9, _ and -')
    .optional(),
  TELEGRAM_API_ROOT: urlString(['http:', 'https:']).optional(),
  /** polling | webhook; default webhook when a secret is set, else polling. */
  TELEGRAM_MODE: z.enum(['webhook', 'polling']).optional(),
  /** Public https URL of POST /telegram/webhook; when set, start-up registers it with setWebhook. */
  TELEGRAM_WEBHOOK_URL: urlString(['https:']).optional(),
  OPENAI_API_KEY: optionalSecret,
  OPENAI_BASE_URL: urlString(['http:', 'https:']).optional(),
  OPENAI_MODEL: z.string().optional(),
  GITHUB_WEBHOOK_SECRET: optionalSecret,
  ALERTMANAGER_TOKEN: optionalSecret,
  A2D2_API_TOKEN: optionalSecret,
  /**
   * The address people reach a2d2 at (scheme, host, optional path prefix, no trailing slash
   * needed): links a2d2 hands out, such as the console's sign-in link, start with it.
   */
  A2D2_PUBLIC_URL: urlString(['http:', 'https:']).optional(),
  /** Signs the web console's session cookies (at least 32 characters); with A2D2_PUBLIC_URL turns /console on. */
  A2D2_CONSOLE_SECRET: optionalSecret.pipe(z.string().min(32, 'at least 32 characters').optional()),
  /**
   * Key prefix of everything a2d2 keeps in Redis: lets several installs (or test runs) share one
   * Redis. On a Redis Cluster, write it with braces (`{a2d2}`): a hash tag puts every key of an install (BullMQ's
   * multi-key scripts, the outbound limiter's) in one slot. The default keeps upgrades' queued jobs.
   */
  A2D2_QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_-]*(\{[A-Za-z0-9:_-]+\})?[A-Za-z0-9:_-]*$/, 'A-Z a-z 0-9 : _ - and at most one {hash tag}')
    .min(1)
    .default('a2d2'),
  A2D2_DATA_DIR: z.string().default('./data'),
});
export type Env = z.infer<typeof envSchema>;

const platformUserRef = z
  .string()
  .regex(/^(slack|telegram|terminal):[^\s]+$/, 'platform:user-id, e.g. slack:U0123 or telegram:42');

/** Foundation part of the YAML file. Domain sections come from config-sections.ts. */
export const yamlSchema = z
  .object({
    /** Role given to users the file does not name. */
    defaultRole: z.enum(ROLES).default('viewer'),
    /** Role -> platform user refs. */
    roles: z.partialRecord(z.enum(ROLES), z.array(platformUserRef)).default({}),
    /** Language when neither the user nor the platform says: en or ru. */
    defaultLocale: z.enum(['en', 'ru']).default('en'),
    http: z
      .object({
        bodyLimitBytes: z.number().int().positive().default(1_048_576),
        requestTimeoutMs: z.number().int().positive().default(10_000),
        /** Per client address, for REST and unknown routes. */
        rateLimitPerMinute: z.number().int().positive().default(600),
        /** Failed verifications per client address per minute on /slack, /telegram and /webhooks routes before 429. */
        webhookAuthFailuresPerMinute: z.number().int().positive().default(120),
        /** How long /readyz waits for each dependency before counting it as down (a paused Redis must not hang the probe). */
        readinessTimeoutMs: z.number().int().positive().max(30_000).default(1_000),
      })
      .prefault({}),
    redis: redisConfigSchema,
    shutdown: z
      .object({
        /**
         * After SIGTERM, how long an http role keeps serving while /readyz answers 503, so a load
         * balancer or Kubernetes stops routing to it before the listener closes.
         */
        drain: durationSchema.default('5s'),
        /** How long running jobs may take to finish once the drain is over. */
        graceMs: z.number().int().positive().max(60_000).default(20_000),
      })
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
