/**
 * Schedules outlive a Redis that lost them: a worker re-creates every repeatable schedule it
 * keeps (as after a restart without persistence), on its timer, with no process restart.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { Queues } from '../../services/queues.ts';
import { createLogger } from '../../services/logger.ts';
import { createScheduleKeeper } from '../../services/schedules.ts';
import { TEST_REDIS_URL } from '../helpers/app.ts';
import { dropRedisKeys } from '../helpers/redis-keys.ts';
import { waitFor } from '../helpers/wait.ts';

test('a schedule lost with all of Redis is re-created by the keeper, and its jobs run again', async () => {
  const prefix = `sched-${randomUUID().slice(0, 8)}`;
  const logger = createLogger({ level: 'silent' });
  const queues = new Queues({ redisUrl: TEST_REDIS_URL, prefix, logger });
  let runs = 0;
  queues.register({ name: 'sweep', schema: z.object({ sweep: z.literal(true) }), concurrency: 1, processor: async () => void runs++ });
  const recreated: string[] = [];
  const keeper = createScheduleKeeper({ queues, logger, checkEveryMs: 200, onRecreated: (s) => recreated.push(s.id) });
  try {
    await queues.connect();
    queues.startWorkers();
    await keeper.keep({ queue: 'sweep', id: 'the-sweep', repeat: { every: 300 }, job: { name: 'sweep', data: { sweep: true } } });
    assert.ok(await queues.queue('sweep').getJobScheduler('the-sweep'), 'registered at once');
    await waitFor(async () => runs >= 2, 'the sweep runs on its schedule', 20_000, 50);
    // Redis loses everything (a restart without persistence): schedule, jobs, all.
    await dropRedisKeys(TEST_REDIS_URL, prefix);
    // No check that it is gone here: under load the keeper (every 200 ms) may already have put
    // it back; that it saw it missing is what `recreated` below shows.
    const before = runs;
    await waitFor(async () => Boolean(await queues.queue('sweep').getJobScheduler('the-sweep')), 'the schedule is back', 20_000, 50);
    assert.deepEqual(recreated, ['the-sweep']);
    await waitFor(async () => runs > before + 1, 'the sweep runs again without a restart', 20_000, 50);
    // A check with everything in place changes nothing.
    assert.equal(await keeper.check(), 0);
  } finally {
    keeper.stop();
    await queues.stopWorkers(1_000);
    await queues.close();
    await dropRedisKeys(TEST_REDIS_URL, prefix);
  }
});
