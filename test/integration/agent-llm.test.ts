import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createDb } from '../../services/db.ts';
import { createLogger } from '../../services/logger.ts';
import { systemClock } from '../../services/clock.ts';
import { BudgetExceededError, LlmUnavailableError, costOf, createLlmService, resolveProviders } from '../../agents/llm.service.ts';
import { TEST_DATABASE_URL, testConfig } from '../helpers/app.ts';
import { sequence, startFakeOpenAI, type FakeOpenAI } from '../helpers/fake-openai.ts';

const db = createDb(TEST_DATABASE_URL, { max: 3 });
const logger = createLogger({ level: 'silent' });
const fakes: FakeOpenAI[] = [];
after(async () => {
  await Promise.all(fakes.map((f) => f.close()));
  await db.$disconnect();
});

async function fake(...args: Parameters<typeof startFakeOpenAI>): Promise<FakeOpenAI> {
  const f = await startFakeOpenAI(...args);
  fakes.push(f);
  return f;
}

function service(providers: { name: string; url: string; model?: string; timeoutMs?: number; rate?: number }[], budgets?: { userDailyUsd?: number; workspaceDailyUsd?: number }) {
  const config = testConfig({
    yaml: {
      llm: {
        providers: providers.map((p) => ({
          name: p.name,
          baseUrl: p.url,
          apiKey: 'none' as const,
          models: { balanced: p.model ?? 'gpt-4o', fast: 'gpt-4o-mini' },
          rateLimitPerMinute: p.rate ?? 100,
          timeoutMs: p.timeoutMs ?? 30_000,
          maxRetries: 0,
        })),
        prices: {},
        budgets: { userDailyUsd: budgets?.userDailyUsd ?? 0, workspaceDailyUsd: budgets?.workspaceDailyUsd ?? 0 },
        intent: true,
      },
    },
  });
  return createLlmService({ config, db, logger, clock: systemClock });
}

const ask = (workspaceKey: string, extra: Record<string, unknown> = {}) => ({
  route: 'balanced' as const,
  purpose: 'test',
  workspaceKey,
  userId: randomUUID(),
  messages: [{ role: 'user' as const, content: 'hello' }],
  ...extra,
});

test('a 500 from the first provider falls back to the second; usage rows carry tokens and cost', async () => {
  const first = await fake(() => ({ status: 500 }));
  const second = await fake(() => ({ content: 'from second', usage: { prompt: 1000, completion: 200 } }));
  const llm = service([
    { name: 'first', url: first.url },
    { name: 'second', url: second.url },
  ]);
  const ws = `ws-${randomUUID()}`;
  const r = await llm.chat(ask(ws));
  assert.equal(r.message.content, 'from second');
  assert.equal(r.provider, 'second');
  assert.equal(first.requests.length, 1);
  const rows = await db.llmUsage.findMany({ where: { workspaceKey: ws }, orderBy: { id: 'asc' } });
  assert.equal(rows.length, 2);
  assert.equal(rows[0]!.provider, 'first');
  assert.equal(rows[0]!.ok, false);
  assert.match(rows[0]!.error ?? '', /500/);
  assert.equal(rows[1]!.ok, true);
  assert.equal(rows[1]!.promptTokens, 1000);
  assert.equal(rows[1]!.completionTokens, 200);
  // gpt-4o: 2.50 in / 10.00 out per 1M tokens.
  assert.ok(Math.abs(rows[1]!.costUsd - (1000 * 2.5 + 200 * 10) / 1e6) < 1e-12, `cost ${rows[1]!.costUsd}`);
});

test('a 429 from the first provider falls back to the second', async () => {
  const first = await fake(() => ({ status: 429 }));
  const second = await fake(() => ({ content: 'ok' }));
  const llm = service([
    { name: 'first', url: first.url },
    { name: 'second', url: second.url },
  ]);
  const r = await llm.chat(ask(`ws-${randomUUID()}`));
  assert.equal(r.provider, 'second');
  assert.equal(first.requests.length, 1, 'no retry storm on the limited provider');
});

