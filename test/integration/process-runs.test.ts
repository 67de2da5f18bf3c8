/**
 * Acceptance: linear, branching and parallel runs through the real API and workers; an http
 * step to a host outside the allow-list fails with a clear reason; cancel; retry from the
 * failed step; --dry-run performs nothing; bad input is a 400 naming the field; the progress
 * message is one message edited per step with a timeline in its thread.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { definitionsDir, startProcApp, startTarget, type ProcApp, type Target } from './process-helpers.ts';
import { waitFor } from '../helpers/wait.ts';

let target: Target;
let p: ProcApp;

before(async () => {
  target = await startTarget();
  const dir = definitionsDir({
    'linear.yaml': `
name: pr-linear
description: three steps in a row
inputs:
  base: { type: string, required: true }
  who: { type: string, default: world }
notify: "terminal:{{ vars.chat }}"
steps:
  - id: first
    kind: http
    url: "{{ inputs.base }}/one"
  - id: second
    kind: http
    method: POST
    url: "{{ inputs.base }}/two"
    body: { status: "{{ steps.first.output.body.status }}", who: "{{ inputs.who }}" }
  - id: report
    kind: notify
    text: "first said {{ steps.first.output.body.status }}, second {{ steps.second.output.status }}"
`,
    'branching.yaml': `
name: pr-branch
inputs:
  base: { type: string, required: true }
  level: { type: number, required: true }
steps:
  - id: probe
    kind: http
    url: "{{ inputs.base }}/probe"
  - id: decide
    kind: branch
    cases:
      - if: inputs.level >= 5 and steps.probe.output.body.ok == true
        goto: high
      - if: not (inputs.level >= 5)
        goto: low
  - id: high
    kind: http
    url: "{{ inputs.base }}/high"
  - id: done_high
    kind: branch
    cases:
      - { if: "true", goto: end }
  - id: low
    kind: http
    url: "{{ inputs.base }}/low"
`,
    'parallel.yaml': `
name: pr-parallel
inputs:
  base: { type: string, required: true }
steps:
  - id: fan
    kind: parallel
    branches:
      - steps:
          - { id: a1, kind: http, url: "{{ inputs.base }}/a1" }
          - { id: a2, kind: http, url: "{{ inputs.base }}/a2" }
      - steps:
          - { id: b1, kind: http, url: "{{ inputs.base }}/b1" }
      - steps:
          - { id: c1, kind: wait, duration: 200ms }
  - id: after
    kind: http
    url: "{{ inputs.base }}/after?a={{ steps.a2.output.status }}&b={{ steps.b1.output.status }}"
`,
    'outside.yaml': `
name: pr-outside
steps:
  - id: call
    kind: http
    url: "http://example.invalid:8080/hook"
`,
    'flaky.yaml': `
name: pr-flaky
inputs:
  base: { type: string, required: true }
steps:
  - id: ok
    kind: http
    url: "{{ inputs.base }}/flaky-ok"
  - id: flaky
    kind: http
    url: "{{ inputs.base }}/flaky"
    retry: { attempts: 2, backoff: 50ms }
  - id: tail
    kind: http
    url: "{{ inputs.base }}/flaky-tail"
`,
    'half.yaml': `
name: pr-half
inputs:
  base: { type: string, required: true }
steps:
  - id: fan
    kind: parallel
    branches:
      - steps:
          - { id: fa, kind: http, url: "{{ inputs.base }}/half-a", retry: { attempts: 1 } }
      - steps:
          - { id: fb1, kind: http, url: "{{ inputs.base }}/half-b1" }
          - { id: fb2, kind: http, url: "{{ inputs.base }}/half-b2" }
  - { id: tail, kind: http, url: "{{ inputs.base }}/half-tail" }
`,
    'slow.yaml': `
name: pr-slow
steps:
  - id: nap
    kind: wait
    duration: 1h
  - id: never
    kind: notify
    to: "terminal:nobody"
    text: should not be sent
`,
  });
  p = await startProcApp(dir, { processes: { vars: { chat: 'progress-chat' } } });
});

after(async () => {
  await p?.t.stop();
  await target?.close();
});

test('a linear run performs each step once, in order, passing outputs along', async () => {
  target.routes.set('/one', { body: { status: 'green' } });
  const id = await p.start('pr-linear', { base: target.url });
  const run = await p.waitRun(id, 'succeeded');
  assert.deepEqual(run.steps.map((s) => [s.step, s.status, s.attempts]), [
    ['first', 'succeeded', 1],
    ['second', 'succeeded', 1],
    ['report', 'succeeded', 1],
  ]);
  const second = target.requests.find((r) => r.path === '/two')!;
  assert.deepEqual(JSON.parse(second.body), { status: 'green', who: 'world' });
  const report = run.steps.find((s) => s.step === 'report')!.output as { text: string };
  assert.equal(report.text, 'first said green, second 200');
  // One progress message (same key, edited), and the timeline under it.
  const key = `run:${id}:progress`;
  const progress = await waitFor(() => {
    const ps = p.replies.filter((r) => r.messageKey === key);
    return ps.length > 0 && /succeeded/.test(ps[ps.length - 1]!.reply.title ?? '') ? ps : null;
  }, 'the final progress edit', 30_000);
  assert.ok(progress.every((r) => r.ref.chatId === 'progress-chat'));
  assert.ok(progress.every((r) => !r.threadUnderKey));
  const timeline = p.replies.filter((r) => r.threadUnderKey === key);
  assert.ok(timeline.some((r) => /first: done · HTTP 200/.test(r.reply.text)), JSON.stringify(timeline.map((r) => r.reply.text)));
  assert.ok(timeline.some((r) => r.reply.text === 'first said green, second 200'));
});

test('a branch takes the path its expression chooses and skips the other', async () => {
  target.routes.set('/probe', { body: { ok: true } });
  const high = await p.start('pr-branch', { base: target.url, level: 7 });
  const low = await p.start('pr-branch', { base: target.url, level: '2' });
  const h = await p.waitRun(high, 'succeeded');
  const l = await p.waitRun(low, 'succeeded');
  assert.deepEqual(h.steps.map((s) => s.step), ['probe', 'decide', 'high', 'done_high']);
  assert.deepEqual(l.steps.map((s) => s.step), ['probe', 'decide', 'low']);
  assert.deepEqual(h.steps.find((s) => s.step === 'decide')!.output, { matched: 0, target: 'high' });
  assert.equal(target.hits.get('/high'), 1);
  assert.equal(target.hits.get('/low'), 1);
});

test('a parallel step fans out, joins when every branch is done, and then goes on', async () => {
  let release!: () => void;
  const hold = new Promise<void>((r) => (release = r));
  target.routes.set('/b1', { hold, body: { ok: 'b' } });
  const id = await p.start('pr-parallel', { base: target.url });
  // a1 -> a2 finish while b1 is held: the join must wait for b1.
  await p.waitStep(id, 'a2', 'succeeded');
  await p.waitStep(id, 'c1', 'succeeded');
  const mid = await p.run(id);
  assert.equal(mid.status, 'running');
  assert.ok(!mid.steps.some((s) => s.step === 'after'), 'the step after the join waits for every branch');
  release();
  const run = await p.waitRun(id, 'succeeded');
  const fan = run.steps.find((s) => s.step === 'fan')!;
  assert.equal(fan.status, 'succeeded');
  assert.deepEqual(Object.keys(fan.output as object).sort(), ['a1', 'a2', 'b1', 'c1']);
  assert.equal(run.steps.filter((s) => s.step === 'after').length, 1);
  assert.ok(target.requests.some((r) => r.path === '/after'));
  const afterReq = target.requests.filter((r) => r.path === '/after');
  assert.equal(afterReq.length, 1, 'the join fires the next step exactly once');
});

test('an http step to a host outside the allow-list fails with a clear reason and calls nothing', async () => {
  const id = await p.start('pr-outside');
  const run = await p.waitRun(id, 'failed');
  const step = run.steps[0]!;
  assert.equal(step.status, 'failed');
  assert.equal(step.attempts, 1, 'no retries: retrying cannot help');
  assert.match(step.error!, /host example\.invalid:8080 is not in processes\.http\.allowHosts/);
  assert.match(String(run.error), /^call: host example\.invalid:8080/);
});

test('a failed step is retried with backoff, then `run retry` resumes at it without re-running finished steps', async () => {
  let healthy = false;
  target.routes.set('/flaky', () => (healthy ? { status: 200 } : { status: 503, body: { error: 'down' } }));
  const id = await p.start('pr-flaky', { base: target.url });
  const failed = await p.waitRun(id, 'failed');
  const flaky = failed.steps.find((s) => s.step === 'flaky')!;
  assert.equal(flaky.attempts, 2);
  assert.match(flaky.error!, /answered 503, expected 2xx/);
  assert.equal(target.hits.get('/flaky'), 2);
  assert.ok(!failed.steps.some((s) => s.step === 'tail'));

  healthy = true;
  const out = await p.say(p.operator, `run retry ${id}`);
  assert.match(out.map((r) => r.reply.text).join('\n'), new RegExp(`Run #${id} resumes from its failed step`));
  const done = await p.waitRun(id, 'succeeded');
  assert.deepEqual(done.steps.map((s) => [s.step, s.status]), [
    ['ok', 'succeeded'],
    ['flaky', 'succeeded'],
    ['tail', 'succeeded'],
  ]);
  assert.equal(target.hits.get('/flaky-ok'), 1, 'the finished step did not run again');
  assert.equal(target.hits.get('/flaky'), 3);
  assert.equal(target.hits.get('/flaky-tail'), 1);
  // Retrying a run that did not fail is refused with a reason.
  const again = await p.say(p.operator, `run retry ${id}`);
  assert.match(again.map((r) => r.reply.text).join('\n'), /Only a failed run can be retried/);
});

test('cancel stops a run: its waiting step closes and nothing after it runs', async () => {
  const id = await p.start('pr-slow');
  await p.waitStep(id, 'nap', 'waiting');
  const viewer = await p.say('some-viewer', `run cancel ${id}`);
  assert.match(viewer.map((r) => r.reply.text).join('\n'), /not available to your role/);
  const out = await p.say(p.operator, `run cancel ${id}`);
  assert.match(out.map((r) => r.reply.text).join('\n'), new RegExp(`Run #${id} cancelled`));
  const run = await p.waitRun(id, 'cancelled');
  assert.deepEqual(run.steps.map((s) => [s.step, s.status]), [['nap', 'cancelled']]);
  const twice = await p.say(p.operator, `run cancel ${id}`);
  assert.match(twice.map((r) => r.reply.text).join('\n'), /is not running \(it is cancelled\)/);
});

test('--dry-run shows the plan and performs nothing', async () => {
  const before = target.hits.get('/one') ?? 0;
  const runsBefore = await p.t.app.deps.db.processRun.count({ where: { processName: 'pr-linear' } });
  const out = await p.say(p.operator, `run pr-linear base=${target.url} --dry-run`);
  const text = out.map((r) => `${r.reply.title}\n${r.reply.text}`).join('\n');
  assert.match(text, /Plan of pr-linear/);
  assert.match(text, new RegExp(`1\\. first \\[http\\] GET ${target.url.replace(/[.]/g, '\\.')}/one`));
  assert.match(text, /Nothing was performed/);
  assert.equal(target.hits.get('/one') ?? 0, before);
  assert.equal(await p.t.app.deps.db.processRun.count({ where: { processName: 'pr-linear' } }), runsBefore);
  const api = await p.api('POST', '/api/v1/processes/pr-linear/runs', { inputs: { base: target.url }, dryRun: true });
  assert.equal(api.status, 200);
  assert.equal((api.body.plan as { steps: unknown[] }).steps.length, 3);
});

test('the API refuses bad requests with a 4xx that names the field', async () => {
  const missing = await p.api('POST', '/api/v1/processes/pr-linear/runs', { inputs: {} });
  assert.equal(missing.status, 400);
  assert.equal(missing.body.field, 'inputs.base');
  const typo = await p.api('POST', '/api/v1/processes/pr-branch/runs', { inputs: { base: 'x', level: 'high' } });
  assert.equal(typo.status, 400);
  assert.equal(typo.body.field, 'inputs.level');
  assert.match(String(typo.body.message), /expected a number/);
  const shape = await p.api('POST', '/api/v1/processes/pr-linear/runs', { inputs: [] });
  assert.equal(shape.status, 400);
  assert.match(String(shape.body.message), /inputs/);
  const unknown = await p.api('POST', '/api/v1/processes/no-such/runs', { inputs: {} });
  assert.equal(unknown.status, 404);
  const noAuth = await fetch(`${p.t.url}/api/v1/processes/pr-linear/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  assert.equal(noAuth.status, 401);
  const badAuth = await p.api('POST', '/api/v1/processes/pr-linear/runs', { inputs: {} }, { authorization: 'Bearer wrong' });
  assert.equal(badAuth.status, 401);
});

test('an Idempotency-Key starts one run however often it is sent', async () => {
  const key = `k-${Date.now()}`;
  const a = await p.api('POST', '/api/v1/processes/pr-linear/runs', { inputs: { base: target.url } }, { 'idempotency-key': key });
  const b = await p.api('POST', '/api/v1/processes/pr-linear/runs', { inputs: { base: target.url } }, { 'idempotency-key': key });
  assert.equal(a.status, 201);
  assert.equal(b.status, 200);
  assert.equal(a.body.id, b.body.id);
  await p.waitRun(a.body.id as number, 'succeeded');
});

test('chat: run starts a run whose progress goes to the chat; runs and run <id> show it', async () => {
  const out = await p.say(p.operator, `run pr-linear base=${target.url} who="two words"`);
  // An earlier test's run may post its last progress edit (to the notify chat) meanwhile: the
  // chat run is the one whose progress comes to this chat, and all of it comes here.
  const progress = out.find((r) => r.messageKey?.startsWith('run:') && r.ref.chatId === p.chat);
  assert.ok(progress, JSON.stringify(out));
  const id = Number(/run:(\d+):progress/.exec(progress.messageKey!)![1]);
  for (const r of out.filter((x) => x.messageKey?.startsWith(`run:${id}:`))) assert.equal(r.ref.chatId, p.chat);
  await p.waitRun(id, 'succeeded');
  const body = JSON.parse(target.requests.filter((r) => r.path === '/two').at(-1)!.body);
  assert.equal(body.who, 'two words');
  const list = await p.say(p.operator, 'runs');
  assert.match(list[0]!.reply.text, new RegExp(`#${id} pr-linear · succeeded`));
  const show = await p.say(p.operator, `run ${id}`);
  assert.match(show[0]!.reply.text, /✓ first — done/);
  const denied = await p.say('a-viewer', `run pr-linear base=${target.url}`);
  assert.match(denied[0]!.reply.text, /may not start pr-linear/);
  const bad = await p.say(p.operator, 'run pr-linear base');
  assert.match(bad[0]!.reply.text, /"base" is not key=value/);
});

test('retry after a branch failed while another was in flight: the stranded branch goes on, nothing runs twice', async () => {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let aHealthy = false;
  target.routes.set('/half-a', () => (aHealthy ? { status: 200 } : { status: 500 }));
  target.routes.set('/half-b1', { hold: held });
  const id = await p.start('pr-half', { base: target.url });
  await p.waitRun(id, 'failed');
  release();
  // b1 finishes while the run stands failed: recorded, but nothing after it starts.
  await p.waitStep(id, 'fb1', 'succeeded');
  const stalled = await p.run(id);
  assert.ok(!stalled.steps.some((s) => s.step === 'fb2'));
  aHealthy = true;
  await p.say(p.operator, `run retry ${id}`);
  const run = await p.waitRun(id, 'succeeded');
  assert.deepEqual(run.steps.map((s) => s.step).sort(), ['fa', 'fan', 'fb1', 'fb2', 'tail']);
  assert.equal(target.hits.get('/half-a'), 2);
  assert.equal(target.hits.get('/half-b1'), 1);
  assert.equal(target.hits.get('/half-b2'), 1);
  assert.equal(target.hits.get('/half-tail'), 1);
});
