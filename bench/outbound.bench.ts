/**
 * The outbound sender with an in-process recording sender (no network), real Postgres and
 * Redis, one worker process:
 * 1. spacing: 20 messages to one chat at the default 1/s: gaps between sends (min, p50, max);
 * 2. platform-wide limit: 240 messages to 240 chats at the default 30/s: achieved rate and the
 *    most sends seen in any 1 s window (must not exceed 30);
 * 3. overhead: limits lifted, 2,000 messages over 200 chats: messages/s the sender itself
 *    sustains (row load, order check, lock, limiter, row update per message).
 *
 *   node --import tsx bench/outbound.bench.ts [--overhead 2000] [--chats 200]
 *
 * Uses the a2d2_test database and removes its rows afterwards.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createRedis } from '../services/redis.ts';
import { createDb } from '../services/db.ts';
import { silentLogger } from '../services/logger.ts';
import { createMetrics } from '../services/metrics.ts';
import { Queues } from '../services/queues.ts';
import { createOutbound } from '../services/messaging/outbound.service.ts';
import type { OutboundLimitsOverride } from '../services/messaging/outbound.config.ts';
import { createOutboundQueue } from '../bot/outbound/sender.processor.ts';
import { FakePlatformSender } from '../test/helpers/outbound-fake-sender.ts';

const { values } = parseArgs({ options: { overhead: { type: 'string', default: '2000' }, chats: { type: 'string', default: '200' } } });
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/a2d2_test';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const tag = `bench${randomUUID().slice(0, 6)}`;
const db = createDb(DATABASE_URL, { max: 20 });

async function run(name: string, limits: OutboundLimitsOverride | undefined, messages: Array<{ chatId: string; text: string }>, batch = 50) {
  const prefix = `b-out-${randomUUID().slice(0, 8)}`;
  const queues = new Queues({ redisUrl: REDIS_URL, prefix, logger: silentLogger() });
  await queues.connect();
  const sender = new FakePlatformSender('slack');
  queues.register(
    createOutboundQueue({ db, logger: silentLogger(), metrics: createMetrics({ defaults: false }), senders: { slack: sender }, redis: queues.producer, ...(limits ? { limits } : {}) }),
  );
  const outbound = createOutbound({ db, queues });
  // Everything is queued first, then the worker starts: the run measures the sender alone.
  // Queue order within a batch is the order the inserts land in; batch 1 keeps the list's order.
  for (let i = 0; i < messages.length; i += batch) {
    await Promise.all(messages.slice(i, i + batch).map((m) => outbound.send({ ref: { platform: 'slack', chatId: m.chatId }, reply: { text: m.text } })));
  }
  const started = Date.now();
  queues.startWorkers();
  const deadline = started + 600_000;
  while (sender.delivered.length < messages.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const elapsed = (Date.now() - started) / 1000;
  await queues.close();
  const redis = createRedis({ url: REDIS_URL });
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
  console.log(`\n${name}: ${sender.delivered.length}/${messages.length} sent in ${elapsed.toFixed(2)} s (${(sender.delivered.length / elapsed).toFixed(1)} msg/s)`);
  return sender.delivered;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

try {
  // 1. spacing in one chat
  const one = `${tag}-one`;
  const spaced = await run('one chat, default limits', undefined, Array.from({ length: 20 }, (_, i) => ({ chatId: one, text: `m${i}` })), 1);
  const gaps = spaced
    .slice(1)
    .map((c, i) => c.at - spaced[i]!.at)
    .sort((a, b) => a - b);
  const inOrder = spaced.every((c, i) => c.reply.text === `m${i}`);
  console.log(`  gaps ms: min ${gaps[0]}, p50 ${pct(gaps, 50)}, max ${gaps.at(-1)}; in order: ${inOrder}`);

  // 2. the platform-wide window
  const wide = await run('240 chats, default limits (30/s per token)', undefined, Array.from({ length: 240 }, (_, i) => ({ chatId: `${tag}-w${i}`, text: 'x' })));
  const times = wide.map((c) => c.at).sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= 1000) j++;
    most = Math.max(most, i - j + 1);
  }
  console.log(`  most sends in any 1 s window: ${most} (limit 30)`);

  // 3. the sender's own overhead
  const n = Number(values.overhead);
  const chats = Number(values.chats);
  const lifted: OutboundLimitsOverride = { slack: { perChat: { count: 1_000_000, windowMs: 1000 }, global: { count: 1_000_000, windowMs: 1000 } } };
  await run(
    `${n} messages over ${chats} chats, limits lifted`,
    lifted,
    Array.from({ length: n }, (_, i) => ({ chatId: `${tag}-o${i % chats}`, text: `m${i}` })),
  );
} finally {
  await db.outboundMessage.deleteMany({ where: { chatId: { startsWith: tag } } });
  await db.$disconnect();
}
