/**
 * A private `redis-server` on a free loopback port, for scenarios that kill Redis itself
 * (kill -9) and start it again on the same port, as a crashed and restarted server would be.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.ts';
import { waitFor } from './wait.ts';

export interface PrivateRedis {
  port: number;
  url: string;
  /** Where the server keeps its files (AOF, RDB). */
  dir: string;
  /** SIGKILL: no shutdown save, no AOF rewrite; what was not on disk is gone. */
  kill9(): Promise<void>;
  /** Starts the server again on the same port and directory, with the same settings. */
  start(): Promise<void>;
  close(): Promise<void>;
}

/** Whether a Redis server (or sentinel) answers PING on the port. */
export const answersPing = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('error', () => resolve(false));
    s.once('connect', () => s.write('PING\r\n'));
    s.once('data', (d) => {
      resolve(d.toString().startsWith('+PONG'));
      s.destroy();
    });
  });

/** `args` are redis-server options, e.g. ['--appendonly', 'yes', '--appendfsync', 'everysec']. */
export async function startPrivateRedis(args: string[]): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'a2d2-redis-'));
  let child: ChildProcess | null = null;
  const r: PrivateRedis = {
    port,
    url: `redis://127.0.0.1:${port}`,
    dir,
    async kill9() {
      const c = child;
      if (!c || c.exitCode !== null) return;
      const gone = new Promise((res) => c.once('exit', res));
      c.kill('SIGKILL');
      await gone;
      child = null;
    },
    async start() {
      child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', ...args], { stdio: 'ignore' });
      await waitFor(() => answersPing(port), `redis-server on ${port}`, 20_000, 50);
    },
    async close() {
      await r.kill9();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await r.start();
  return r;
}
