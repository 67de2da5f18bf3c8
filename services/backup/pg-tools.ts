/**
 * pg_dump and pg_restore: finding them, checking their major version against the server's,
 * and running them with the connection from a database URL (the password goes in PGPASSWORD,
 * not on the command line, where `ps` would show it).
 */
import { spawn } from 'node:child_process';
import pg from 'pg';
import { connectClient } from '../db/pg-hosts.ts';
import { LocalizedError, translate, type Locale, type Params } from '../i18n/i18n.ts';

/**
 * A failure the operator can act on, one line from the catalogue (`cli.backup.error.*`); a
 * `reason` (`cli.backup.why.*`) fills its `{why}` in the same language.
 */
export class BackupError extends LocalizedError {
  constructor(
    key: string,
    params: Params = {},
    readonly reason?: { key: string; params?: Params },
  ) {
    super(key, reason ? { ...params, why: translate('en', reason.key, reason.params) } : params);
    this.name = 'BackupError';
  }

  override in(locale: Locale): string {
    const why = this.reason ? { why: translate(locale, this.reason.key, this.reason.params) } : {};
    return translate(locale, this.key, { ...this.params, ...why });
  }
}

export type PgTool = 'pg_dump' | 'pg_restore';

/** Spawns a command and collects its output; `null` when the command is not on the PATH. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string } | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? resolve(null) : reject(err)));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The server's major version (15 for 150020), from `SHOW server_version_num`. */
export async function serverMajor(client: pg.ClientBase): Promise<number> {
  const { rows } = await client.query<{ server_version_num: string }>('SHOW server_version_num');
  return Math.floor(Number(rows[0]!.server_version_num) / 10000);
}

/** Checks that the tool exists and is not older than the server; returns its major version. */
export async function checkTool(tool: PgTool, server: number, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const result = await run(tool, ['--version'], env);
  if (!result) {
    throw new BackupError('cli.backup.error.toolMissingFor', { tool, server });
  }
  const match = /\(PostgreSQL\)\s+(\d+)/.exec(result.stdout);
  if (result.code !== 0 || !match) {
    throw new BackupError('cli.backup.error.toolVersion', { tool, output: (result.stdout + result.stderr).trim().split('\n')[0] ?? '' });
  }
  const major = Number(match[1]);
  if (major < server) {
    throw new BackupError('cli.backup.error.toolOld', { tool, major, server });
  }
  return major;
}

/** libpq connection settings from a postgres URL: the URL without password, and the env. */
export function connectionFor(databaseUrl: string, env: NodeJS.ProcessEnv = process.env): { dbname: string; env: NodeJS.ProcessEnv } {
  // libpq reads several hosts and target_session_attrs itself; the URL class reads one host.
  const hosts = /^postgres(?:ql)?:\/\/(?:[^@/]*@)?([^/?]*)/.exec(databaseUrl)?.[1] ?? '';
  const url = new URL(databaseUrl.replace(hosts, hosts.split(',')[0] ?? ''));
  const password = decodeURIComponent(url.password);
  url.password = '';
  // Prisma's own parameters mean nothing to libpq, which refuses unknown ones.
  for (const key of ['schema', 'connection_limit', 'pool_timeout', 'pgbouncer']) url.searchParams.delete(key);
  const first = url.toString();
  const firstHost = /^postgres(?:ql)?:\/\/(?:[^@/]*@)?([^/?]*)/.exec(first)?.[1] ?? '';
  return { dbname: first.replace(firstHost, hosts), env: password ? { ...env, PGPASSWORD: password } : env };
}

/** Runs pg_dump or pg_restore; a non-zero exit is a BackupError with the tool's first error line. */
export async function runTool(tool: PgTool, args: string[], databaseUrl: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const conn = connectionFor(databaseUrl, env);
  const result = await run(tool, [...args, `--dbname=${conn.dbname}`], conn.env);
  if (!result) throw new BackupError('cli.backup.error.toolMissing', { tool });
  if (result.code !== 0) {
    const line = result.stderr.trim().split('\n').find((l) => /error/i.test(l)) ?? result.stderr.trim().split('\n')[0] ?? '';
    throw new BackupError('cli.backup.error.toolFailed', { tool, code: result.code, line: line.replace(/^\S+:\s*/, '') });
  }
}

/** Opens a client, runs `fn`, always closes it. */
export async function withPg<T>(databaseUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = await connectClient(databaseUrl);
  client.on('error', () => {});
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}
