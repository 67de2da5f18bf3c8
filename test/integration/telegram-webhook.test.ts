import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { z } from 'zod';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { startFakeTelegram, type FakeTelegram, type FakeTelegramCall } from '../helpers/fake-telegram.ts';
import { waitFor } from '../helpers/wait.ts';
import { privateTextUpdate } from '../helpers/telegram-updates.ts';
import { defineCommand, type ActionSpec } from '../../core/registry.ts';
import { ROLES } from '../../services/users/roles.ts';

// Webhook mode end to end: the real app on a real port, our route, the queue, the pipeline and the
// outbound worker, with a fake Bot API at the HTTP boundary.
const SECRET = 'tg-webhook_secret-0123456789';
let fake: FakeTelegram;
let t: TestApp;
const pressed: string[] = [];

const buttons = defineCommand({
  id: 'tgtest.buttons',
  aliases: { en: ['tgbuttons'], ru: ['тгкнопки'] },
  summaryKey: 'core.status.summary',
  args: z.object({ text: z.string() }),
  roles: ROLES,
  async handler(_ctx, args) {
    return { text: 'pick one', buttons: [{ actionId: 'tgtest.ping', label: 'Ping', value: args.text }] };
  },
});
const ping: ActionSpec = {
  id: 'tgtest.ping',
  roles: ROLES,
  async handler(_ctx, value) {
    pressed.push(value);
    return { text: `pong ${value}` };
  },
};

// update_ids and chat ids are random per run: the test database keeps its delivery ledger between runs.
let nextUpdate = randomInt(1_000_000_000, 1_900_000_000);
const newUpdateId = () => ++nextUpdate;
const newChatId = () => randomInt(100_000_000, 900_000_000);

before(async () => {
  fake = await startFakeTelegram();
  t = await startTestApp({
    env: { TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: fake.url },
    modules: [{ name: 'tgtest', commands: [buttons], actions: [ping] }],
  });
});
after(async () => {
  await t.stop();
  await fake.close();
});

test('telegram: neither the bot token nor the webhook secret appears in any log line', async () => {
  // Provoke logging with a rejected request and a handled one first.
  await deliver(privateMessage(newChatId(), '/help'), 'wrong');
  const chat = newChatId();
  await deliver(privateMessage(chat, '/whoami'));
  await waitForSent(chat, () => true, 'a reply');
  assert.ok(t.logs.length > 0);
  for (const line of t.logs) {
    assert.ok(!line.includes(fake.token), 'token in a log line');
    assert.ok(!line.includes(SECRET), 'secret in a log line');
  }
});

const privateMessage = (chatId: number, text: string, updateId = newUpdateId(), languageCode = 'en') => privateTextUpdate(chatId, text, { updateId, languageCode });

async function deliver(update: unknown, secret: string | null = SECRET): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${t.url}/telegram/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(secret !== null ? { 'x-telegram-bot-api-secret-token': secret } : {}) },
    body: JSON.stringify(update),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const sentTo = (chatId: number): FakeTelegramCall[] => fake.callsOf('sendMessage').filter((c) => String(c.payload.chat_id) === String(chatId));
const waitForSent = (chatId: number, match: (text: string) => boolean, what: string) =>
  waitFor(() => sentTo(chatId).find((c) => match(String(c.payload.text))), what);

test('telegram: start-up sets the command menu in English (default) and Russian', async () => {
  const en = await fake.waitForCall('setMyCommands', (c) => c.payload.language_code === undefined);
  const ru = await fake.waitForCall('setMyCommands', (c) => c.payload.language_code === 'ru');
  const names = (en.payload.commands as { command: string }[]).map((c) => c.command);
  assert.ok(names.includes('help') && names.includes('tgbuttons'), names.join(','));
  const ruHelp = (ru.payload.commands as { command: string; description: string }[]).find((c) => c.command === 'help');
  assert.match(ruHelp!.description, /[а-я]/i);
  assert.equal(fake.callsOf('setWebhook').length, 0, 'no public URL configured: the webhook is left alone');
});

test('telegram: /help with the secret gets 200 and a sendMessage reaches the fake', async () => {
  const chat = newChatId();
  const res = await deliver(privateMessage(chat, '/help'));
  assert.equal(res.status, 200);
  assert.equal(res.body.outcome, 'queued');
  const sent = await waitForSent(chat, (text) => text.includes('What I can do'), 'help reply');
  assert.equal(sent.payload.parse_mode, 'HTML');
  assert.match(String(sent.payload.text), /^<b>What I can do<\/b>/);
});

