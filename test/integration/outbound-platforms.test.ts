/**
 * The outbound sender through the real Slack and Telegram senders, against the fake Slack Web
 * API and the fake Telegram Bot API (HTTP servers), with real Postgres and Redis.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createDb, type Db } from '../../services/db.ts';
import { silentLogger } from '../../services/logger.ts';
import { createMetrics } from '../../services/metrics.ts';
import { Queues } from '../../services/queues.ts';
import { createOutbound, type OutboundPort, type PlatformSender } from '../../services/messaging/outbound.service.ts';
import { createOutboundQueue } from '../../bot/outbound/sender.processor.ts';
import { createSlackSender } from '../../bot/adapters/slack/slack.sender.ts';
import { createTelegramSender } from '../../bot/adapters/telegram/telegram.sender.ts';
import { createTelegramClient } from '../../bot/adapters/telegram/telegram-client.ts';
import { createCallbackCodec, redisCallbackStore } from '../../bot/adapters/telegram/telegram-callback-data.ts';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack.ts';
import { startFakeTelegram, type FakeTelegram } from '../helpers/fake-telegram.ts';
import { waitFor } from '../helpers/wait.ts';
import { DEFAULT_TEST_DATABASE_URL } from '../helpers/test-db.ts';
import { dropRedisKeys } from '../helpers/redis-keys.ts';

const DATABASE_URL = process.env.DATABASE_URL ?? DEFAULT_TEST_DATABASE_URL;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

let db: Db;
let slack: FakeSlack;
let telegram: FakeTelegram;
let queues: Queues;
let outbound: OutboundPort;
const prefix = `t-outp-${randomUUID().slice(0, 8)}`;

before(async () => {
  db = createDb(DATABASE_URL, { max: 5 });
  slack = await startFakeSlack();
  telegram = await startFakeTelegram();
  queues = new Queues({ redisUrl: REDIS_URL, prefix, logger: silentLogger() });
  await queues.connect();
  const senders: Record<'slack' | 'telegram', PlatformSender> = {
    slack: createSlackSender({ token: slack.token, apiUrl: slack.apiUrl, retries: 0 }),
    telegram: createTelegramSender({
      client: createTelegramClient({ token: telegram.token, apiRoot: telegram.url }),
      callbacks: createCallbackCodec(redisCallbackStore(queues.producer, prefix)),
      textLimit: 1000,
    }),
  };
  queues.register(createOutboundQueue({ db, logger: silentLogger(), metrics: createMetrics({ defaults: false }), senders, redis: queues.producer }));
  queues.startWorkers();
  outbound = createOutbound({ db, queues });
});

after(async () => {
  await queues.close();
  await dropRedisKeys(REDIS_URL, prefix);
  await slack.close();
  await telegram.close();
  await db.$disconnect();
});

async function waitRow(id: string, status: 'sent' | 'failed') {
  return waitFor(
    async () => {
      const row = await db.outboundMessage.findUnique({ where: { id } });
      return row?.status === status ? row : null;
    },
    `outbound ${id} ${status}`,
    15_000,
  );
}

const forChannel = (method: string, channel: string) => slack.callsTo(method).filter((c) => c.args.channel === channel);
const forChat = (method: string, chatId: string) => telegram.callsOf(method).filter((c) => String(c.payload.chat_id) === chatId);

describe('outbound through the Slack sender', () => {
  test('card posted, then edited in place, then a reply in its thread', async () => {
    const channel = `C${randomUUID().slice(0, 8).toUpperCase()}`;
    const key = `ticket:${randomUUID()}:card`;
    const card = await outbound.send({ ref: { platform: 'slack', chatId: channel }, reply: { title: 'Ticket', text: 'new' }, messageKey: key });
    // Posted before the update is queued (a state still queued with its post would go with it, as one post).
    const cardRow = await waitRow(card, 'sent');
    const update = await outbound.send({ ref: { platform: 'slack', chatId: channel }, reply: { title: 'Ticket', text: 'acknowledged' }, messageKey: key });
    const note = await outbound.send({ ref: { platform: 'slack', chatId: channel }, reply: { text: 'SLA at risk' }, threadUnderKey: key });
    await waitRow(update, 'sent');
    await waitRow(note, 'sent');

    const posts = forChannel('chat.postMessage', channel);
    const updates = forChannel('chat.update', channel);
    assert.equal(posts.length, 2);
    assert.equal(updates.length, 1);
    assert.equal(updates[0]!.args.ts, cardRow.platformMessageId);
    assert.match(JSON.stringify(updates[0]!.args), /acknowledged/);
    assert.equal(posts[1]!.args.thread_ts, cardRow.platformMessageId);
    assert.match(String(posts[1]!.args.text ?? JSON.stringify(posts[1]!.args)), /SLA at risk/);
    // One chat: at least a second between consecutive calls.
    const times = [posts[0]!.at, updates[0]!.at, posts[1]!.at];
    assert.ok(times[1]! - times[0]! >= 950 && times[2]! - times[1]! >= 950, `gaps ${times[1]! - times[0]!}, ${times[2]! - times[1]!} ms`);
  });

  test('an HTTP 429 with Retry-After is waited out, then the post goes through once', async () => {
    const channel = `C${randomUUID().slice(0, 8).toUpperCase()}`;
    slack.rateLimit('chat.postMessage', 1, 1);
    const id = await outbound.send({ ref: { platform: 'slack', chatId: channel }, reply: { text: 'after the limit' } });
    const row = await waitRow(id, 'sent');
    const mine = forChannel('chat.postMessage', channel);
    assert.equal(mine.length, 2, 'the limited call and the retry');
    assert.ok(mine[1]!.at - mine[0]!.at >= 950, `retry after ${mine[1]!.at - mine[0]!.at} ms (Retry-After: 1)`);
    assert.equal(row.attempts, 2);
  });

  test('channel_not_found fails the row without retries', async () => {
    const channel = `C${randomUUID().slice(0, 8).toUpperCase()}`;
    slack.failWith('chat.postMessage', 'channel_not_found', 1);
    const id = await outbound.send({ ref: { platform: 'slack', chatId: channel }, reply: { text: 'nowhere' } });
    const row = await waitRow(id, 'failed');
    assert.match(row.error ?? '', /channel_not_found/);
    assert.equal(forChannel('chat.postMessage', channel).length, 1);
  });
});

describe('outbound through the Telegram sender', () => {
  test('card posted, edited in place, a reply to it, and a long text split', async () => {
    const chatId = String(200_000 + Math.floor(Math.random() * 1e8));
    const key = `alert:${randomUUID()}`;
    const card = await outbound.send({ ref: { platform: 'telegram', chatId }, reply: { title: 'Alert', text: 'firing' }, messageKey: key });
    // Posted before the update is queued (a state still queued with its post would go with it, as one post).
    const cardRow = await waitRow(card, 'sent');
    const update = await outbound.send({ ref: { platform: 'telegram', chatId }, reply: { title: 'Alert', text: 'resolved' }, messageKey: key });
    const note = await outbound.send({ ref: { platform: 'telegram', chatId }, reply: { text: 'see runbook' }, threadUnderKey: key });
    const long = await outbound.send({ ref: { platform: 'telegram', chatId }, reply: { text: 'x'.repeat(1500) } });
    await waitRow(update, 'sent');
    await waitRow(note, 'sent');
    const longRow = await waitRow(long, 'sent');

    const sends = forChat('sendMessage', chatId);
    const edits = forChat('editMessageText', chatId);
    assert.equal(edits.length, 1);
    assert.equal(String(edits[0]!.payload.message_id), cardRow.platformMessageId);
    assert.match(String(edits[0]!.payload.text), /resolved/);
    assert.equal(sends.length, 4, 'card, reply, and the long text in two parts');
    assert.deepEqual(sends[1]!.payload.reply_parameters, { message_id: Number(cardRow.platformMessageId), allow_sending_without_reply: true });
    assert.equal(longRow.attempts, 1);
    // In queue order, a second apart (the two parts of one reply are one send for the limiter).
    assert.ok(sends[0]!.at < edits[0]!.at && edits[0]!.at < sends[1]!.at && sends[1]!.at < sends[2]!.at);
    assert.ok(edits[0]!.at - sends[0]!.at >= 950 && sends[1]!.at - edits[0]!.at >= 950 && sends[2]!.at - sends[1]!.at >= 950);
  });

  test('429 retry_after is honoured', async () => {
    const chatId = String(300_000 + Math.floor(Math.random() * 1e8));
    telegram.failNext('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } }, 1);
    const id = await outbound.send({ ref: { platform: 'telegram', chatId }, reply: { text: 'eventually' } });
    const row = await waitRow(id, 'sent');
    const calls = forChat('sendMessage', chatId);
    assert.equal(calls.length, 2);
    assert.equal(calls[0]!.response.error_code, 429);
    assert.ok(calls[1]!.at - calls[0]!.at >= 950, `retry after ${calls[1]!.at - calls[0]!.at} ms`);
    assert.equal(row.attempts, 2);
  });
});
