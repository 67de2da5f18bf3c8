/**
 * Redis clean-up for tests that run queues under their own prefix.
 */
import { createRedis } from '../../services/redis.ts';

/** Deletes every key under `prefix`, so a test leaves Redis as it found it. */
export async function dropRedisKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = createRedis({ url: redisUrl });
  try {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}