test('telegram: the user language follows language_code (ru)', async () => {
  const chat = newChatId();
  assert.equal((await deliver(privateMessage(chat, '/help', newUpdateId(), 'ru'))).status, 200);
  await waitForSent(chat, (text) => text.includes('Что я умею'), 'Russian help');
});

test('telegram: a missing or wrong secret gets 401/403 and nothing is sent', async () => {
  const chat = newChatId();
  const rejected = [privateMessage(chat, '/help'), privateMessage(chat, '/help')];
  const missing = await deliver(rejected[0], null);
  assert.equal(missing.status, 401);
  const wrong = await deliver(rejected[1], `${SECRET}-nope`);
  assert.equal(wrong.status, 403);
  // A later good update to another chat is answered, so the pipeline and sender are running ...
  const other = newChatId();
  await deliver(privateMessage(other, '/whoami'));
  await waitForSent(other, () => true, 'reply to the good update');
  // ... and still nothing went to the rejected chat, and no delivery was recorded for it.
  assert.equal(sentTo(chat).length, 0);
  const rows = await t.app.deps.db.inboundDelivery.count({
    where: { platform: 'telegram', eventId: { in: rejected.map((u) => String(u.update_id)) } },
  });
  assert.equal(rows, 0);
});

test('telegram: a repeated update_id gets one reply', async () => {
  const chat = newChatId();
  const update = privateMessage(chat, '/help');
  for (let i = 0; i < 3; i++) assert.equal((await deliver(update)).status, 200);
  await waitForSent(chat, (text) => text.includes('What I can do'), 'the one help reply');
  await deliver(privateMessage(chat, '/whoami'));
  await waitFor(() => sentTo(chat).length >= 2, 'reply to the follow-up');
  // Strict: let every queued job of this app finish before counting.
  const idle = async (name: string) => {
    const c = await t.app.deps.queues.queue(name).getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    return Object.values(c).every((n) => n === 0);
  };
  await waitFor(async () => (await idle('inbound')) && (await idle('outbound')), 'queues drained');
  assert.equal(sentTo(chat).filter((c) => String(c.payload.text).includes('What I can do')).length, 1);
  assert.equal(sentTo(chat).length, 2);
  const rows = await t.app.deps.db.inboundDelivery.count({ where: { platform: 'telegram', eventId: `${fake.bot.id}:${update.update_id}` } });
  assert.equal(rows, 1);
});

async function buttonMessage(chat: number, value: string): Promise<{ data: string; messageId: number }> {
  await deliver(privateMessage(chat, `/tgbuttons ${value}`));
  const sent = await waitForSent(chat, (text) => text.includes('pick one'), 'the message with the button');
  const markup = sent.payload.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] };
  const data = markup.inline_keyboard[0]![0]!.callback_data;
  return { data, messageId: (sent.response.result as { message_id: number }).message_id };
}

function callbackUpdate(chat: number, messageId: number, data: string, queryId: string, languageCode = 'en') {
  return {
    update_id: newUpdateId(),
    callback_query: {
      id: queryId,
      from: { id: chat, is_bot: false, first_name: 'Tess', language_code: languageCode },
      chat_instance: 'ci',
      data,
      message: { message_id: messageId, date: 1, chat: { id: chat, type: 'private' }, text: 'pick one' },
    },
  };
}

test('telegram: a callback query is answered and routed to its action', async () => {
  const chat = newChatId();
  const value = `v${randomInt(1_000_000)}`;
  const { data, messageId } = await buttonMessage(chat, value);
  assert.ok(Buffer.byteLength(data) <= 64);
  const queryId = `q-${randomInt(1_000_000_000)}`;
  const res = await deliver(callbackUpdate(chat, messageId, data, queryId));
  assert.equal(res.status, 200);
  const answer = await fake.waitForCall('answerCallbackQuery', (c) => c.payload.callback_query_id === queryId);
  assert.equal(answer.payload.show_alert, undefined, 'a plain answer only stops the spinner');
  await waitForSent(chat, (text) => text === `pong ${value}`, 'the action reply');
  assert.ok(pressed.includes(value));
});

test('telegram: a button value too long for callback_data goes through Redis and comes back intact', async () => {
  const chat = newChatId();
  const value = `long-${'é'.repeat(40)}-${randomInt(1_000_000)}`;
  const { data, messageId } = await buttonMessage(chat, value);
  assert.match(data, /^~/);
  assert.ok(Buffer.byteLength(data) <= 64);
  const queryId = `q-${randomInt(1_000_000_000)}`;
  await deliver(callbackUpdate(chat, messageId, data, queryId));
  await fake.waitForCall('answerCallbackQuery', (c) => c.payload.callback_query_id === queryId);
  await waitForSent(chat, (text) => text === `pong ${value}`, 'the action reply with the long value');
});

