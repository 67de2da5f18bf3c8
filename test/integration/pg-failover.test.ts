/**
 * Acceptance: PostgreSQL's primary switch under load. A primary and a synchronous streaming
 * standby run as real clusters; the app's DATABASE_URL lists both hosts with
 * target_session_attrs=read-write. Tickets stream in through the REST route; the primary is
 * stopped at once (immediate shutdown, a crash) and the standby promoted. Every ticket answered
 * 201 is stored on the new primary; while no writable host answers, requests get 503, never a
 * dropped connection or a 500; the app finds the new primary by itself (no restart); a refused
 * request retried with its idempotency key stores its ticket once.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { startPgPair, type PgPair } from '../helpers/pg-standby.ts';
import { sleep, waitFor } from '../helpers/wait.ts';
import { runMigrations } from '../../services/db/migration-runner.ts';

const TOKEN = `api-${randomUUID()}`;
let pair: PgPair;
let t: TestApp;

before(async () => {
  pair = await startPgPair();
  console.log(`postgres pair: primary ${pair.primaryPort}, standby ${pair.standbyPort}`);
  // The schema goes in through the two-host address, as `a2d2 migrate` would.
  await runMigrations({ databaseUrl: pair.url('a2d2') });
  t = await startTestApp({ env: { A2D2_API_TOKEN: TOKEN, DATABASE_URL: pair.url('a2d2') } });
});

after(async () => {
  await t?.stop();
  await pair?.close();
});

interface Result {
  key: string;
  status: number;
  at: number;
  id?: number;
  error?: string;
}

async function create(key: string): Promise<Result> {
  try {
    const res = await fetch(`${t.url}/api/v1/tickets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify({ title: `Switch ${key}`, severity: 'P3' }),
      signal: AbortSignal.timeout(20_000),
    });
    const body = (await res.json()) as { ticket?: { id: number } };
    return { key, status: res.status, at: Date.now(), ...(body.ticket ? { id: body.ticket.id } : {}) };
  } catch (err) {
    return { key, status: 0, at: Date.now(), error: (err as Error).message };
  }
}

test('the primary crashes mid-stream and the standby is promoted: every 201 stored, 503 meanwhile, no restart', async () => {
  const run = randomUUID().slice(0, 8);
  const results: Result[] = [];
  let i = 0;
  let killedAt = 0;
  const stream = (async () => {
    const end = Date.now() + 16_000;
    while (Date.now() < end) {
      results.push(await create(`${run}-${i++}`));
      await sleep(30);
    }
  })();
  await waitFor(() => results.filter((r) => r.status === 201).length >= 20, 'tickets before the crash', 30_000);
  killedAt = Date.now();
  await pair.killPrimary();
  await sleep(2_000);
  await pair.promote();
  await stream;
  const late = await waitFor(async () => {
    const r = await create(`${run}-${i++}`);
    results.push(r);
    return r.status === 201 ? r : null;
  }, 'a ticket on the new primary', 30_000, 250);
  assert.ok(late);

  const byStatus = new Map<number, number>();
  for (const r of results) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
  const summary = JSON.stringify(Object.fromEntries(byStatus));
  assert.equal(byStatus.get(0) ?? 0, 0, `no dropped connections (${summary})`);
  for (const status of byStatus.keys()) assert.ok(status === 201 || status === 503, `only 201 or 503 (${summary})`);
  assert.ok((byStatus.get(503) ?? 0) > 0, `the switch was seen (${summary})`);
  const ok = results.filter((r) => r.status === 201);
  const firstAfter = ok.find((r) => r.at > killedAt)!;
  const lastBefore = [...ok].reverse().find((r) => r.at <= killedAt)!;

  // Read on the new primary directly: every acknowledged ticket is there.
  const direct = new pg.Client({ connectionString: pair.urlOf(pair.standbyPort, 'a2d2') });
  await direct.connect();
  try {
    const { rows } = await direct.query<{ n: number }>('SELECT count(*)::int AS n FROM "Ticket" WHERE id = ANY($1::int[])', [ok.map((r) => r.id!)]);
    assert.equal(rows[0]!.n, ok.length, 'every 201 is on the new primary');
    // Refused requests retried with their keys: each stores one ticket, whatever the first attempt left.
    // (200: the refused attempt had committed after all, and the key returns its ticket.)
    let replayed = 0;
    for (const r of results.filter((x) => x.status === 503)) {
      const again = await create(r.key);
      assert.ok(again.status === 201 || again.status === 200, `retry of ${r.key}: ${again.status}`);
      if (again.status === 200) replayed++;
    }
    console.log(`retried ${results.filter((x) => x.status === 503).length} refused requests; ${replayed} had been stored by their first attempt`);
    const keys = new Set(results.map((r) => r.key));
    const stored = await direct.query<{ n: number; distinct: number }>(`SELECT count(*)::int AS n, count(DISTINCT title)::int AS distinct FROM "Ticket" WHERE title LIKE $1`, [`Switch ${run}-%`]);
    assert.equal(stored.rows[0]!.n, keys.size, 'one ticket per request, retries included');
    assert.equal(stored.rows[0]!.distinct, keys.size);
  } finally {
    await direct.end();
  }
  assert.equal(await pair.standbyInRecovery(), false);
  const ready = await fetch(`${t.url}/readyz`);
  assert.equal(ready.status, 200);
  console.log(`pg switch: ${summary}; ${ok.length} tickets acknowledged; ${((firstAfter.at - lastBefore.at) / 1000).toFixed(1)} s between the last 201 before the crash and the first after`);
});
