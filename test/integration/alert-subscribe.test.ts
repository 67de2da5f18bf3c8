/**
 * Alert commands through the real Slack route: subscribe routes matching alerts to the chat,
 * `alerts` lists them, unsubscribe needs an operator.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { TestApp } from '../helpers/app.ts';
import { startChatTestApp, type ChatTestApp } from '../helpers/chat-app.ts';
import { eventCallbackBody, type FakeSlack } from '../helpers/fake-slack.ts';
import { callText as text, slackCallsIn } from '../helpers/alert-app.ts';
import { waitFor } from '../helpers/wait.ts';

const AM_TOKEN = `am-${randomUUID()}`;
const run = randomUUID().slice(0, 8);
const subChannel = `CSB${run.toUpperCase()}`;
const OPERATOR = `UOP${run.toUpperCase()}`;
const VIEWER = `UVW${run.toUpperCase()}`;

let chatApp: ChatTestApp;
let slack: FakeSlack;
let t: TestApp;

before(async () => {
  chatApp = await startChatTestApp({
    env: { ALERTMANAGER_TOKEN: AM_TOKEN },
    yaml: {
      roles: { operator: [`slack:${OPERATOR}`] },
    } as never,
  });
  ({ t, slack } = chatApp);
});

after(async () => {
  await chatApp?.stop();
});

const callsIn = (chat: string, method: string) => slackCallsIn(slack, chat, method);
const slackPost = (body: string, contentType: string) => chatApp.postSlack(body, contentType);

async function say(user: string, chat: string, words: string) {
  await slackPost(
    JSON.stringify(eventCallbackBody({ type: 'app_mention', user, text: `<@${slack.botUserId}> ${words}`, ts: `${Date.now() / 1000}`, channel: chat })),
    'application/json',
  );
}

test('subscribe routes matching alerts to the chat; alerts lists them; unsubscribe needs an operator', async () => {
  const other = `sub-${run}`;
  await say(OPERATOR, subChannel, `subscribe service=${other} severity=warning`);
  await waitFor(() => t.app.deps.db.alertSubscription.findFirst({ where: { chatId: subChannel } }), 'the subscription');
  await waitFor(() => callsIn(subChannel, 'chat.postMessage').some((c) => text(c).includes(`service=${other},severity=warning`)), 'the confirmation');

  const labels = { alertname: 'SubAlert', service: other, severity: 'warning' };
  const res = await fetch(`${t.url}/webhooks/alertmanager`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${AM_TOKEN}` },
    body: JSON.stringify({ version: '4', groupKey: `{}:{sub="${run}"}`, status: 'firing', commonLabels: labels, alerts: [{ status: 'firing', labels }] }),
  });
  assert.equal(res.status, 202);
  await waitFor(() => callsIn(subChannel, 'chat.postMessage').some((c) => text(c).includes('WARNING: SubAlert')), 'the alert in the subscribed chat');

  await say(VIEWER, subChannel, 'alerts');
  await waitFor(() => callsIn(subChannel, 'chat.postMessage').some((c) => text(c).includes('Active alerts') && text(c).includes('SubAlert')), 'the alerts view');
  await say(VIEWER, subChannel, `unsubscribe service=${other} severity=warning`);
  await waitFor(() => t.app.deps.db.auditLog.findFirst({ where: { action: 'command:alerts.unsubscribe', outcome: 'denied', chatId: subChannel } }), 'viewers may not unsubscribe');
  await say(OPERATOR, subChannel, `unsubscribe service=${other} severity=warning`);
  await waitFor(async () => (await t.app.deps.db.alertSubscription.count({ where: { chatId: subChannel } })) === 0, 'the subscription removed');
  await waitFor(() => callsIn(subChannel, 'chat.postMessage').some((c) => text(c).includes('Removed 1 subscription.')), 'the confirmation');
});
