/**
 * Runs a Lua script by its SHA and loads it on a NOSCRIPT reply, so the script body crosses
 * the wire once per Redis server (and again after a restart or SCRIPT FLUSH).
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/** A Lua script bound to its SHA1. */
export interface RedisScript {
  run(redis: Redis, keys: string[], args: Array<string | number>): Promise<unknown>;
}

/** Wraps a Lua source for EVALSHA with an EVAL fallback. */
export function redisScript(source: string): RedisScript {
  const sha = createHash('sha1').update(source).digest('hex');
  return {
    async run(redis, keys, args) {
      try {
        return await redis.evalsha(sha, keys.length, ...keys, ...args);
      } catch (err) {
        if (!(err instanceof Error) || !err.message.includes('NOSCRIPT')) throw err;
        return redis.eval(source, keys.length, ...keys, ...args);
      }
    },
  };
}
