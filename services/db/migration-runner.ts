/**
 * The run-time migration path: applies `prisma/migrations/<timestamp>_<name>/migration.sql` in
 * name order over a plain pg connection, and records each one in `_prisma_migrations` the way
 * the Prisma CLI does (same table, same columns, sha256 hex of the file as the checksum), so a
 * database migrated by either path is recognised by the other.
 *
 * - One run at a time per database: a session-level advisory lock on the key the Prisma
 *   schema engine uses, so concurrent starts (and the Prisma tools) wait for each other.
 * - Each migration runs in its own transaction with its row: it is applied whole or not at all.
 *   A failure is recorded as the CLI records it (a row without finished_at, the error in logs).
 * - Refuses to apply anything while a migration is recorded as failed, or while an applied
 *   migration's file differs from what was applied (its checksum changed).
 * - A migration recorded in the database but absent from the folder (the database was
 *   migrated by a newer version) is a warning: the older version still runs. Unless it is a
 *   recorded contract step (services/db/contract-steps.ts): then the older version refuses,
 *   naming it, since what the step removed may be what it still uses.
 *
 * Migrations are created in development with scripts/migrate-create.ts (services/db/migrate.ts).
 */
import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { connectClient, firstHostUrl, withDatabaseName } from './pg-hosts.ts';
import { ensureContractTable, markContractSteps, readContractMarks, readContractSteps, CONTRACT_TABLE } from './contract-steps.ts';
import { LocalizedError, type Params } from '../i18n/i18n.ts';

/** The advisory lock key of the Prisma schema engine's migrate commands. */
export const MIGRATION_LOCK_KEY = 72707369;
/** The repository's `prisma/migrations` directory. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));

const MIGRATION_FILE = 'migration.sql';

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id" VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum" VARCHAR(64) NOT NULL,
    "finished_at" TIMESTAMPTZ,
    "migration_name" VARCHAR(255) NOT NULL,
    "logs" TEXT,
    "rolled_back_at" TIMESTAMPTZ,
    "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

/** Logger shape; a pino logger fits. */
export interface RunnerLogger {
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
}

/** A migration found in the folder. */
export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

/** A row of `_prisma_migrations` that has not been rolled back. */
export interface RecordedMigration {
  name: string;
  checksum: string;
  startedAt: Date;
  finishedAt: Date | null;
  logs: string | null;
}

/** Why migrations cannot run; the message (catalogue `cli.migrate.refused.*`) names the migration and what to do. */
export class MigrationRefused extends LocalizedError {
  constructor(
    key: string,
    params: Params,
    readonly migration: string,
  ) {
    super(key, params);
    this.name = 'MigrationRefused';
  }
}

/** The state of the database against the folder. */
export interface MigrationPlan {
  files: MigrationFile[];
  recorded: Map<string, RecordedMigration>;
  pending: MigrationFile[];
  /** Recorded in the database, absent from the folder (a newer version's migrations). */
  unknown: RecordedMigration[];
  /** Refusals: failed migrations, edited ones, then unknown contract steps. */
  problems: MigrationRefused[];
}

export interface RunnerOptions {
  databaseUrl: string;
  /** Defaults to the repository's `prisma/migrations`. */
  migrationsDir?: string;
  logger?: RunnerLogger;
}

const silent: RunnerLogger = { info() {}, warn() {} };

/** sha256 hex of the file's text, as the Prisma CLI records it. */
export function checksumOf(sql: string): string {
  return createHash('sha256').update(sql, 'utf8').digest('hex');
}

/** Whether `sql` is what was recorded, ignoring a change of line endings (as the CLI does). */
function sameScript(sql: string, checksum: string): boolean {
  return [sql, sql.replace(/\r\n/g, '\n'), sql.replace(/\r?\n/g, '\r\n')].some((s) => checksumOf(s) === checksum);
}

