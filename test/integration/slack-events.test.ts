import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { waitFor } from '../helpers/wait.ts';
import {
  eventCallbackBody,
  interactivityBody,
  signSlackRequest,
  slashCommandBody,
  startFakeSlack,
  type FakeSlack,
  type FakeSlackCall,
} from '../helpers/fake-slack.ts';
import type { ActionSpec } from '../../core/registry.ts';

// The whole path for real: signed HTTP -> route -> ingest (Redis) -> pipeline (Postgres) ->
// outbound worker -> Slack sender -> the fake Web API.
const SECRET = `slack-secret-${randomUUID()}`;
let fake: FakeSlack;
let t: TestApp;

const ping: ActionSpec = {
  id: 'slacktest.ping',
  roles: ['viewer', 'operator', 'technician', 'admin'],
  async handler(_ctx, value) {
    return { text: `pong ${value}` };
  },
};

before(async () => {
  fake = await startFakeSlack();
  t = await startTestApp({
    env: { SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: fake.token, SLACK_API_URL: fake.apiUrl },
    modules: [{ name: 'slacktest', actions: [ping] }],
  });
});
after(async () => {
  await t.stop();
  await fake.close();
});

const channel = () => `C${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`;

async function post(body: string, contentType: string, headers: Record<string, string> = signSlackRequest(SECRET, body)) {
  return fetch(`${t.url}/slack/events`, { method: 'POST', body, headers: { 'content-type': contentType, ...headers } });
}

const FORM = 'application/x-www-form-urlencoded';
const JSON_CT = 'application/json';

function postsTo(chat: string): FakeSlackCall[] {
  return fake.callsTo('chat.postMessage').filter((c) => c.args.channel === chat);
}

/** Waits until no inbound or outbound job is waiting, running or delayed (other queues keep scheduled jobs). */
async function drained(): Promise<void> {
  await waitFor(async () => {
    const depths = await t.app.deps.queues.depths();
    return ['inbound', 'outbound'].every((q) => {
      const c = depths[q] ?? {};
      return (c.waiting ?? 0) + (c.active ?? 0) + (c.delayed ?? 0) + (c.prioritized ?? 0) === 0;
    });
  }, 'inbound and outbound queues to drain');
}

function blockText(call: FakeSlackCall): string {
  return JSON.stringify(call.args.blocks ?? []);
}

test('a signed /a2d2 help is acked with an empty 200 and the help reaches chat.postMessage', async () => {
  const chat = channel();
  const res = await post(slashCommandBody({ command: '/a2d2', text: 'help', channel: chat }), FORM);
  assert.equal(res.status, 200);
  assert.equal(await res.text(), '');
  const [reply] = await waitFor(() => (postsTo(chat).length > 0 ? postsTo(chat) : null), 'help reply in the fake');
  assert.equal(reply!.args.thread_ts, undefined);
  assert.match(blockText(reply!), /help/i);
  assert.equal(reply!.headers.authorization, `Bearer ${fake.token}`);
});

test('a bad signature, a stale or future timestamp, or an altered body gets 401 and nothing is posted', async () => {
  const chat = channel();
  const now = Math.floor(Date.now() / 1000);
  const bodies = Array.from({ length: 4 }, (_, i) => slashCommandBody({ command: '/a2d2', text: 'help', channel: chat, triggerId: `bad-${i}-${randomUUID()}` }));
  const attempts: [string, Record<string, string>][] = [
    [bodies[0]!, signSlackRequest('not-the-secret', bodies[0]!)],
    [bodies[1]!, signSlackRequest(SECRET, bodies[1]!, now - 6 * 60)],
    [bodies[2]!, signSlackRequest(SECRET, bodies[2]!, now + 6 * 60)],
    [bodies[3]!.replace('text=help', 'text=status'), signSlackRequest(SECRET, bodies[3]!)],
  ];
  for (const [body, headers] of attempts) {
    const res = await post(body, FORM, headers);
    assert.equal(res.status, 401);
    const json = (await res.json()) as { message: string };
    assert.ok(json.message.length > 0);
  }
  await drained();
  assert.equal(postsTo(chat).length, 0);
  const triggers = bodies.map((b) => `cmd:${new URLSearchParams(b).get('trigger_id')}`);
  const rows = await t.app.deps.db.inboundDelivery.findMany({ where: { platform: 'slack', eventId: { in: triggers } } });
  assert.equal(rows.length, 0);
});

