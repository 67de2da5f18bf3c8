/**
 * `a2d2 backup --out FILE` and `a2d2 restore FILE [--force]`: services/backup does the work;
 * this file reads the arguments and words the result for the operator.
 */
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import type { AppConfig } from '../services/config.ts';
import { createBackup } from '../services/backup/backup.ts';
import { restoreBackup } from '../services/backup/restore.ts';
import { LocalizedError, translator, type Locale, type Translate } from '../services/i18n/i18n.ts';

export interface BackupCliIo {
  out: Writable;
  err: Writable;
  env?: NodeJS.ProcessEnv;
  /** The operator's language (the YAML's defaultLocale); English when absent. */
  lang?: Locale;
}

/** The documents storage directory, as bot/container.ts configures it. */
export function storageDirOf(config: AppConfig): string {
  return join(config.env.A2D2_DATA_DIR, 'documents');
}

function bytes(n: number, t: Translate): string {
  if (n < 1024) return t('cli.size.b', { n });
  if (n < 1024 * 1024) return t('cli.size.kib', { n: (n / 1024).toFixed(1) });
  if (n < 1024 ** 3) return t('cli.size.mib', { n: (n / 1024 / 1024).toFixed(1) });
  return t('cli.size.gib', { n: (n / 1024 ** 3).toFixed(2) });
}

/** `a2d2 backup --out FILE`. */
export async function backupCommand(args: string[], config: AppConfig, io: BackupCliIo): Promise<void> {
  const i = args.findIndex((a) => a === '--out' || a.startsWith('--out='));
  const out = i < 0 ? undefined : args[i]!.includes('=') ? args[i]!.slice('--out='.length) : args[i + 1];
  const extra = args.filter((_, j) => j !== i && !(j === i + 1 && !args[i]!.includes('=')));
  if (!out || extra.length) throw extra.length ? new LocalizedError('cli.backup.usageUnknown', { arg: extra[0] }) : new LocalizedError('cli.backup.usage');
  const t = translator(io.lang ?? 'en');
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
  const lines = [
    t('cli.backup.written', { file: out, size: bytes(archiveBytes, t) }),
    t('cli.backup.database', { database: manifest.database, tables, rows, migrations: manifest.migrations.length, version: manifest.serverVersion }),
    t('cli.backup.files', { files: manifest.files.length, size: bytes(fileBytes, t), dir: storageDirOf(config) }),
  ];
  io.out.write(`${lines.join('\n')}\n`);
}

/** `a2d2 restore FILE [--force]`. */
export async function restoreCommand(args: string[], config: AppConfig, io: BackupCliIo): Promise<void> {
  const force = args.includes('--force');
  const rest = args.filter((a) => a !== '--force');
  const unknown = rest.find((a) => a.startsWith('--'));
  if (rest.length !== 1 || unknown) throw unknown ? new LocalizedError('cli.restore.usageUnknown', { option: unknown }) : new LocalizedError('cli.restore.usage');
  const t = translator(io.lang ?? 'en');
  const storageDir = storageDirOf(config);
  const r = await restoreBackup({
    file: rest[0]!,
    databaseUrl: config.env.DATABASE_URL,
    storageDir,
    force,
    warn: (key, params) => io.err.write(`${t(key, params)}\n`),
    ...(io.env ? { env: io.env } : {}),
  });
  const done = { file: rest[0], version: r.manifest.a2d2Version, made: r.manifest.createdAt, database: r.database };
  const lines = [
    t(r.createdDatabase ? 'cli.restore.doneCreated' : 'cli.restore.done', done),
    t('cli.restore.database', { tables: r.tables, rows: r.rows, migrations: r.manifest.migrations.length }),
    t('cli.restore.files', { files: r.manifest.files.length, size: bytes(r.bytes, t), dir: storageDir, written: r.filesWritten, present: r.filesPresent }),
  ];
  if (r.pendingMigrations.length) lines.push(t('cli.restore.pending', { pending: r.pendingMigrations.length }));
  io.out.write(`${lines.join('\n')}\n`);
}
