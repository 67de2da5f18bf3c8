/**
 * Runs survive a process killed between a commit and its enqueue: a repeated start enqueues
 * its run's open steps again, and the recovery sweep of any live worker puts stranded step
 * rows and lost timers back on the queue under their deterministic job ids.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { definitionsDir, startProcApp, startTarget, type ProcApp, type Target } from './process-helpers.ts';
import { waitFor } from '../helpers/wait.ts';
import { PROCESS_STEP_QUEUE, stepJobId } from '../../services/processes/engine.ts';

let target: Target;
let dir: string;
const recovery = { every: '300ms', grace: '500ms' };

before(async () => {
  target = await startTarget();
  dir = definitionsDir({
    'rec.yaml': `
name: prc-rec
inputs:
  base: { type: string, required: true }
steps:
  - { id: call, kind: http, url: "{{ inputs.base }}/rec" }
`,
    'timer.yaml': `
name: prc-timer
inputs:
  base: { type: string, required: true }
steps:
  - { id: pause, kind: wait, duration: 3s }
  - { id: after, kind: http, url: "{{ inputs.base }}/after-pause" }
`,
  });
});

after(async () => {
  await target?.close();
});

/** Removes a step job as a kill between commit and enqueue would have left it: never added. */
async function dropJob(p: ProcApp, jobId: string): Promise<void> {
  const q = p.t.app.deps.queues.queue(PROCESS_STEP_QUEUE);
  await waitFor(async () => (await q.getJob(jobId)) !== undefined, `job ${jobId} to exist`, 10_000);
  await (await q.getJob(jobId))!.remove();
  assert.equal(await q.getJob(jobId), undefined);
}

test('recovery: a retried start (same Idempotency-Key) re-enqueues the open first step its first try lost', async () => {
  const prefix = `t-${randomUUID().slice(0, 8)}`;
  // The HTTP role alone: nothing consumes the job, so the test sees exactly what was enqueued.
  const http = await startProcApp(dir, { app: { role: 'http', queuePrefix: prefix }, processes: { recovery } });
  try {
    const key = `k-${randomUUID()}`;
    const first = await http.api('POST', '/api/v1/processes/prc-rec/runs', { inputs: { base: target.url } }, { 'idempotency-key': key });
    assert.equal(first.status, 201);
    const id = first.body.id as number;
    const jobId = stepJobId(id, 'call', 0, 0);
    await dropJob(http, jobId);
    const again = await http.api('POST', '/api/v1/processes/prc-rec/runs', { inputs: { base: target.url } }, { 'idempotency-key': key });
    assert.equal(again.status, 200);
    assert.equal(again.body.id, id);
    const job = await http.t.app.deps.queues.queue(PROCESS_STEP_QUEUE).getJob(jobId);
    assert.ok(job, 'the retried start enqueued the first step again');
    // A third try while the job exists adds nothing beside it (same id).
    await http.api('POST', '/api/v1/processes/prc-rec/runs', { inputs: { base: target.url } }, { 'idempotency-key': key });
    const counts = await http.t.app.deps.queues.queue(PROCESS_STEP_QUEUE).getJobCounts('waiting', 'delayed', 'prioritized');
    assert.equal(counts.waiting! + counts.delayed! + counts.prioritized!, 1);
  } finally {
    await http.t.stop();
  }
});

test('recovery: the sweep of a live worker runs a step row whose job was never enqueued', async () => {
  const prefix = `t-${randomUUID().slice(0, 8)}`;
  const http = await startProcApp(dir, { app: { role: 'http', queuePrefix: prefix, keepRedis: true }, processes: { recovery } });
  const id = await http.start('prc-rec', { base: target.url });
  await dropJob(http, stepJobId(id, 'call', 0, 0));
  await http.t.stop();
  const worker = await startProcApp(dir, { app: { queuePrefix: prefix }, token: http.token, processes: { recovery } });
  try {
    const run = await worker.waitRun(id, 'succeeded', 30_000);
    assert.equal(run.steps[0]!.attempts, 1);
    // The sweep reads the database, so it also runs the run the first test left pending; this
    // run's own call happened once.
    assert.equal(target.requests.filter((r) => r.headers['idempotency-key'] === `a2d2-run-${id}-call-0-g0`).length, 1);
  } finally {
    await worker.t.stop();
  }
});

test('recovery: the sweep re-arms a waiting step whose timer job was lost', async () => {
  const p = await startProcApp(dir, { processes: { recovery } });
  try {
    const id = await p.start('prc-timer', { base: target.url });
    await p.waitStep(id, 'pause', 'waiting');
    const row = await p.t.app.deps.db.processStepRun.findFirstOrThrow({ where: { runId: id, stepId: 'pause' } });
    await dropJob(p, `pt-${row.id}-g0`);
    const run = await p.waitRun(id, 'succeeded', 30_000);
    assert.deepEqual(run.steps.map((s) => [s.step, s.status]), [
      ['pause', 'succeeded'],
      ['after', 'succeeded'],
    ]);
  } finally {
    await p.t.stop();
  }
});
