import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { startTestApp, TEST_DATABASE_URL } from '../helpers/app.ts';
import { waitFor, sleep } from '../helpers/wait.ts';
import type { FeatureModule } from '../../core/module.ts';

/** A module whose job takes a while and leaves a row behind (idempotently, by job key). */
function slowModule(ms: number, started: string[], killed = { value: false }): FeatureModule {
  return {
    name: 'slow',
    queues: [
      {
        name: 'test-slow',
        schema: z.object({ key: z.string() }),
        concurrency: 1,
        // Short locks so a job whose process died is recovered quickly in the test.
        workerOptions: { lockDuration: 2000, stalledInterval: 1000 },
        processor: async (job) => {
          started.push(job.data.key);
          await sleep(ms);
          // In a real process the exit ends the job here; in this shared test process we simulate it.
          if (killed.value) throw new Error('process died');
          const { createDb } = await import('../../services/db.ts');
          const db = createDb(TEST_DATABASE_URL, { max: 1 });
          try {
            const exists = await db.auditLog.findFirst({ where: { action: 'test:slow', target: job.data.key } });
            if (!exists) await db.auditLog.create({ data: { platform: 'test', action: 'test:slow', target: job.data.key, outcome: 'ok' } });
          } finally {
            await db.$disconnect();
          }
        },
      },
    ],
  };
}

test('SIGTERM-style stop while a job runs: the job finishes, readiness is off at once', async () => {
  const key = randomUUID();
  const started: string[] = [];
  const t = await startTestApp({ modules: [slowModule(1500, started)] });
  await t.app.deps.queues.add('test-slow', { key }, { jobId: `slow-${key}` });
  await waitFor(() => started.includes(key), 'job start');
  const stopping = t.app.stop();
  assert.equal(t.app.isShuttingDown(), true);
  await stopping;
  const { createDb } = await import('../../services/db.ts');
  const db = createDb(TEST_DATABASE_URL, { max: 1 });
  try {
    assert.equal(await db.auditLog.count({ where: { action: 'test:slow', target: key } }), 1);
  } finally {
    await db.$disconnect();
  }
  await t.stop();
});

test('a job cut off by the shutdown deadline is retried by the next worker, once', async () => {
  const key = randomUUID();
  const prefix = `t-${randomUUID().slice(0, 8)}`;
  const started: string[] = [];
  const killed = { value: false };
  const first = await startTestApp({ modules: [slowModule(4000, started, killed)], queuePrefix: prefix, keepRedis: true, yaml: { shutdown: { graceMs: 200 } } });
  await first.app.deps.queues.add('test-slow', { key }, { jobId: `slow-${key}` });
  await waitFor(() => started.includes(key), 'job start');
  killed.value = true;
  await first.stop();
  const { createDb } = await import('../../services/db.ts');
  const db = createDb(TEST_DATABASE_URL, { max: 1 });
  try {
    const second = await startTestApp({ modules: [slowModule(10, started)], queuePrefix: prefix });
    try {
      // The lock of the interrupted job expires (stall check), then the job runs again here.
      await waitFor(async () => (await db.auditLog.count({ where: { action: 'test:slow', target: key } })) === 1, 'retried job', 90_000, 200);
      await sleep(4500);
      assert.equal(await db.auditLog.count({ where: { action: 'test:slow', target: key } }), 1, 'the result exists exactly once');
    } finally {
      await second.stop();
    }
  } finally {
    await db.$disconnect();
  }
});
