/**
 * The outbound sender against real Postgres and Redis, with a recording fake PlatformSender:
 * requests go through the real OutboundPort (row + queued job) and the real worker.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createDb, type Db } from '../../services/db.ts';
import { silentLogger } from '../../services/logger.ts';
import { createMetrics, type Metrics } from '../../services/metrics.ts';
import { Queues } from '../../services/queues.ts';
import {
  OUTBOUND_QUEUE,
  PermanentSendError,
  RateLimitedError,
  createOutbound,
  outboundJobId,
  type OutboundPort,
} from '../../services/messaging/outbound.service.ts';
import type { OutboundRequest } from '../../services/messaging/types.ts';
import { createOutboundQueue, type OutboundQueueDeps } from '../../bot/outbound/sender.processor.ts';
import { FakePlatformSender } from '../helpers/outbound-fake-sender.ts';
import { waitFor } from '../helpers/wait.ts';
import { DEFAULT_TEST_DATABASE_URL } from '../helpers/test-db.ts';
import { dropRedisKeys } from '../helpers/redis-keys.ts';

const DATABASE_URL = process.env.DATABASE_URL ?? DEFAULT_TEST_DATABASE_URL;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

let db: Db;
before(() => {
  db = createDb(DATABASE_URL, { max: 5 });
});
after(async () => {
  await db.$disconnect();
});

interface Harness {
  queues: Queues;
  outbound: OutboundPort;
  metrics: Metrics;
  slack: FakePlatformSender;
  telegram: FakePlatformSender;
  stop(): Promise<void>;
}

/** A fresh queue prefix, the real OutboundPort and the sender worker with fake platform senders. */
async function start(extra: Partial<Pick<OutboundQueueDeps, 'limits' | 'options'>> = {}): Promise<Harness> {
  const prefix = `t-out-${randomUUID().slice(0, 8)}`;
  const queues = new Queues({ redisUrl: REDIS_URL, prefix, logger: silentLogger() });
  await queues.connect();
  const metrics = createMetrics({ defaults: false });
  const slack = new FakePlatformSender('slack');
  const telegram = new FakePlatformSender('telegram');
  queues.register(
    createOutboundQueue({ db, logger: silentLogger(), metrics, senders: { slack, telegram }, redis: queues.producer, ...extra }),
  );
  queues.startWorkers();
  const outbound = createOutbound({ db, queues });
  return {
    queues,
    outbound,
    metrics,
    slack,
    telegram,
    async stop() {
      await queues.close();
      await dropRedisKeys(REDIS_URL, prefix);
    },
  };
}

const chat = () => `C${randomUUID().slice(0, 8).toUpperCase()}`;

const req = (chatId: string, text: string, more: Partial<OutboundRequest> = {}): OutboundRequest => ({
  ref: { platform: 'slack', chatId },
  reply: { text },
  ...more,
});

async function waitRow(id: string, status: 'sent' | 'failed', timeoutMs = 15_000) {
  return waitFor(
    async () => {
      const row = await db.outboundMessage.findUnique({ where: { id } });
      return row?.status === status ? row : null;
    },
    `outbound ${id} ${status}`,
    timeoutMs,
  );
}

async function jobState(h: Harness, jobId: string): Promise<string> {
  return h.queues.queue(OUTBOUND_QUEUE).getJobState(jobId);
}

async function counter(m: Metrics, labels: { platform: string; op: string; outcome: string }): Promise<number> {
  const { values } = await m.outboundMessages.get();
  const v = values.find((x) => x.labels.platform === labels.platform && x.labels.op === labels.op && x.labels.outcome === labels.outcome);
  return v?.value ?? 0;
}

