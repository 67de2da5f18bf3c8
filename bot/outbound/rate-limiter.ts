/**
 * Send-rate limits kept in Redis, so every worker process of one install shares them.
 *
 * Each limit is a sliding window: at most `count` sends in any `windowMs`. A window lives in a
 * sorted set of send times; one Lua script checks every window that applies to a chat (the
 * chat's own, its group's if the chat id matches the platform's group pattern, and the
 * platform-wide one) plus a "blocked until" mark set after a 429, and either takes a slot in
 * all of them at once or answers how long to wait. Nothing is reserved ahead of time, so a
 * chat that must wait never holds back other chats. When the platform call returns, its
 * slots are moved to that moment, so the limits hold as the platform sees them even when a
 * call was slow on the wire or its start was late (a busy event loop). Times come from the Redis server clock, so workers
 * with skewed clocks agree.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { OutboundLimitsOverride } from '../../services/messaging/outbound.config.ts';
import type { Platform } from '../../services/messaging/types.ts';
import { redisScript } from './redis-script.ts';

/** At most `count` sends in any `windowMs`. */
export interface WindowLimit {
  count: number;
  windowMs: number;
}

/** The limits of one platform (one bot token). */
export interface PlatformLimits {
  /** Every chat on its own (e.g. 1 per second). */
  perChat: WindowLimit;
  /** An extra limit for chats whose id matches `chatIdPattern` (a regular expression), e.g. groups. */
  group?: WindowLimit & { chatIdPattern: string };
  /** All chats together, for the platform's token. */
  global: WindowLimit;
}

/** Limits per platform; a platform without an entry is not limited (429s still block its chats). */
export type OutboundLimits = Partial<Record<Platform, PlatformLimits>>;


/**
 * Published platform limits: about one message a second per Slack channel and per Telegram
 * chat, 20 a minute per Telegram group (group and supergroup ids are negative), about 30 a
 * second per token overall.
 */
export const DEFAULT_OUTBOUND_LIMITS: OutboundLimits = {
  slack: {
    perChat: { count: 1, windowMs: 1000 },
    global: { count: 30, windowMs: 1000 },
  },
  telegram: {
    perChat: { count: 1, windowMs: 1000 },
    group: { count: 20, windowMs: 60_000, chatIdPattern: '^-' },
    global: { count: 30, windowMs: 1000 },
  },
};

/** Defaults with an override applied per platform and per limit. */
export function mergeLimits(base: OutboundLimits, override: OutboundLimitsOverride | undefined): OutboundLimits {
  const out: OutboundLimits = { ...base };
  for (const [platform, o] of Object.entries(override ?? {}) as Array<[Platform, OutboundLimitsOverride[Platform]]>) {
    if (!o) continue;
    const b = base[platform];
    const perChat = o.perChat ?? b?.perChat;
    const global = o.global ?? b?.global;
    // A platform new to the table needs both basic limits; fall back to generous ones.
    out[platform] = {
      perChat: perChat ?? { count: 1, windowMs: 1000 },
      global: global ?? { count: 30, windowMs: 1000 },
      ...((o.group ?? b?.group) ? { group: o.group ?? b?.group } : {}),
    };
  }
  return out;
}

/** One chat on one platform. */
export interface ChatTarget {
  platform: Platform;
  chatId: string;
}

/** The answer of {@link RateLimiter.acquire}. */
export type Acquired =
  | {
      granted: true;
      /**
       * Call when the platform call has returned (either way): the chat's windows then count
       * the send from its end, so the next message to the chat leaves at least a window after
       * the platform has seen this one, whatever the network latency was.
       */
      finish(): Promise<void>;
    }
  | { granted: false; waitMs: number };

/** Shared rate limiter for outbound sends. */
export interface RateLimiter {
  /**
   * Takes a send slot for the chat now, in every window that applies, or takes nothing and
   * says how many milliseconds to wait before asking again.
   */
  acquire(chat: ChatTarget): Promise<Acquired>;
  /** After a 429: no send to this chat for `ms` from now (never shortens an earlier block). */
  block(chat: ChatTarget, ms: number): Promise<void>;
}

