/**
 * One PostgreSQL database per test process, so test files can run in parallel.
 *
 * Names derive from the base URL (TEST_DATABASE_URL, default `.../a2d2_test`):
 *   - `<base>_template`: migrated once per run by scripts/test.mjs;
 *   - `<base>__r<runner pid>_<process pid>`: one test file's database, copied from the
 *     template by the preload (test/helpers/test-db-preload.ts) when its process starts;
 *   - `<base>__r<runner pid>_<process pid>_<label>`: scratch databases a test makes itself
 *     (see {@link scratchDatabaseUrl}).
 * The runner pid in the name lets a later run with the same base drop what a killed run
 * left behind without touching a run that is still going, and a run with another base
 * never matches (the names are compared exactly, not by prefix).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const DEFAULT_TEST_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/a2d2_test';

/** The longest base name that leaves room for the suffixes above within Postgres' 63 bytes. */
const MAX_BASE_LENGTH = 63 - '__r4194304_4194304_scratch_ffffffff'.length;

function nameOf(databaseUrl: string): string {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.replace(/^\//, ''));
  if (!name) throw new Error(`the database URL names no database: ${databaseUrl}`);
  return name;
}

/** `databaseUrl` with its database replaced by `name`. */
export function withDatabase(databaseUrl: string, name: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${encodeURIComponent(name)}`;
  return url.toString();
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The base name of a run, checked so that every derived name stays under the limit. */
export function baseName(baseUrl: string): string {
  const name = nameOf(baseUrl);
  if (Buffer.byteLength(name) > MAX_BASE_LENGTH) {
    throw new Error(`test database name "${name}" is longer than ${MAX_BASE_LENGTH} bytes (derived names would be truncated by Postgres)`);
  }
  return name;
}

export function templateUrl(baseUrl: string): string {
  return withDatabase(baseUrl, `${baseName(baseUrl)}_template`);
}

export function processDatabaseUrl(baseUrl: string, runnerPid: number, pid: number): string {
  return withDatabase(baseUrl, `${baseName(baseUrl)}__r${runnerPid}_${pid}`);
}

/**
 * A fresh database name next to this process's own (for tests that create databases):
 * swept with it when a run is killed. Not created here.
 */
export function scratchDatabaseUrl(databaseUrl: string, label: string): string {
  if (!/^[a-z0-9]{1,7}$/.test(label)) throw new Error(`scratch label must be 1-7 lowercase letters or digits: ${label}`);
  return withDatabase(databaseUrl, `${nameOf(databaseUrl)}_${label}_${randomBytes(4).toString('hex')}`);
}

async function withAdmin<T>(baseUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(baseUrl, 'postgres') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * `CREATE DATABASE <databaseUrl> TEMPLATE <template>`. Postgres refuses while any session is
 * connected to the template (55006 object_in_use, e.g. another run with the same base
 * migrating it, or a sibling's create holding it for a moment): retried for `busyForMs`.
 */
export async function createFromTemplate(databaseUrl: string, template: string, busyForMs = 30_000): Promise<void> {
  const deadline = Date.now() + busyForMs;
  await withAdmin(databaseUrl, async (client) => {
    for (let delay = 50; ; delay = Math.min(delay * 2, 1000)) {
      try {
        await client.query(`CREATE DATABASE ${quoteIdent(nameOf(databaseUrl))} TEMPLATE ${quoteIdent(nameOf(template))}`);
        return;
      } catch (error) {
        if ((error as { code?: string }).code !== '55006' || Date.now() + delay > deadline) throw error;
        await sleep(delay);
      }
    }
  });
}

/** `CREATE DATABASE <databaseUrl>`, empty (the first a2d2 process started on it migrates it). */
export async function createEmptyDatabase(databaseUrl: string): Promise<void> {
  await withAdmin(databaseUrl, (client) => client.query(`CREATE DATABASE ${quoteIdent(nameOf(databaseUrl))}`));
}

export async function dropDatabase(databaseUrl: string): Promise<void> {
  await withAdmin(databaseUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${quoteIdent(nameOf(databaseUrl))} WITH (FORCE)`));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Drops the per-process (and scratch) databases of this base whose run is over: those of
 * `runnerPid` when given (a run cleaning up after itself), else those whose runner process
 * is gone (a killed run). Returns the names dropped.
 */
export async function sweepProcessDatabases(baseUrl: string, runnerPid?: number): Promise<string[]> {
  const pattern = new RegExp(`^${escapeRegExp(baseName(baseUrl))}__r(\\d+)_\\d+(?:_[a-z0-9]+)*$`);
  return withAdmin(baseUrl, async (client) => {
    const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database');
    const dropped: string[] = [];
    for (const { datname } of rows) {
      const owner = pattern.exec(datname)?.[1];
      if (owner === undefined) continue;
      const ours = runnerPid === undefined ? !isAlive(Number(owner)) : Number(owner) === runnerPid;
      if (!ours) continue;
      await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(datname)} WITH (FORCE)`);
      dropped.push(datname);
    }
    return dropped;
  });
}
