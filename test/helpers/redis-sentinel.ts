/**
 * A private Redis that fails over: a primary, one replica and three sentinels (quorum 2), each
 * a real process on a free loopback port with its files in a temporary directory. `killPrimary`
 * SIGKILLs the current primary; the sentinels promote the replica within a few seconds.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRedis } from '../../services/redis.ts';
import { freePort } from './ports.ts';
import { answersPing } from './redis-server.ts';
import { waitFor } from './wait.ts';

export interface SentinelSet {
  /** The name the sentinels monitor. */
  name: string;
  /** `host:port,host:port,...` as REDIS_SENTINELS takes it. */
  sentinels: string;
  primaryPort: number;
  replicaPort: number;
  /** The port the sentinels name as primary now. */
  currentPrimary(): Promise<number>;
  killPrimary(): Promise<void>;
  close(): Promise<void>;
}

async function ask(port: number, ...args: string[]): Promise<unknown> {
  const r = createRedis({ url: `redis://127.0.0.1:${port}` }, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await r.connect();
    return await r.call(args[0]!, ...args.slice(1));
  } finally {
    r.disconnect();
  }
}

export async function startSentinelSet(name = 'a2d2'): Promise<SentinelSet> {
  const dir = mkdtempSync(join(tmpdir(), 'a2d2-sentinel-'));
  const children = new Map<number, ChildProcess>();
  const server = async (port: number, args: string[]) => {
    const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--dbfilename', `dump-${port}.rdb`, '--save', '', '--appendonly', 'no', ...args], { stdio: 'ignore' });
    children.set(port, child);
    await waitFor(() => answersPing(port), `redis on ${port}`, 20_000, 50);
  };
  const primaryPort = await freePort();
  const replicaPort = await freePort();
  await server(primaryPort, []);
  await server(replicaPort, ['--replicaof', '127.0.0.1', String(primaryPort)]);
  await waitFor(async () => String(await ask(replicaPort, 'INFO', 'replication')).includes('master_link_status:up'), 'replica in sync', 20_000, 100);
  const sentinelPorts: number[] = [];
  for (let i = 0; i < 3; i++) {
    const port = await freePort();
    const conf = join(dir, `sentinel-${port}.conf`);
    writeFileSync(
      conf,
      [
        `port ${port}`,
        'bind 127.0.0.1',
        `dir ${dir}`,
        `sentinel monitor ${name} 127.0.0.1 ${primaryPort} 2`,
        `sentinel down-after-milliseconds ${name} 1000`,
        `sentinel failover-timeout ${name} 10000`,
        `sentinel parallel-syncs ${name} 1`,
        '',
      ].join('\n'),
    );
    const child = spawn('redis-server', [conf, '--sentinel'], { stdio: 'ignore' });
    children.set(port, child);
    sentinelPorts.push(port);
    await waitFor(() => answersPing(port), `sentinel on ${port}`, 20_000, 50);
  }
  // Every sentinel knows the replica and the other sentinels before anything is killed.
  await waitFor(async () => {
    for (const p of sentinelPorts) {
      const info = (await ask(p, 'SENTINEL', 'MASTER', name)) as string[];
      const field = (k: string) => Number(info[info.indexOf(k) + 1]);
      if (field('num-slaves') < 1 || field('num-other-sentinels') < 2) return false;
    }
    return true;
  }, 'sentinels to see each other and the replica', 30_000, 200);

  const set: SentinelSet = {
    name,
    sentinels: sentinelPorts.map((p) => `127.0.0.1:${p}`).join(','),
    primaryPort,
    replicaPort,
    async currentPrimary() {
      const [, port] = (await ask(sentinelPorts[0]!, 'SENTINEL', 'GET-MASTER-ADDR-BY-NAME', name)) as [string, string];
      return Number(port);
    },
    async killPrimary() {
      const port = await set.currentPrimary();
      const child = children.get(port);
      if (!child || child.exitCode !== null) return;
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await gone;
    },
    async close() {
      for (const c of children.values()) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return set;
}
