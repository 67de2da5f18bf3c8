/**
 * Acceptance: Redis behind real sentinels fails over under load. A primary, a replica and
 * three sentinels run as real processes; the app finds Redis through REDIS_SENTINELS. Tickets
 * stream in through the REST route; the primary is SIGKILLed mid-stream and the sentinels
 * promote the replica. Every ticket answered 201 is in Postgres and gets its triage card
 * exactly once (queue work lost with the old primary is rebuilt from the rows by the recovery
 * sweeps); requests made while no primary answers get 503, never a dropped connection; new
 * tickets work on the new primary without a restart.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { startSentinelSet, type SentinelSet } from '../helpers/redis-sentinel.ts';
import { FakePlatformSender } from '../helpers/outbound-fake-sender.ts';
import { sleep, waitFor } from '../helpers/wait.ts';
import type { YamlConfig } from '../../services/config.ts';

const TOKEN = `api-${randomUUID()}`;
const TRIAGE = `triage-${randomUUID().slice(0, 8)}`;
let set: SentinelSet;
let sender: FakePlatformSender;
let t: TestApp;

before(async () => {
  set = await startSentinelSet();
  console.log(`sentinel set: primary ${set.primaryPort}, replica ${set.replicaPort}, sentinels ${set.sentinels}`);
  sender = new FakePlatformSender('terminal');
  t = await startTestApp({
    env: { A2D2_API_TOKEN: TOKEN, REDIS_SENTINELS: set.sentinels, REDIS_SENTINEL_NAME: set.name },
    yaml: {
      tickets: { triage: { platform: 'terminal', chatId: TRIAGE }, sweepEvery: '1s', sweepGrace: '2s' },
      outbound: { recovery: { every: '1s', grace: '2s', giveUp: '1d' } },
    } as unknown as Partial<YamlConfig>,
    modules: [{ name: 'recorder', sender }],
  });
});

after(async () => {
  await t?.stop();
  await set?.close();
});

async function create(run: string, i: number): Promise<{ status: number; id?: number; error?: string }> {
  try {
    const res = await fetch(`${t.url}/api/v1/tickets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'idempotency-key': `${run}-${i}` },
      body: JSON.stringify({ title: `Failover ${run} ticket ${i}`, severity: 'P3' }),
      signal: AbortSignal.timeout(15_000),
    });
    const body = (await res.json()) as { ticket?: { id: number } };
    return { status: res.status, ...(body.ticket ? { id: body.ticket.id } : {}) };
  } catch (err) {
    return { status: 0, error: (err as Error).message };
  }
}

test('the primary killed mid-stream: every 201 stored and carded once, 503 at worst, new primary used without a restart', async () => {
  const run = randomUUID().slice(0, 8);
  const results: Array<{ status: number; id?: number; error?: string }> = [];
  const firstPrimary = await set.currentPrimary();
  let i = 0;
  const stream = (async () => {
    const end = Date.now() + 14_000;
    while (Date.now() < end) {
      results.push(await create(run, i++));
      await sleep(40);
    }
  })();
  await waitFor(() => results.filter((r) => r.status === 201).length >= 20, 'tickets before the kill', 30_000);
  await set.killPrimary();
  await stream;
  await waitFor(async () => (await set.currentPrimary()) !== firstPrimary, 'the sentinels to promote the replica', 30_000, 200);
  // After the failover, a new ticket goes through at once (retrying only while it settles).
  const late = await waitFor(async () => {
    const r = await create(run, i++);
    results.push(r);
    return r.status === 201 ? r : null;
  }, 'a ticket on the new primary', 30_000, 250);
  assert.ok(late);

  const byStatus = new Map<number, number>();
  for (const r of results) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
  const summary = JSON.stringify(Object.fromEntries(byStatus));
  assert.equal(byStatus.get(0) ?? 0, 0, `no dropped connections (${summary})`);
  for (const status of byStatus.keys()) assert.ok(status === 201 || status === 503, `only 201 or 503 (${summary})`);
  const ok = results.filter((r) => r.status === 201).map((r) => r.id!);
  assert.ok(ok.length > 40, `most tickets went through (${summary})`);
  const stored = await t.app.deps.db.ticket.count({ where: { id: { in: ok } } });
  assert.equal(stored, ok.length, 'every 201 is in Postgres');
  const cards = () => sender.delivered.filter((c) => c.op === 'post' && c.ref.chatId === TRIAGE && c.reply.title?.includes(`Failover ${run} `));
  await waitFor(() => new Set(cards().map((c) => c.reply.title)).size >= ok.length, `a card for each of ${ok.length} tickets`, 90_000, 250);
  const titles = cards().map((c) => c.reply.title!);
  assert.equal(titles.length, new Set(titles).size, 'no card posted twice');
  const rows = await t.app.deps.db.ticket.findMany({ where: { title: { startsWith: `Failover ${run} ` } }, select: { id: true } });
  assert.equal(rows.length, ok.length, 'no ticket stored for a request that was refused');
  // The app's own connections now use the promoted replica.
  assert.equal(await set.currentPrimary(), set.replicaPort);
  const ready = await fetch(`${t.url}/readyz`);
  assert.equal(ready.status, 200);
  console.log(`failover: ${summary}, ${ok.length} tickets, ${titles.length} cards`);
});