describe('outbound sender', () => {
  test('posts a keyed message, then edits the same message for the next update with that key', async () => {
    const h = await start();
    try {
      const c = chat();
      const key = `ticket:${randomUUID()}:card`;
      const first = await h.outbound.send(req(c, 'card v1', { messageKey: key }));
      const row1 = await waitRow(first, 'sent');
      assert.equal(h.slack.delivered.length, 1);
      const posted = h.slack.delivered[0]!;
      assert.equal(posted.op, 'post');
      assert.equal(posted.ref.chatId, c);
      assert.equal(posted.reply.text, 'card v1');
      assert.equal(row1.platformMessageId, posted.messageId);
      assert.equal(row1.attempts, 1);
      assert.ok(row1.sentAt);
      const link = await db.messageLink.findUnique({ where: { messageKey_platform_chatId: { messageKey: key, platform: 'slack', chatId: c } } });
      assert.equal(link?.platformMessageId, posted.messageId);

      const second = await h.outbound.send(req(c, 'card v2', { messageKey: key }));
      const row2 = await waitRow(second, 'sent');
      assert.equal(h.slack.delivered.length, 2);
      const edited = h.slack.delivered[1]!;
      assert.equal(edited.op, 'edit');
      assert.equal(edited.messageId, posted.messageId);
      assert.equal(edited.reply.text, 'card v2');
      assert.equal(row2.platformMessageId, posted.messageId);
      assert.equal(await counter(h.metrics, { platform: 'slack', op: 'post', outcome: 'sent' }), 1);
      assert.equal(await counter(h.metrics, { platform: 'slack', op: 'edit', outcome: 'sent' }), 1);
    } finally {
      await h.stop();
    }
  });

  test('updates with one key queued back to back give one post and then edits, in order, states still queued folded into the newest', async () => {
    const h = await start({ limits: { slack: { perChat: { count: 1, windowMs: 100 } } } });
    try {
      const c = chat();
      const key = `card:${randomUUID()}`;
      const ids: string[] = [];
      for (let i = 1; i <= 3; i++) ids.push(await h.outbound.send(req(c, `v${i}`, { messageKey: key })));
      for (const id of ids) await waitRow(id, 'sent');
      const calls = h.slack.delivered.map((x) => [x.op, x.reply.text]);
      // A state still queued when an earlier one gets its turn goes with it (only the newest counts).
      assert.equal(calls[0]![0], 'post', JSON.stringify(calls));
      assert.ok(calls.slice(1).every(([op]) => op === 'edit'), JSON.stringify(calls));
      const versions = calls.map(([, text]) => Number(String(text).slice(1)));
      assert.deepEqual(versions, [...versions].sort((a, b) => a - b), 'states in stored order');
      assert.equal(versions.at(-1), 3, 'the newest state is the last one delivered');
      const postedId = h.slack.delivered[0]!.messageId;
      assert.ok(h.slack.delivered.every((x) => x.messageId === postedId));
    } finally {
      await h.stop();
    }
  });

  test('a keyed message the platform can no longer edit is posted anew and re-linked', async () => {
    const h = await start({ limits: { slack: { perChat: { count: 1, windowMs: 100 } } } });
    try {
      const c = chat();
      const key = `card:${randomUUID()}`;
      const first = await h.outbound.send(req(c, 'v1', { messageKey: key }));
      await waitRow(first, 'sent');
      h.slack.failNext(() => new PermanentSendError('message_not_found'));
      const second = await h.outbound.send(req(c, 'v2', { messageKey: key }));
      const row = await waitRow(second, 'sent');
      assert.deepEqual(
        h.slack.calls.map((x) => [x.op, x.reply.text, x.error ?? 'ok']),
        [
          ['post', 'v1', 'ok'],
          ['edit', 'v2', 'message_not_found'],
          ['post', 'v2', 'ok'],
        ],
      );
      const reposted = h.slack.calls[2]!.messageId;
      assert.notEqual(reposted, h.slack.calls[0]!.messageId);
      assert.equal(row.platformMessageId, reposted);
      assert.equal(row.attempts, 2);
      const link = await db.messageLink.findUnique({ where: { messageKey_platform_chatId: { messageKey: key, platform: 'slack', chatId: c } } });
      assert.equal(link?.platformMessageId, reposted);
      // The next update edits the new message.
      const third = await h.outbound.send(req(c, 'v3', { messageKey: key }));
      await waitRow(third, 'sent');
      assert.deepEqual([h.slack.calls[3]!.op, h.slack.calls[3]!.messageId], ['edit', reposted]);
    } finally {
      await h.stop();
    }
  });

  test('an explicit editMessageId edits that message and re-points the key', async () => {
    const h = await start();
    try {
      const c = chat();
      const key = `k:${randomUUID()}`;
      const id = await h.outbound.send(req(c, 'replaced', { messageKey: key, editMessageId: 'given-ts-1' }));
      const row = await waitRow(id, 'sent');
      assert.deepEqual(
        h.slack.delivered.map((x) => [x.op, x.messageId]),
        [['edit', 'given-ts-1']],
      );
      assert.equal(row.platformMessageId, 'given-ts-1');
      const link = await db.messageLink.findUnique({ where: { messageKey_platform_chatId: { messageKey: key, platform: 'slack', chatId: c } } });
      assert.equal(link?.platformMessageId, 'given-ts-1');
    } finally {
      await h.stop();
    }
  });

  test('threadUnderKey posts as a reply to the keyed message, in its thread', async () => {
    const h = await start({ limits: { telegram: { perChat: { count: 1, windowMs: 100 } } } });
    try {
      const c = String(100000 + Math.floor(Math.random() * 1e8));
      const key = `alert:${randomUUID()}`;
      const cardId = await h.outbound.send({ ref: { platform: 'telegram', chatId: c, threadId: '7' }, reply: { text: 'card' }, messageKey: key });
      const replyId = await h.outbound.send({ ref: { platform: 'telegram', chatId: c }, reply: { text: 'update' }, threadUnderKey: key });
      const loose = await h.outbound.send({ ref: { platform: 'telegram', chatId: c }, reply: { text: 'no parent' }, threadUnderKey: `missing:${randomUUID()}` });
      await waitRow(cardId, 'sent');
      await waitRow(replyId, 'sent');
      await waitRow(loose, 'sent');
      const [card, reply, plain] = h.telegram.delivered;
      assert.equal(card?.reply.text, 'card');
      assert.equal(reply?.reply.text, 'update');
      assert.equal(reply?.op, 'post');
      assert.equal(reply?.replyToMessageId, card?.messageId);
      assert.equal(reply?.ref.threadId, '7', 'the reply goes to the thread its parent lives in');
      assert.equal(plain?.reply.text, 'no parent');
      assert.equal(plain?.replyToMessageId, undefined);
      assert.equal(h.slack.calls.length, 0);
    } finally {
      await h.stop();
    }
  });

  test('a job delivered twice (at once, and again later) sends once', async () => {
    const h = await start();
    try {
      const c = chat();
      h.slack.delayMs = 200; // keeps the first send in flight while the copy runs
      const id = await h.outbound.send(req(c, 'once'));
      await h.queues.add(OUTBOUND_QUEUE, { outboundId: id }, { jobId: `dup1-${id}` });
      await waitRow(id, 'sent');
      await waitFor(async () => (await jobState(h, `dup1-${id}`)) === 'completed', 'copy completed');
      await waitFor(async () => (await jobState(h, outboundJobId(id))) === 'completed', 'original completed');
      await h.queues.add(OUTBOUND_QUEUE, { outboundId: id }, { jobId: `dup2-${id}` });
      await waitFor(async () => (await jobState(h, `dup2-${id}`)) === 'completed', 'late copy completed');
      assert.equal(h.slack.calls.length, 1);
      assert.equal(h.slack.maxInFlight, 1);
      const returned = await Promise.all(
        [outboundJobId(id), `dup1-${id}`, `dup2-${id}`].map(async (j) => (await h.queues.queue(OUTBOUND_QUEUE).getJob(j))?.returnvalue as { outcome: string }),
      );
      assert.deepEqual(returned.map((r) => r.outcome).sort(), ['sent', 'skipped', 'skipped']);
    } finally {
      await h.stop();
    }
  });

  test('a 429 delays the message by Retry-After, then it is sent', async () => {
    const h = await start();
    try {
      const c = chat();
      h.slack.failNext(() => new RateLimitedError(1500));
      const id = await h.outbound.send(req(c, 'slow down'));
      const row = await waitRow(id, 'sent');
      assert.equal(h.slack.calls.length, 2);
      const [limited, ok] = h.slack.calls;
      assert.match(limited!.error ?? '', /rate limited/);
      assert.equal(ok!.error, undefined);
      assert.ok(ok!.at - limited!.at >= 1400, `retry waited ${ok!.at - limited!.at} ms, Retry-After was 1500`);
      assert.equal(row.attempts, 2);
      assert.equal(row.error, null);
      assert.equal(await counter(h.metrics, { platform: 'slack', op: 'post', outcome: 'rate_limited' }), 1);
      assert.equal(await counter(h.metrics, { platform: 'slack', op: 'post', outcome: 'sent' }), 1);
    } finally {
      await h.stop();
    }
  });

  test('a 429 holds back the whole chat: the next message waits behind it, in order', async () => {
    // Grace 0: the waiting message checks its predecessor's job at once and must find it alive.
    const h = await start({ options: { orphanGraceMs: 0 } });
    try {
      const c = chat();
      h.slack.failNext(() => new RateLimitedError(1500));
      const a = await h.outbound.send(req(c, 'first'));
      const b = await h.outbound.send(req(c, 'second'));
      await waitRow(b, 'sent');
      await waitRow(a, 'sent');
      assert.deepEqual(
        h.slack.calls.map((x) => [x.reply.text, x.error ? 'limited' : 'ok']),
        [
          ['first', 'limited'],
          ['first', 'ok'],
          ['second', 'ok'],
        ],
      );
      assert.ok(h.slack.calls[2]!.at - h.slack.calls[1]!.at >= 950);
    } finally {
      await h.stop();
    }
  });

  test('repeated 429s give up after the attempt bound and mark the row failed', async () => {
    const h = await start({ options: { maxAttempts: 3 } });
    try {
      const c = chat();
      h.slack.failNext(() => new RateLimitedError(100), 10);
      const id = await h.outbound.send(req(c, 'never'));
      const row = await waitRow(id, 'failed');
      await waitFor(async () => (await jobState(h, outboundJobId(id))) === 'failed', 'job failed');
      assert.equal(h.slack.calls.length, 3);
      assert.equal(row.attempts, 3);
      assert.match(row.error ?? '', /gave up after 3 attempts/);
      assert.equal(await counter(h.metrics, { platform: 'slack', op: 'post', outcome: 'failed' }), 1);
    } finally {
      await h.stop();
    }
  });

  test('a PermanentSendError fails the row at once, without retries', async () => {
    const h = await start();
    try {
      const c = chat();
      h.slack.failNext(() => new PermanentSendError('channel_not_found'));
      const id = await h.outbound.send(req(c, 'nowhere'));
      const row = await waitRow(id, 'failed');
      await waitFor(async () => (await jobState(h, outboundJobId(id))) === 'failed', 'job failed');
      const job = await h.queues.queue(OUTBOUND_QUEUE).getJob(outboundJobId(id));
      assert.equal(job?.attemptsMade, 1);
      assert.equal(h.slack.calls.length, 1);
      assert.equal(row.attempts, 1);
      assert.match(row.error ?? '', /channel_not_found/);
      // The chat is not blocked by the failed row.
      const next = await h.outbound.send(req(c, 'after'));
      await waitRow(next, 'sent');
      assert.equal(h.slack.delivered.at(-1)?.reply.text, 'after');
    } finally {
      await h.stop();
    }
  });

  test('a transient error is retried with backoff and then sent', async () => {
    const h = await start();
    try {
      const c = chat();
      h.slack.failNext(() => new Error('socket hang up'));
      const id = await h.outbound.send(req(c, 'retry me'));
      const row = await waitRow(id, 'sent');
      assert.equal(h.slack.calls.length, 2);
      assert.equal(row.attempts, 2);
      assert.equal(await counter(h.metrics, { platform: 'slack', op: 'post', outcome: 'error' }), 1);
    } finally {
      await h.stop();
    }
  });

  test('ten messages to one chat go out in order, at least a second apart', async (t) => {
    const h = await start();
    try {
      const c = chat();
      const ids: string[] = [];
      for (let i = 0; i < 10; i++) ids.push(await h.outbound.send(req(c, `m${i}`)));
      for (const id of ids) await waitRow(id, 'sent', 30_000);
      const sent = h.slack.delivered;
      assert.deepEqual(
        sent.map((x) => x.reply.text),
        ids.map((_, i) => `m${i}`),
      );
      const gaps = sent.slice(1).map((x, i) => x.at - sent[i]!.at);
      t.diagnostic(`gaps between sends: ${gaps.join(', ')} ms`);
      // The limiter counts in Redis time a few ms before the call arrives here; allow that jitter.
      assert.ok(
        gaps.every((g) => g >= 950),
        `gaps between sends: ${gaps.join(', ')} ms`,
      );
      assert.equal(h.slack.maxInFlight, 1);
    } finally {
      await h.stop();
    }
  });

  test('messages to different chats are not held back by each other', async () => {
    const h = await start();
    try {
      const a = chat();
      const b = chat();
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        ids.push(await h.outbound.send(req(a, `a${i}`)));
        ids.push(await h.outbound.send(req(b, `b${i}`)));
      }
      for (const id of ids) await waitRow(id, 'sent', 20_000);
      const sent = h.slack.delivered;
      const inA = sent.filter((x) => x.ref.chatId === a);
      const inB = sent.filter((x) => x.ref.chatId === b);
      assert.deepEqual(inA.map((x) => x.reply.text), ['a0', 'a1', 'a2']);
      assert.deepEqual(inB.map((x) => x.reply.text), ['b0', 'b1', 'b2']);
      // Chat b's first message does not wait for chat a's slot: it goes before a's second one.
      assert.ok(inB[0]!.at < inA[1]!.at, 'chat b was served while chat a waited for its next slot');
      assert.ok(inA[0]!.at < inB[1]!.at, 'chat a was served while chat b waited for its next slot');
    } finally {
      await h.stop();
    }
  });

  test('the platform-wide window holds across chats as the sender sees the calls', async () => {
    const h = await start({ limits: { slack: { global: { count: 5, windowMs: 1000 } } } });
    try {
      const ids: string[] = [];
      for (let i = 0; i < 15; i++) ids.push(await h.outbound.send(req(chat(), `w${i}`)));
      for (const id of ids) await waitRow(id, 'sent', 20_000);
      const times = h.slack.delivered.map((x) => x.at).sort((a, b) => a - b);
      assert.equal(times.length, 15);
      let most = 0;
      for (let i = 0, j = 0; i < times.length; i++) {
        while (times[i]! - times[j]! >= 1000) j++;
        most = Math.max(most, i - j + 1);
      }
      assert.ok(most <= 5, `${most} sends within one second (limit 5)`);
      assert.ok(times.at(-1)! - times[0]! >= 2000, 'three windows of five');
    } finally {
      await h.stop();
    }
  });

  test('a group chat also keeps its per-group window (configured limits)', async () => {
    const h = await start({
      limits: {
        telegram: {
          perChat: { count: 1, windowMs: 100 },
          group: { count: 2, windowMs: 2000, chatIdPattern: '^-' },
        },
      },
    });
    try {
      const group = `-100${Math.floor(Math.random() * 1e9)}`;
      const direct = String(Math.floor(Math.random() * 1e9) + 1);
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push(await h.outbound.send({ ref: { platform: 'telegram', chatId: group }, reply: { text: `g${i}` } }));
      for (let i = 0; i < 3; i++) ids.push(await h.outbound.send({ ref: { platform: 'telegram', chatId: direct }, reply: { text: `d${i}` } }));
      for (const id of ids) await waitRow(id, 'sent', 20_000);
      const g = h.telegram.delivered.filter((x) => x.ref.chatId === group);
      const d = h.telegram.delivered.filter((x) => x.ref.chatId === direct);
      assert.deepEqual(g.map((x) => x.reply.text), ['g0', 'g1', 'g2']);
      // Two per 2 s in the group: the third waits for the first to leave the window.
      assert.ok(g[2]!.at - g[0]!.at >= 1950, `third group message after ${g[2]!.at - g[0]!.at} ms`);
      // The private chat only has its 100 ms spacing.
      assert.ok(d[2]!.at - d[0]!.at < 1950, `private chat took ${d[2]!.at - d[0]!.at} ms for three messages`);
    } finally {
      await h.stop();
    }
  });

  test('an earlier row whose queue job is gone is queued again and goes first: the chat order holds', async () => {
    const h = await start({ options: { orphanGraceMs: 1000 } });
    try {
      const c = chat();
      // A row stored but never queued (e.g. Redis was down right after the insert).
      const orphan = await db.outboundMessage.create({
        data: { platform: 'slack', chatId: c, reply: { ref: { platform: 'slack', chatId: c }, reply: { text: 'lost' } }, createdAt: new Date(Date.now() - 60_000) },
      });
      const id = await h.outbound.send(req(c, 'still goes'));
      await waitRow(id, 'sent');
      const o = await db.outboundMessage.findUnique({ where: { id: orphan.id } });
      assert.equal(o?.status, 'sent');
      assert.deepEqual(h.slack.calls.map((x) => x.reply.text), ['lost', 'still goes']);
      assert.equal(await counter(h.metrics, { platform: 'slack', op: 'post', outcome: 'requeued' }), 1);
    } finally {
      await h.stop();
    }
  });

  test('an earlier row stranded past giving up is failed and does not block the chat for good', async () => {
    const h = await start({ options: { orphanGraceMs: 1000, strandedGiveUpMs: 30_000 } });
    try {
      const c = chat();
      const orphan = await db.outboundMessage.create({
        data: { platform: 'slack', chatId: c, reply: { ref: { platform: 'slack', chatId: c }, reply: { text: 'lost' } }, createdAt: new Date(Date.now() - 60_000) },
      });
      const id = await h.outbound.send(req(c, 'still goes'));
      await waitRow(id, 'sent');
      const o = await db.outboundMessage.findUnique({ where: { id: orphan.id } });
      assert.equal(o?.status, 'failed');
      assert.match(o?.error ?? '', /queue job unknown/);
      assert.deepEqual(h.slack.calls.map((x) => x.reply.text), ['still goes']);
    } finally {
      await h.stop();
    }
  });

  test('a message for a platform without a sender fails with a reason', async () => {
    const h = await start();
    try {
      const id = await h.outbound.send({ ref: { platform: 'terminal', chatId: `s-${randomUUID()}` }, reply: { text: 'x' } });
      const row = await waitRow(id, 'failed');
      assert.match(row.error ?? '', /no sender configured for terminal/);
    } finally {
      await h.stop();
    }
  });
});
