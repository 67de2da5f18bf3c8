import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { startFakeTelegram, type FakeTelegram } from '../helpers/fake-telegram.ts';
import { waitFor } from '../helpers/wait.ts';

// Long polling (no webhook secret: local use) feeds the same normalizer, queue and pipeline.
let fake: FakeTelegram;
let t: TestApp;
let nextUpdate = randomInt(1_000_000_000, 1_900_000_000);

before(async () => {
  fake = await startFakeTelegram();
  t = await startTestApp({ env: { TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.url } });
});
after(async () => {
  await t.stop();
  await fake.close();
});

test('telegram polling: the webhook is removed, an update from getUpdates is answered, and there is no webhook route', async () => {
  await fake.waitForCall('deleteWebhook');
  const chat = randomInt(100_000_000, 900_000_000);
  fake.pushUpdate({
    update_id: ++nextUpdate,
    message: {
      message_id: 1,
      date: 1,
      chat: { id: chat, type: 'private' },
      from: { id: chat, is_bot: false, first_name: 'Polly', language_code: 'ru' },
      text: '/help',
      entities: [{ type: 'bot_command', offset: 0, length: 5 }],
    },
  });
  const sent = await fake.waitForCall('sendMessage', (c) => String(c.payload.chat_id) === String(chat));
  assert.match(String(sent.payload.text), /Что я умею/);
  assert.ok(fake.callsOf('setMyCommands').length >= 2, 'the menu is set in polling mode too');

  const res = await fetch(`${t.url}/telegram/webhook`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"update_id":1}' });
  assert.equal(res.status, 404);
});

test('telegram polling: a callback query is answered', async () => {
  const chat = randomInt(100_000_000, 900_000_000);
  const queryId = `pq-${randomInt(1_000_000_000)}`;
  fake.pushUpdate({
    update_id: ++nextUpdate,
    callback_query: { id: queryId, from: { id: chat, is_bot: false, first_name: 'Polly' }, chat_instance: 'c', data: 'core.cancel|nothing', message: { message_id: 3, date: 1, chat: { id: chat, type: 'private' } } },
  });
  await fake.waitForCall('answerCallbackQuery', (c) => c.payload.callback_query_id === queryId);
  // core.cancel with an unknown id answers "expired" in the chat: the action was routed.
  await waitFor(() => fake.callsOf('sendMessage').find((c) => String(c.payload.chat_id) === String(chat)), 'the routed action reply');
});
