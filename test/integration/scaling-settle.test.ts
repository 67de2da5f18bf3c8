/**
 * The scaling bench's accounting (bench/scaling-load.ts): a workload is measured until the
 * deployment has settled, so what its items leave behind (a ticket's card, its process event)
 * is done inside its own window and not charged to the next workload's. Real processes (one
 * http role, one worker) on a database of their own, the fake Slack as the only platform.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDeployment, type Deployment } from '../helpers/a2d2-procs.ts';
import { createRedis } from '../../services/redis.ts';
import { measure, scalingChats, scalingProcess, scalingYaml } from '../../bench/scaling-load.ts';

let d: Deployment | null = null;
after(async () => {
  await d?.close();
});

/** Jobs waiting or running in any queue of the deployment. */
async function busy(dep: Deployment): Promise<number> {
  const redis = createRedis({ url: dep.env.REDIS_URL! });
  try {
    let n = 0;
    for (const k of await redis.keys(`${dep.prefix}:*:meta`)) {
      const q = k.slice(0, -'meta'.length);
      n += (await redis.llen(`${q}wait`)) + (await redis.llen(`${q}active`)) + (await redis.zcard(`${q}prioritized`));
    }
    return n;
  } finally {
    redis.disconnect();
  }
}

test('a measured workload ends with its tail done: every ticket card posted, nothing queued', async () => {
  const tag = randomUUID().slice(0, 6);
  const dir = mkdtempSync(join(tmpdir(), 'a2d2-settle-'));
  writeFileSync(join(dir, 'scale-run.yaml'), scalingProcess(tag));
  d = await startDeployment({ name: 'settle', http: 1, workers: 1, ownDatabase: true, yaml: scalingYaml(tag, dir) });
  const count = 30;
  const m = await measure(d, 'tickets', count, tag, 'settle');
  assert.equal(m.count, count);
  // The triage card of every ticket is already in the chat when the measurement ends.
  const key = `settlex${tag}`;
  const cards = d.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === scalingChats(tag).triage && JSON.stringify(c.args).includes(key));
  assert.ok(cards.length >= count, `${cards.length} of ${count} ticket cards posted when the ticket workload ended`);
  const queued = await d.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "OutboundMessage" WHERE status = 'queued'`);
  assert.equal(queued.rows[0]!.n, 0);
  assert.equal(await busy(d), 0);
  // The alerts that follow are measured on their own: their window holds their cards only.
  const a = await measure(d, 'alerts', 5, tag, 'after');
  assert.equal(a.count, 5);
  assert.equal(await busy(d), 0);
});