// KEYS[1] = blocked-until mark; KEYS[2..] = window sets. ARGV[1] = member; then count, windowMs per window.
const ACQUIRE = redisScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local wait = 0
local blocked = tonumber(redis.call('GET', KEYS[1]) or '0')
if blocked > now then wait = blocked - now end
for i = 2, #KEYS do
  local count = tonumber(ARGV[2 * (i - 1)])
  local window = tonumber(ARGV[2 * (i - 1) + 1])
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - window)
  local n = redis.call('ZCARD', KEYS[i])
  if n >= count then
    local e = redis.call('ZRANGE', KEYS[i], n - count, n - count, 'WITHSCORES')
    local w = tonumber(e[2]) + window - now
    if w > wait then wait = w end
  end
end
if wait > 0 then return wait end
for i = 2, #KEYS do
  redis.call('ZADD', KEYS[i], now, ARGV[1])
  redis.call('PEXPIRE', KEYS[i], tonumber(ARGV[2 * (i - 1) + 1]))
end
return 0
`);

// KEYS = the windows the send took a slot in; ARGV[1] = member; ARGV[1 + i] = windowMs of KEYS[i].
// Plain ZADD (not XX): a send slower than the window may have outlived its key.
const FINISH = redisScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
for i = 1, #KEYS do
  redis.call('ZADD', KEYS[i], now, ARGV[1])
  redis.call('PEXPIRE', KEYS[i], tonumber(ARGV[1 + i]))
end
return now
`);

// KEYS[1] = blocked-until mark; ARGV[1] = milliseconds from now.
const BLOCK = redisScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ms = tonumber(ARGV[1])
local untilTs = now + ms
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
if untilTs > cur then redis.call('SET', KEYS[1], untilTs, 'PX', ms) end
return untilTs
`);

/**
 * Creates a limiter whose keys start with `keyPrefix` (the install's queue prefix, so test
 * runs and several installs sharing one Redis stay apart).
 */
export function createRateLimiter(opts: { redis: Redis; keyPrefix: string; limits: OutboundLimits }): RateLimiter {
  const patterns = new Map<Platform, RegExp>();
  for (const [platform, l] of Object.entries(opts.limits) as Array<[Platform, PlatformLimits | undefined]>) {
    if (l?.group) patterns.set(platform, new RegExp(l.group.chatIdPattern));
  }
  const blockKey = (c: ChatTarget) => `${opts.keyPrefix}:block:${c.platform}:${c.chatId}`;

  return {
    async acquire(chat) {
      const member = randomUUID();
      const keys = [blockKey(chat)];
      const args: Array<string | number> = [member];
      const windows: Array<{ key: string; limit: WindowLimit }> = [];
      const l = opts.limits[chat.platform];
      if (l) {
        windows.push({ key: `${opts.keyPrefix}:chat:${chat.platform}:${chat.chatId}`, limit: l.perChat });
        if (l.group && patterns.get(chat.platform)?.test(chat.chatId)) {
          windows.push({ key: `${opts.keyPrefix}:group:${chat.platform}:${chat.chatId}`, limit: l.group });
        }
        windows.push({ key: `${opts.keyPrefix}:global:${chat.platform}`, limit: l.global });
      }
      for (const w of windows) {
        keys.push(w.key);
        args.push(w.limit.count, w.limit.windowMs);
      }
      const wait = Number(await ACQUIRE.run(opts.redis, keys, args));
      if (Number.isFinite(wait) && wait > 0) return { granted: false, waitMs: wait };
      return {
        granted: true,
        async finish() {
          if (windows.length === 0) return;
          await FINISH.run(
            opts.redis,
            windows.map((w) => w.key),
            [member, ...windows.map((w) => w.limit.windowMs)],
          );
        },
      };
    },
    async block(chat, ms) {
      if (ms <= 0) return;
      await BLOCK.run(opts.redis, [blockKey(chat)], [Math.ceil(ms)]);
    },
  };
}