/** The database name in a postgres URL. */
export function databaseName(databaseUrl: string): string {
  const name = decodeURIComponent(firstHostUrl(databaseUrl).pathname.replace(/^\//, ''));
  if (!name) throw new Error('The database URL names no database');
  return name;
}

/** Quotes a Postgres identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Creates the database named in `databaseUrl` when it does not exist, connecting to the
 * server's `postgres` database. Safe to race with another creator.
 * @returns true when this call created it.
 */
export async function ensureDatabase(databaseUrl: string): Promise<boolean> {
  const name = databaseName(databaseUrl);
  const client = await connectClient(withDatabaseName(databaseUrl, 'postgres'));
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return false;
    await client.query(`CREATE DATABASE ${quoteIdent(name)}`);
    return true;
  } catch (error) {
    // 42P04 duplicate_database; 23505 when two CREATE DATABASE race on pg_database's index.
    const code = (error as { code?: string }).code;
    if (code === '42P04' || code === '23505') return false;
    throw error;
  } finally {
    await client.end();
  }
}

/** The migrations in a folder, in name order (a missing folder has none). */
export async function readMigrationFiles(migrationsDir: string): Promise<MigrationFile[]> {
  let entries: Array<{ name: string; isDirectory(): boolean }> = [];
  try {
    entries = await readdir(migrationsDir, { withFileTypes: true });
  } catch (error) {
    if ((error as { code?: string }).code !== 'ENOENT') throw error;
  }
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name);
  names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(join(migrationsDir, name, MIGRATION_FILE), 'utf8').catch((error: Error) => {
        throw new MigrationRefused('cli.migrate.refused.unreadable', { name, file: MIGRATION_FILE, error: error.message }, name);
      });
      return { name, sql, checksum: checksumOf(sql) };
    }),
  );
}

/**
 * The rows that count, one per migration: rolled-back rows are ignored (as the CLI does); of
 * several rows for one name, a finished one wins, else the latest.
 */
async function readRecorded(client: pg.ClientBase): Promise<Map<string, RecordedMigration>> {
  const exists = await client.query(`SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS ok`);
  const recorded = new Map<string, RecordedMigration>();
  if (!exists.rows[0]?.ok) return recorded;
  const { rows } = await client.query<{ name: string; checksum: string; started_at: Date; finished_at: Date | null; logs: string | null }>(
    `SELECT migration_name AS name, checksum, started_at, finished_at, logs FROM "_prisma_migrations"
      WHERE rolled_back_at IS NULL ORDER BY finished_at IS NOT NULL, started_at`,
  );
  for (const row of rows) {
    recorded.set(row.name, { name: row.name, checksum: row.checksum, startedAt: row.started_at, finishedAt: row.finished_at, logs: row.logs });
  }
  return recorded;
}

function failedRefusal(row: RecordedMigration): MigrationRefused {
  const cause = row.logs?.trim().split('\n').find((line) => line.trim());
  const params = { name: row.name, started: row.startedAt.toISOString(), cause };
  return new MigrationRefused(cause ? 'cli.migrate.refused.failed' : 'cli.migrate.refused.failedNoCause', params, row.name);
}

function editedRefusal(file: MigrationFile, row: RecordedMigration): MigrationRefused {
  const params = { name: file.name, applied: row.checksum, checksum: file.checksum, file: MIGRATION_FILE };
  return new MigrationRefused('cli.migrate.refused.edited', params, file.name);
}

function contractRefusal(row: RecordedMigration): MigrationRefused {
  const params = { name: row.name, finished: row.finishedAt?.toISOString() ?? '', table: CONTRACT_TABLE };
  return new MigrationRefused('cli.migrate.refused.contract', params, row.name);
}

/** Compares the folder with the recorded rows (and the contract steps recorded in the database). */
export function planFrom(files: MigrationFile[], recorded: Map<string, RecordedMigration>, contractMarks: ReadonlySet<string> = new Set()): MigrationPlan {
  const known = new Set(files.map((f) => f.name));
  const problems: MigrationRefused[] = [];
  for (const row of recorded.values()) if (!row.finishedAt) problems.push(failedRefusal(row));
  const pending: MigrationFile[] = [];
  for (const file of files) {
    const row = recorded.get(file.name);
    if (!row) pending.push(file);
    else if (row.finishedAt && !sameScript(file.sql, row.checksum)) problems.push(editedRefusal(file, row));
  }
  const unknown = [...recorded.values()].filter((row) => !known.has(row.name));
  for (const row of unknown) if (row.finishedAt && contractMarks.has(row.name)) problems.push(contractRefusal(row));
  return { files, recorded, pending, unknown, problems };
}

