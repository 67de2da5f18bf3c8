/**
 * Apps whose LLM is one fake OpenAI-compatible server, for the agent integration tests.
 */
import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp, type TestAppOptions } from './app.ts';
import { startFakeOpenAI, type FakeOpenAI } from './fake-openai.ts';
import { waitFor } from './wait.ts';

/** The API key the apps are given (agent-runs checks its prefix never reaches a prompt). */
const FAKE_OPENAI_KEY = 'sk-test-fake-key-0000000000000000';

/** Runs go through queues and workers; under a loaded machine allow them time (no timing is asserted). */
export const until = <T>(check: () => T | Promise<T>, what: string) => waitFor(check, what, 45_000);

export interface LlmTestApps {
  fake: FakeOpenAI;
  /** Every app `start` gave out (a test may add or take out its own); `stop` stops them. */
  apps: TestApp[];
  /** Starts the real app with OPENAI_* pointing at the fake (opts.env overrides). */
  start(opts?: TestAppOptions): Promise<TestApp>;
  /** Stops every app in `apps`, then the fake. */
  stop(): Promise<void>;
}

export async function startLlmTestApps(): Promise<LlmTestApps> {
  const fake = await startFakeOpenAI();
  const apps: TestApp[] = [];
  return {
    fake,
    apps,
    async start(opts = {}) {
      const app = await startTestApp({
        ...opts,
        env: { OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: FAKE_OPENAI_KEY, OPENAI_MODEL: 'gpt-4o-mini', ...opts.env },
      });
      apps.push(app);
      return app;
    },
    async stop() {
      for (const a of apps) await a.stop().catch(() => undefined);
      await fake.close();
    },
  };
}

/** Delivers a message addressed to the bot from a terminal chat, as the pipeline receives it. */
export function sayInTerminal(app: TestApp, chatId: string, user: string, text: string, opts: { displayName?: string } = {}) {
  return app.app.deps.ingest({
    type: 'message',
    platform: 'terminal',
    eventId: randomUUID(),
    ref: { platform: 'terminal', chatId },
    user: { platformUserId: user, ...(opts.displayName ? { displayName: opts.displayName } : {}) },
    text,
    addressed: true,
  });
}
