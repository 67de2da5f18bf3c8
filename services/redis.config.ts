/**
 * The YAML's `redis` section: Redis Sentinel, for deployments whose Redis fails over. The
 * environment's REDIS_SENTINELS / REDIS_SENTINEL_NAME take precedence (services/config.ts).
 */
import { z } from 'zod';

export const redisConfigSchema = z
  .object({
    /** `host:port` of each sentinel; empty: REDIS_URL is the Redis itself. */
    sentinels: z
      .array(z.string().regex(/^(\[[^\]]+\]|[^:[\],\s]+)(:\d{1,5})?$/, 'host:port'))
      .default([])
      .describe('`host:port` of each sentinel; empty: REDIS_URL is the Redis itself. The environment\'s REDIS_SENTINELS wins'),
    /** The primary's name the sentinels monitor (`sentinel monitor <name> ...`). */
    sentinelName: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'a name of A-Z a-z 0-9 . _ -').default('mymaster').describe('The primary\'s name the sentinels monitor (`sentinel monitor <name> ...`); REDIS_SENTINEL_NAME wins'),
  })
  .strict()
  .describe('Redis Sentinel, for a Redis that fails over (the environment\'s REDIS_SENTINELS / REDIS_SENTINEL_NAME take precedence)')
  .prefault({});
