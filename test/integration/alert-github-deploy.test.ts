/**
 * Acceptance: GitHub deployment_status success and failure each update their deployment's
 * message; a redelivery posts nothing new; a wrong signature gets 401. A firing alert after a
 * deploy of its service names that deploy and offers the service's rollback runbook.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { TestApp } from '../helpers/app.ts';
import { startChatTestApp, type ChatTestApp } from '../helpers/chat-app.ts';
import { eventCallbackBody, type FakeSlack } from '../helpers/fake-slack.ts';
import { callText as text, slackCallsIn } from '../helpers/alert-app.ts';
import { waitFor } from '../helpers/wait.ts';

const GH_SECRET = `gh-${randomUUID()}`;
const AM_TOKEN = `am-${randomUUID()}`;
const API_TOKEN = `api-${randomUUID()}`;
const run = randomUUID().slice(0, 8);
const service = `checkout-${run}`;
const channel = `CGH${run.toUpperCase()}`;
const dsFixture = JSON.parse(readFileSync(new URL('../fixtures/alerts/github-deployment-status.json', import.meta.url), 'utf8')) as Record<string, any>;

let chatApp: ChatTestApp;
let slack: FakeSlack;
let t: TestApp;

before(async () => {
  chatApp = await startChatTestApp({
    env: { GITHUB_WEBHOOK_SECRET: GH_SECRET, ALERTMANAGER_TOKEN: AM_TOKEN, A2D2_API_TOKEN: API_TOKEN },
    yaml: {
      alerts: {
        routes: [{ match: { service }, destinations: [`slack:${channel}`] }],
        rollbackRunbooks: { [service]: 'https://runbooks.example/checkout/rollback' },
      },
    } as never,
  });
  ({ t, slack } = chatApp);
});

after(async () => {
  await chatApp?.stop();
});

function deploymentEvent(deploymentId: number, state: string | null, ref: string) {
  const body = structuredClone(dsFixture);
  body.deployment.id = deploymentId;
  body.deployment.ref = ref;
  body.deployment.payload = { service };
  if (state === null) {
    delete body.deployment_status;
    body.action = 'created';
  } else {
    body.deployment_status.state = state;
  }
  return body;
}

async function github(event: string, body: unknown, opts: { delivery?: string; secret?: string } = {}) {
  const raw = JSON.stringify(body);
  const sig = `sha256=${createHmac('sha256', opts.secret ?? GH_SECRET).update(raw).digest('hex')}`;
  const res = await fetch(`${t.url}/webhooks/github`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-github-event': event, 'x-github-delivery': opts.delivery ?? randomUUID(), 'x-hub-signature-256': sig },
    body: raw,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const inChannel = (method: string) => slackCallsIn(slack, channel, method);

test('deployment_status success and failure each update their own deployment message; redelivery is a no-op', async () => {
  const idOk = Math.floor(Math.random() * 1e9);
  const idBad = idOk + 1;
  assert.equal((await github('deployment', deploymentEvent(idOk, null, 'v1.0.0'))).status, 202);
  assert.equal((await github('deployment', deploymentEvent(idBad, null, 'v1.0.1'))).status, 202);
  await waitFor(() => inChannel('chat.postMessage').length === 2, 'two deployment messages');

  const successDelivery = randomUUID();
  const ok = await github('deployment_status', deploymentEvent(idOk, 'success', 'v1.0.0'), { delivery: successDelivery });
  assert.equal(ok.status, 202);
  assert.equal((await github('deployment_status', deploymentEvent(idBad, 'failure', 'v1.0.1'))).status, 202);

  const db = t.app.deps.db;
  const okRow = await db.deployment.findUniqueOrThrow({ where: { source_externalId: { source: 'github', externalId: `deployment:${idOk}` } } });
  const badRow = await db.deployment.findUniqueOrThrow({ where: { source_externalId: { source: 'github', externalId: `deployment:${idBad}` } } });
  const tsOf = async (id: string) => (await waitFor(() => db.messageLink.findFirst({ where: { messageKey: `deploy:${id}`, chatId: channel } }), 'link')).platformMessageId;
  const okTs = await tsOf(okRow.id);
  const badTs = await tsOf(badRow.id);
  assert.notEqual(okTs, badTs);
  await waitFor(() => inChannel('chat.update').some((c) => c.args.ts === okTs && text(c).includes(`Deploy ${service} v1.0.0 to production: succeeded`)), 'success edit');
  await waitFor(() => inChannel('chat.update').some((c) => c.args.ts === badTs && text(c).includes(`Deploy ${service} v1.0.1 to production: failed`)), 'failure edit');
  assert.equal(inChannel('chat.postMessage').length, 2, 'status changes edit; they never post');

  const callsBefore = slack.calls.length;
  const again = await github('deployment_status', deploymentEvent(idOk, 'success', 'v1.0.0'), { delivery: successDelivery });
  assert.equal(again.status, 200);
  assert.equal(again.body.status, 'duplicate');
  // Barrier: one more deploy to the same chat; the sender keeps a chat's order, so anything the
  // redelivery had queued would reach the fake before it.
  const barrier = await fetch(`${t.url}/webhooks/deploy`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${API_TOKEN}` },
    body: JSON.stringify({ service, environment: 'staging', version: 'barrier-1', status: 'queued' }),
  });
  assert.equal(barrier.status, 202);
  await waitFor(() => inChannel('chat.postMessage').some((c) => text(c).includes('barrier-1')), 'the barrier message');
  const since = slack.calls.slice(callsBefore).filter((c) => c.args.channel === channel);
  assert.deepEqual(since.map((c) => c.method), ['chat.postMessage'], 'a redelivery reaches no chat');
  const history = (await db.deployment.findUniqueOrThrow({ where: { id: okRow.id } })).history as unknown[];
  assert.equal(history.length, 2, 'queued, success');
});

test('a wrong or missing signature gets 401 and stores nothing', async () => {
  const id = Math.floor(Math.random() * 1e9);
  const wrong = await github('deployment', deploymentEvent(id, null, 'v9'), { secret: 'not-the-secret' });
  assert.equal(wrong.status, 401);
  const res = await fetch(`${t.url}/webhooks/github`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-github-event': 'deployment', 'x-github-delivery': randomUUID() },
    body: JSON.stringify(deploymentEvent(id, null, 'v9')),
  });
  assert.equal(res.status, 401);
  assert.equal(await t.app.deps.db.deployment.count({ where: { externalId: `deployment:${id}` } }), 0);
});

test('a firing alert after a deploy of its service names that deploy and offers the rollback runbook', async () => {
  const dep = await fetch(`${t.url}/webhooks/deploy`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${API_TOKEN}` },
    body: JSON.stringify({ service, environment: 'production', version: 'v2.5.0', status: 'success', actor: 'carol', url: 'https://ci.example/7' }),
  });
  assert.equal(dep.status, 202);
  const groupKey = `{}:{alertname="Latency",run="${run}"}`;
  const labels = { alertname: 'Latency', service, severity: 'critical', environment: 'production' };
  const am = await fetch(`${t.url}/webhooks/alertmanager`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${AM_TOKEN}` },
    body: JSON.stringify({ version: '4', groupKey, status: 'firing', commonLabels: labels, alerts: [{ status: 'firing', labels, annotations: { summary: 'p99 over 2s' } }] }),
  });
  assert.equal(am.status, 202);
  const card = await waitFor(() => inChannel('chat.postMessage').find((c) => text(c).includes('CRITICAL: Latency')), 'the alert card');
  assert.match(text(card), /Since deploy v2\.5\.0 by carol/);
  assert.match(text(card), /runbooks\.example\/checkout\/rollback/);
  const group = await t.app.deps.db.alertGroup.findFirstOrThrow({ where: { groupKey } });
  assert.ok(group.deploymentId);
});

test('deploys lists an environment\'s recent deployments, or says there are none', async () => {
  const environment = `env-${run}`;
  const dep = await fetch(`${t.url}/webhooks/deploy`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${API_TOKEN}` },
    body: JSON.stringify({ service, environment, version: 'v3.1.0', status: 'success', actor: 'dave' }),
  });
  assert.equal(dep.status, 202);
  await waitFor(() => t.app.deps.db.deployment.findFirst({ where: { environment } }), 'the deployment stored');
  const chat = `CDL${run.toUpperCase()}`;
  const say = (words: string) =>
    chatApp.postSlack(JSON.stringify(eventCallbackBody({ type: 'app_mention', user: 'UDEPLOYS', text: `<@${slack.botUserId}> ${words}`, ts: `${Date.now() / 1000}`, channel: chat })), 'application/json');
  await say(`deploys ${environment}`);
  const view = await waitFor(() => slackCallsIn(slack, chat, 'chat.postMessage').find((c) => text(c).includes('Recent deployments')), 'the deploys view');
  assert.ok(text(view).includes(`${environment}:`), text(view));
  assert.ok(text(view).includes(`${service} v3.1.0: `) && text(view).includes('· dave'), text(view));
  await say(`deploys none-${run}`);
  await waitFor(() => slackCallsIn(slack, chat, 'chat.postMessage').some((c) => text(c).includes('No deployments recorded.')), 'the empty deploys view');
});
