/**
 * Faults around the notify queue: a delivery is answered by what was stored, never 503 once
 * stored; a notify job that could not be queued is queued by the recovery sweep (a job
 * scheduler that comes back when Redis lost it); a sender's retry of the same delivery is not
 * a new notification.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { amPayload, callText, startAlertmanagerTestApp, type AlertmanagerTestApp } from '../helpers/alert-app.ts';
import { waitFor } from '../helpers/wait.ts';
import { ALERTS_RECOVERY_QUEUE } from '../../services/alerts/alert.service.ts';

let am: AlertmanagerTestApp;

before(async () => {
  am = await startAlertmanagerTestApp('COB', { recovery: { every: '500ms', grace: '1s' } });
});

after(async () => {
  await am?.stop();
});

test('a delivery stored while the notify queue fails is answered 202, counted, and shown by the recovery sweep', async () => {
  const { db, queues, metrics } = am.t.app.deps;
  const groupKey = `{}:{alertname="OutboxLost",run="${randomUUID()}"}`;
  const real = queues.addBatched.bind(queues);
  // Redis refuses the notify job (the producer fails fast while Redis is down); Postgres still stores.
  queues.addBatched = async () => {
    throw new Error('Connection is closed.');
  };
  let r: Awaited<ReturnType<AlertmanagerTestApp['post']>>;
  try {
    r = await am.post('/webhooks/alertmanager', amPayload(groupKey, 'firing', { alertname: 'OutboxLost' }));
  } finally {
    queues.addBatched = real;
  }
  assert.equal(r.status, 202, `stored, so never 503: ${JSON.stringify(r.body)}`);
  const groupId = String(r.body.groupId);
  const group = await db.alertGroup.findUniqueOrThrow({ where: { id: groupId } });
  assert.ok(group.notifyPendingSince, 'the notify mark was written with the alerts');
  const counted = await metrics.registry.getSingleMetricAsString('a2d2_alert_notify_not_queued_total');
  assert.match(counted, /a2d2_alert_notify_not_queued_total 1/);

  await waitFor(() => am.inChannel('chat.postMessage').find((c) => callText(c).includes('OutboxLost')), 'the sweep to show the stranded group', 30_000);
  await waitFor(async () => (await db.alertGroup.findUniqueOrThrow({ where: { id: groupId } })).notifyPendingSince === null, 'the mark cleared');
  assert.equal(am.inChannel('chat.postMessage').filter((c) => callText(c).includes('OutboxLost') && !c.args.thread_ts).length, 1, 'one card');
});

test('the recovery sweep scheduler is registered again when Redis lost it', async () => {
  const q = am.t.app.deps.queues.queue(ALERTS_RECOVERY_QUEUE);
  const [scheduler] = await waitFor(async () => {
    const list = await q.getJobSchedulers();
    return list.length ? list : null;
  }, 'the sweep scheduler');
  assert.ok(scheduler);
  await q.removeJobScheduler(String(scheduler.key));
  assert.equal((await q.getJobSchedulers()).length, 0);
  await waitFor(async () => (await q.getJobSchedulers()).length === 1, 'the sweep scheduler registered again', 20_000);
});

test('a retried identical delivery is not a new notification (one Alert row, fireCount 1)', async () => {
  const { db } = am.t.app.deps;
  const groupKey = `{}:{alertname="Retried",run="${randomUUID()}"}`;
  const body = amPayload(groupKey, 'firing', { alertname: 'Retried' });
  const first = await am.post('/webhooks/alertmanager', body);
  const retry = await am.post('/webhooks/alertmanager', body);
  assert.equal(first.status, 202);
  assert.equal(retry.status, 202);
  assert.equal(retry.body.groupId, first.body.groupId);
  assert.equal(retry.body.duplicate, true);
  const groupId = String(first.body.groupId);
  assert.equal(await db.alert.count({ where: { groupId } }), 1);
  assert.equal((await db.alertGroup.findUniqueOrThrow({ where: { id: groupId } })).fireCount, 1);

  // A real change (here: the alert resolved) is a new notification again.
  const resolved = await am.post('/webhooks/alertmanager', amPayload(groupKey, 'resolved', { alertname: 'Retried' }));
  assert.equal(resolved.body.duplicate, undefined);
  assert.equal((await db.alertGroup.findUniqueOrThrow({ where: { id: groupId } })).fireCount, 2);
});
