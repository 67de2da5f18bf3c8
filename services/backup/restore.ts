/**
 * `a2d2 restore`: checks the whole archive first (manifest.ts), then refuses a database that
 * already has a2d2 tables and stored files that differ from the backup's (both unless
 * `force`), creates the database if missing, pg_restores the dump in one transaction, writes
 * the files into the storage directory (temporary name, then rename), and checks the row
 * counts and every file's sha256 against the manifest.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { databaseName, ensureDatabase, MIGRATIONS_DIR, readMigrationFiles } from '../db/migration-runner.ts';
import { withDatabaseName } from '../db/pg-hosts.ts';
import type { Params } from '../i18n/i18n.ts';
import { BackupError, checkTool, runTool, serverMajor, withPg } from './pg-tools.ts';
import { countRows } from './backup.ts';
import { tarEntries } from './tar.ts';
import { DUMP_ENTRY, FILES_PREFIX, exists, hashFile, verifyArchive, type Manifest, type ManifestFile } from './manifest.ts';

export interface RestoreOptions {
  file: string;
  databaseUrl: string;
  storageDir: string;
  force: boolean;
  migrationsDir?: string;
  env?: NodeJS.ProcessEnv;
  /** Told before anything is changed (newer migrations, what --force will replace). */
  warn: (key: string, params: Params) => void;
}

export interface RestoreResult {
  manifest: Manifest;
  database: string;
  createdDatabase: boolean;
  tables: number;
  rows: number;
  filesWritten: number;
  filesPresent: number;
  bytes: number;
  /** This version's migrations the backup lacks: `a2d2 migrate` applies them. */
  pendingMigrations: string[];
}

const KEY = /^[a-z0-9/_-]+$/;

function targetOf(storageDir: string, f: ManifestFile): string {
  if (!KEY.test(f.path) || f.path.split('/').some((p) => p === '' || p === '.' || p === '..')) {
    throw new BackupError('cli.backup.error.badKey', { path: f.path });
  }
  return join(storageDir, f.path);
}

/** Warns about migrations the backup has and this version does not know; returns the pending ones. */
async function compareMigrations(manifest: Manifest, opts: RestoreOptions): Promise<string[]> {
  const known = (await readMigrationFiles(opts.migrationsDir ?? MIGRATIONS_DIR)).map((f) => f.name);
  const unknown = manifest.migrations.filter((m) => !known.includes(m));
  if (unknown.length) {
    opts.warn('cli.backup.warn.unknownMigrations', { version: manifest.a2d2Version, unknown: unknown.length, first: unknown[0] });
  }
  return known.filter((m) => !manifest.migrations.includes(m));
}

