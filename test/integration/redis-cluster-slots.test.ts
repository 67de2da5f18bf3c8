/**
 * Redis Cluster readiness: with a hash-tagged queue prefix (`{...}`), every Lua script and
 * every MULTI block a2d2 sends touches keys of one slot, so a cluster would take them all.
 * The real app runs against a private redis-server watched with MONITOR while it takes REST
 * and slash-command tickets, Alertmanager webhooks (to a Slack channel and a Telegram group,
 * so the outbound limiter's chat, group and global windows are all used), a process run and a
 * document; each script call and block is grouped with its keys (COMMAND GETKEYS for commands
 * inside a block) and the slots computed with CRC16, checked against the server's own
 * CLUSTER KEYSLOT on a cluster-enabled redis-server. The same check refuses an untagged prefix.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { startChatTestApp, type ChatTestApp } from '../helpers/chat-app.ts';
import { startPrivateRedis, answersPing, type PrivateRedis } from '../helpers/redis-server.ts';
import { crossSlot, keyGroups, keySlot, type MonitoredCommand } from '../helpers/key-slot.ts';
import { slashCommandBody } from '../helpers/fake-slack.ts';
import { amPayload } from '../helpers/alert-app.ts';
import { makeXlsx, sampleLines } from '../helpers/docgen.ts';
import { freePort } from '../helpers/ports.ts';
import { definitionsDir } from './process-helpers.ts';
import { createRedis } from '../../services/redis.ts';
import { waitFor } from '../helpers/wait.ts';
import type { YamlConfig } from '../../services/config.ts';

const TAG = `a2d2t${randomUUID().slice(0, 6)}`;
const PREFIX = `{${TAG}}`;
const API = `api-${randomUUID()}`;
const AM = `am-${randomUUID()}`;
const TRIAGE = `CSLOT${TAG.toUpperCase()}`;
const ALERTS = `CSLAL${TAG.toUpperCase()}`;
const GROUP = '-100555000111';
let redis: PrivateRedis;
let monitor: Redis;
let c: ChatTestApp;
const seen: MonitoredCommand[] = [];

before(async () => {
  if (process.env.A2D2_SLOT_CHECK !== '1') return;
  redis = await startPrivateRedis([]);
  monitor = await createRedis({ url: redis.url }).monitor();
  monitor.on('monitor', (_time: string, args: string[], source: string) => seen.push({ args, source }));
  const dir = definitionsDir({ 'slot.yaml': `name: slot-run\nsteps:\n  - { id: page, kind: notify, to: "slack:${TRIAGE}", text: "slot run" }\n  - { id: pause, kind: wait, duration: 50ms }\n` });
  c = await startChatTestApp({
    queuePrefix: PREFIX,
    env: { REDIS_URL: redis.url, A2D2_API_TOKEN: API, ALERTMANAGER_TOKEN: AM },
    yaml: {
      defaultRole: 'operator',
      tickets: { triage: { platform: 'slack', chatId: TRIAGE } },
      alerts: { routes: [{ match: { service: 'checkout-am' }, destinations: [`slack:${ALERTS}`, `telegram:${GROUP}`] }] },
      processes: { folder: dir, includeShipped: false },
    } as unknown as Partial<YamlConfig>,
  });
});

after(async () => {
  await c?.stop();
  monitor?.disconnect();
  await redis?.close();
});

const post = (path: string, token: string, body: unknown, key?: string) =>
  fetch(`${c.t.url}${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...(key ? { 'idempotency-key': key } : {}) } });

/** Drives every kind of work through the app and waits for its chat effects. */
async function drive(): Promise<void> {
  for (let i = 0; i < 4; i++) assert.equal((await post('/api/v1/tickets', API, { title: `Slot ticket ${i} ${TAG}`, severity: 'P2' }, `slot-${TAG}-${i}`)).status, 201);
  await c.postSlack(slashCommandBody({ command: '/a2d2', text: `ticket P3 Slot slash ${TAG}`, channel: 'CSLOTCMD' }), 'application/x-www-form-urlencoded');
  for (let i = 0; i < 3; i++) assert.equal((await post('/webhooks/alertmanager', AM, amPayload(`{}:{alertname="Slot${TAG}",n="${i}"}`, 'firing', { alertname: `Slot${TAG}`, shard: `s${i}` }))).status, 202);
  assert.equal((await post('/api/v1/processes/slot-run/runs', API, {}, `slot-run-${TAG}`)).status, 201);
  const form = new FormData();
  form.append('file', new Blob([makeXlsx([...sampleLines('invoice', 'en', 2), `Reference ${TAG}`].map((l) => l.split(' | ')))]), `slot-${TAG}.xlsx`);
  const up = await fetch(`${c.t.url}/api/v1/documents`, { method: 'POST', body: form, headers: { authorization: `Bearer ${API}` } });
  assert.equal(up.status, 202);
  const { intakeId } = (await up.json()) as { intakeId: string };
  const posts = (chat: string) => c.slack.callsTo('chat.postMessage').filter((x) => x.args.channel === chat).length;
  await waitFor(() => posts(TRIAGE) >= 6 && posts(ALERTS) >= 3, 'ticket cards, the run post and alert cards', 60_000, 200);
  await waitFor(async () => {
    const r = await fetch(`${c.t.url}/api/v1/documents/intakes/${intakeId}`, { headers: { authorization: `Bearer ${API}` } });
    return ((await r.json()) as { document: { stage: string } | null }).document?.stage === 'done';
  }, 'the document through its pipeline', 60_000, 200);
}

