/**
 * A notify job Redis acknowledged and then lost (a Sentinel failover drops writes the old
 * primary had not yet sent to its replica): the group's notify mark is the record, and the
 * recovery sweep queues a mark with no live job long before its grace (here 10 minutes), while
 * a mark whose job is still waiting is left to that job (no second job, one card).
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { JobsOptions } from 'bullmq';
import { amPayload, callText, startAlertmanagerTestApp, type AlertmanagerTestApp } from '../helpers/alert-app.ts';
import { waitFor } from '../helpers/wait.ts';
import { ALERTS_QUEUE } from '../../services/alerts/alert.service.ts';

let am: AlertmanagerTestApp;

before(async () => {
  am = await startAlertmanagerTestApp('CLN', { recovery: { every: '500ms', grace: '10m' } });
});

after(async () => {
  await am?.stop();
});

const cards = (name: string) => am.inChannel('chat.postMessage').filter((c) => callText(c).includes(name) && !c.args.thread_ts);

/** Posts one firing delivery while the queue's batched adds go through `add` instead. */
async function postWith(name: string, add: AlertmanagerTestApp['t']['app']['deps']['queues']['addBatched']) {
  const { queues } = am.t.app.deps;
  const real = queues.addBatched.bind(queues);
  queues.addBatched = add;
  try {
    const r = await am.post('/webhooks/alertmanager', amPayload(`{}:{alertname="${name}",run="${randomUUID()}"}`, 'firing', { alertname: name }));
    assert.equal(r.status, 202, JSON.stringify(r.body));
    return { groupId: String(r.body.groupId) };
  } finally {
    queues.addBatched = real;
  }
}

test('a notify job acknowledged by Redis and then lost is queued by the sweep, not after the 10-minute grace', async () => {
  const { db, metrics } = am.t.app.deps;
  // Redis answered the add, then lost the job: the ingest believes it queued.
  const { groupId } = await postWith('NotifyLost', async () => 'lost-in-failover');
  const group = await db.alertGroup.findUniqueOrThrow({ where: { id: groupId } });
  assert.ok(group.notifyPendingSince, 'the notify mark was stored with the alerts');
  const lastAlert = await db.alert.findFirstOrThrow({ where: { groupId }, orderBy: { id: 'desc' }, select: { id: true } });
  assert.equal(await am.t.app.deps.queues.queue(ALERTS_QUEUE).getJob(`grp-${groupId}-a${lastAlert.id}`), undefined, 'no job in Redis');
  assert.doesNotMatch(await metrics.registry.getSingleMetricAsString('a2d2_alert_notify_not_queued_total'), /total [1-9]/, 'the add did not fail');

  await waitFor(() => cards('NotifyLost').length > 0, 'the sweep to queue the group whose job is gone', 30_000);
  await waitFor(async () => (await db.alertGroup.findUniqueOrThrow({ where: { id: groupId } })).notifyPendingSince === null, 'the mark cleared');
  assert.equal(cards('NotifyLost').length, 1, 'one card');
});

test('a mark whose delivery job is still waiting is left to that job until the grace', async () => {
  const { db, queues, alerts } = am.t.app.deps;
  // The delivery's job is in Redis but not due for ten minutes (a backlog, say).
  const real = queues.addBatched.bind(queues);
  const { groupId } = await postWith('NotifyWaiting', <T,>(name: string, data: T, opts: JobsOptions = {}) => real(name, data, { ...opts, delay: 600_000 }));
  const { notifyPendingSince: mark } = await db.alertGroup.findUniqueOrThrow({ where: { id: groupId } });
  assert.ok(mark);
  const lastAlert = await db.alert.findFirstOrThrow({ where: { groupId }, orderBy: { id: 'desc' }, select: { id: true } });
  const job = await queues.queue(ALERTS_QUEUE).getJob(`grp-${groupId}-a${lastAlert.id}`);
  assert.equal(await job?.getState(), 'delayed', "the delivery's job is waiting");
  // Past the 5 s after which a mark without a live job would be queued again.
  await waitFor(() => Date.now() - mark.getTime() > 6_000, 'the mark to be older than 6 s', 20_000, 200);
  assert.equal(await alerts.recovery.sweep(), 0, 'nothing queued again');
  assert.equal(await queues.queue(ALERTS_QUEUE).getJob(`grp-${groupId}-m${mark.getTime()}`), undefined, 'no job of the sweep for this mark');

  await job!.promote();
  await waitFor(() => cards('NotifyWaiting').length > 0, "the delivery's job to post the card");
  await waitFor(async () => (await db.alertGroup.findUniqueOrThrow({ where: { id: groupId } })).notifyPendingSince === null, 'the mark cleared');
  assert.equal(cards('NotifyWaiting').length, 1, 'one card');
});
