/**
 * Process engine throughput: runs per minute of a 5-step process (every step a no-op branch,
 * so only the engine is measured: Postgres rows, locks, job hand-offs, progress rendering)
 * against a bare BullMQ flow of 5 no-op jobs (FlowProducer, each job the child of the next),
 * same machine, same Redis, same run. Prints both rates and their ratio. A run counts when its
 * row says succeeded; every step has its own row either way. Branches are pure steps, so the
 * engine evaluates them inline (one job records the chain), which is what this measures.
 *
 *   node --import tsx bench/processes.bench.ts [--runs 200] [--concurrency 20]
 *
 * Uses the test database (DATABASE_URL, default a2d2_test) and a fresh Redis prefix.
 */
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { FlowProducer, Worker, QueueEvents, type FlowJob } from 'bullmq';
import { createRedis } from '../services/redis.ts';
import { startTestApp, TEST_REDIS_URL } from '../test/helpers/app.ts';
import { definitionsDir } from '../test/integration/process-helpers.ts';
import type { Engine } from '../services/processes/engine.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '200' }, concurrency: { type: 'string', default: '20' } } });
const RUNS = Number(values.runs);
const CONCURRENCY = Number(values.concurrency);

const noop = (id: string) => `  - { id: ${id}, kind: branch, cases: [{ if: "inputs.n < 0", goto: end }] }`;
const dir = definitionsDir({
  'bench.yaml': `name: bench-five
inputs:
  n: { type: number, default: 1 }
steps:
${['s1', 's2', 's3', 's4', 's5'].map(noop).join('\n')}
`,
});

async function a2d2(): Promise<number> {
  const t = await startTestApp({
    yaml: { processes: { folder: dir, includeShipped: false, queue: { concurrency: CONCURRENCY } } } as never,
    env: { LOG_LEVEL: 'warn' },
  });
  try {
    const engine = (t.app.modules.find((m) => m.name === 'processes') as unknown as { engine: Engine }).engine;
    const db = t.app.deps.db;
    // Warm-up: one run end to end.
    const warm = await engine.start({ process: 'bench-five', inputs: {}, trigger: 'api' });
    while ((await db.processRun.findUnique({ where: { id: warm.run.id } }))!.status === 'running') await new Promise((r) => setTimeout(r, 20));
    const started = Date.now();
    const ids: number[] = [];
    for (let i = 0; i < RUNS; i++) ids.push((await engine.start({ process: 'bench-five', inputs: {}, trigger: 'api' })).run.id);
    for (;;) {
      const open = await db.processRun.count({ where: { id: { in: ids }, status: 'running' } });
      if (open === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const ms = Date.now() - started;
    const failed = await db.processRun.count({ where: { id: { in: ids }, status: { not: 'succeeded' } } });
    if (failed) throw new Error(`${failed} bench runs did not succeed`);
    return (RUNS / ms) * 60_000;
  } finally {
    await t.stop();
  }
}

async function bareFlow(): Promise<number> {
  const prefix = `bench-${randomUUID().slice(0, 8)}`;
  const queue = 'flow-noop';
  const conn = () => createRedis({ url: TEST_REDIS_URL }, { maxRetriesPerRequest: null });
  const connections = [conn(), conn(), conn()];
  const worker = new Worker(queue, async () => 'ok', { connection: connections[0]!, prefix, concurrency: CONCURRENCY });
  const events = new QueueEvents(queue, { connection: connections[1]!, prefix });
  const flows = new FlowProducer({ connection: connections[2]!, prefix });
  await events.waitUntilReady();
  const chain = (i: number): FlowJob => {
    let job: FlowJob = { name: 's1', queueName: queue, data: { i } };
    for (const s of ['s2', 's3', 's4', 's5']) job = { name: s, queueName: queue, data: { i }, children: [job] };
    return job;
  };
  try {
    const top = new Set<string>();
    let done = 0;
    const all = new Promise<void>((resolve) =>
      events.on('completed', ({ jobId }) => {
        if (top.has(jobId) && ++done === RUNS) resolve();
      }),
    );
    const started = Date.now();
    for (let i = 0; i < RUNS; i++) top.add((await flows.add(chain(i))).job.id!);
    await all;
    return (RUNS / (Date.now() - started)) * 60_000;
  } finally {
    await worker.close();
    await events.close();
    await flows.close();
    const r = conn();
    const keys = await r.keys(`${prefix}:*`);
    if (keys.length) await r.del(...keys);
    await r.quit();
    for (const c of connections) c.disconnect();
  }
}

const bare = await bareFlow();
const ours = await a2d2();
console.log(`5-step runs, ${RUNS} runs, concurrency ${CONCURRENCY}`);
console.log(`  bare BullMQ flow (5 no-op jobs): ${bare.toFixed(0)} runs/min`);
console.log(`  a2d2 process (5 no-op steps):    ${ours.toFixed(0)} runs/min`);
console.log(`  ratio a2d2 / bare: ${(ours / bare).toFixed(3)}`);
process.exit(0);
