import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { waitFor } from '../helpers/wait.ts';
import { eventCallbackBody, startFakeSlack, type FakeSlack, type FakeSlackCall } from '../helpers/fake-slack.ts';

// Socket Mode against the fake's WebSocket endpoint: envelopes go through the same dispatcher
// as HTTP deliveries (normalize -> ingest -> ack), and replies leave through the Web API.
let fake: FakeSlack;
let t: TestApp;

before(async () => {
  fake = await startFakeSlack();
  t = await startTestApp({
    env: {
      SLACK_SIGNING_SECRET: `sig-${randomUUID()}`,
      SLACK_BOT_TOKEN: fake.token,
      SLACK_APP_TOKEN: fake.socket.appToken,
      SLACK_API_URL: fake.apiUrl,
    },
  });
  await waitFor(() => fake.socket.connections() > 0, 'the Socket Mode connection');
});
after(async () => {
  await t.stop();
  await fake.close();
});

const channel = () => `C${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`;
const postsTo = (chat: string): FakeSlackCall[] => fake.callsTo('chat.postMessage').filter((c) => c.args.channel === chat);

test('the connection was opened with the app token', () => {
  const open = fake.callsTo('apps.connections.open');
  assert.ok(open.length >= 1);
  assert.equal(open[0]!.headers.authorization, `Bearer ${fake.socket.appToken}`);
});

test('a slash command envelope is acked and answered through the Web API', async () => {
  const chat = channel();
  const ack = await fake.socket.send({
    type: 'slash_commands',
    accepts_response_payload: true,
    payload: { team_id: 'T0001', channel_id: chat, user_id: 'U0SOCK', user_name: 'sock', command: '/a2d2', text: 'help', trigger_id: `sock-${randomUUID()}` },
  });
  assert.ok(ack.envelope_id);
  const [reply] = await waitFor(() => (postsTo(chat).length > 0 ? postsTo(chat) : null), 'help reply over Socket Mode');
  assert.match(JSON.stringify(reply!.args.blocks), /help/i);
});

test('an events_api envelope redelivered with retry_attempt gets one reply', async () => {
  const chat = channel();
  const ts = `${Math.floor(Date.now() / 1000)}.000200`;
  const payload = eventCallbackBody({ type: 'app_mention', user: 'U0SOCK', text: `<@${fake.botUserId}> help`, ts, channel: chat }, { eventId: `EvSock${randomUUID().slice(0, 8)}` });
  await fake.socket.send({ type: 'events_api', payload });
  await fake.socket.send({ type: 'events_api', payload, retry_attempt: 1, retry_reason: 'timeout' });
  await waitFor(() => postsTo(chat).length > 0, 'reply to the mention');
  // The second delivery was acked only after ingest said "duplicate", so no second job exists.
  await waitFor(async () => {
    const d = await t.app.deps.queues.depths();
    return ['inbound', 'outbound'].every((q) => (d[q]?.waiting ?? 0) + (d[q]?.active ?? 0) + (d[q]?.delayed ?? 0) === 0);
  }, 'queues to drain');
  assert.equal(postsTo(chat).length, 1);
  assert.equal(postsTo(chat)[0]!.args.thread_ts, ts);
});
