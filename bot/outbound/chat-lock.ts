/**
 * A short per-chat lock in Redis: at most one send to a chat is in flight across all workers.
 * It expires by itself, so a worker that dies mid-send blocks its chat for `ttlMs` at most;
 * while its holder lives it is renewed every third of `ttlMs`, so a slow platform call keeps
 * it. A short expiry is what lets a chat's urgent notices go on seconds after a worker is killed.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { redisScript } from './redis-script.ts';

/** A held lock; `release` is safe to call more than once. */
export interface HeldLock {
  release(): Promise<void>;
}

// Deletes the key only if it still holds our token (it may have expired and been retaken).
const RELEASE = redisScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);

// Extends the key's expiry only while it still holds our token.
const RENEW = redisScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`);

/** Takes the lock at `key` or returns null when someone else holds it. */
export async function tryLock(redis: Redis, key: string, ttlMs: number): Promise<HeldLock | null> {
  const token = randomUUID();
  const ok = await redis.set(key, token, 'PX', ttlMs, 'NX');
  if (ok !== 'OK') return null;
  let released = false;
  // A failed renewal only shortens the lock to its expiry; the send it guards goes on.
  const renewal = setInterval(() => void RENEW.run(redis, [key], [token, String(ttlMs)]).catch(() => undefined), Math.max(10, Math.floor(ttlMs / 3)));
  renewal.unref();
  return {
    async release() {
      if (released) return;
      released = true;
      clearInterval(renewal);
      await RELEASE.run(redis, [key], [token]);
    },
  };
}
