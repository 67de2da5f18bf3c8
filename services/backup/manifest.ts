/**
 * The backup archive's layout and its manifest, and the pieces both directions share: listing
 * the storage directory, hashing files by streaming, and reading an archive through once to
 * check every entry against the manifest before anything is restored.
 *
 * Layout (a plain ustar archive, readable with `tar -tvf`):
 *   manifest.json        first: {@link Manifest}
 *   database.pgdump      `pg_dump --format=custom` of the database
 *   files/<key>          each stored document file, under its storage key
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { ArchiveError, tarEntries } from './tar.ts';
import type { Params } from '../i18n/i18n.ts';
import { BackupError } from './pg-tools.ts';

export const MANIFEST_ENTRY = 'manifest.json';
export const DUMP_ENTRY = 'database.pgdump';
export const FILES_PREFIX = 'files/';
export const BACKUP_FORMAT = 'a2d2-backup';

export interface ManifestFile {
  /** The storage key (the path under the storage directory, with `/`). */
  path: string;
  size: number;
  sha256: string;
}

export interface Manifest {
  format: typeof BACKUP_FORMAT;
  formatVersion: 1;
  a2d2Version: string;
  createdAt: string;
  database: string;
  serverVersion: string;
  /** Applied migrations, from `_prisma_migrations`, in order. */
  migrations: string[];
  /** Rows per table at the moment of the dump (the same snapshot). */
  rowCounts: Record<string, number>;
  dump: { size: number; sha256: string };
  files: ManifestFile[];
}

/** sha256 hex and size of a file, read as a stream. */
export async function hashFile(path: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), size };
}

/** Every stored file under `root` (its storage key, `/`-separated), skipping unfinished writes. */
export async function listStoredFiles(root: string): Promise<string[]> {
  let entries: Array<{ name: string; parentPath: string; isFile(): boolean }>;
  try {
    entries = (await readdir(root, { withFileTypes: true, recursive: true })) as never;
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return [];
    throw error;
  }
  return entries
    .filter((e) => e.isFile() && !e.name.endsWith('.tmp'))
    .map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}

/** Whether a path exists (as anything). */
export async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

function damaged(file: string, why: string, params: Params = {}): BackupError {
  return new BackupError('cli.backup.error.damaged', { file }, { key: `cli.backup.why.${why}`, params });
}

async function readManifest(file: string, body: AsyncIterable<Buffer>, size: number): Promise<Manifest> {
  if (size > 64 * 1024 * 1024) throw damaged(file, 'manifestLarge');
  const parts: Buffer[] = [];
  for await (const chunk of body) parts.push(chunk);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(Buffer.concat(parts).toString('utf8')) as Manifest;
  } catch {
    throw damaged(file, 'manifestJson');
  }
  if (manifest?.format !== BACKUP_FORMAT || !Array.isArray(manifest.files) || !manifest.dump || !manifest.rowCounts) {
    throw damaged(file, 'notManifest');
  }
  if (manifest.formatVersion !== 1) throw new BackupError('cli.backup.error.format', { file, version: manifest.formatVersion });
  return manifest;
}

async function digest(body: AsyncIterable<Buffer>): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of body) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { sha256: hash.digest('hex'), size };
}

/**
 * Reads the whole archive once: the manifest first, every entry's sha256 and size against
 * it, every listed entry present, the archive complete. Writes nothing.
 */
export async function verifyArchive(file: string): Promise<Manifest> {
  if (!(await exists(file))) throw new BackupError('cli.backup.error.noFile', { file });
  let manifest: Manifest | null = null;
  const expected = new Map<string, { sha256: string; size: number }>();
  try {
    for await (const entry of tarEntries(createReadStream(file))) {
      if (!manifest) {
        if (entry.name !== MANIFEST_ENTRY) throw damaged(file, 'notFirst', { entry: MANIFEST_ENTRY });
        manifest = await readManifest(file, entry.body, entry.size);
        expected.set(DUMP_ENTRY, manifest.dump);
        for (const f of manifest.files) expected.set(FILES_PREFIX + f.path, f);
        continue;
      }
      const want = expected.get(entry.name);
      if (!want) throw damaged(file, 'unlisted', { entry: entry.name });
      const got = await digest(entry.body);
      if (got.size !== want.size || got.sha256 !== want.sha256) throw damaged(file, 'entrySum', { entry: entry.name });
      expected.delete(entry.name);
    }
  } catch (error) {
    if (error instanceof ArchiveError) throw damaged(file, 'archive', { error: error.message });
    throw error;
  }
  if (!manifest) throw damaged(file, 'noManifest');
  const missing = [...expected.keys()];
  if (missing.length) throw damaged(file, 'missing', { missing: missing.length, entry: missing[0] });
  return manifest;
}
