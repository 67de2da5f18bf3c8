/**
 * Acceptance: approval steps approved, denied and timed out; only the step's roles may decide;
 * a click after a restart (another app on the same Redis prefix) resumes the run.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { definitionsDir, startProcApp, startTarget, type ProcApp, type Target } from './process-helpers.ts';
import { waitFor } from '../helpers/wait.ts';
import type { OutboundRequest } from '../../services/messaging/types.ts';

let target: Target;
let p: ProcApp;
let dir: string;

const approvalYaml = (name: string, extra: string) => `
name: ${name}
notify: "terminal:approvals"
inputs:
  base: { type: string, required: true }
steps:
  - id: ask
    kind: approval
    roles: [admin]
    message: "Roll back {{ inputs.base }}?"
${extra}
  - id: act
    kind: http
    method: POST
    url: "{{ inputs.base }}/act-${name}"
`;

before(async () => {
  target = await startTarget();
  dir = definitionsDir({
    'a.yaml': approvalYaml('pa-approve', '    timeout: 1h'),
    'b.yaml': approvalYaml('pa-timeout-fail', '    timeout: 300ms'),
    'c.yaml': `
name: pa-timeout-continue
notify: "terminal:approvals"
steps:
  - id: ask
    kind: approval
    message: "Go?"
    timeout: 300ms
    onTimeout: continue
  - id: route
    kind: branch
    cases:
      - { if: "steps.ask.output.approved", goto: yes }
    else: no
  - { id: yes, kind: notify, text: "approved" }
  - { id: no, kind: notify, text: "timed out: {{ steps.ask.output.timedOut }}" }
`,
  });
  p = await startProcApp(dir);
});

after(async () => {
  await p?.t.stop();
  await target?.close();
});

async function approvalMessage(replies: OutboundRequest[], runId: number): Promise<{ approve: string; deny: string; msg: OutboundRequest }> {
  const msg = await waitFor(
    () => replies.find((r) => r.reply.buttons?.some((b) => b.actionId === 'process.approve') && (r.reply.title ?? '').includes(`run #${runId}`)),
    `the approval request of run ${runId}`,
    30_000,
  );
  const approve = msg.reply.buttons!.find((b) => b.actionId === 'process.approve')!.value;
  const deny = msg.reply.buttons!.find((b) => b.actionId === 'process.deny')!.value;
  return { approve, deny, msg };
}

test('approved by an admin: the run goes on; other roles are refused', async () => {
  const id = await p.start('pa-approve', { base: target.url });
  const { approve, msg } = await approvalMessage(p.replies, id);
  assert.equal(msg.ref.chatId, 'approvals');
  assert.equal(msg.threadUnderKey, `run:${id}:progress`);
  assert.match(msg.reply.text, new RegExp(`Roll back ${target.url.replace(/[.]/g, '\\.')}\\?`));
  const refused = await p.press(p.operator, 'process.approve', approve);
  assert.match(refused.map((r) => r.reply.text).join('\n'), /Only admin may decide this \(your role: operator\)/);
  assert.equal((await p.run(id)).status, 'running');
  const ok = await p.press(p.admin, 'process.approve', approve);
  assert.match(ok.map((r) => r.reply.text).join('\n'), new RegExp(`Approved by ${p.admin}`));
  const run = await p.waitRun(id, 'succeeded');
  assert.deepEqual(run.steps[0]!.output, { approved: true, timedOut: false, by: p.admin });
  assert.equal(target.hits.get('/act-pa-approve'), 1);
  // A second click finds the request closed.
  const late = await p.press(p.admin, 'process.deny', approve);
  assert.match(late.map((r) => r.reply.text).join('\n'), /already decided or has expired/);
});

test('denied: the run stops and the guarded action is never called', async () => {
  const before = target.hits.get('/act-pa-approve') ?? 0;
  const id = await p.start('pa-approve', { base: target.url });
  const { deny } = await approvalMessage(p.replies, id);
  // Pressed the moment the request shows: the step may not be marked waiting yet, and the
  // press must wait for that rather than find the request closed.
  const denied = await p.press(p.admin, 'process.deny', deny);
  assert.match(denied.map((r) => r.reply.text).join('\n'), new RegExp(`Denied by ${p.admin}`));
  const run = await p.waitRun(id, 'failed');
  assert.equal(run.steps[0]!.status, 'denied');
  assert.match(String(run.error), new RegExp(`ask: denied by ${p.admin}`));
  assert.equal(run.steps.length, 1);
  assert.equal(target.hits.get('/act-pa-approve') ?? 0, before);
});

test('timed out with onTimeout fail: the run fails; with continue: the branch sees approved=false', async () => {
  const a = await p.start('pa-timeout-fail', { base: target.url });
  const failed = await p.waitRun(a, 'failed');
  assert.equal(failed.steps[0]!.status, 'failed');
  assert.match(String(failed.steps[0]!.error), /approval timed out/);
  assert.equal(target.hits.get('/act-pa-timeout-fail') ?? 0, 0);
  const { approve } = await approvalMessage(p.replies, a);
  const late = await p.press(p.admin, 'process.approve', approve);
  assert.match(late.map((r) => r.reply.text).join('\n'), /already decided or has expired/);

  const r = await p.api('POST', '/api/v1/processes/pa-timeout-continue/runs', {});
  const b = r.body.id as number;
  const done = await p.waitRun(b, 'succeeded');
  assert.deepEqual(done.steps.map((s) => s.step), ['ask', 'route', 'no']);
  assert.deepEqual((done.steps[2]!.output as { text: string }).text, 'timed out: true');
});

test('a click after a restart resumes the run', async () => {
  const prefix = `t-${randomUUID().slice(0, 8)}`;
  const replies: OutboundRequest[] = [];
  const first = await startProcApp(dir, { app: { queuePrefix: prefix, keepRedis: true }, replies, admin: p.admin, token: p.token });
  const id = await first.start('pa-approve', { base: target.url });
  const { approve } = await approvalMessage(replies, id);
  await first.t.stop();
  const second = await startProcApp(dir, { app: { queuePrefix: prefix }, replies, admin: p.admin, token: p.token });
  try {
    await second.press(p.admin, 'process.approve', approve);
    const run = await second.waitRun(id, 'succeeded');
    assert.equal(run.steps.find((s) => s.step === 'act')!.status, 'succeeded');
  } finally {
    await second.t.stop();
  }
});
