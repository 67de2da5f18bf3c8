/**
 * The LLM intent engine through the real app (plugged in via AppOptions.intent), its fallback
 * to the deterministic rules, the evaluation harness against an endpoint, and thread memory.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { TestApp } from '../helpers/app.ts';
import { sequence, type FakeOpenAI } from '../helpers/fake-openai.ts';
import { sayInTerminal, startLlmTestApps, until, type LlmTestApps } from '../helpers/llm-apps.ts';
import { FakePlatformSender } from '../helpers/outbound-fake-sender.ts';
import { defineCommand } from '../../core/registry.ts';
import type { FeatureModule } from '../../core/module.ts';
import { ROLES } from '../../services/users/roles.ts';
import { createIntentEngine } from '../../agents/llm-intent.ts';
import { evalContext, evaluateIntents } from '../../scripts/intent-eval.ts';

let llmApps: LlmTestApps;
let fake: FakeOpenAI;
const sender = new FakePlatformSender('terminal');
const suffix = randomUUID().slice(0, 8);
const module: FeatureModule = {
  name: 'intent-test',
  sender,
  commands: [
    defineCommand({
      id: 'test.echo',
      aliases: { en: [`echo-${suffix}`], ru: [] },
      summaryKey: 'core.help.summary',
      args: z.object({ word: z.string() }),
      roles: ROLES,
      handler: async (_ctx, a) => ({ text: `echo ${a.word}` }),
    }),
  ],
};
before(async () => {
  llmApps = await startLlmTestApps();
  fake = llmApps.fake;
});
after(async () => {
  await llmApps?.stop();
});

function start(yaml: Record<string, unknown> = {}): Promise<TestApp> {
  return llmApps.start({ yaml: yaml as never, modules: [module], intent: (deps) => createIntentEngine(deps) });
}

const say = (app: TestApp, chatId: string, text: string, user = `u-${suffix}`) => sayInTerminal(app, chatId, user, text);
const said = (chatId: string, text: string) => sender.delivered.some((c) => c.ref.chatId === chatId && c.reply.text.includes(text));

test('the model picks the command for free text, with the message quoted as data', async () => {
  const app = await start();
  fake.setHandler(sequence({ toolCalls: [{ name: 'test_echo', arguments: { word: 'hello' } }] }));
  const base = fake.requests.length;
  const chat = `c-${randomUUID()}`;
  await say(app, chat, 'please repeat hello back to me');
  await until(() => said(chat, 'echo hello'), 'echo reply');
  const req = fake.requests[base]!;
  const user = req.body.messages.find((m) => m.role === 'user');
  assert.match(String(user?.content), /<data source="chat:message">\nplease repeat hello back to me\n<\/data>/);
  assert.ok((req.body.tools ?? []).some((t) => t.function.name === 'test_echo'));
  assert.ok(!(req.body.tools ?? []).some((t) => t.function.name === 'core_link'), 'account commands are never proposed');
  const usage = await app.app.deps.db.llmUsage.findFirst({ where: { purpose: 'intent' }, orderBy: { id: 'desc' } });
  assert.equal(usage?.route, 'fast');
});

test('when the model fails, the deterministic rules still understand', async () => {
  const app = await start();
  fake.setHandler(() => ({ status: 500 }));
  const chat = `c-${randomUUID()}`;
  await say(app, chat, 'what can you do?');
  // core.help answered by the rules: its title comes from the catalogue.
  await until(() => said(chat, '•'), 'help from the deterministic engine');
});

test('the harness measures a configured endpoint', async () => {
  const app = await start();
  fake.setHandler((req) => {
    const text = String(req.body.messages.find((m) => m.role === 'user')?.content ?? '');
    return /help/.test(text) ? { toolCalls: [{ name: 'core_help', arguments: { text: '' } }] } : { content: 'none' };
  });
  const engine = createIntentEngine(app.app.deps, { requireLlm: true });
  const report = await evaluateIntents(engine, [
    { text: 'help', lang: 'en', intent: 'core.help' },
    { text: 'thanks!', lang: 'en', intent: 'none' },
    { text: 'show my tickets', lang: 'en', intent: 'ticket.list' },
  ]);
  assert.equal(report.engine, 'llm');
  assert.equal(report.correct, 2);
  assert.equal(report.byIntent['ticket.list']!.correct, 0);
  const none = await engine.detect('thanks', evalContext('en', 'thanks'));
  assert.equal(none, null);
});

test('thread memory is summarised when it grows long', async () => {
  const app = await start({ agents: { memoryMaxMessages: 4 } });
  fake.setHandler((req) => {
    const sys = String(req.body.messages[0]?.content ?? '');
    if (sys.startsWith('Summarise a chat')) return { content: 'SUMMARY: asked three questions' };
    return { content: `answer ${req.body.messages.length}` };
  });
  const chat = `c-${randomUUID()}`;
  for (let i = 0; i < 3; i++) {
    const input = `question ${i} ${randomUUID()}`;
    await say(app, chat, `ai ${input}`);
    await until(async () => (await app.app.deps.db.agentRun.findFirst({ where: { input } }))?.status === 'done', `run ${i}`);
  }
  const conv = await app.app.deps.db.conversation.findFirstOrThrow({ where: { platform: 'terminal', chatId: chat } });
  // The answer is posted before the exchange is remembered: wait for the memory row.
  const mem = await until(async () => {
    const m = await app.app.deps.db.conversationMemory.findUnique({ where: { conversationId: conv.id } });
    return m?.summary ? m : null;
  }, 'summary');
  assert.equal(mem.summary, 'SUMMARY: asked three questions');
  assert.ok((mem.messages as unknown[]).length <= 4);
  // The next run sees the summary as quoted data.
  const input = `question 4 ${randomUUID()}`;
  await say(app, chat, `ai ${input}`);
  await until(async () => (await app.app.deps.db.agentRun.findFirst({ where: { input } }))?.status === 'done', 'run 4');
  const req = fake.requests.find((r) => r.body.messages.some((m) => m.role === 'user' && m.content === input));
  assert.ok(req, 'the fourth run asked the model');
  assert.ok(req.body.messages.some((m) => String(m.content).includes('<data source="memory:summary">\nSUMMARY: asked three questions')), 'summary in the prompt');
});
