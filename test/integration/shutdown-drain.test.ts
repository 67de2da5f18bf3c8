/**
 * SIGTERM behind a load balancer: readiness turns 503 while the listener keeps serving for the
 * drain period, so requests routed in the next seconds are answered (and stored), never met
 * with a refused connection; then the process closes and exits 0.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { waitFor } from '../helpers/wait.ts';
import { freePort } from '../helpers/ports.ts';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from '../helpers/app.ts';

const BIN = new URL('../../bin/a2d2.mjs', import.meta.url).pathname;
const FIXTURE = new URL('../fixtures/alerts/alertmanager-v4.json', import.meta.url).pathname;


/** One request on a fresh connection: its status, or the connection error's code. */
async function probe(url: string, init?: RequestInit): Promise<number | string> {
  try {
    const res = await fetch(url, { ...init, headers: { ...init?.headers, connection: 'close' }, signal: AbortSignal.timeout(5_000) });
    await res.arrayBuffer();
    return res.status;
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause;
    return cause?.code ?? (err as Error).name;
  }
}

test('SIGTERM: /readyz answers 503 during the drain while webhooks are still served and stored; then a clean exit', async () => {
  const port = await freePort();
  const id = randomUUID().slice(0, 8);
  const dir = mkdtempSync(join(tmpdir(), 'a2d2-drain-'));
  const yaml = join(dir, 'a2d2.yaml');
  writeFileSync(yaml, 'shutdown:\n  drain: 3s\n  graceMs: 2000\n');
  const token = `am-${id}`;
  const { SLACK_SIGNING_SECRET: _a, SLACK_BOT_TOKEN: _b, TELEGRAM_BOT_TOKEN: _c, OPENAI_API_KEY: _d, ...rest } = process.env;
  const child = spawn(process.execPath, [BIN, 'start', '--role', 'all'], {
    env: {
      ...rest,
      DATABASE_URL: TEST_DATABASE_URL,
      REDIS_URL: TEST_REDIS_URL,
      PORT: String(port),
      A2D2_CONFIG: yaml,
      A2D2_QUEUE_PREFIX: `drain-${id}`,
      A2D2_DATA_DIR: join(dir, 'data'),
      ALERTMANAGER_TOKEN: token,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const base = `http://127.0.0.1:${port}`;
  const payload = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Record<string, unknown>;
  const db = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await db.connect();
  try {
    await waitFor(async () => (await probe(`${base}/readyz`)) === 200, 'readiness', 60_000, 100);
    child.kill('SIGTERM');
    const readiness: (number | string)[] = [];
    const deliveries: { key: string; status: number | string }[] = [];
    const until = Date.now() + 2_000;
    for (let i = 0; Date.now() < until; i++) {
      readiness.push(await probe(`${base}/readyz`));
      const key = `drain-${id}-${i}`;
      const body = JSON.stringify({ ...payload, groupKey: `{}:{alertname="${key}"}`, alerts: [{ ...(payload.alerts as object[])[0], labels: { alertname: key, severity: 'warning' }, fingerprint: key }] });
      deliveries.push({
        key,
        status: await probe(`${base}/webhooks/alertmanager`, { method: 'POST', body, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } }),
      });
    }
    assert.ok(readiness.length >= 3, 'the drain lasts long enough to probe');
    assert.deepEqual([...new Set(readiness)], [503], `readiness during the drain: ${readiness.join(',')}\n${output.slice(-3000)}`);
    assert.deepEqual([...new Set(deliveries.map((d) => d.status))], [202], `webhooks during the drain: ${deliveries.map((d) => d.status).join(',')}`);
    assert.equal(await exited, 0, output);
    assert.match(output, /draining/);
    // Every delivery answered 202 during the drain is stored.
    const stored = await db.query('SELECT count(*)::int AS n FROM "Alert" WHERE fingerprint = ANY($1)', [deliveries.map((d) => d.key)]);
    assert.equal(stored.rows[0].n, deliveries.length);
  } finally {
    await db.end();
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});
