/**
 * The metrics the monitoring rules and dashboard read beyond the core ones move with real
 * traffic: alerts received by webhook (stored, duplicate), and the model client's tokens,
 * cost, workspace budget share and budget refusals.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import { createDb } from '../../services/db.ts';
import { createLogger } from '../../services/logger.ts';
import { systemClock } from '../../services/clock.ts';
import { BudgetExceededError, costOf, createLlmService } from '../../agents/llm.service.ts';
import { TEST_DATABASE_URL, startTestApp, testConfig } from '../helpers/app.ts';
import { amPayload } from '../helpers/alert-app.ts';
import { startFakeOpenAI } from '../helpers/fake-openai.ts';

const db = createDb(TEST_DATABASE_URL, { max: 3 });
after(() => db.$disconnect());

/** The value of one sample of an exposition (0 when absent). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) return Number(line.split(' ').at(-1));
  }
  return 0;
}

test('alerts received by the Alertmanager webhook are counted, redeliveries as duplicate', async () => {
  const token = `am-${randomUUID()}`;
  const t = await startTestApp({ env: { ALERTMANAGER_TOKEN: token } });
  try {
    const body = JSON.stringify(amPayload(`{}:{alertname="Metrics",run="${randomUUID()}"}`, 'firing', {}, '2026-12-01T10:00:00.000Z'));
    for (let i = 0; i < 2; i++) {
      const r = await fetch(`${t.url}/webhooks/alertmanager`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body });
      assert.equal(r.status, 202, await r.text());
    }
    const text = await (await fetch(`${t.url}/metrics`)).text();
    assert.equal(sample(text, 'a2d2_alerts_received_total', { source: 'alertmanager', outcome: 'stored' }), 1);
    assert.equal(sample(text, 'a2d2_alerts_received_total', { source: 'alertmanager', outcome: 'duplicate' }), 1);
  } finally {
    await t.stop();
  }
});

test('model answers count tokens and cost; the workspace budget share is reported and a refusal is counted', async () => {
  const fake = await startFakeOpenAI(() => ({ content: 'hi', usage: { prompt: 1000, completion: 200 } }));
  try {
    const cost = costOf('gpt-4o', 1000, 200);
    assert.ok(cost > 0);
    const config = testConfig({
      yaml: {
        llm: {
          providers: [{ name: 'main', baseUrl: fake.url, apiKey: 'none' as const, models: { balanced: 'gpt-4o', fast: 'gpt-4o-mini' }, rateLimitPerMinute: 100, timeoutMs: 30_000, maxRetries: 0 }],
          prices: {},
          budgets: { userDailyUsd: 0, workspaceDailyUsd: cost * 2 },
          intent: true,
        },
      },
    });
    const registry = new Registry();
    const llm = createLlmService({ config, db, logger: createLogger({ level: 'silent' }), clock: systemClock, registry });
    const workspaceKey = `ws-${randomUUID()}`;
    const ask = { route: 'balanced' as const, purpose: 'test', workspaceKey, messages: [{ role: 'user' as const, content: 'hello' }] };
    await llm.chat(ask);
    const first = await registry.metrics();
    assert.equal(sample(first, 'a2d2_llm_tokens_total', { provider: 'main', model: 'gpt-4o', kind: 'prompt' }), 1000);
    assert.equal(sample(first, 'a2d2_llm_tokens_total', { provider: 'main', model: 'gpt-4o', kind: 'completion' }), 200);
    assert.ok(Math.abs(sample(first, 'a2d2_llm_cost_usd_total', { provider: 'main', model: 'gpt-4o' }) - cost) < 1e-9);
    assert.ok(Math.abs(sample(first, 'a2d2_llm_budget_used_ratio', { workspace: workspaceKey }) - 0.5) < 1e-6, first);

    await llm.chat(ask);
    await assert.rejects(llm.chat(ask), BudgetExceededError);
    const later = await registry.metrics();
    assert.equal(sample(later, 'a2d2_llm_budget_refusals_total', { scope: 'workspace' }), 1);
    assert.equal(sample(later, 'a2d2_llm_tokens_total', { kind: 'prompt' }), 2000);
    // The share is read at most every 15 s: still the first reading here, the spend is in the rows.
    assert.ok(sample(later, 'a2d2_llm_budget_used_ratio', { workspace: workspaceKey }) >= 0.5);
  } finally {
    await fake.close();
  }
});