test('a hanging provider times out and the next one answers', async () => {
  const first = await fake(() => ({ hang: true }));
  const second = await fake(() => ({ content: 'awake' }));
  const llm = service([
    { name: 'slow', url: first.url, timeoutMs: 300 },
    { name: 'fast', url: second.url },
  ]);
  const r = await llm.chat(ask(`ws-${randomUUID()}`));
  assert.equal(r.message.content, 'awake');
});

test('when every provider fails the error names each attempt', async () => {
  const first = await fake(() => ({ status: 503 }));
  const llm = service([{ name: 'only', url: first.url }]);
  await assert.rejects(llm.chat(ask(`ws-${randomUUID()}`)), (err: unknown) => err instanceof LlmUnavailableError && err.attempts[0]!.provider === 'only');
});

test('the per-provider rate limit sends the overflow to the next provider', async () => {
  const first = await fake(() => ({ content: 'first' }));
  const second = await fake(() => ({ content: 'second' }));
  const llm = service([
    { name: 'limited', url: first.url, rate: 1 },
    { name: 'spare', url: second.url },
  ]);
  const ws = `ws-${randomUUID()}`;
  assert.equal((await llm.chat(ask(ws))).provider, 'limited');
  assert.equal((await llm.chat(ask(ws))).provider, 'spare');
});

test('a daily budget cap refuses further calls before they leave', async () => {
  const f = await fake(() => ({ content: 'ok', usage: { prompt: 1_000_000, completion: 0 } }));
  const llm = service([{ name: 'p', url: f.url }], { userDailyUsd: 2, workspaceDailyUsd: 100 });
  const ws = `ws-${randomUUID()}`;
  const userId = randomUUID();
  // 1M prompt tokens of gpt-4o = 2.50 USD: the first call is allowed, then the user is over.
  await llm.chat(ask(ws, { userId }));
  await assert.rejects(llm.chat(ask(ws, { userId })), (err: unknown) => err instanceof BudgetExceededError && err.scope === 'user');
  assert.equal(f.requests.length, 1);
  // Another user in the same workspace may still ask.
  await llm.chat(ask(ws));
  assert.equal(f.requests.length, 2);
});

test('streaming answers arrive as deltas and still record usage', async () => {
  const f = await fake(sequence({ content: 'one two three', usage: { prompt: 10, completion: 3 } }));
  const llm = service([{ name: 'p', url: f.url, model: 'deepseek-chat' }]);
  const deltas: string[] = [];
  const ws = `ws-${randomUUID()}`;
  const r = await llm.chat(ask(ws, { onText: (d: string) => deltas.push(d) }));
  assert.equal(r.message.content, 'one two three');
  assert.ok(deltas.length >= 3, `deltas: ${deltas.length}`);
  assert.equal(f.requests[0]!.body.stream, true);
  const row = await db.llmUsage.findFirstOrThrow({ where: { workspaceKey: ws } });
  assert.equal(row.completionTokens, 3);
  assert.ok(Math.abs(row.costUsd - costOf('deepseek-chat', 10, 3)) < 1e-12);
});

test('streamed tool calls are assembled', async () => {
  const f = await fake(() => ({ toolCalls: [{ name: 'core_status', arguments: { text: '' } }] }));
  const llm = service([{ name: 'p', url: f.url }]);
  const r = await llm.chat(ask(`ws-${randomUUID()}`, { onText: () => undefined }));
  assert.equal(r.message.tool_calls?.[0]?.function.name, 'core_status');
  assert.deepEqual(JSON.parse(r.message.tool_calls![0]!.function.arguments), { text: '' });
});

test('providers come from OPENAI_* when the YAML names none; prices fall back by prefix', () => {
  const config = testConfig({ env: { OPENAI_API_KEY: 'sk-test-123456', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', OPENAI_MODEL: 'gpt-4o-mini-2024-07-18' } });
  const [p] = resolveProviders(config);
  assert.equal(p?.baseUrl, 'http://127.0.0.1:9/v1');
  assert.equal(p?.models.powerful, 'gpt-4o-mini-2024-07-18');
  assert.ok(Math.abs(costOf('gpt-4o-mini-2024-07-18', 1_000_000, 1_000_000) - 0.75) < 1e-9);
  assert.deepEqual(resolveProviders(testConfig()), []);
});