/** A cluster-enabled redis-server (no slots served): only asked CLUSTER KEYSLOT. */
async function clusterNode(): Promise<{ slot(key: string): Promise<number>; close(): void }> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'a2d2-cluster-'));
  const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--cluster-enabled', 'yes', '--save', ''], { stdio: 'ignore' });
  await waitFor(() => answersPing(port), 'cluster-enabled redis-server', 20_000, 50);
  const r = createRedis({ url: `redis://127.0.0.1:${port}` });
  return {
    slot: async (key) => Number(await r.call('CLUSTER', 'KEYSLOT', key)),
    close: () => {
      r.disconnect();
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// Run on its own (A2D2_SLOT_CHECK=1 node scripts/test.mjs test/integration/redis-cluster-slots.test.ts):
// inside the parallel CI run its private redis-server went away and the file hung to the
// runner's timeout in two fresh-clone runs; the cause is not found yet.
const onItsOwn = process.env.A2D2_SLOT_CHECK === '1';
test('every script and MULTI a2d2 sends under a {tagged} prefix stays in one slot', { skip: onItsOwn ? false : 'set A2D2_SLOT_CHECK=1 and run this file on its own' }, async () => {
  await drive();
  const asker = createRedis({ url: redis.url });
  const keysOf = async (args: string[]) => ((await asker.call('COMMAND', 'GETKEYS', ...args).catch(() => [])) as string[]) ?? [];
  try {
    const groups = await keyGroups(seen, keysOf);
    const scripts = groups.filter((g) => g.kind === 'script');
    const multis = groups.filter((g) => g.kind === 'multi');
    const shas = new Set(scripts.map((g) => g.name));
    console.log(`monitored ${seen.length} commands: ${scripts.length} script calls (${shas.size} scripts), ${multis.length} MULTI blocks`);
    assert.ok(shas.size >= 10, `BullMQ's and the limiter's scripts were seen (${shas.size})`);
    assert.ok(scripts.some((g) => g.keys.some((k) => k.includes(':chat:slack:')) && g.keys.some((k) => k.includes(':global:slack'))), "the limiter's multi-window script ran");
    assert.ok(scripts.some((g) => g.keys.some((k) => k.includes(`:group:telegram:${GROUP}`))), "the limiter's Telegram group window was used");
    assert.deepEqual(crossSlot(groups).map((g) => `${g.kind} ${g.name}: ${g.keys.join(' ')}`), [], 'no script or block spans slots');
    // Every key any command touched, inside scripts too, is in the install's slot.
    const slot = keySlot(PREFIX);
    const stray = new Set<string>();
    const distinct = new Map(seen.map((s) => [JSON.stringify(s.args), s.args]));
    for (const args of distinct.values()) for (const k of await keysOf(args)) if (keySlot(k) !== slot) stray.add(k);
    assert.deepEqual([...stray], [], 'every key the install touched hashes to its tag');
    // Our CRC16 agrees with a cluster's own KEYSLOT on the keys seen.
    const node = await clusterNode();
    try {
      const sample = [...new Set(groups.flatMap((g) => g.keys))].slice(0, 200);
      for (const k of [...sample, 'foo', '123456789', 'a{}b', '{user1000}.following']) assert.equal(keySlot(k), await node.slot(k), k);
    } finally {
      node.close();
    }
    // The same groups under an untagged prefix would span slots: the check can fail.
    const untagged = await keyGroups(
      seen.map((s) => ({ ...s, args: s.args.map((a) => a.replaceAll(PREFIX, TAG)) })),
      async (args) => (await keysOf(args.map((a) => a.replaceAll(TAG, PREFIX)))).map((k) => k.replaceAll(PREFIX, TAG)),
    );
    assert.ok(crossSlot(untagged).length > 0, 'an untagged prefix puts script keys in several slots');
  } finally {
    asker.disconnect();
  }
});
