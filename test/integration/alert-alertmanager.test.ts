/**
 * Acceptance: one Alertmanager group posted 5 times, then resolved -> one chat message,
 * edited in place, edited to resolved, with a resolution note in its thread. Also: the bearer
 * routes refuse requests without the token, and bad payloads get a 4xx with a reason.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack.ts';
import { waitFor } from '../helpers/wait.ts';

const AM_TOKEN = `am-${randomUUID()}`;
const API_TOKEN = `api-${randomUUID()}`;
const channel = `CAM${randomUUID().slice(0, 8).toUpperCase()}`;
const amFixture = JSON.parse(readFileSync(new URL('../fixtures/alerts/alertmanager-v4.json', import.meta.url), 'utf8')) as Record<string, unknown>;

/** UTC clock time `minutes` from now, as HH:MM. */
function hhmm(minutes: number): string {
  return new Date(Date.now() + minutes * 60_000).toISOString().slice(11, 16);
}

let slack: FakeSlack;
let t: TestApp;

before(async () => {
  slack = await startFakeSlack();
  t = await startTestApp({
    env: {
      SLACK_SIGNING_SECRET: 'slack-signing-secret-test',
      SLACK_BOT_TOKEN: slack.token,
      SLACK_API_URL: slack.apiUrl,
      ALERTMANAGER_TOKEN: AM_TOKEN,
      A2D2_API_TOKEN: API_TOKEN,
    },
    yaml: {
      alerts: {
        routes: [
          { match: { service: 'checkout-am' }, destinations: [`slack:${channel}`] },
          { match: { source: 'grafana' }, destinations: [`slack:${channel}`] },
          { match: { service: 'quiet-am' }, destinations: [`slack:${channel}`], quietHours: { start: hhmm(-60), end: hhmm(60), timezone: 'UTC', allow: ['critical'] } },
        ],
        flapping: { changes: 4, windowMinutes: 30 },
      },
    } as never,
  });
});

after(async () => {
  await t?.stop();
  await slack?.close();
});

function amPayload(groupKey: string, status: 'firing' | 'resolved', over: Record<string, string> = {}) {
  const labels = { alertname: 'HighErrorRate', service: 'checkout-am', severity: 'critical', environment: 'production', ...over };
  return {
    ...amFixture,
    groupKey,
    status,
    commonLabels: labels,
    alerts: [{ ...(amFixture.alerts as object[])[0], status, labels: { ...labels, instance: 'checkout-1:8080' }, ...(status === 'resolved' ? { endsAt: new Date().toISOString() } : {}) }],
  };
}

async function post(path: string, body: unknown, headers: Record<string, string> = { authorization: `Bearer ${AM_TOKEN}` }) {
  const res = await fetch(`${t.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const inChannel = (method: string) => slack.callsTo(method).filter((c) => c.args.channel === channel);

test('an Alertmanager group posted 5 times and then resolved is one message, edited to resolved', async () => {
  const groupKey = `{}:{alertname="HighErrorRate",run="${randomUUID()}"}`;
  let groupId = '';
  for (let i = 0; i < 5; i++) {
    const r = await post('/webhooks/alertmanager', amPayload(groupKey, 'firing'));
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
