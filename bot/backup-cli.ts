/**
 * `a2d2 backup --out FILE` and `a2d2 restore FILE [--force]`: services/backup does the work;
 * this file reads the arguments and words the result for the operator.
 */
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import type { AppConfig } from '../services/config.ts';
import { createBackup } from '../services/backup/backup.ts';
import { restoreBackup } from '../services/backup/restore.ts';
import { BackupError } from '../services/backup/pg-tools.ts';

export interface BackupCliIo {
  out: Writable;
  err: Writable;
  env?: NodeJS.ProcessEnv;
}

/** The documents storage directory, as bot/container.ts configures it. */
export function storageDirOf(config: AppConfig): string {
  return join(config.env.A2D2_DATA_DIR, 'documents');
}

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

/** `a2d2 backup --out FILE`. */
export async function backupCommand(args: string[], config: AppConfig, io: BackupCliIo): Promise<void> {
  const i = args.findIndex((a) => a === '--out' || a.startsWith('--out='));
  const out = i < 0 ? undefined : args[i]!.includes('=') ? args[i]!.slice('--out='.length) : args[i + 1];
  const extra = args.filter((_, j) => j !== i && !(j === i + 1 && !args[i]!.includes('=')));
  if (!out || extra.length) throw new BackupError(`usage: a2d2 backup --out FILE${extra.length ? ` (unknown argument: ${extra[0]})` : ''}`);
  const { manifest, archiveBytes } = await createBackup({
    databaseUrl: config.env.DATABASE_URL,
    storageDir: storageDirOf(config),
    out,
    version: config.version,
    ...(io.env ? { env: io.env } : {}),
  });
  const tables = Object.keys(manifest.rowCounts).length;
  const rows = Object.values(manifest.rowCounts).reduce((a, b) => a + b, 0);
  const fileBytes = manifest.files.reduce((a, f) => a + f.size, 0);
  io.out.write(
    `Backup written to ${out} (${bytes(archiveBytes)}).\n` +
      `  Database ${manifest.database}: ${tables} tables, ${rows} rows, ${manifest.migrations.length} migrations applied (PostgreSQL ${manifest.serverVersion}).\n` +
      `  Stored files: ${manifest.files.length} (${bytes(fileBytes)}) from ${storageDirOf(config)}.\n`,
  );
}

/** `a2d2 restore FILE [--force]`. */
export async function restoreCommand(args: string[], config: AppConfig, io: BackupCliIo): Promise<void> {
  const force = args.includes('--force');
  const rest = args.filter((a) => a !== '--force');
  const unknown = rest.find((a) => a.startsWith('--'));
  if (rest.length !== 1 || unknown) throw new BackupError(`usage: a2d2 restore FILE [--force]${unknown ? ` (unknown option: ${unknown})` : ''}`);
  const storageDir = storageDirOf(config);
  const r = await restoreBackup({
    file: rest[0]!,
    databaseUrl: config.env.DATABASE_URL,
    storageDir,
    force,
    warn: (line) => io.err.write(`${line}\n`),
    ...(io.env ? { env: io.env } : {}),
  });
  const lines = [
    `Restored ${rest[0]} (a2d2 ${r.manifest.a2d2Version}, made ${r.manifest.createdAt}) into database ${r.database}${r.createdDatabase ? ' (created)' : ''}.`,
    `  Database: ${r.tables} tables, ${r.rows} rows, ${r.manifest.migrations.length} migrations; row counts match the backup.`,
    `  Stored files: ${r.manifest.files.length} (${bytes(r.bytes)}) in ${storageDir}: ${r.filesWritten} written, ${r.filesPresent} already there; every checksum matches.`,
  ];
  if (r.pendingMigrations.length) {
    lines.push(`  This version has ${r.pendingMigrations.length} migration(s) the backup lacks: a2d2 migrate (or start) applies them.`);
  }
  io.out.write(`${lines.join('\n')}\n`);
}
