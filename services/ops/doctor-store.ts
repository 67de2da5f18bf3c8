/**
 * The store checks of `a2d2 doctor`: PostgreSQL (reachable, version), its migrations (the
 * runner's own plan: pending, failed, edited, unknown), the clock against the database's, and
 * Redis (reachable, version, `maxmemory-policy noeviction`, persistence).
 */
import pg from 'pg';
import { databaseName, migrationPlan } from '../db/migration-runner.ts';
import { connectClient } from '../db/pg-hosts.ts';
import { createRedis, type RedisTarget } from '../redis.ts';
import { DoctorProblem, fail, ok, skipped, warn, type DoctorFinding } from './doctor.ts';

function reason(err: unknown): string {
  const e = err as { code?: string; message?: string };
  const text = e.message || e.code || String(err);
  return e.code && !text.includes(e.code) ? `${e.code} ${text}` : text;
}

/** Rejects when the signal aborts, so a hung client call cannot hold a check past its deadline. */
function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/** One client for the address (several hosts: the writable one, as the roles pick it). */
async function withClient<T>(databaseUrl: string, timeoutMs: number, signal: AbortSignal, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  let client: pg.Client | null = null;
  try {
    try {
      client = await abortable(connectClient(databaseUrl, { connectionTimeoutMillis: timeoutMs, statement_timeout: timeoutMs, application_name: 'a2d2-doctor' }), signal);
    } catch (err) {
      if (signal.aborted) throw err;
      const database = databaseName(databaseUrl);
      if ((err as { code?: string }).code === '3D000') throw new DoctorProblem(warn('doctor.postgres.noDatabase', { database }, 'doctor.fix.migrations.pending'));
      throw new DoctorProblem(fail('doctor.postgres.unreachable', { database: databaseName(databaseUrl), error: reason(err) }, 'doctor.fix.postgres.unreachable'));
    }
    return await abortable(fn(client), signal);
  } finally {
    await client?.end().catch(() => undefined);
  }
}

/**
 * A check that needs the database is skipped when the postgres check already says why it
 * cannot have it (`missingToo`: also when the database does not exist yet).
 */
async function unlessUnreachable<T>(work: Promise<T>, missingToo: boolean): Promise<T | DoctorFinding> {
  try {
    return await work;
  } catch (err) {
    const key = err instanceof DoctorProblem ? err.finding.message.key : '';
    if (key === 'doctor.postgres.unreachable') return skipped('doctor.skip.postgres');
    if (key === 'doctor.postgres.noDatabase') return missingToo ? skipped('doctor.skip.postgres') : (true as T);
    throw err;
  }
}

/** The server answers, and which version it is. */
export async function checkPostgres(databaseUrl: string, timeoutMs: number, signal: AbortSignal): Promise<DoctorFinding> {
  return withClient(databaseUrl, timeoutMs, signal, async (client) => {
    const r = await client.query<{ v: string; n: string }>(`SELECT current_setting('server_version') AS v, current_setting('server_version_num') AS n`);
    const version = r.rows[0]?.v ?? '?';
    const major = Math.floor(Number(r.rows[0]?.n ?? 0) / 10_000);
    const params = { database: databaseName(databaseUrl), version };
    // The trigram index of ticket titles needs pg_trgm, which every supported version has in contrib.
    if (major < 13) return fail('doctor.postgres.old', params, 'doctor.fix.postgres.old');
    return ok('doctor.postgres.ok', params);
  });
}

/** The migration runner's plan: every migration of this version applied, none refused. */
export async function checkMigrations(databaseUrl: string, timeoutMs: number, signal: AbortSignal): Promise<DoctorFinding> {
  const reachable = await unlessUnreachable(withClient(databaseUrl, timeoutMs, signal, async () => true as const), false);
  if (reachable !== true) return reachable;
  let plan: Awaited<ReturnType<typeof migrationPlan>>;
  try {
    plan = await abortable(migrationPlan({ databaseUrl }), signal);
  } catch (err) {
    if (signal.aborted) throw err;
    return fail('doctor.migrations.unreadable', { error: reason(err) }, 'doctor.fix.postgres.unreachable');
  }
  const database = databaseName(databaseUrl);
  // The refusal's own catalogue words, so the line reads in the operator's language.
  const refused = plan.problems[0];
  if (refused) {
    const params = Object.fromEntries(Object.entries(refused.params).filter((e): e is [string, string | number] => e[1] !== undefined && e[1] !== null));
    return fail(refused.key, params, 'doctor.fix.migrations.refused');
  }
  if (!plan.databaseExists) return warn('doctor.migrations.noDatabase', { database }, 'doctor.fix.migrations.pending');
  if (plan.pending.length) {
    return warn('doctor.migrations.pending', { count: plan.pending.length, names: plan.pending.map((f) => f.name).join(', ') }, 'doctor.fix.migrations.pending');
  }
  const applied = plan.files.length;
  if (plan.unknown.length) {
    return warn('doctor.migrations.unknown', { applied, names: plan.unknown.map((m) => m.name).join(', ') }, 'doctor.fix.migrations.unknown');
  }
  return ok('doctor.migrations.ok', { applied });
}

