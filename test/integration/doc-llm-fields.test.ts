/**
 * Structured field extraction by the model (services/documents/llm-fields.ts) through the real
 * LLM client (agents/document-fields.ts over llm.service.ts: usage rows, budgets) and the fake
 * OpenAI-compatible server over HTTP: a valid answer is used (typed, with spans in the text),
 * a value that fails its typing keeps the rules' field, invalid JSON or a schema violation
 * keeps the rules' fields, a provider error or no answer in time keeps them, and a used-up
 * daily budget keeps them without a request leaving.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createDb } from '../../services/db.ts';
import { createLogger } from '../../services/logger.ts';
import { systemClock } from '../../services/clock.ts';
import { createLlmService } from '../../agents/llm.service.ts';
import { documentFieldModel } from '../../agents/document-fields.ts';
import { modelFields } from '../../services/documents/llm-fields.ts';
import { extractFields, type ExtractedField } from '../../services/documents/fields.ts';
import { TEST_DATABASE_URL, testConfig } from '../helpers/app.ts';
import { startFakeOpenAI, type FakeOpenAI, type FakeHandler } from '../helpers/fake-openai.ts';

const db = createDb(TEST_DATABASE_URL, { max: 3 });
const logger = createLogger({ level: 'silent' });
const fakes: FakeOpenAI[] = [];
after(async () => {
  await Promise.all(fakes.map((f) => f.close()));
  await db.$disconnect();
});

async function model(handler: FakeHandler, workspaceDailyUsd = 0) {
  const fake = await startFakeOpenAI(handler);
  fakes.push(fake);
  const config = testConfig({
    yaml: {
      llm: {
        providers: [{ name: 'p', baseUrl: fake.url, apiKey: 'none' as const, models: { balanced: 'gpt-4o', fast: 'gpt-4o-mini' }, rateLimitPerMinute: 100, timeoutMs: 30_000, maxRetries: 0 }],
        prices: {},
        budgets: { userDailyUsd: 0, workspaceDailyUsd },
        intent: true,
      },
    },
  });
  return { fake, model: documentFieldModel(createLlmService({ config, db, logger, clock: systemClock })) };
}

const TEXT = [
  'INVOICE',
  'Invoice No. INV-2024-0415',
  'Date: 17.05.2024',
  'Thank you for ordering from Brightline Print Ltd, 4 Mill Lane.',
  'Total due: 1 250,00 EUR',
].join('\n');
const rules = extractFields(TEXT, 'invoice');
const OPTS = { timeoutMs: 20_000, maxChars: 12_000 };
const ask = (m: Awaited<ReturnType<typeof model>>['model'], workspaceKey = `ws-${randomUUID()}`) => modelFields(m, { text: TEXT, category: 'invoice', rules, workspaceKey }, OPTS);
const primary = (fs: ExtractedField[], name: string) => fs.find((f) => f.primary && f.name === name);
const GOOD = { number: 'INV-2024-0415', date: '2024-05-17', total: { amount: 1250, currency: 'EUR' }, vendor: 'Brightline Print Ltd' };

test('a valid answer is used: typed values with their spans in the text, the schema in the prompt, a usage row', async () => {
  const { fake, model: m } = await model(() => ({ content: JSON.stringify(GOOD) }));
  const ws = `ws-${randomUUID()}`;
  const r = await ask(m, ws);
  assert.equal(r.source, 'llm');
  const vendor = primary(r.fields, 'vendor')!;
  assert.equal(vendor.normalized, 'Brightline Print Ltd');
  assert.equal(TEXT.slice(vendor.start, vendor.end), 'Brightline Print Ltd');
  assert.equal(primary(r.fields, 'date')!.normalized, '2024-05-17');
  assert.equal(TEXT.slice(primary(r.fields, 'date')!.start, primary(r.fields, 'date')!.end), '17.05.2024');
  assert.equal(primary(r.fields, 'total')!.normalized, '1250.00 EUR');
  assert.equal(primary(r.fields, 'number')!.normalized, 'INV-2024-0415');
  // The generic fields of the rules stay.
  assert.ok(r.fields.some((f) => !f.primary && f.name === 'date'));
  const system = String(fake.requests[0]!.body.messages[0]!.content);
  assert.match(system, /"vendor"/);
  assert.match(system, /\^\\\\d\{4\}-\\\\d\{2\}-\\\\d\{2\}\$/);
  assert.equal(fake.requests[0]!.body.model, 'gpt-4o-mini');
  const usage = await db.llmUsage.findMany({ where: { workspaceKey: ws } });
  assert.deepEqual(usage.map((u) => u.purpose), ['documents:fields:invoice']);
});

test('a value that fails its typing or is not in the text keeps the rules\' field of that name', async () => {
  const { model: m } = await model(() => ({ content: JSON.stringify({ ...GOOD, number: 'INV-9999', date: '2024-05-18', total: { amount: 999, currency: 'EUR' } }) }));
  const r = await ask(m);
  assert.equal(r.source, 'llm');
  assert.equal(primary(r.fields, 'vendor')!.normalized, 'Brightline Print Ltd');
  for (const name of ['number', 'date', 'total']) assert.deepEqual(primary(r.fields, name), primary(rules, name), name);
  assert.ok(!r.fields.some((f) => f.normalized === 'INV-9999' || f.normalized === '2024-05-18' || f.normalized === '999.00 EUR'));
});

test('invalid JSON, or JSON that breaks the schema (a date not ISO, a field it does not have), keeps the rules\' fields', async () => {
  for (const content of ['{"number": "INV-2024-0415", ', JSON.stringify({ ...GOOD, date: '17.05.2024' }), JSON.stringify({ ...GOOD, iban: 'X' }), JSON.stringify({ ...GOOD, date: '2024-02-30' })]) {
    const { model: m } = await model(() => ({ content }));
    const r = await ask(m);
    assert.equal(r.source, 'rules:invalid', content);
    assert.deepEqual(r.fields, rules);
  }
});

test('the model down (HTTP 500) or not answering in time keeps the rules\' fields', async () => {
  const { model: down } = await model(() => ({ status: 500 }));
  const r1 = await ask(down);
  assert.equal(r1.source, 'rules:failed');
  assert.deepEqual(r1.fields, rules);
  const { fake, model: slow } = await model(() => ({ hang: true }));
  const r2 = await modelFields(slow, { text: TEXT, category: 'invoice', rules, workspaceKey: `ws-${randomUUID()}` }, { ...OPTS, timeoutMs: 1000 });
  assert.equal(r2.source, 'rules:failed');
  assert.match(r2.error ?? '', /1000 ms|abort/i);
  assert.deepEqual(r2.fields, rules);
  assert.equal(fake.requests.length, 1);
});

test('without a model the rules\' fields are returned and nothing is asked', async () => {
  const r = await modelFields(undefined, { text: TEXT, category: 'invoice', rules, workspaceKey: 'ws' }, OPTS);
  assert.equal(r.source, 'rules:no-model');
  assert.deepEqual(r.fields, rules);
});

test('a used-up daily budget keeps the rules\' fields and no request leaves', async () => {
  // 1M prompt tokens of gpt-4o-mini cost 0.15 USD: over a 0.10 USD workspace budget after the first document.
  const { fake, model: m } = await model(() => ({ content: JSON.stringify(GOOD), usage: { prompt: 1_000_000, completion: 0 } }), 0.1);
  const ws = `ws-${randomUUID()}`;
  assert.equal((await ask(m, ws)).source, 'llm');
  const r = await ask(m, ws);
  assert.equal(r.source, 'rules:failed');
  assert.match(r.error ?? '', /budget/);
  assert.deepEqual(r.fields, rules);
  assert.equal(fake.requests.length, 1);
});
