/**
 * Starts the real application (HTTP + workers) on a random port against the test database
 * and a fresh Redis queue prefix, so test files never see each other's jobs.
 */
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig, type YamlInput, type YamlConfig } from '../../services/config.ts';
import { createRedis } from '../../services/redis.ts';
import { createLogger } from '../../services/logger.ts';
import { createApp, type App, type AppOptions } from '../../bot/app.ts';
import type { FeatureModule } from '../../core/module.ts';
import { DEFAULT_TEST_DATABASE_URL } from './test-db.ts';

// Under scripts/test.mjs, this test process's own database (test/helpers/test-db-preload.ts).
export const TEST_DATABASE_URL = process.env.DATABASE_URL ?? DEFAULT_TEST_DATABASE_URL;
export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface TestApp {
  app: App;
  url: string;
  /** Everything the app logged, one JSON line each (for "no secret in logs" checks). */
  logs: string[];
  stop(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string | undefined>;
  yaml?: Partial<YamlInput> | Partial<YamlConfig>;
  role?: 'all' | 'http' | 'worker';
  modules?: FeatureModule[];
  clock?: AppOptions['clock'];
  intent?: AppOptions['intent'];
  direct?: AppOptions['direct'];
  /** Reuse a queue prefix (to restart "the same" deployment). */
  queuePrefix?: string;
  /** Keep this run's Redis keys on stop (a later app with the same prefix continues). */
  keepRedis?: boolean;
}

/** Builds a validated config for tests (unique queue prefix, random port, quiet logs). */
export function testConfig(opts: Pick<TestAppOptions, 'env' | 'yaml' | 'queuePrefix'> = {}) {
  return loadConfig(
    {
      DATABASE_URL: TEST_DATABASE_URL,
      REDIS_URL: TEST_REDIS_URL,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      A2D2_QUEUE_PREFIX: opts.queuePrefix ?? `t-${randomUUID().slice(0, 8)}`,
      // Inside the process's data directory when the runner gave one (removed with it).
      A2D2_DATA_DIR: join(process.env.A2D2_DATA_DIR ?? tmpdir(), `a2d2-test-${randomUUID().slice(0, 8)}`),
      ...opts.env,
    },
    opts.yaml,
  );
}

export async function startTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const config = testConfig(opts);
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const { secretValues } = await import('../../services/config.ts');
  const logger = createLogger({ level: 'info', secrets: secretValues(config.env, config.envSecrets), destination: sink as never });
  const app = await createApp({
    config,
    role: opts.role ?? 'all',
    logger,
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.intent ? { intent: opts.intent } : {}),
    ...(opts.modules ? { extraModules: opts.modules } : {}),
    ...(opts.direct ? { direct: opts.direct } : {}),
  });
  const { url } = await app.start();
  return {
    app,
    url: url ?? '',
    logs,
    async stop() {
      await app.stop();
      if (opts.keepRedis) return;
      // Leave Redis clean: drop this run's keys.
      const redis = createRedis({ url: TEST_REDIS_URL });
      try {
        const keys = await redis.keys(`${config.env.A2D2_QUEUE_PREFIX}:*`);
        if (keys.length) await redis.del(...keys);
      } finally {
        await redis.quit();
      }
    },
  };
}
