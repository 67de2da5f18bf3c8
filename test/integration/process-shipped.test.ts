/**
 * The shipped processes work out of the box against configured URLs: smoke-test (pass and
 * fail), rollback (admin approval, deploy hook with the secret from the environment, settle,
 * health check, announcement; the secret never stored or logged), incident (page, assign,
 * checklist, reminders until the ticket is resolved; started by a P0 ticket event), and the
 * plan of document-review.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { definitionsDir, startProcApp, startTarget, type ProcApp, type Target } from './process-helpers.ts';
import { waitFor } from '../helpers/wait.ts';
import { emitProcessEvent } from '../../services/processes/events.ts';

let target: Target;
let p: ProcApp;
const hookToken = `hook-${randomUUID()}`;

before(async () => {
  target = await startTarget();
  // The deploy hook's token reaches the process only from the environment (allowed by name).
  p = await startProcApp(definitionsDir({}), {
    app: { env: { DEPLOY_HOOK_TOKEN: hookToken } },
    processes: {
      includeShipped: true,
      vars: {
        appUrl: target.url,
        deployHookUrl: `${target.url}/deploy-hook`,
        healthUrl: `${target.url}/svc-health`,
        opsChannel: 'terminal:ops',
        oncallName: 'Olga',
        rollbackSettle: '100ms',
        reminderInterval: '300ms',
      },
      environments: { staging: { appUrl: `${target.url}/staging` } },
    },
  });
});

after(async () => {
  await p?.t.stop();
  await target?.close();
});

test('smoke-test: every check passes and the report lists them', async () => {
  const id = await p.start('smoke-test');
  const run = await p.waitRun(id, 'succeeded');
  const report = run.steps.find((s) => s.step === 'report')!.output as { text: string };
  assert.match(report.text, /health: succeeded 200/);
  assert.match(report.text, /api: succeeded 200/);
  assert.equal(run.steps.find((s) => s.step === 'verdict')!.status, 'skipped');
});

test('smoke-test on an environment typed in chat checks that environment\'s URL; an unknown one is refused by name', async () => {
  const runs = () => p.t.app.deps.db.processRun.findMany({ where: { processName: 'smoke-test', inputs: { path: ['env'], equals: 'staging' } } });
  const before = (await runs()).length;
  await p.say(p.admin, 'run smoke-test on staging');
  const run = await waitFor(async () => (await runs())[before], 'the staging run', 10_000);
  const done = await p.waitRun(run.id, 'succeeded');
  assert.deepEqual(done.inputs, { env: 'staging' });
  assert.equal(target.hits.get('/staging/healthz'), 1);
  assert.equal(target.hits.get('/staging/api/status'), 1);

  const refused = await p.say(p.admin, 'run smoke-test on qa-west');
  assert.match(refused.map((r) => r.reply.text).join('\n'), /no environment "qa-west" in processes\.environments\. Known: staging/);
  const words = await p.say(p.admin, 'run smoke-test on the moon');
  assert.match(words.map((r) => r.reply.text).join('\n'), /"on" is not key=value/);
  assert.equal(await p.t.app.deps.db.processRun.count({ where: { processName: 'smoke-test', inputs: { path: ['env'], equals: 'qa-west' } } }), 0);
});

test('smoke-test: a failing check fails the run after the report', async () => {
  target.routes.set('/bad/api/status', { status: 500, body: { error: 'boom' } });
  const id = await p.start('smoke-test', { url: `${target.url}/bad` });
  const run = await p.waitRun(id, 'failed', 30_000);
  const report = run.steps.find((s) => s.step === 'report')!.output as { text: string };
  assert.match(report.text, /api: failed GET .*answered 500/);
  assert.match(String(run.error), /verdict: one or more smoke checks failed/);
});

test('rollback: admin approval, deploy hook with the secret, settle, health check, announcement', async () => {
  const out = await p.say(p.admin, 'run rollback service=checkout version=1.4.2 reason="bad deploy"');
  const key = out.find((r) => r.messageKey?.startsWith('run:'))!.messageKey!;
  const id = Number(/run:(\d+):/.exec(key)![1]);
  const ask = await waitFor(() => p.replies.find((r) => r.threadUnderKey === key && r.reply.buttons?.length), 'the approval request', 30_000);
  assert.match(ask.reply.text, /Roll checkout back to 1\.4\.2\? Requested by .*Reason: bad deploy/);
  await p.press(p.admin, 'process.approve', ask.reply.buttons![0]!.value);
  const run = await p.waitRun(id, 'succeeded');
  const hook = target.requests.find((r) => r.path === '/deploy-hook')!;
  assert.equal(hook.headers.authorization, `Bearer ${hookToken}`);
  assert.deepEqual(JSON.parse(hook.body), { action: 'rollback', service: 'checkout', version: '1.4.2', run: id });
  assert.equal(target.hits.get('/svc-health'), 1);
  const announce = await waitFor(() => p.replies.find((r) => r.ref.chatId === 'ops' && /rolled back to 1\.4\.2/.test(r.reply.text)), 'the announcement', 30_000);
  assert.match(announce.reply.text, new RegExp(`approved by ${p.admin}\\); health check answered 200`));
  // The secret is used, never kept or shown.
  const stored = JSON.stringify(await p.t.app.deps.db.processStepRun.findMany({ where: { runId: id } }));
  assert.ok(!stored.includes(hookToken), 'no secret in step rows');
  assert.match(stored, /Bearer \*\*\*/);
  assert.ok(!p.t.logs.join('').includes(hookToken), 'no secret in logs');
  assert.ok(!JSON.stringify(p.replies).includes(hookToken), 'no secret in chat');
  assert.equal((run.steps.find((s) => s.step === 'deploy')!.input as { headers: Record<string, string> }).headers.Authorization, 'Bearer ***');
});