test('the same event_id delivered 3 times with retry headers gets one reply, in the thread of the mention', async () => {
  const chat = channel();
  const ts = `${Math.floor(Date.now() / 1000)}.000100`;
  const eventId = `Ev${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const body = JSON.stringify(eventCallbackBody({ type: 'app_mention', user: 'U0RETRY', text: `<@${fake.botUserId}> help`, ts, channel: chat }, { eventId }));
  for (let i = 0; i < 3; i++) {
    const retry: Record<string, string> = i === 0 ? {} : { 'x-slack-retry-num': String(i), 'x-slack-retry-reason': 'http_timeout' };
    const res = await post(body, JSON_CT, { ...signSlackRequest(SECRET, body), ...retry });
    assert.equal(res.status, 200);
  }
  await waitFor(() => postsTo(chat).length > 0, 'reply to the mention');
  await drained();
  const replies = postsTo(chat);
  assert.equal(replies.length, 1);
  assert.equal(replies[0]!.args.thread_ts, ts);
});

test('start-up verifies the bot token with auth.test and logs the Slack module as on', async () => {
  const [call] = await waitFor(() => (fake.callsTo('auth.test').length > 0 ? fake.callsTo('auth.test') : null), 'auth.test');
  assert.equal(call!.headers.authorization, `Bearer ${fake.token}`);
  await waitFor(() => t.logs.some((l) => l.includes('slack: token verified') && l.includes(fake.botUserId)), 'the token verified line');
  assert.ok(t.logs.some((l) => l.includes('slack: on')));
  assert.equal(t.logs.some((l) => l.includes(fake.token) || l.includes(SECRET)), false);
});

test('url_verification answers the challenge through the real server', async () => {
  const body = JSON.stringify({ token: 'x', challenge: 'c-42', type: 'url_verification' });
  const res = await post(body, JSON_CT);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { challenge: 'c-42' });
});

test('a button press runs the registered action and answers where the button was', async () => {
  const chat = channel();
  const payload = {
    type: 'block_actions',
    user: { id: 'U0BUTTON', username: 'bob', name: 'bob', team_id: 'T0001' },
    team: { id: 'T0001' },
    channel: { id: chat },
    container: { type: 'message', message_ts: '1700000000.000900', channel_id: chat },
    message: { ts: '1700000000.000900', thread_ts: '1700000000.000100' },
    trigger_id: `trg-${randomUUID()}`,
    actions: [{ type: 'button', action_id: 'slacktest.ping#1', block_id: 'b', value: 'v-7', action_ts: '1700000000.1' }],
  };
  const body = interactivityBody(payload);
  const res = await post(body, FORM);
  assert.equal(res.status, 200);
  assert.equal(await res.text(), '');
  const [reply] = await waitFor(() => (postsTo(chat).length > 0 ? postsTo(chat) : null), 'pong reply');
  assert.match(String(reply!.args.text), /pong v-7/);
  assert.equal(reply!.args.thread_ts, '1700000000.000100');
});

test('a thread reply not addressed to the bot is taken but not answered', async () => {
  const chat = channel();
  const eventId = `Ev${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const body = JSON.stringify(
    eventCallbackBody({ type: 'message', channel_type: 'channel', user: 'U0CHAT', text: 'help', ts: '1700000000.000300', thread_ts: '1700000000.000100', channel: chat }, { eventId }),
  );
  const res = await post(body, JSON_CT);
  assert.equal(res.status, 200);
  await waitFor(() => t.app.deps.db.inboundDelivery.findFirst({ where: { platform: 'slack', eventId } }), 'the delivery to be processed');
  await drained();
  assert.equal(postsTo(chat).length, 0);
});
