/**
 * The recovery sweep: a row stored while Redis refused its enqueue (so it has no job) is
 * delivered by the sweep to the fake Slack Web API, once; so is a row whose job was removed
 * from the queue; and the sweep's schedule is registered again when Redis lost it.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createDb, type Db } from '../../services/db.ts';
import { silentLogger } from '../../services/logger.ts';
import { createMetrics, type Metrics } from '../../services/metrics.ts';
import { Queues } from '../../services/queues.ts';
import { OUTBOUND_QUEUE, createOutbound, outboundJobId } from '../../services/messaging/outbound.service.ts';
import { createOutboundQueue, createOutboundRecoveryQueue, outboundQueueJobSchema, sweepSchedule } from '../../bot/outbound/sender.processor.ts';
import { createScheduleKeeper, type ScheduleKeeper } from '../../services/schedules.ts';
import { OUTBOUND_RECOVERY_QUEUE, OUTBOUND_SWEEP_SCHEDULER } from '../../bot/outbound/recovery.ts';
import { createSlackSender } from '../../bot/adapters/slack/slack.sender.ts';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack.ts';
import { waitFor } from '../helpers/wait.ts';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from '../helpers/app.ts';
import { dropRedisKeys } from '../helpers/redis-keys.ts';

let db: Db;
let slack: FakeSlack;
let queues: Queues;
let metrics: Metrics;
let recovery: ScheduleKeeper;
const prefix = `t-outr-${randomUUID().slice(0, 8)}`;

before(async () => {
  db = createDb(TEST_DATABASE_URL, { max: 5 });
  slack = await startFakeSlack();
  queues = new Queues({ redisUrl: TEST_REDIS_URL, prefix, logger: silentLogger() });
  await queues.connect();
  metrics = createMetrics({ defaults: false });
  const senders = { slack: createSlackSender({ token: slack.token, apiUrl: slack.apiUrl, retries: 0 }) };
  const deps = { db, logger: silentLogger(), metrics, senders, redis: queues.producer };
  queues.register(createOutboundQueue(deps));
  queues.register(createOutboundRecoveryQueue(deps));
  queues.startWorkers();
  recovery = createScheduleKeeper({ queues, logger: silentLogger(), checkEveryMs: 300 });
  await recovery.keep(sweepSchedule(300, { graceMs: 500, giveUpMs: 3600_000 }));
});

after(async () => {
  recovery.stop();
  await queues.close();
  await dropRedisKeys(TEST_REDIS_URL, prefix);
  await slack.close();
  await db.$disconnect();
});

const posts = (text: string) => slack.callsTo('chat.postMessage').filter((c) => c.args.text === text);

async function waitSent(id: string) {
  return waitFor(async () => (await db.outboundMessage.findUnique({ where: { id } }))?.status === 'sent', `outbound ${id} sent`);
}

test('a row stored while Redis refused the enqueue is delivered by the sweep, once', async () => {
  // Nothing listens on port 1: every enqueue of this port fails after the row is written.
  const refused = new Queues({ redisUrl: 'redis://127.0.0.1:1', prefix, logger: silentLogger() });
  refused.register({ name: OUTBOUND_QUEUE, schema: outboundQueueJobSchema });
  const portMetrics = createMetrics({ defaults: false });
  const port = createOutbound({ db, queues: refused, logger: silentLogger(), metrics: portMetrics });
  try {
    const text = `refused-${randomUUID()}`;
    const id = await port.send({ ref: { platform: 'slack', chatId: 'CREFUSED' }, reply: { text } });
    assert.ok(id, 'the caller gets the stored row id, not an error');
    const { values } = await portMetrics.outboundMessages.get();
    assert.equal(values.find((v) => v.labels.outcome === 'enqueue_failed')?.value, 1);
    await waitSent(id);
    // Another sweep or two must not send it again.
    await waitFor(async () => (await queues.queue(OUTBOUND_QUEUE).getJobState(outboundJobId(id))) === 'completed', 'the recovered job completed');
    const q = queues.queue(OUTBOUND_RECOVERY_QUEUE);
    const nextRun = async () => Number((await q.getJobScheduler(OUTBOUND_SWEEP_SCHEDULER))?.next ?? 0);
    const first = await nextRun();
    await waitFor(async () => (await nextRun()) > first, 'one more sweep');
    const second = await nextRun();
    await waitFor(async () => (await nextRun()) > second, 'another sweep');
    assert.equal(posts(text).length, 1);
  } finally {
    await refused.close();
  }
});

test('a row whose job was deleted from the queue is delivered by the sweep, once', async () => {
  const port = createOutbound({ db, queues });
  const text = `deleted-${randomUUID()}`;
  // Blocked first so its job is still waiting when it is removed.
  await queues.queue(OUTBOUND_QUEUE).pause();
  const id = await port.send({ ref: { platform: 'slack', chatId: 'CDELETED' }, reply: { text } });
  await (await queues.queue(OUTBOUND_QUEUE).getJob(outboundJobId(id)))!.remove();
  await queues.queue(OUTBOUND_QUEUE).resume();
  await waitSent(id);
  assert.equal(posts(text).length, 1);
});

test('the sweep schedule comes back when Redis lost it', async () => {
  const q = queues.queue(OUTBOUND_RECOVERY_QUEUE);
  await waitFor(() => q.getJobScheduler(OUTBOUND_SWEEP_SCHEDULER), 'the schedule');
  await q.removeJobScheduler(OUTBOUND_SWEEP_SCHEDULER);
  await waitFor(() => q.getJobScheduler(OUTBOUND_SWEEP_SCHEDULER), 'the schedule registered again');
});
