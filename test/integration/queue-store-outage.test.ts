/**
 * A job whose store is down waits without using its attempts: a processor that fails with
 * "database unavailable" more times than the job has attempts still completes once the store
 * answers, having used none of them; any other failure still uses attempts and ends failed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { Queues } from '../../services/queues.ts';
import { silentLogger } from '../../services/logger.ts';
import { UnavailableError } from '../../services/errors/unavailable.ts';
import { TEST_REDIS_URL } from '../helpers/app.ts';
import { waitFor } from '../helpers/wait.ts';

test('store outages do not use attempts; other failures do', async () => {
  const queues = new Queues({ redisUrl: TEST_REDIS_URL, prefix: `t-qout-${randomUUID().slice(0, 8)}`, logger: silentLogger() });
  await queues.connect();
  const calls = new Map<string, number>();
  const done: string[] = [];
  queues.register({
    name: 'outage',
    schema: z.object({ kind: z.enum(['down', 'broken']), id: z.string() }),
    processor: async (job) => {
      const n = (calls.get(job.data.id) ?? 0) + 1;
      calls.set(job.data.id, n);
      // Down for four calls (more than the job's two attempts), then the store answers.
      if (job.data.kind === 'down' && n <= 3) throw Object.assign(new Error("Can't reach database server at 127.0.0.1:5432"), { code: 'P1001' });
      if (job.data.kind === 'down' && n === 4) throw new UnavailableError('database');
      if (job.data.kind === 'broken') throw new Error('a bug, not an outage');
      done.push(job.data.id);
    },
  });
  try {
    queues.startWorkers();
    await queues.add('outage', { kind: 'down', id: 'a' }, { jobId: 'a', attempts: 2, backoff: { type: 'fixed', delay: 10 } });
    await queues.add('outage', { kind: 'broken', id: 'b' }, { jobId: 'b', attempts: 2, backoff: { type: 'fixed', delay: 10 } });
    await waitFor(() => done.includes('a'), 'the job to complete once the store answers', 60_000, 50);
    assert.equal(calls.get('a'), 5);
    const a = await queues.queue('outage').getJob('a');
    assert.equal(a?.attemptsMade, 1, 'only the run that completed counts');
    const b = await waitFor(async () => ((await queues.queue('outage').getJob('b'))?.failedReason ? queues.queue('outage').getJob('b') : null), 'the broken job to fail', 20_000, 50);
    assert.equal(b?.attemptsMade, 2);
    assert.equal(calls.get('b'), 2);
  } finally {
    await queues.stopWorkers(1_000);
    await queues.close();
  }
});