test('rollback needs an approver with the admin role and refuses bad input', async () => {
  const bad = await p.say(p.admin, 'run rollback service="a b" version=1');
  assert.match(bad[0]!.reply.text, /Input "service": does not match/);
  const denied = await p.say(p.operator, 'run rollback service=a version=1');
  assert.match(denied[0]!.reply.text, /may not start rollback/);
});

test('incident: a P0 ticket event pages, assigns, posts the checklist and reminds until resolved', async () => {
  const db = p.t.app.deps.db;
  const ticket = await db.ticket.create({ data: { title: `Checkout down ${randomUUID().slice(0, 4)}`, severity: 'P0', source: 'api' } });
  await emitProcessEvent(p.t.app.deps.queues, 'ticket.created', { ticketId: ticket.id, severity: 'P0', severityConfirmed: true, title: ticket.title }, `t-${ticket.id}`);
  await emitProcessEvent(p.t.app.deps.queues, 'ticket.created', { ticketId: ticket.id + 100000, severity: 'P2', title: 'minor' }, `t-${ticket.id}-p2`);
  const run = await waitFor(() => db.processRun.findFirst({ where: { processName: 'incident', inputs: { path: ['ticket'], equals: ticket.id } } }), 'the incident run', 30_000);
  // Two reminder rounds, then the ticket is resolved and the loop ends.
  await waitFor(async () => (await db.processStepRun.count({ where: { runId: run.id, stepId: 'remind', status: 'succeeded' } })) >= 2, 'two reminders', 20_000);
  await db.ticket.update({ where: { id: ticket.id }, data: { status: 'resolved' } });
  const done = await p.waitRun(run.id, 'succeeded', 20_000);
  const page = p.replies.find((r) => r.ref.chatId === 'ops' && r.reply.title === `P0 incident: ticket #${ticket.id}`);
  assert.ok(page, 'paged in the ops channel');
  assert.match(page.reply.text, /Olga, you are paged/);
  assert.equal((await db.ticket.findUnique({ where: { id: ticket.id } }))!.assigneeName, 'Olga');
  const checklist = done.steps.find((s) => s.step === 'checklist')!.output as { text: string };
  assert.match(checklist.text, /P0 checklist for #\d+/);
  assert.equal(done.steps.filter((s) => s.step === 'closed').length, 1);
  assert.ok(done.steps.filter((s) => s.step === 'wait_resolved').length >= 3, 'the wait ran once per round');
  assert.equal(await db.processRun.count({ where: { processName: 'incident', inputs: { path: ['ticket'], equals: ticket.id + 100000 } } }), 0, 'P2 starts nothing');
});

test('incident ends at once when the ticket.resolved event arrives', async () => {
  const db = p.t.app.deps.db;
  const ticket = await db.ticket.create({ data: { title: 'Search down', severity: 'P0', source: 'api' } });
  const id = await p.start('incident', { ticket: ticket.id });
  await p.waitStep(id, 'wait_resolved', 'waiting');
  await emitProcessEvent(p.t.app.deps.queues, 'ticket.resolved', { ticketId: ticket.id }, `r-${ticket.id}`);
  const run = await p.waitRun(id, 'succeeded');
  assert.ok(!run.steps.some((s) => s.step === 'remind'));
});

test('document-review: the plan shows extract, approve, notify', async () => {
  // The answer in this chat: the earlier tests' incident runs may still be editing their
  // cards in the ops channel while the command is handled (slower under parallel load).
  const out = (await p.say(p.operator, 'run document-review document=12 --dry-run')).filter((r) => r.ref.chatId === p.chat);
  const text = out[0]!.reply.text;
  assert.match(text, /1\. extract \[document\] 12/);
  assert.match(text, /2\. review \[approval\] technician\/admin/);
  assert.match(text, /approved \[notify\]/);
});

test('a P0 ticket created in chat starts incident by itself; resolving it in chat ends the run', async () => {
  const db = p.t.app.deps.db;
  const title = `Payments down ${randomUUID().slice(0, 6)}`;
  await p.say(p.admin, `ticket P0 ${title}`);
  const ticket = await waitFor(() => db.ticket.findFirst({ where: { title } }), 'the ticket', 30_000);
  const run = await waitFor(() => db.processRun.findFirst({ where: { processName: 'incident', inputs: { path: ['ticket'], equals: ticket.id } } }), 'the incident run', 30_000);
  assert.equal(run.trigger, 'event');
  await p.waitStep(run.id, 'wait_resolved', 'waiting');
  await p.say(p.admin, `ticket resolve ${ticket.id}`);
  const done = await p.waitRun(run.id, 'succeeded');
  assert.equal(done.steps.at(-1)!.step, 'closed');
});
