/**
 * Idle memory of the compiled `a2d2 start` (dist/main.js, built first when stale, started the way
 * the service is: NODE_FLAGS and SERVICE_ENV of scripts/dist.mjs) per role, against a bare
 * plain-Node process that only loads Fastify and a BullMQ worker (the baseline).
 * Each process is measured a few seconds after start, after a full GC, from inside (RSS and
 * heap), in the same run.
 *   npm run bench -- idle-rss [--runs N]     (default 3 runs; prints each and the median)
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { ensureBuilt, NODE_FLAGS, SERVICE_ENV } from '../scripts/dist.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const SETTLE_MS = 3000;
const MODES = ['baseline', 'all', 'http', 'worker'] as const;
type Mode = (typeof MODES)[number];
interface Sample {
  rss: number;
  heap: number;
}

// Preloaded into every measured process: on the parent's 'measure' message, collect garbage
// and answer with the process's own figures. Plain JavaScript, so no loader is involved.
const PROBE = `process.on('message', (m) => {
  if (m !== 'measure') return;
  globalThis.gc();
  const { rss, heapUsed } = process.memoryUsage();
  process.send({ rss, heap: heapUsed });
});`;
const probeUrl = `data:text/javascript,${encodeURIComponent(PROBE)}`;

// The baseline is plain JavaScript too: the app runs without tsx, so must its yardstick.
const BASELINE = `import Fastify from 'fastify';
import { Worker, Queue } from 'bullmq';
const prefix = process.env.BENCH_PREFIX;
const app = Fastify();
app.get('/healthz', async () => ({ ok: true }));
await app.listen({ port: 0 });
const q = new Queue('idle', { connection: { host: '127.0.0.1', port: 6379 }, prefix });
const w = new Worker('idle', async () => undefined, { connection: { host: '127.0.0.1', port: 6379, maxRetriesPerRequest: null }, prefix });
await w.waitUntilReady();
console.log('a2d2 started');`;

function launch(mode: Mode): ChildProcess {
  const prefix = `idle-${randomUUID().slice(0, 6)}`;
  // The service's own node flags and environment for the app; the baseline runs on node's defaults.
  const app = mode !== 'baseline';
  const execArgv = ['--expose-gc', '--import', probeUrl, ...(app ? NODE_FLAGS : [])];
  const env = {
    ...process.env,
    DATABASE_URL: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/a2d2_test',
    PORT: '0',
    LOG_LEVEL: 'info',
    A2D2_QUEUE_PREFIX: prefix,
    BENCH_PREFIX: prefix,
    ...(app ? SERVICE_ENV : {}),
  };
  if (mode === 'baseline') {
    return spawn(process.execPath, [...execArgv, '--input-type=module', '-e', BASELINE], { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  }
  return fork(`${root}dist/main.js`, ['start', '--role', mode], { cwd: root, env, execArgv, silent: true });
}

async function measure(mode: Mode): Promise<Sample> {
  const child = launch(mode);
  const exited = new Promise((r) => child.once('exit', r));
  try {
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('a2d2 started')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`${mode} exited (${code}) before starting:\n${out.slice(-2000)}`)));
    });
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    const sample = new Promise<Sample>((r) => child.once('message', r as never));
    child.send('measure');
    return await sample;
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mib = (n: number) => +(n / 1048576).toFixed(1);

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
  const runs = Math.max(1, Number(values.runs));
  ensureBuilt({ log: (line) => console.log(line) });
  const samples: Record<Mode, Sample[]> = { baseline: [], all: [], http: [], worker: [] };
  for (let run = 1; run <= runs; run++) {
    const row: Record<string, { rssMiB: number; heapMiB: number }> = {};
    for (const mode of MODES) {
      const s = await measure(mode);
      samples[mode].push(s);
      row[mode] = { rssMiB: mib(s.rss), heapMiB: mib(s.heap) };
    }
    console.log(`run ${run}`);
    console.table(row);
  }
  const med: Record<string, { rssMiB: number; heapMiB: number; xBaseline: number }> = {};
  const base = median(samples.baseline.map((s) => s.rss));
  for (const mode of MODES) {
    const rss = median(samples[mode].map((s) => s.rss));
    med[mode] = { rssMiB: mib(rss), heapMiB: mib(median(samples[mode].map((s) => s.heap))), xBaseline: +(rss / base).toFixed(2) };
  }
  console.log(`median of ${runs} run(s)`);
  console.table(med);
}

await main();
