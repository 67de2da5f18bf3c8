/**
 * `a2d2 backup`: one ustar archive with the manifest, a `pg_dump --format=custom` of the
 * database and the stored document files (layout in manifest.ts).
 *
 * The row counts and the migration list are read in a repeatable-read transaction whose
 * snapshot pg_dump is given (`--snapshot`), so they describe exactly the dumped data while the
 * bot keeps running. The files are listed after the dump: a document row in the dump has its
 * file (files are stored before their row is written), and files stored later are harmless
 * extras (content-addressed). The archive is written to `<out>.partial` and renamed when whole.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { databaseName, quoteIdent } from '../db/migration-runner.ts';
import { BackupError, checkTool, runTool, serverMajor, withPg } from './pg-tools.ts';
import { tarStream, type TarSource } from './tar.ts';
import {
  BACKUP_FORMAT,
  DUMP_ENTRY,
  FILES_PREFIX,
  MANIFEST_ENTRY,
  hashFile,
  listStoredFiles,
  type Manifest,
  type ManifestFile,
} from './manifest.ts';

export interface BackupOptions {
  databaseUrl: string;
  /** The documents storage directory (A2D2_DATA_DIR/documents). */
  storageDir: string;
  out: string;
  version: string;
  env?: NodeJS.ProcessEnv;
}

export interface BackupResult {
  manifest: Manifest;
  archiveBytes: number;
}

/** Rows per table of the current schema, in name order. */
export async function countRows(client: pg.ClientBase): Promise<Record<string, number>> {
  const { rows: tables } = await client.query<{ name: string }>(
    `SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`,
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${quoteIdent(name)}`);
    counts[name] = Number(rows[0]!.n);
  }
  return counts;
}

/** Applied migrations in order (none when the table does not exist). */
export async function appliedMigrations(client: pg.ClientBase): Promise<string[]> {
  const found = await client.query(`SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS ok`);
  if (!found.rows[0]?.ok) return [];
  const { rows } = await client.query<{ name: string }>(
    `SELECT DISTINCT migration_name AS name FROM "_prisma_migrations"
      WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`,
  );
  return rows.map((r) => r.name);
}

interface DumpedState {
  serverVersion: string;
  migrations: string[];
  rowCounts: Record<string, number>;
}

/** pg_dump into `dumpPath` under a snapshot whose counts and migrations are returned. */
async function dumpDatabase(opts: BackupOptions, dumpPath: string): Promise<DumpedState> {
  return withPg(opts.databaseUrl, async (client) => {
    const major = await serverMajor(client);
    await checkTool('pg_dump', major, opts.env);
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    try {
      const snap = await client.query<{ id: string }>('SELECT pg_export_snapshot() AS id');
      const rowCounts = await countRows(client);
      const migrations = await appliedMigrations(client);
      await runTool('pg_dump', ['--format=custom', `--snapshot=${snap.rows[0]!.id}`, `--file=${dumpPath}`], opts.databaseUrl, opts.env);
      return { serverVersion: rows[0]!.server_version.split(' ')[0]!, migrations, rowCounts };
    } finally {
      await client.query('COMMIT').catch(() => {});
    }
  });
}

function fileSource(name: string, path: string, size: number): TarSource {
  return { name, size, body: () => createReadStream(path) };
}

/** Writes the archive; returns its manifest. Throws BackupError on what the operator can fix. */
export async function createBackup(opts: BackupOptions): Promise<BackupResult> {
  const outDir = await stat(join(opts.out, '..')).catch(() => null);
  if (!outDir?.isDirectory()) throw new BackupError('cli.backup.error.noDir', { file: opts.out });
  const work = await mkdtemp(join(tmpdir(), 'a2d2-backup-'));
  const partial = `${opts.out}.partial`;
  try {
    const dumpPath = join(work, DUMP_ENTRY);
    const state = await dumpDatabase(opts, dumpPath);
    const dump = await hashFile(dumpPath);
    const files: ManifestFile[] = [];
    for (const key of await listStoredFiles(opts.storageDir)) {
      // A file removed since the listing (an expired document) is simply not in the backup.
      const hashed = await hashFile(join(opts.storageDir, key)).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return null;
        throw error;
      });
      if (hashed) files.push({ path: key, ...hashed });
    }
    const manifest: Manifest = {
      format: BACKUP_FORMAT,
      formatVersion: 1,
      a2d2Version: opts.version,
      createdAt: new Date().toISOString(),
      database: databaseName(opts.databaseUrl),
      ...state,
      dump,
      files,
    };
    const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
    const sources: TarSource[] = [
      { name: MANIFEST_ENTRY, size: manifestBytes.length, body: () => Readable.from([manifestBytes]) },
      fileSource(DUMP_ENTRY, dumpPath, dump.size),
      ...files.map((f) => fileSource(FILES_PREFIX + f.path, join(opts.storageDir, f.path), f.size)),
    ];
    await pipeline(Readable.from(tarStream(sources)), createWriteStream(partial, { mode: 0o600 }));
    await rename(partial, opts.out);
    return { manifest, archiveBytes: (await stat(opts.out)).size };
  } finally {
    await rm(partial, { force: true });
    await rm(work, { recursive: true, force: true });
  }
}
