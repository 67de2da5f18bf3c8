/**
 * A private PostgreSQL pair: a primary and a streaming standby, two real clusters of the
 * machine's PostgreSQL (initdb, pg_basebackup -R) on free loopback ports, their files in a
 * temporary directory. `killPrimary` stops the primary at once (immediate shutdown, like a
 * crash); `promote` makes the standby the new primary. Runs the server binaries as the
 * `postgres` user when the tests run as root (initdb refuses root).
 */
import { execFile } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './ports.ts';
import { waitFor } from './wait.ts';

const run = promisify(execFile);

/** The directory of the server binaries (initdb, pg_ctl, pg_basebackup), newest version first. */
function binDir(): string {
  const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
  if (!versions.length) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql');
  return `/usr/lib/postgresql/${versions[0]}/bin`;
}

export interface PgPair {
  primaryPort: number;
  standbyPort: number;
  /** The application's address: both hosts, read-write sessions only. */
  url(database: string): string;
  /** A one-host address of a given port. */
  urlOf(port: number, database: string): string;
  killPrimary(): Promise<void>;
  promote(): Promise<void>;
  /** True while the standby replays WAL (before promotion). */
  standbyInRecovery(): Promise<boolean>;
  close(): Promise<void>;
}

export async function startPgPair(): Promise<PgPair> {
  const bin = binDir();
  const root = userInfo().uid === 0;
  const dir = mkdtempSync(join(tmpdir(), 'a2d2-pgpair-'));
  if (root) chownSync(dir, Number((await run('id', ['-u', 'postgres'])).stdout.trim()), Number((await run('id', ['-g', 'postgres'])).stdout.trim()));
  const as = (cmd: string, args: string[]) => (root ? run('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args]) : run(join(bin, cmd), args));
  const primaryPort = await freePort();
  const standbyPort = await freePort();
  const primary = join(dir, 'primary');
  const standby = join(dir, 'standby');
  const conf = (port: number) =>
    [`port = ${port}`, "listen_addresses = '127.0.0.1'", `unix_socket_directories = '${dir}'`, 'synchronous_commit = on', 'wal_level = replica', 'max_wal_senders = 5', 'hot_standby = on', "shared_buffers = '32MB'", 'max_connections = 60'].join('\n');
  await as('initdb', ['-D', primary, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
  // A commit returns once the standby has it too, so nothing acknowledged is lost when the primary dies.
  writeFileSync(join(primary, 'postgresql.auto.conf'), `${conf(primaryPort)}\nsynchronous_standby_names = '*'\n`);
  if (root) await run('chown', ['postgres:postgres', join(primary, 'postgresql.auto.conf')]);
  await as('pg_ctl', ['-D', primary, '-l', join(dir, 'primary.log'), '-w', 'start']);
  await as('pg_basebackup', ['-h', '127.0.0.1', '-p', String(primaryPort), '-U', 'postgres', '-D', standby, '-R', '-X', 'stream']);
  // The copy carries the primary's settings: the standby listens on its own port, and once
  // promoted it must not wait for a standby of its own.
  const edit = `sed -i -e 's/^port = .*/port = ${standbyPort}/' -e '/^synchronous_standby_names/d' ${join(standby, 'postgresql.auto.conf')}`;
  await (root ? run('runuser', ['-u', 'postgres', '--', 'sh', '-c', edit]) : run('sh', ['-c', edit]));
  await as('pg_ctl', ['-D', standby, '-l', join(dir, 'standby.log'), '-w', 'start']);
  const urlOf = (port: number, database: string) => `postgresql://postgres@127.0.0.1:${port}/${database}`;
  const ask = async <T>(port: number, sql: string): Promise<T> => {
    const c = new pg.Client({ connectionString: urlOf(port, 'postgres'), connectionTimeoutMillis: 2_000 });
    await c.connect();
    try {
      return (await c.query(sql)).rows[0] as T;
    } finally {
      await c.end();
    }
  };
  await waitFor(async () => (await ask<{ r: boolean }>(standbyPort, 'SELECT pg_is_in_recovery() AS r')).r, 'the standby replaying', 20_000, 100);
  return {
    primaryPort,
    standbyPort,
    url: (database) => `postgresql://postgres@127.0.0.1:${primaryPort},127.0.0.1:${standbyPort}/${database}?target_session_attrs=read-write`,
    urlOf,
    async killPrimary() {
      await as('pg_ctl', ['-D', primary, '-m', 'immediate', 'stop']);
    },
    async promote() {
      await as('pg_ctl', ['-D', standby, '-w', 'promote']);
    },
    async standbyInRecovery() {
      return (await ask<{ r: boolean }>(standbyPort, 'SELECT pg_is_in_recovery() AS r')).r;
    },
    async close() {
      for (const d of [primary, standby]) await as('pg_ctl', ['-D', d, '-m', 'immediate', 'stop']).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