/**
 * This machine's clock against the database's `now()`, halfway through the round trip. Timers
 * (SLA, schedules) and Slack's ±5 minute signature window assume the clocks agree.
 */
export async function checkClock(databaseUrl: string, timeoutMs: number, signal: AbortSignal): Promise<DoctorFinding> {
  return unlessUnreachable(withClient(databaseUrl, timeoutMs, signal, async (client) => {
    const before = Date.now();
    const r = await client.query<{ ms: string }>(`SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint::text AS ms`);
    const after = Date.now();
    const skewMs = Math.round((before + after) / 2 - Number(r.rows[0]?.ms ?? 0));
    const params = { skew: (skewMs / 1000).toFixed(1), rtt: after - before };
    if (Math.abs(skewMs) > 60_000) return fail('doctor.clock.skewed', params, 'doctor.fix.clock');
    if (Math.abs(skewMs) > 2_000) return warn('doctor.clock.skewed', params, 'doctor.fix.clock');
    return ok('doctor.clock.ok', { ...params, skew: (Math.abs(skewMs) / 1000).toFixed(1) });
  }), true);
}

/** `INFO` sections as key/value pairs. */
function infoFields(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0 && !line.startsWith('#')) out.set(line.slice(0, i), line.slice(i + 1).trim());
  }
  return out;
}

/** What the Redis checks read, with one connection. */
export interface RedisFacts {
  version: string;
  mode: string;
  /** null when CONFIG is not allowed (a managed Redis). */
  policy: string | null;
  aof: boolean;
  /** The `save` setting (RDB snapshots); null when CONFIG is not allowed. */
  save: string | null;
}

async function configGet(redis: ReturnType<typeof createRedis>, name: string): Promise<string | null> {
  try {
    const pair = (await redis.config('GET', name)) as string[];
    return pair[1] ?? null;
  } catch {
    return null; // CONFIG renamed or denied: the INFO fields are all there is
  }
}

/** Connects once (no retries, no offline queue) and reads what the checks need. */
export async function readRedisFacts(target: RedisTarget, timeoutMs: number, signal: AbortSignal): Promise<RedisFacts> {
  const redis = createRedis(target, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null, connectTimeout: timeoutMs });
  redis.on('error', () => undefined); // the failure is the check's answer
  try {
    try {
      await abortable(redis.connect(), signal);
    } catch (err) {
      if (signal.aborted) throw err;
      throw new DoctorProblem(fail('doctor.redis.unreachable', { error: reason(err) }, 'doctor.fix.redis.unreachable'));
    }
    const read = async (): Promise<RedisFacts> => {
      const server = infoFields(await redis.info('server'));
      const persistence = infoFields(await redis.info('persistence'));
      const memory = infoFields(await redis.info('memory'));
      const policy = memory.get('maxmemory_policy') ?? (await configGet(redis, 'maxmemory-policy'));
      return {
        version: server.get('redis_version') ?? '?',
        mode: server.get('redis_mode') ?? 'standalone',
        policy,
        aof: persistence.get('aof_enabled') === '1',
        save: await configGet(redis, 'save'),
      };
    };
    return await abortable(read(), signal);
  } finally {
    redis.disconnect();
  }
}

function versionParts(v: string): [number, number] {
  const [a = '0', b = '0'] = v.split('.');
  return [Number(a) || 0, Number(b) || 0];
}

/** Reachable, and a version BullMQ supports. */
export function redisVersionFinding(f: RedisFacts): DoctorFinding {
  const [major, minor] = versionParts(f.version);
  const params = { version: f.version, mode: f.mode };
  if (major < 5) return fail('doctor.redis.old', params, 'doctor.fix.redis.old');
  if (major < 6 || (major === 6 && minor < 2)) return warn('doctor.redis.old', params, 'doctor.fix.redis.old');
  return ok('doctor.redis.ok', params);
}

/** BullMQ needs `noeviction`: an evicted job key is a job lost without a trace. */
export function redisEvictionFinding(f: RedisFacts): DoctorFinding {
  if (f.policy === null) return warn('doctor.redis.policyUnknown', undefined, 'doctor.fix.redis.policy', { policy: '?' });
  if (f.policy !== 'noeviction') return fail('doctor.redis.policy', { policy: f.policy }, 'doctor.fix.redis.policy', { policy: f.policy });
  return ok('doctor.redis.policyOk');
}

/** AOF keeps acknowledged chat messages (inbound jobs live only in Redis) across a restart. */
export function redisPersistenceFinding(f: RedisFacts): DoctorFinding {
  if (f.aof) return ok('doctor.redis.aof');
  if (f.save) return warn('doctor.redis.rdbOnly', { save: f.save }, 'doctor.fix.redis.persistence');
  if (f.save === null) return warn('doctor.redis.persistenceUnknown', undefined, 'doctor.fix.redis.persistence');
  return fail('doctor.redis.noPersistence', undefined, 'doctor.fix.redis.persistence');
}
