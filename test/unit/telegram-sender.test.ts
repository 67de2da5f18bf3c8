import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startFakeTelegram, type FakeTelegram } from '../helpers/fake-telegram.ts';
import { createTelegramClient } from '../../bot/adapters/telegram/telegram-client.ts';
import { createTelegramSender, mapTelegramError } from '../../bot/adapters/telegram/telegram.sender.ts';
import { createCallbackCodec, type CallbackStore } from '../../bot/adapters/telegram/telegram-callback-data.ts';
import { PermanentSendError, RateLimitedError, type PlatformSender } from '../../services/messaging/outbound.service.ts';
import type { ConversationRef } from '../../services/messaging/types.ts';

let fake: FakeTelegram;
let sender: PlatformSender;
const sleeps: number[] = [];

const store: CallbackStore = { set: async () => {}, get: async () => null };

before(async () => {
  fake = await startFakeTelegram();
  const client = createTelegramClient({ token: fake.token, apiRoot: fake.url });
  sender = createTelegramSender({
    client,
    callbacks: createCallbackCodec(store),
    textLimit: 200,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
});
after(async () => {
  await fake.close();
});

/** A fresh chat id per test, so call lists never mix. */
let chatSeq = 0;
const newChat = (): ConversationRef => ({ platform: 'telegram', chatId: String(9_000_000 + ++chatSeq) });
const sentTo = (chatId: string) => fake.callsOf('sendMessage').filter((c) => String(c.payload.chat_id) === chatId);

test('telegram sender: post sends HTML with the keyboard and returns the message id', async () => {
  const ref = newChat();
  const { messageId } = await sender.post(ref, { title: 'Ticket #1', text: 'a < b', buttons: [{ actionId: 'ticket.ack', label: 'Ack', value: '1' }] });
  const [call] = sentTo(ref.chatId);
  assert.ok(call);
  assert.equal(call.payload.parse_mode, 'HTML');
  assert.equal(call.payload.text, '<b>Ticket #1</b>\na &lt; b');
  assert.deepEqual(call.payload.reply_markup, { inline_keyboard: [[{ text: 'Ack', callback_data: 'ticket.ack|1' }]] });
  assert.equal(messageId, String((call.response.result as { message_id: number }).message_id));
  assert.equal(call.payload.message_thread_id, undefined);
  assert.equal(call.payload.reply_parameters, undefined);
});

test('telegram sender: a topic ref posts into the topic; a reply ref quotes the message', async () => {
  const ref = { ...newChat(), threadId: '99/7' };
  await sender.post(ref, { text: 'in topic' });
  const [call] = sentTo(ref.chatId);
  assert.equal(call!.payload.message_thread_id, 99);
  assert.deepEqual(call!.payload.reply_parameters, { message_id: 7, allow_sending_without_reply: true });

  const ref2 = { ...newChat(), threadId: '99' };
  await sender.post(ref2, { text: 'thread under' }, { replyToMessageId: '12' });
  const [call2] = sentTo(ref2.chatId);
  assert.equal(call2!.payload.message_thread_id, 99);
  assert.deepEqual(call2!.payload.reply_parameters, { message_id: 12, allow_sending_without_reply: true });
});

test('telegram sender: long text goes out as several messages, buttons on the last, id of the last returned', async () => {
  const ref = newChat();
  const text = Array.from({ length: 20 }, (_, i) => `line ${i} ${'x'.repeat(30)}`).join('\n');
  const { messageId } = await sender.post(ref, { text, buttons: [{ actionId: 'a.b', label: 'More', value: '2' }] });
  const calls = sentTo(ref.chatId);
  assert.ok(calls.length >= 3, `got ${calls.length} messages`);
  for (const c of calls) assert.ok(String(c.payload.text).length <= 200);
  assert.ok(calls.slice(0, -1).every((c) => c.payload.reply_markup === undefined));
  assert.ok(calls.at(-1)!.payload.reply_markup);
  assert.equal(messageId, String((calls.at(-1)!.response.result as { message_id: number }).message_id));
  assert.ok(calls.every((c, i) => i === 0 || c.at >= calls[i - 1]!.at), 'sent in order');
});

test('telegram sender: 429 becomes RateLimitedError with retry_after in ms', async () => {
  fake.failNext('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 7', parameters: { retry_after: 7 } });
  await assert.rejects(sender.post(newChat(), { text: 'x' }), (err: unknown) => err instanceof RateLimitedError && err.retryAfterMs === 7000);
});

test('telegram sender: chat not found (400) and blocked (403) are permanent; 5xx is left to retry', async () => {
  fake.failNext('sendMessage', { error_code: 400, description: 'Bad Request: chat not found' });
  await assert.rejects(sender.post(newChat(), { text: 'x' }), (err: unknown) => err instanceof PermanentSendError && /chat not found/.test(err.message));
  fake.failNext('sendMessage', { error_code: 403, description: 'Forbidden: bot was blocked by the user' });
  await assert.rejects(sender.post(newChat(), { text: 'x' }), PermanentSendError);
  fake.failNext('sendMessage', { error_code: 502, description: 'Bad Gateway' });
  await assert.rejects(sender.post(newChat(), { text: 'x' }), (err: unknown) => !(err instanceof PermanentSendError) && !(err instanceof RateLimitedError));
  assert.equal(mapTelegramError(new Error('ECONNRESET')) instanceof Error, true);
});

test('telegram sender: a 429 between chunks of a split reply is waited out, not re-sent from the start', async () => {
  const ref = newChat();
  sleeps.length = 0;
  const text = Array.from({ length: 10 }, (_, i) => `row ${i} ${'y'.repeat(40)}`).join('\n');
  // The first chunk goes through, the second is refused once with retry_after 2.
  fake.failNext('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 2', parameters: { retry_after: 2 } }, 1, { after: 1 });
  const result = await sender.post(ref, { text });
  const calls = sentTo(ref.chatId);
  assert.equal(calls.filter((c) => !c.response.ok).length, 1, 'one refused call');
  const delivered = calls.filter((c) => c.response.ok).map((c) => c.payload.text);
  assert.ok(delivered.length >= 2);
  assert.equal(new Set(delivered).size, delivered.length, 'no chunk delivered twice');
  assert.deepEqual(sleeps, [2000]);
  assert.ok(result.messageId);
});

