/**
 * `a2d2 understand` as a user runs it (a child process on the real entry point): one JSON line
 * per input line, in order, an error line for a line that is not JSON, no database or Redis
 * needed; `--llm` against the fake model server, and its fallback to the classifier when the
 * model fails or hangs; the offline registry it routes with is the app's own.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startFakeOpenAI, type FakeOpenAI } from '../helpers/fake-openai.ts';
import { startTestApp, testConfig } from '../helpers/app.ts';
import { offlineRegistry } from '../../bot/understand.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
// Nothing listens on port 1: a run that touched Postgres or Redis would fail or hang.
const OFFLINE = { DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none', REDIS_URL: 'redis://127.0.0.1:1', LOG_LEVEL: 'warn' };

let fake: FakeOpenAI;
before(async () => {
  fake = await startFakeOpenAI();
});
after(async () => {
  await fake?.close();
});

/** Runs `a2d2 understand` with `input` on stdin; resolves with its exit code and output lines. */
export function understand(input: string, args: string[] = [], env: Record<string, string> = {}): Promise<{ code: number | null; lines: string[]; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bot/main.ts', 'understand', ...args], { cwd: root, env: { ...process.env, ...OFFLINE, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
  child.stdin.end(input);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, lines: out.split('\n').filter(Boolean), stderr: err }));
  });
}

const jsonl = (...rows: unknown[]) => rows.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n';

test('one answer line per input line, in order; a bad line gets an error line; no database or Redis', async () => {
  const input = jsonl(
    { text: 'касса не работает у всех клиентов', lang: 'ru' },
    { text: 'сколько заявок просрочено?' },
    'this is {not json',
    { lang: 'en' },
    { text: 'close ticket 42, it is fixed' },
    { text: 'tickets mine' },
    { text: 'thanks!' },
    { text: 'run smoke-test url=https://shop.example.com' },
  );
  const { code, lines, stderr } = await understand(input);
  assert.equal(code, 0, stderr);
  assert.equal(lines.length, 8, lines.join('\n'));
  const out = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(
    out.map((o) => o.intent ?? 'error'),
    ['ticket.create', 'ticket.list', 'error', 'error', 'ticket.op', 'ticket.list', 'none', 'process.run'],
  );
  assert.equal(out[0]!.command, 'ticket');
  assert.equal(out[0]!.severity, 'P0', 'everyone affected is P0');
  assert.equal(out[1]!.command, 'tickets');
  assert.deepEqual(out[1]!.args, { view: 'breached' });
  assert.match(String(out[2]!.error), /line 3: not JSON/);
  assert.match(String(out[3]!.error), /line 4: "text" must be a string/);
  assert.deepEqual(out[4]!.args, { op: 'close', id: 42 });
  assert.equal(out[5]!.engine, 'rules', 'a command word is routed before the engine');
  assert.equal(out[6]!.command, null);
  assert.equal(out[7]!.command, 'run');
  for (const o of [out[0]!, out[1]!, out[4]!]) {
    assert.deepEqual(Object.keys(o).slice(0, 6), ['command', 'intent', 'severity', 'args', 'confidence', 'engine']);
    assert.ok(typeof o.confidence === 'number' && o.confidence >= 0 && o.confidence <= 1);
  }
});

const LLM_ENV = () => ({ OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: 'sk-test-fake-key-0000000000000000', OPENAI_MODEL: 'gpt-4o-mini' });

test('--llm asks the model, through the same contract', async () => {
  fake.setHandler(() => ({ toolCalls: [{ name: 'ticket_list', arguments: { view: 'at_risk' } }] }));
  const base = fake.requests.length;
  const { code, lines, stderr } = await understand(jsonl({ text: 'what might breach soon?' }, { text: 'anything about to go over the deadline' }), ['--llm'], LLM_ENV());
  assert.equal(code, 0, stderr);
  assert.equal(fake.requests.length - base, 2, 'one model call per line');
  for (const l of lines) {
    const o = JSON.parse(l) as Record<string, unknown>;
    assert.equal(o.engine, 'llm');
    assert.equal(o.intent, 'ticket.list');
    assert.equal(o.command, 'tickets');
    assert.deepEqual(o.args, { view: 'at_risk' });
  }
});

test('--llm falls back to the classifier when the model answers an error or does not answer in time', async () => {
  fake.setHandler(() => ({ status: 500 }));
  const failed = await understand(jsonl({ text: 'show overdue tickets' }), ['--llm'], LLM_ENV());
  assert.equal(failed.code, 0, failed.stderr);
  const a = JSON.parse(failed.lines[0]!) as Record<string, unknown>;
  assert.equal(a.engine, 'classifier');
  assert.equal(a.intent, 'ticket.list');
  fake.setHandler(() => ({ hang: true }));
  const slow = await understand(jsonl({ text: 'прод лежит у всех клиентов' }), ['--llm', '--llm-timeout', '1s'], LLM_ENV());
  assert.equal(slow.code, 0, slow.stderr);
  const b = JSON.parse(slow.lines[0]!) as Record<string, unknown>;
  assert.equal(b.engine, 'classifier');
  assert.equal(b.intent, 'ticket.create');
  assert.equal(b.severity, 'P0');
});

test("the offline registry has the app's commands, words, rules and processes", async () => {
  const t = await startTestApp();
  try {
    const app = t.app.deps.registry;
    const offline = offlineRegistry(testConfig());
    const shape = (r: typeof app) => r.commands().map((c) => `${c.id} ${[...c.aliases.en, ...c.aliases.ru].join(',')} ${(c.slash ?? []).join(',')}`).sort();
    // Commands of chat adapters' own (none today) would be the only difference allowed.
    assert.deepEqual(shape(offline), shape(app));
    assert.deepEqual(offline.intentRules.map((r) => r.commandId).sort(), app.intentRules.map((r) => r.commandId).sort());
    assert.deepEqual(offline.entities.get('process')!().map((p) => p.name).sort(), app.entities.get('process')!().map((p) => p.name).sort());
  } finally {
    await t.stop();
  }
});
