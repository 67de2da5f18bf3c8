/**
 * Acceptance: one Alertmanager group posted 5 times, then resolved -> one chat message,
 * edited in place, edited to resolved, with a resolution note in its thread. Also: the bearer
 * routes refuse requests without the token, and bad payloads get a 4xx with a reason.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { TestApp } from '../helpers/app.ts';
import { amPayload, startAlertmanagerTestApp, type AlertmanagerTestApp } from '../helpers/alert-app.ts';
import { waitFor } from '../helpers/wait.ts';

let am: AlertmanagerTestApp;
let t: TestApp;
let AM_TOKEN = '';
let API_TOKEN = '';
let channel = '';

before(async () => {
  am = await startAlertmanagerTestApp('CAM');
  ({ t, amToken: AM_TOKEN, apiToken: API_TOKEN, channel } = am);
});

after(async () => {
  await am?.stop();
});

const post: AlertmanagerTestApp['post'] = (path, body, headers) => am.post(path, body, headers);
const inChannel = (method: string) => am.inChannel(method);

test('an Alertmanager group posted 5 times and then resolved is one message, edited to resolved', async () => {
  const groupKey = `{}:{alertname="HighErrorRate",run="${randomUUID()}"}`;
  let groupId = '';
  for (let i = 0; i < 5; i++) {
    // Each repeat is a new notification (its own startsAt), not a retry of the last one.
    const r = await post('/webhooks/alertmanager', amPayload(groupKey, 'firing', {}, new Date(Date.UTC(2026, 10, 26, 16, i)).toISOString()));
    assert.equal(r.status, 202, JSON.stringify(r.body));
    groupId = String(r.body.groupId);
  }
  await waitFor(() => inChannel('chat.postMessage')[0], 'the card to be posted');
  // The card reaches a count of 5 by edits, never by new messages.
  await waitFor(
    () => [...inChannel('chat.postMessage'), ...inChannel('chat.update')].some((c) => /Notifications[^]*?5, last/.test(JSON.stringify(c.args))),
    'the card to show 5 notifications',
    20_000,
  );
  const r = await post('/webhooks/alertmanager', amPayload(groupKey, 'resolved'));
  assert.equal(r.status, 202);
  assert.equal(r.body.groupId, groupId);
  const resolvedEdit = await waitFor(() => inChannel('chat.update').find((c) => JSON.stringify(c.args).includes('RESOLVED: HighErrorRate')), 'the card edited to resolved', 20_000);
  const note = await waitFor(() => inChannel('chat.postMessage').find((c) => c.args.thread_ts), 'the resolution note in the thread', 20_000);

  const topLevel = inChannel('chat.postMessage').filter((c) => !c.args.thread_ts);
  assert.equal(topLevel.length, 1, 'exactly one top-level message for the group');
  const cardTs = (await waitFor(() => t.app.deps.db.messageLink.findFirst({ where: { messageKey: `alert:${groupId}`, chatId: channel } }), 'message link')).platformMessageId;
  assert.equal(resolvedEdit.args.ts, cardTs, 'the resolution edits the same message');
  assert.equal(note.args.thread_ts, cardTs, 'the note threads under the card');
  assert.match(JSON.stringify(note.args), /Resolved: HighErrorRate/);

  const db = t.app.deps.db;
  assert.equal(await db.alert.count({ where: { groupId } }), 6, 'every alert is stored');
  const group = await db.alertGroup.findUniqueOrThrow({ where: { id: groupId } });
  assert.equal(group.status, 'resolved');
  assert.equal(group.fireCount, 6);
});

test('bearer routes refuse requests without or with a wrong token', async () => {
  const body = amPayload(`{}:{x="${randomUUID()}"}`, 'firing');
  const none = await post('/webhooks/alertmanager', body, {});
  assert.equal(none.status, 401);
  assert.match(String(none.body.message), /Bearer/);
  assert.equal((await post('/webhooks/alertmanager', body, { authorization: 'Bearer wrong' })).status, 401);
  assert.equal((await post('/webhooks/grafana', body, {})).status, 401);
  const deploy = { service: 'x', version: '1', status: 'success' };
  assert.equal((await post('/webhooks/deploy', deploy, {})).status, 401);
  assert.equal((await post('/webhooks/deploy', deploy, { authorization: `Bearer ${AM_TOKEN}` })).status, 401);
  assert.equal(await t.app.deps.db.alertGroup.count({ where: { groupKey: body.groupKey } }), 0);
});

test('bad payloads get a 4xx with a reason and store nothing', async () => {
  const key = `{}:{bad="${randomUUID()}"}`;
  const wrongVersion = await post('/webhooks/alertmanager', { ...amPayload(key, 'firing'), version: '3' });
  assert.equal(wrongVersion.status, 400);
  assert.match(String(wrongVersion.body.message), /version/);
  const noAlerts = await post('/webhooks/alertmanager', { ...amPayload(key, 'firing'), alerts: [] });
  assert.equal(noAlerts.status, 400);
  const res = await fetch(`${t.url}/webhooks/alertmanager`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${AM_TOKEN}` }, body: '{"version":' });
  assert.equal(res.status, 400);
  const badDeploy = await post('/webhooks/deploy', { service: 'x', version: '1', status: 'done' }, { authorization: `Bearer ${API_TOKEN}` });
  assert.equal(badDeploy.status, 400);
  assert.match(String(badDeploy.body.message), /status/);
  assert.equal(await t.app.deps.db.alertGroup.count({ where: { groupKey: key } }), 0);
});
