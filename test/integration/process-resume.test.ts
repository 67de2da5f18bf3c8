/**
 * Acceptance: a worker killed mid-step resumes the run elsewhere and no finished step runs
 * twice. The "kill": the first app stops while the second step's HTTP call is held open
 * (forced worker close after a short grace); its in-flight promise, which in one test process
 * keeps running, finds the engine stopping and records nothing. A second app on the same Redis
 * prefix picks the stalled job up (short lock and stall intervals) and finishes the run.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { definitionsDir, startProcApp, startTarget, type Target } from './process-helpers.ts';
import { waitFor } from '../helpers/wait.ts';

let target: Target;
let dir: string;

before(async () => {
  target = await startTarget();
  dir = definitionsDir({
    'resume.yaml': `
name: prs-resume
inputs:
  base: { type: string, required: true }
steps:
  - { id: one, kind: http, url: "{{ inputs.base }}/one" }
  - { id: two, kind: http, url: "{{ inputs.base }}/two", timeout: 30s }
  - { id: three, kind: http, url: "{{ inputs.base }}/three" }
`,
  });
});

after(async () => {
  await target?.close();
});

test('a worker killed mid-step resumes on another worker and no finished step runs twice', async () => {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  // First call of /two hangs until released; later calls answer at once.
  target.routes.set('/two', (n) => (n === 1 ? { hold: held, body: { call: n } } : { body: { call: n } }));
  const prefix = `t-${randomUUID().slice(0, 8)}`;
  const queue = { lockDurationMs: 1000, stalledIntervalMs: 500 };
  const first = await startProcApp(dir, { app: { queuePrefix: prefix, keepRedis: true }, shutdown: { graceMs: 200 }, processes: { queue } });
  const id = await first.start('prs-resume', { base: target.url });
  await waitFor(() => target.hits.get('/two') === 1, 'step two to be in flight', 30_000);
  assert.equal(target.hits.get('/one'), 1);
  // The kill: this process's engine stops trusting its own results, and its workers are closed
  // without waiting, so the job's lock is no longer extended and expires.
  const mod = first.t.app.modules.find((m) => m.name === 'processes') as unknown as { halt(): void };
  mod.halt();
  const workers = (first.t.app.deps.queues as unknown as { workers: { close(force?: boolean): Promise<void> }[] }).workers;
  await Promise.all(workers.map((w) => w.close(true)));
  // The dead worker's call now returns; its result must not be recorded.
  release();
  await first.t.stop();
  const second = await startProcApp(dir, { app: { queuePrefix: prefix }, token: first.token, processes: { queue } });
  try {
    const run = await second.waitRun(id, 'succeeded', 30_000);
    assert.deepEqual(run.steps.map((s) => [s.step, s.status]), [
      ['one', 'succeeded'],
      ['two', 'succeeded'],
      ['three', 'succeeded'],
    ]);
    assert.equal(target.hits.get('/one'), 1, 'the finished step did not run again');
    assert.equal(target.hits.get('/two'), 2, 'the interrupted step ran again');
    assert.equal(target.hits.get('/three'), 1);
    const two = run.steps.find((s) => s.step === 'two')!;
    assert.deepEqual((two.output as { body: unknown }).body, { call: 2 }, 'the recorded output is the resumed call, not the killed one');
    assert.equal(two.attempts, 2);
  } finally {
    await second.t.stop();
  }
});