/** Creates the database if missing; refuses one with a2d2 tables unless forced. */
async function prepareDatabase(manifest: Manifest, opts: RestoreOptions): Promise<boolean> {
  const database = databaseName(opts.databaseUrl);
  const created = await ensureDatabase(opts.databaseUrl);
  if (created) return true;
  const ours = new Set([...Object.keys(manifest.rowCounts), '_prisma_migrations']);
  const present = await withPg(opts.databaseUrl, async (client) => {
    const { rows } = await client.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()`);
    return rows.map((r) => r.name).filter((n) => ours.has(n));
  });
  if (present.length && !opts.force) {
    const names = `${present.slice(0, 3).join(', ')}${present.length > 3 ? ', ...' : ''}`;
    throw new BackupError('cli.backup.error.notEmpty', { database, tables: present.length, names });
  }
  if (present.length) opts.warn('cli.backup.warn.replacing', { database });
  return false;
}

/** Splits the backup's files into those already in place and those to write; refuses differing ones. */
async function planFiles(manifest: Manifest, opts: RestoreOptions): Promise<{ write: Set<string>; present: number }> {
  const write = new Set<string>();
  const differing: string[] = [];
  let present = 0;
  for (const f of manifest.files) {
    const target = targetOf(opts.storageDir, f);
    if (!(await exists(target))) write.add(f.path);
    else if ((await hashFile(target)).sha256 === f.sha256) present++;
    else {
      differing.push(f.path);
      write.add(f.path);
    }
  }
  if (differing.length && !opts.force) {
    throw new BackupError('cli.backup.error.filesDiffer', { differing: differing.length, dir: opts.storageDir, first: differing[0] });
  }
  if (differing.length) opts.warn('cli.backup.warn.overwriting', { differing: differing.length, dir: opts.storageDir });
  return { write, present };
}

/** A pass-through that hashes what flows through it. */
function hasher(): Transform & { sha256: () => string } {
  const hash = createHash('sha256');
  const t = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      cb(null, chunk);
    },
  });
  return Object.assign(t, { sha256: () => hash.digest('hex') });
}

async function writeEntry(body: AsyncIterable<Buffer>, target: string, sha256: string): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  const tmp = `${target}.restore.tmp`;
  const h = hasher();
  try {
    await pipeline(body, h, createWriteStream(tmp));
    if (h.sha256() !== sha256) throw new BackupError('cli.backup.error.entrySum', { target });
    await rename(tmp, target);
  } finally {
    await rm(tmp, { force: true });
  }
}

/** The second read: the dump to `dumpPath`, the files to write into place. */
async function extract(opts: RestoreOptions, manifest: Manifest, write: Set<string>, dumpPath: string): Promise<void> {
  const byPath = new Map(manifest.files.map((f) => [f.path, f]));
  for await (const entry of tarEntries(createReadStream(opts.file))) {
    if (entry.name === DUMP_ENTRY) await writeEntry(entry.body, dumpPath, manifest.dump.sha256);
    else if (entry.name.startsWith(FILES_PREFIX)) {
      const f = byPath.get(entry.name.slice(FILES_PREFIX.length));
      if (f && write.has(f.path)) await writeEntry(entry.body, targetOf(opts.storageDir, f), f.sha256);
    }
  }
}

/** Row counts and files on disk against the manifest; throws naming the first difference. */
async function verifyRestored(opts: RestoreOptions, manifest: Manifest): Promise<Record<string, number>> {
  const counts = await withPg(opts.databaseUrl, countRows);
  const wrong = Object.entries(manifest.rowCounts).filter(([table, n]) => counts[table] !== n);
  if (wrong.length) {
    const [table, n] = wrong[0]!;
    const params = { wrong: wrong.length, table, got: counts[table], want: n };
    throw new BackupError(counts[table] === undefined ? 'cli.backup.error.rowCountsNoTable' : 'cli.backup.error.rowCounts', params);
  }
  for (const f of manifest.files) {
    const got = await hashFile(targetOf(opts.storageDir, f));
    if (got.sha256 !== f.sha256) throw new BackupError('cli.backup.error.fileSum', { path: f.path });
  }
  return counts;
}

/** Runs the restore; throws BackupError on anything the operator can act on. */
export async function restoreBackup(opts: RestoreOptions): Promise<RestoreResult> {
  const manifest = await verifyArchive(opts.file);
  const pendingMigrations = await compareMigrations(manifest, opts);
  await withPg(withDatabaseName(opts.databaseUrl, 'postgres'), async (client) => checkTool('pg_restore', await serverMajor(client), opts.env));
  const createdDatabase = await prepareDatabase(manifest, opts);
  const { write, present } = await planFiles(manifest, opts);
  const work = await mkdtemp(join(tmpdir(), 'a2d2-restore-'));
  try {
    const dumpPath = join(work, DUMP_ENTRY);
    await extract(opts, manifest, write, dumpPath);
    const clean = opts.force && !createdDatabase ? ['--clean', '--if-exists'] : [];
    await runTool('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', ...clean, dumpPath], opts.databaseUrl, opts.env);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  const counts = await verifyRestored(opts, manifest);
  return {
    manifest,
    database: databaseName(opts.databaseUrl),
    createdDatabase,
    tables: Object.keys(counts).length,
    rows: Object.values(manifest.rowCounts).reduce((a, b) => a + b, 0),
    filesWritten: write.size,
    filesPresent: present,
    bytes: manifest.files.reduce((a, f) => a + f.size, 0),
    pendingMigrations,
  };
}