async function withClient<T>(databaseUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = await connectClient(databaseUrl);
  client.on('error', () => {}); // a dropped connection fails the query in progress
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * The plan without changing anything (no lock, no database created): for `--status` and
 * `--dry-run`. A database that does not exist yet has every migration pending.
 */
export async function migrationPlan(opts: RunnerOptions): Promise<MigrationPlan & { databaseExists: boolean }> {
  const files = await readMigrationFiles(opts.migrationsDir ?? MIGRATIONS_DIR);
  try {
    const [recorded, marks] = await withClient(opts.databaseUrl, async (c) => [await readRecorded(c), await readContractMarks(c)] as const);
    return { ...planFrom(files, recorded, marks), databaseExists: true };
  } catch (error) {
    if ((error as { code?: string }).code !== '3D000') throw error; // invalid_catalog_name
    return { ...planFrom(files, new Map()), databaseExists: false };
  }
}

function warnUnknown(plan: MigrationPlan, logger: RunnerLogger): void {
  for (const row of plan.unknown) {
    if (!row.finishedAt) continue; // a failed one is refused already
    logger.warn(
      { migration: row.name },
      `migration ${row.name} is recorded in the database but not in this version's migrations (applied by a newer version); continuing`,
    );
  }
}

/** Applies one migration and its row in one transaction; a failure is recorded, then thrown. */
async function applyOne(client: pg.ClientBase, file: MigrationFile, contract: boolean): Promise<void> {
  const id = randomUUID();
  try {
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
       VALUES ($1, $2, $3, clock_timestamp(), 0)`,
      [id, file.checksum, file.name],
    );
    await client.query(file.sql); // no parameters: the simple protocol, several statements at once
    await client.query(
      `UPDATE "_prisma_migrations" SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1`,
      [id],
    );
    if (contract) await markContractSteps(client, [file.name]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    const err = error as Error & { code?: string };
    const logs = `Database error${err.code ? ` code: ${err.code}` : ''}\n\n${err.message}`;
    await client
      .query(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, logs, started_at, applied_steps_count)
         VALUES ($1, $2, $3, $4, clock_timestamp(), 0)`,
        [id, file.checksum, file.name, logs],
      )
      .catch(() => {}); // the connection may be gone: the migration's own error matters more
    throw new LocalizedError('cli.migrate.rolledBack', { name: file.name, error: err.message }, { cause: error });
  }
}

/** Takes the migration lock, saying so when another process holds it. */
async function lock(client: pg.ClientBase, logger: RunnerLogger, database: string): Promise<void> {
  const tried = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [MIGRATION_LOCK_KEY]);
  if (tried.rows[0]?.ok) return;
  logger.info({ database }, 'another process is applying migrations; waiting for it');
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
}

/**
 * Creates the database if missing, then applies every pending migration under the lock.
 * Refuses (MigrationRefused, nothing applied) on a failed or edited migration.
 * @returns the names applied by this call (empty when up to date).
 */
export async function runMigrations(opts: RunnerOptions): Promise<string[]> {
  const logger = opts.logger ?? silent;
  const database = databaseName(opts.databaseUrl);
  if (await ensureDatabase(opts.databaseUrl)) logger.info({ database }, 'database created');
  const dir = opts.migrationsDir ?? MIGRATIONS_DIR;
  const files = await readMigrationFiles(dir);
  const contracts = await readContractSteps(dir);
  return withClient(opts.databaseUrl, async (client) => {
    await lock(client, logger, database);
    try {
      await client.query(CREATE_TABLE);
      await ensureContractTable(client);
      const recorded = await readRecorded(client);
      const plan = planFrom(files, recorded, await readContractMarks(client));
      if (plan.problems[0]) throw plan.problems[0];
      warnUnknown(plan, logger);
      // Contract steps of this list applied before the table existed (or by the Prisma tools).
      await markContractSteps(client, files.filter((f) => contracts.has(f.name) && recorded.get(f.name)?.finishedAt).map((f) => f.name));
      const applied: string[] = [];
      for (const file of plan.pending) {
        const started = Date.now();
        await applyOne(client, file, contracts.has(file.name));
        applied.push(file.name);
        logger.info({ database, migration: file.name, ms: Date.now() - started }, `migration applied: ${file.name}`);
      }
      return applied;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {});
    }
  });
}
