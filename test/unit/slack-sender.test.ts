import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createSlackSender, classifySlackError } from '../../bot/adapters/slack/slack.sender.ts';
import { PermanentSendError, RateLimitedError } from '../../services/messaging/outbound.service.ts';
import { silentLogger } from '../../services/logger.ts';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack.ts';

let fake: FakeSlack;
before(async () => {
  fake = await startFakeSlack();
});
after(async () => {
  await fake.close();
});

const sender = () => createSlackSender({ token: fake.token, apiUrl: fake.apiUrl, logger: silentLogger(), retries: 1 });

test('post calls chat.postMessage with blocks, fallback text and the thread, and returns the ts', async () => {
  const before = fake.callsTo('chat.postMessage').length;
  const { messageId } = await sender().post({ platform: 'slack', chatId: 'C1', threadId: '1700.1' }, { title: 'Hi', text: 'a & b', buttons: [{ actionId: 'x.y', label: 'Go', value: '7' }] });
  const call = fake.callsTo('chat.postMessage')[before]!;
  assert.match(messageId, /^\d{10}\.\d{6}$/);
  assert.equal(call.args.channel, 'C1');
  assert.equal(call.args.thread_ts, '1700.1');
  assert.equal(call.args.text, 'Hi\na &amp; b');
  assert.equal(call.headers.authorization, `Bearer ${fake.token}`);
  const blocks = call.args.blocks as { type: string; elements?: { action_id: string; value: string }[] }[];
  assert.deepEqual(blocks.map((b) => b.type), ['header', 'section', 'actions']);
  assert.deepEqual(blocks[2]!.elements!.map((e) => [e.action_id, e.value]), [['x.y', '7']]);
});

test('post without a thread but answering a message starts a thread under it', async () => {
  const before = fake.callsTo('chat.postMessage').length;
  await sender().post({ platform: 'slack', chatId: 'C1' }, { text: 'top' });
  await sender().post({ platform: 'slack', chatId: 'C1' }, { text: 'under' }, { replyToMessageId: '1700.9' });
  const [top, under] = fake.callsTo('chat.postMessage').slice(before);
  assert.equal(top!.args.thread_ts, undefined);
  assert.equal(under!.args.thread_ts, '1700.9');
});

test('edit calls chat.update on the message', async () => {
  await sender().edit({ platform: 'slack', chatId: 'C2' }, '1700000000.000001', { text: 'updated' });
  const call = fake.callsTo('chat.update').at(-1)!;
  assert.equal(call.args.channel, 'C2');
  assert.equal(call.args.ts, '1700000000.000001');
  assert.equal(call.args.text, 'updated');
});

test('ephemeral replies use chat.postEphemeral when the user is known, else a normal post', async () => {
  const s = sender();
  const eph = fake.callsTo('chat.postEphemeral').length;
  const posts = fake.callsTo('chat.postMessage').length;
  await s.post({ platform: 'slack', chatId: 'C1' }, { text: 'only you', ephemeral: true }, { ephemeralUserId: 'U9' });
  assert.equal(fake.callsTo('chat.postEphemeral').length, eph + 1);
  assert.equal(fake.callsTo('chat.postEphemeral').at(-1)!.args.user, 'U9');
  await s.post({ platform: 'slack', chatId: 'C1' }, { text: 'no user known', ephemeral: true });
  assert.equal(fake.callsTo('chat.postMessage').length, posts + 1);
});

test('429 becomes RateLimitedError with Retry-After in ms, without the client waiting and retrying', async () => {
  fake.rateLimit('chat.postMessage', 7);
  const before = fake.callsTo('chat.postMessage').length;
  await assert.rejects(
    () => sender().post({ platform: 'slack', chatId: 'C1' }, { text: 'x' }),
    (err: unknown) => err instanceof RateLimitedError && err.retryAfterMs === 7000,
  );
  assert.equal(fake.callsTo('chat.postMessage').length, before + 1);
});

test('429 without Retry-After still becomes RateLimitedError', async () => {
  fake.rateLimit('chat.postMessage', null);
  await assert.rejects(() => sender().post({ platform: 'slack', chatId: 'C1' }, { text: 'x' }), RateLimitedError);
});

for (const code of ['channel_not_found', 'not_in_channel', 'is_archived', 'invalid_blocks']) {
  test(`${code} becomes PermanentSendError`, async () => {
    fake.failWith('chat.postMessage', code);
    await assert.rejects(
      () => sender().post({ platform: 'slack', chatId: 'C404' }, { text: 'x' }),
      (err: unknown) => err instanceof PermanentSendError && err.message.includes(code),
    );
  });
}

test('Slack-side hiccups stay retryable (plain errors)', async () => {
  fake.failWith('chat.update', 'internal_error');
  await assert.rejects(
    () => sender().edit({ platform: 'slack', chatId: 'C1' }, '1.1', { text: 'x' }),
    (err: unknown) => err instanceof Error && !(err instanceof PermanentSendError) && !(err instanceof RateLimitedError),
  );
});

test('5xx is retried a bounded number of times, then handed back as retryable', async () => {
  fake.serverError('chat.postMessage', 5);
  const before = fake.callsTo('chat.postMessage').length;
  try {
    await assert.rejects(
      () => sender().post({ platform: 'slack', chatId: 'C1' }, { text: 'x' }),
      (err: unknown) => err instanceof Error && !(err instanceof PermanentSendError) && !(err instanceof RateLimitedError),
    );
    // retries: 1 -> two attempts in all, not five.
    assert.equal(fake.callsTo('chat.postMessage').length, before + 2);
  } finally {
    fake.resetScripts();
  }
});

test('the default policy gives up after three attempts', async () => {
  fake.serverError('chat.update', 10);
  const before = fake.callsTo('chat.update').length;
  try {
    const s = createSlackSender({ token: fake.token, apiUrl: fake.apiUrl, logger: silentLogger() });
    await assert.rejects(() => s.edit({ platform: 'slack', chatId: 'C1' }, '1.1', { text: 'x' }));
    assert.equal(fake.callsTo('chat.update').length, before + 3);
  } finally {
    fake.resetScripts();
  }
});

test('classifySlackError passes unknown errors through', () => {
  const e = new Error('socket hang up');
  assert.equal(classifySlackError(e), e);
});