test('telegram: an expired button is answered with an alert in the user language and not routed', async () => {
  const chat = newChatId();
  const queryId = `q-${randomInt(1_000_000_000)}`;
  const res = await deliver(callbackUpdate(chat, 5, '~AAAAAAAAAAAAAAAAAAAAAA', queryId, 'ru'));
  assert.equal(res.status, 200);
  assert.equal(res.body.outcome, 'ignored');
  const answer = await fake.waitForCall('answerCallbackQuery', (c) => c.payload.callback_query_id === queryId);
  assert.equal(answer.payload.show_alert, true);
  assert.match(String(answer.payload.text), /Срок действия/);
});

test('telegram: /cmd@bot in a forum topic is answered in the topic, as a reply to the message', async () => {
  const chat = -1_000_000_000_000 - randomInt(1_000_000);
  const user = newChatId();
  const update = {
    update_id: newUpdateId(),
    message: {
      message_id: 321,
      message_thread_id: 77,
      is_topic_message: true,
      date: 1,
      chat: { id: chat, type: 'supergroup', title: 'ops', is_forum: true },
      from: { id: user, is_bot: false, first_name: 'Gus' },
      text: `/help@${fake.bot.username}`,
      entities: [{ type: 'bot_command', offset: 0, length: 6 + fake.bot.username.length }],
    },
  };
  assert.equal((await deliver(update)).status, 200);
  const sent = await waitForSent(chat, (text) => text.includes('What I can do'), 'help in the topic');
  assert.equal(sent.payload.message_thread_id, 77);
  assert.deepEqual(sent.payload.reply_parameters, { message_id: 321, allow_sending_without_reply: true });
});

test('telegram: a group message that does not address the bot gets no reply', async () => {
  const chat = -1_000_000_000_000 - randomInt(1_000_000);
  const base = { date: 1, chat: { id: chat, type: 'supergroup', title: 'ops' }, from: { id: newChatId(), is_bot: false, first_name: 'Gus' } };
  const quietUpdate = { update_id: newUpdateId(), message: { ...base, message_id: 1, text: 'help' } };
  const quiet = await deliver(quietUpdate);
  assert.equal(quiet.status, 200);
  // Once its job has run, a reply would already be stored in the outbound table.
  await waitFor(async () => (await t.app.deps.queues.queue('inbound').getJobState(`in-telegram-${fake.bot.id}_${quietUpdate.update_id}`)) === 'completed', 'the quiet update processed');
  assert.equal(await t.app.deps.db.outboundMessage.count({ where: { platform: 'telegram', chatId: String(chat) } }), 0);
  await deliver({ update_id: newUpdateId(), message: { ...base, message_id: 2, text: `@${fake.bot.username} whoami` } });
  await waitFor(() => sentTo(chat).length >= 1, 'reply to the mention');
  assert.deepEqual(sentTo(chat)[0]!.payload.reply_parameters, { message_id: 2, allow_sending_without_reply: true });
});

test('telegram: while getMe fails, a private /help is still taken (200) and answered, with the id from the token', async () => {
  const fake2 = await startFakeTelegram({ token: '777000222:TEST-outage_abcdefghijklmnop', botId: 777000222 });
  fake2.failNext('getMe', { error_code: 502, description: 'Bad Gateway' }, 50);
  const t2 = await startTestApp({ env: { TELEGRAM_BOT_TOKEN: fake2.token, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: fake2.url } });
  try {
    const chat = newChatId();
    const update = privateMessage(chat, '/help');
    const res = await fetch(`${t2.url}/telegram/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET }, body: JSON.stringify(update) });
    assert.equal(res.status, 200, 'not turned away because getMe failed');
    assert.equal(((await res.json()) as { outcome: string }).outcome, 'queued');
    await waitFor(() => fake2.callsOf('sendMessage').some((c) => String(c.payload.chat_id) === String(chat) && String(c.payload.text).includes('What I can do')), 'help reply');
    // The delivery ledger keys it by the same bot id getMe would give: a redelivery is a duplicate.
    const again = await fetch(`${t2.url}/telegram/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET }, body: JSON.stringify(update) });
    assert.equal(again.status, 200);
    assert.ok(await t2.app.deps.db.inboundDelivery.findFirst({ where: { platform: 'telegram', eventId: `777000222:${update.update_id}` } }));
  } finally {
    await t2.stop();
    await fake2.close();
  }
});
