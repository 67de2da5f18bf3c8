/**
 * Priority within one chat: with 50 normal (P3) cards queued for one Slack channel at the
 * published pace of one a second, an urgent (P0) card is among the next two sends, and the
 * rest keep their order; notices of one digest go as one message; queued states of one card
 * go as one call with the newest. Real Postgres, Redis, port and worker; a recording fake sender.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createDb, type Db } from '../../services/db.ts';
import { silentLogger } from '../../services/logger.ts';
import { createMetrics } from '../../services/metrics.ts';
import { Queues } from '../../services/queues.ts';
import { createOutbound, type OutboundPort } from '../../services/messaging/outbound.service.ts';
import { createOutboundQueue } from '../../bot/outbound/sender.processor.ts';
import { FakePlatformSender } from '../helpers/outbound-fake-sender.ts';
import { waitFor } from '../helpers/wait.ts';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from '../helpers/app.ts';
import { dropRedisKeys } from '../helpers/redis-keys.ts';

let db: Db;
let queues: Queues;
let outbound: OutboundPort;
let slack: FakePlatformSender;
const prefix = `t-outpr-${randomUUID().slice(0, 8)}`;

before(async () => {
  db = createDb(TEST_DATABASE_URL, { max: 5 });
  queues = new Queues({ redisUrl: TEST_REDIS_URL, prefix, logger: silentLogger() });
  await queues.connect();
  slack = new FakePlatformSender('slack');
  queues.register(createOutboundQueue({ db, logger: silentLogger(), metrics: createMetrics({ defaults: false }), senders: { slack }, redis: queues.producer }));
  queues.startWorkers();
  outbound = createOutbound({ db, queues });
});

after(async () => {
  await queues.close();
  await dropRedisKeys(TEST_REDIS_URL, prefix);
  await db.$disconnect();
});

test('an urgent card behind 50 normal cards for one channel goes within the next two sends', async () => {
  const chatId = `CPRIO${randomUUID().slice(0, 6).toUpperCase()}`;
  const ref = { platform: 'slack' as const, chatId };
  for (let i = 0; i < 50; i++) await outbound.send({ ref, reply: { text: `p3-${i}` }, messageKey: `ticket:p3-${i}:card` });
  await waitFor(() => slack.delivered.length >= 2, 'the first normal cards to go');
  const sentBefore = slack.delivered.length;
  await outbound.send({ ref, reply: { text: 'p0' }, messageKey: 'ticket:p0:card', priority: 'urgent' });
  await waitFor(() => slack.delivered.some((c) => c.reply.text === 'p0'), 'the urgent card');
  const at = slack.delivered.findIndex((c) => c.reply.text === 'p0');
  assert.ok(at <= sentBefore + 1, `the urgent card went as send ${at + 1}, with ${sentBefore} sent before it was queued`);
  const normals = slack.delivered.filter((c) => c.reply.text !== 'p0').map((c) => Number(c.reply.text.slice(3)));
  assert.deepEqual(normals, [...normals].sort((a, b) => a - b), 'the normal cards keep their order');
});

test('an urgent edit lifts the queued post it edits, which goes with its newest state, and one thread keeps its order', async () => {
  const chatId = `CPRIO${randomUUID().slice(0, 6).toUpperCase()}`;
  const ref = { platform: 'slack' as const, chatId };
  await outbound.send({ ref, reply: { text: 'first' }, messageKey: 'first' });
  await outbound.send({ ref, reply: { text: 'card' }, messageKey: 'k', priority: 'low' });
  await outbound.send({ ref, reply: { text: 'other' }, messageKey: 'other' });
  await outbound.send({ ref, reply: { text: 'card edited' }, messageKey: 'k', priority: 'urgent' });
  await outbound.send({ ref: { ...ref, threadId: '111.1' }, reply: { text: 'thread low' }, priority: 'low' });
  await outbound.send({ ref: { ...ref, threadId: '111.1' }, reply: { text: 'thread urgent' }, priority: 'urgent' });
  await waitFor(async () => (await db.outboundMessage.count({ where: { chatId, status: 'queued' } })) === 0, 'every row sent');
  const texts = slack.delivered.filter((c) => c.ref.chatId === chatId).map((c) => `${c.op}:${c.reply.text}`);
  const idx = (t: string) => texts.indexOf(t);
  // The post still queued when its edit came goes once, carrying the edit's state.
  assert.equal(texts.length, 5, texts.join(', '));
  assert.ok(idx('post:card edited') >= 0 && idx('post:card') < 0 && idx('edit:card edited') < 0, texts.join(', '));
  assert.ok(idx('post:thread low') < idx('post:thread urgent'), texts.join(', '));
  // The urgent edit lifts its post ahead of the normal message queued between them.
  assert.ok(idx('post:card edited') < idx('post:other'), texts.join(', '));
});

test('queued notices of one digest for one chat go out as one message, keyed and threaded rows alone', async () => {
  const chatId = `CDIG${randomUUID().slice(0, 6).toUpperCase()}`;
  const ref = { platform: 'slack' as const, chatId };
  // A card first, so the notices queue up behind it at the channel's pace.
  await outbound.send({ ref, reply: { text: 'card' }, messageKey: `card-${chatId}` });
  const ids: string[] = [];
  for (let i = 0; i < 30; i++) ids.push(await outbound.send({ ref, reply: { text: `SLA breached: #${i} ` }, digest: 'sla-notices' }));
  await outbound.send({ ref, reply: { text: 'thread note' }, threadUnderKey: `card-${chatId}`, digest: 'sla-notices' });
  await waitFor(async () => (await db.outboundMessage.count({ where: { chatId, status: 'queued' } })) === 0, 'every row sent', 60_000);
  const posts = slack.delivered.filter((c) => c.ref.chatId === chatId);
  const digests = posts.filter((c) => c.reply.text.startsWith('SLA breached'));
  // 30 notices in 25-row digests: two messages instead of thirty.
  assert.equal(digests.length, 2, posts.map((c) => c.reply.text.slice(0, 40)).join(' | '));
  const mentioned = digests.flatMap((c) => [...c.reply.text.matchAll(/#(\d+) /g)].map((m) => Number(m[1])));
  assert.deepEqual(mentioned, Array.from({ length: 30 }, (_, i) => i), 'each notice once, in stored order');
  assert.equal(posts.filter((c) => c.reply.text === 'thread note').length, 1, 'a threaded row goes out alone');
  // Every merged row is recorded sent with the message it went out in.
  const rows = await db.outboundMessage.findMany({ where: { id: { in: ids } }, select: { status: true, platformMessageId: true } });
  assert.ok(rows.every((r) => r.status === 'sent' && r.platformMessageId));
  assert.equal(new Set(rows.map((r) => r.platformMessageId)).size, 2);
});

test('queued states of one card collapse into one call carrying the newest, for a post and for edits', async () => {
  const chatId = `CCOAL${randomUUID().slice(0, 6).toUpperCase()}`;
  const ref = { platform: 'slack' as const, chatId };
  const key = `ticket:coal-${chatId}:card`;
  const ofChat = () => slack.delivered.filter((c) => c.ref.chatId === chatId);
  const drained = async () => (await db.outboundMessage.count({ where: { chatId, status: 'queued' } })) === 0;
  // Two other messages first, so the card's states queue up behind them at the channel's pace.
  await outbound.send({ ref, reply: { text: 'before-1' }, messageKey: `other-1-${chatId}` });
  await outbound.send({ ref, reply: { text: 'before-2' }, messageKey: `other-2-${chatId}` });
  const first: string[] = [];
  for (let v = 1; v <= 5; v++) first.push(await outbound.send({ ref, reply: { text: `card v${v}` }, messageKey: key }));
  await waitFor(drained, 'every row sent', 60_000);
  const posted = ofChat().filter((c) => c.reply.text.startsWith('card'));
  assert.deepEqual(posted.map((c) => `${c.op}:${c.reply.text}`), ['post:card v5'], 'one post, with the newest state');
  const rows = await db.outboundMessage.findMany({ where: { id: { in: first } }, select: { status: true, platformMessageId: true } });
  assert.ok(rows.every((r) => r.status === 'sent' && r.platformMessageId === posted[0]!.messageId), JSON.stringify(rows));

  // The card is out now: later states queued behind other traffic go out as one edit of it.
  await outbound.send({ ref, reply: { text: 'between' }, messageKey: `other-3-${chatId}` });
  for (let v = 6; v <= 9; v++) await outbound.send({ ref, reply: { text: `card v${v}` }, messageKey: key });
  await waitFor(drained, 'every later row sent', 60_000);
  const all = ofChat().filter((c) => c.reply.text.startsWith('card')).map((c) => `${c.op}:${c.reply.text}`);
  assert.deepEqual(all, ['post:card v5', 'edit:card v9'], 'one edit, with the newest state');
  assert.equal(ofChat().filter((c) => c.op === 'edit')[0]!.messageId, posted[0]!.messageId, 'the edit is of the posted card');
});