test('telegram sender: a 429 on the first chunk is handed to the outbound worker, not slept in place', async () => {
  sleeps.length = 0;
  fake.failNext('sendMessage', { error_code: 429, description: 'Too Many Requests', parameters: { retry_after: 1 } });
  await assert.rejects(sender.post(newChat(), { text: 'x' }), RateLimitedError);
  assert.deepEqual(sleeps, []);
});

test('telegram sender: edit uses editMessageText; "message is not modified" counts as success', async () => {
  const ref = newChat();
  await sender.edit(ref, '55', { text: 'new', buttons: [{ actionId: 'x.y', label: 'Y', value: '1' }] });
  const call = fake.callsOf('editMessageText').find((c) => String(c.payload.chat_id) === ref.chatId)!;
  assert.equal(call.payload.message_id, 55);
  assert.equal(call.payload.text, 'new');
  assert.ok(call.payload.reply_markup);
  fake.failNext('editMessageText', { error_code: 400, description: 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same' });
  await sender.edit(ref, '55', { text: 'new' });
  fake.failNext('editMessageText', { error_code: 400, description: 'Bad Request: message to edit not found' });
  await assert.rejects(sender.edit(ref, '56', { text: 'x' }), PermanentSendError);
});

test('telegram sender: a group that became a supergroup gets the message at its new id', async () => {
  const ref = newChat();
  fake.failNext('sendMessage', { error_code: 400, description: 'Bad Request: group chat was upgraded to a supergroup chat', parameters: { migrate_to_chat_id: -1009999 } });
  await sender.post(ref, { text: 'moved' });
  assert.equal(sentTo('-1009999').length, 1);
});
