/**
 * Outages of the stores, made with a TCP proxy in front of the real PostgreSQL and Redis:
 * readiness answers 503 within its bound (never hangs), requests that cannot be stored get 503
 * with Retry-After (not 500), and everything recovers by itself once the store is back.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startTestApp, TEST_DATABASE_URL, TEST_REDIS_URL } from '../helpers/app.ts';
import { startTcpProxy } from '../helpers/tcp-proxy.ts';
import { waitFor } from '../helpers/wait.ts';

async function readyz(url: string): Promise<{ status: number; ms: number }> {
  const started = Date.now();
  const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(5_000) });
  await res.arrayBuffer();
  return { status: res.status, ms: Date.now() - started };
}

test('a paused Redis: /readyz answers 503 within its bound instead of hanging, and 200 again once Redis answers', async () => {
  const redis = new URL(TEST_REDIS_URL);
  const proxy = await startTcpProxy(redis.hostname, Number(redis.port || 6379));
  const t = await startTestApp({ role: 'http', env: { REDIS_URL: proxy.via(TEST_REDIS_URL) }, yaml: { http: { readinessTimeoutMs: 800 } } });
  try {
    assert.equal((await readyz(t.url)).status, 200);
    proxy.freeze();
    const paused = await readyz(t.url);
    assert.equal(paused.status, 503);
    assert.ok(paused.ms < 2_000, `answered in ${paused.ms} ms, within a 2 s probe`);
    await proxy.restore();
    await waitFor(async () => (await readyz(t.url)).status === 200, 'ready again', 20_000, 200);
  } finally {
    await proxy.restore();
    await t.stop();
    await proxy.close();
  }
});

test('PostgreSQL refusing connections: a ticket POST gets 503 with Retry-After and readiness 503; both recover by themselves', async () => {
  const pg = new URL(TEST_DATABASE_URL);
  const proxy = await startTcpProxy(pg.hostname, Number(pg.port || 5432));
  const token = `api-${randomUUID()}`;
  const t = await startTestApp({ env: { DATABASE_URL: proxy.via(TEST_DATABASE_URL), A2D2_API_TOKEN: token } });
  const post = (title: string, key: string) =>
    fetch(`${t.url}/api/v1/tickets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify({ title, severity: 'P3' }),
      signal: AbortSignal.timeout(15_000),
    });
  try {
    assert.equal((await readyz(t.url)).status, 200);
    await proxy.cut();
    const key = `outage-${randomUUID()}`;
    const refused = await post('Export button does nothing', key);
    assert.equal(refused.status, 503, await refused.clone().text());
    assert.ok(Number(refused.headers.get('retry-after')) > 0, 'Retry-After tells the client when to retry');
    assert.equal((await readyz(t.url)).status, 503);
    await proxy.restore();
    await waitFor(async () => (await readyz(t.url)).status === 200, 'ready again', 30_000, 250);
    // The client's retry with the same key stores the ticket once.
    const retried = await post('Export button does nothing', key);
    assert.equal(retried.status, 201, (await retried.clone().text()) + t.logs.filter((l) => /failed/.test(l)).join('\n').slice(0, 3000));
    const again = await post('Export button does nothing', key);
    assert.ok(again.status === 200 || again.status === 201);
    const id = ((await retried.json()) as { ticket: { id: number } }).ticket.id;
    assert.ok(Number.isInteger(id), 'the stored ticket has an id');
    assert.equal(((await again.json()) as { ticket: { id: number } }).ticket.id, id, 'the same ticket, not a second one');
    await t.app.deps.db.ticket.delete({ where: { id } });
  } finally {
    await proxy.restore();
    await t.stop();
    await proxy.close();
  }
});
