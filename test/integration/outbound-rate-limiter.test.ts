/**
 * The shared outbound rate limiter on real Redis: windows per chat, per group and per
 * platform, the 429 block, and two processes' limiters sharing one state.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { createRedis } from '../../services/redis.ts';
import { createRateLimiter, type ChatTarget, type OutboundLimits, type RateLimiter } from '../../bot/outbound/rate-limiter.ts';
import { tryLock } from '../../bot/outbound/chat-lock.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `t-rl-${randomUUID().slice(0, 8)}`;
let redis: Redis;
let other: Redis;

before(() => {
  redis = createRedis({ url: REDIS_URL });
  other = createRedis({ url: REDIS_URL });
});
after(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
  other.disconnect();
});

const limits: OutboundLimits = {
  telegram: {
    perChat: { count: 1, windowMs: 1000 },
    group: { count: 3, windowMs: 60_000, chatIdPattern: '^-' },
    global: { count: 5, windowMs: 60_000 },
  },
  slack: {
    perChat: { count: 2, windowMs: 60_000 },
    global: { count: 100, windowMs: 1000 },
  },
};

const ns = () => `${prefix}:${randomUUID().slice(0, 6)}`;

/** 0 when granted (the send is finished at once), else the wait. */
async function take(rl: RateLimiter, chat: ChatTarget): Promise<number> {
  const a = await rl.acquire(chat);
  if (!a.granted) return a.waitMs;
  await a.finish();
  return 0;
}

test('one send per chat window; the answer says how long to wait', async () => {
  const rl = createRateLimiter({ redis, keyPrefix: ns(), limits });
  const chat = { platform: 'telegram' as const, chatId: '42' };
  assert.equal(await take(rl, chat), 0);
  const wait = await take(rl, chat);
  assert.ok(wait > 900 && wait <= 1000, `wait ${wait}`);
  // Another chat is not affected.
  assert.equal(await take(rl, { platform: 'telegram', chatId: '43' }), 0);
});

test('the chat window counts a send from when the platform call returned', async () => {
  const rl = createRateLimiter({ redis, keyPrefix: ns(), limits });
  const chat = { platform: 'telegram' as const, chatId: '77' };
  const slot = await rl.acquire(chat);
  const acquired = Date.now();
  assert.equal(slot.granted, true);
  await new Promise((r) => setTimeout(r, 800)); // a slow call
  const finishing = Date.now();
  if (slot.granted) await slot.finish();
  const wait = await take(rl, chat);
  const asked = Date.now();
  // Redis stamps the finish and the next ask between these client clocks (same host), so a
  // window counted from the finish leaves at least 1000 - (asked - finishing) ms, however
  // slow the machine; one counted from the acquire would leave at most 1000 - (finishing - acquired).
  assert.ok(wait <= 1000, `wait ${wait}`);
  assert.ok(wait >= 1000 - (asked - finishing), `wait ${wait} counted from the end of the slow call (${asked - finishing} ms since)`);
  assert.ok(wait > 1000 - (finishing - acquired), `wait ${wait} longer than a window counted from the acquire (${finishing - acquired} ms before the finish)`);
});

test('a window allows `count` sends, then waits for the oldest to leave it', async () => {
  const rl = createRateLimiter({ redis, keyPrefix: ns(), limits });
  const chat = { platform: 'slack' as const, chatId: 'C1' };
  assert.equal(await take(rl, chat), 0);
  assert.equal(await take(rl, chat), 0);
  const wait = await take(rl, chat);
  assert.ok(wait > 59_000 && wait <= 60_000, `wait ${wait}`);
});

test('group chats (matching the pattern) also count against the group window', async () => {
  const rl = createRateLimiter({ redis, keyPrefix: ns(), limits: { telegram: { ...limits.telegram!, perChat: { count: 10, windowMs: 1000 } } } });
  const group = { platform: 'telegram' as const, chatId: '-1001' };
  const direct = { platform: 'telegram' as const, chatId: '1001' };
  for (let i = 0; i < 3; i++) assert.equal(await take(rl, group), 0);
  assert.ok((await take(rl, group)) > 59_000, 'fourth group message in a minute waits');
  for (let i = 0; i < 2; i++) assert.equal(await take(rl, direct), 0, 'a private chat has no group window');
});

test('the platform-wide window spans chats, and a refused send takes no slot', async () => {
  const key = ns();
  const rl = createRateLimiter({ redis, keyPrefix: key, limits });
  for (let i = 0; i < 5; i++) assert.equal(await take(rl, { platform: 'telegram', chatId: `${i + 1}` }), 0);
  assert.ok((await take(rl, { platform: 'telegram', chatId: '99' })) > 0, 'sixth chat waits for the global window');
  // Slack has its own window.
  assert.equal(await take(rl, { platform: 'slack', chatId: 'C9' }), 0);
  // The refused chat 99 took nothing: neither its own window nor a global slot.
  assert.equal(await redis.zcard(`${key}:chat:telegram:99`), 0);
  assert.equal(await redis.zcard(`${key}:global:telegram`), 5);
  assert.equal(await redis.zcard(`${key}:chat:telegram:1`), 1);
});

test('a 429 block holds the chat back for its duration and is never shortened', async () => {
  const rl = createRateLimiter({ redis, keyPrefix: ns(), limits });
  const chat = { platform: 'telegram' as const, chatId: '7' };
  await rl.block(chat, 5000);
  await rl.block(chat, 100);
  const wait = await take(rl, chat);
  assert.ok(wait > 4800 && wait <= 5000, `wait ${wait}`);
  // A platform without limits is still held back by a block.
  const free = createRateLimiter({ redis, keyPrefix: ns(), limits: {} });
  const term = { platform: 'terminal' as const, chatId: 's' };
  assert.equal(await take(free, term), 0);
  assert.equal(await take(free, term), 0);
  await free.block(term, 2000);
  assert.ok((await take(free, term)) > 1800);
});

test('limiters on two connections (two workers) share one state', async () => {
  const key = ns();
  const a = createRateLimiter({ redis, keyPrefix: key, limits });
  const b = createRateLimiter({ redis: other, keyPrefix: key, limits });
  const chat = { platform: 'telegram' as const, chatId: '5' };
  const results = await Promise.all([take(a, chat), take(b, chat), take(a, chat), take(b, chat)]);
  assert.equal(results.filter((w) => w === 0).length, 1, `exactly one send granted: ${results.join(', ')}`);
});

test('the chat lock admits one holder and only the holder releases it', async () => {
  const key = `${ns()}:lock`;
  const first = await tryLock(redis, key, 5000);
  assert.ok(first);
  assert.equal(await tryLock(other, key, 5000), null);
  await first.release();
  const second = await tryLock(other, key, 5000);
  assert.ok(second, 'a released lock can be taken');
  await second.release();

  // A living holder keeps its lock past the expiry (it is renewed while held).
  const living = await tryLock(redis, key, 600);
  assert.ok(living);
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(await tryLock(other, key, 5000), null, 'a held lock is renewed');
  await living.release();

  // A holder whose lock expired (its renewals stopped, as when its process froze) must not free the next holder's lock.
  const stale = await tryLock(redis, key, 5000);
  assert.ok(stale);
  await redis.del(key);
  const next = await tryLock(other, key, 5000);
  assert.ok(next, 'an expired lock can be taken');
  await stale.release();
  assert.equal(await tryLock(redis, key, 5000), null);
  await next.release();
});
