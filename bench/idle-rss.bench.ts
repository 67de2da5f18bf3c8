/**
 * Idle memory of `a2d2 start` per role, against a bare process that only loads Fastify and a
 * BullMQ worker (the baseline). Prints RSS and heap after start and a settling pause.
 *   node --import tsx bench/idle-rss.bench.ts
 */
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';

const here = new URL(import.meta.url).pathname;

async function child(mode: string): Promise<void> {
  if (mode === 'baseline') {
    const { default: Fastify } = await import('fastify');
    const { Worker, Queue } = await import('bullmq');
    const app = Fastify();
    app.get('/healthz', async () => ({ ok: true }));
    await app.listen({ port: 0 });
    const q = new Queue('idle', { connection: { host: '127.0.0.1', port: 6379 }, prefix: `idle-${randomUUID().slice(0, 6)}` });
    const w = new Worker('idle', async () => undefined, { connection: { host: '127.0.0.1', port: 6379, maxRetriesPerRequest: null }, prefix: q.opts.prefix! });
    void w;
  } else {
    const { loadConfig } = await import('../services/config.ts');
    const { createApp } = await import('../bot/app.ts');
    const { createLogger } = await import('../services/logger.ts');
    const config = loadConfig({ ...process.env, PORT: '0', A2D2_QUEUE_PREFIX: `idle-${randomUUID().slice(0, 6)}`, LOG_LEVEL: 'error' });
    const app = await createApp({ config, role: mode as 'all' | 'http' | 'worker', logger: createLogger({ level: 'error' }) });
    await app.start();
  }
  await new Promise((r) => setTimeout(r, 3000));
  globalThis.gc?.();
  const m = process.memoryUsage();
  process.send?.({ rss: m.rss, heap: m.heapUsed });
  setTimeout(() => process.exit(0), 100);
}

async function main(): Promise<void> {
  if (process.argv[2]) return child(process.argv[2]);
  const out: Record<string, { rssMiB: number; heapMiB: number }> = {};
  for (const mode of ['baseline', 'all', 'http', 'worker']) {
    const c = fork(here, [mode], { execArgv: ['--import', 'tsx', '--expose-gc'], env: { ...process.env, DATABASE_URL: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/a2d2_test' } });
    const m = await new Promise<{ rss: number; heap: number }>((r) => c.once('message', r as never));
    out[mode] = { rssMiB: +(m.rss / 1048576).toFixed(1), heapMiB: +(m.heap / 1048576).toFixed(1) };
    await new Promise((r) => c.once('exit', r));
  }
  console.table(out);
  for (const mode of ['all', 'http', 'worker']) console.log(`${mode}: ${(out[mode]!.rssMiB / out.baseline!.rssMiB).toFixed(2)}x baseline RSS`);
}

await main();
