/**
 * A worker role with METRICS_PORT: its own listener serves /metrics (the jobs it ran, so the
 * job rules see separate worker roles) and /healthz, nothing else, and closes with the role.
 * Without METRICS_PORT a worker role listens nowhere; an http role ignores it.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { waitFor } from '../helpers/wait.ts';
import { freePort } from '../helpers/ports.ts';
import { SMOKE_QUEUE } from '../../services/ops/smoke-queue.ts';

const apps: TestApp[] = [];
after(async () => {
  for (const a of apps.reverse()) await a.stop().catch(() => undefined);
});

test('a worker role with METRICS_PORT serves its job metrics and liveness there, and nothing else', async () => {
  const prefix = `t-wl-${randomUUID().slice(0, 8)}`;
  const port = await freePort();
  const http = await startTestApp({ role: 'http', queuePrefix: prefix, env: { METRICS_PORT: String(port) } });
  apps.push(http);
  assert.notEqual(new URL(http.url).port, String(port), 'an http role keeps its /metrics on PORT');
  const worker = await startTestApp({ role: 'worker', queuePrefix: prefix, env: { METRICS_PORT: String(port) } });
  assert.equal(worker.url, `http://127.0.0.1:${port}`);

  // A job the worker runs (the smoke queue's echo), counted in the worker's own registry.
  const nonce = randomUUID();
  await http.app.deps.queues.add(SMOKE_QUEUE, { nonce, sentAt: Date.now() }, { jobId: `smoke-${nonce}` });
  const text = await waitFor(async () => {
    const t = await (await fetch(`${worker.url}/metrics`)).text();
    return /^a2d2_job_duration_seconds_count\{[^}]*queue="smoke"[^}]*\} [1-9]/m.test(t) ? t : null;
  }, 'the smoke job in the worker metrics', 20_000);
  assert.match(text, /^# TYPE a2d2_job_failures_total counter$/m);
  assert.match(text, /^a2d2_queue_jobs\{/m, 'queue depths are read at the scrape');
  const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  assert.equal(`${check.stdout}${check.stderr}`.trim(), '', 'promtool has no findings');

  const health = await fetch(`${worker.url}/healthz`);
  assert.equal(health.status, 200);
  assert.deepEqual(await health.json(), { status: 'ok', role: 'worker' });
  assert.equal((await fetch(`${worker.url}/slack/events`, { method: 'POST', body: '{}' })).status, 405);
  assert.equal((await fetch(`${worker.url}/api/v1/tickets`)).status, 404);
  assert.equal((await fetch(`${worker.url}/readyz`)).status, 404);

  await worker.stop();
  await assert.rejects(fetch(`${worker.url}/healthz`), 'the listener closed with the role');
});

test('a worker role without METRICS_PORT listens nowhere', async () => {
  const worker = await startTestApp({ role: 'worker' });
  apps.push(worker);
  assert.equal(worker.url, '');
  assert.equal(worker.app.server, null);
});
