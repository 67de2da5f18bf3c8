/**
 * The four workloads of bench/scaling.bench.ts, each a fixed amount of work sent to a
 * deployment of real processes and timed until the workers have finished it, plus the CPU
 * seconds each process group used meanwhile (from /proc):
 * - tickets: signed Slack slash commands (the http role acks, a worker creates the ticket);
 * - alerts: Alertmanager deliveries, each a new group (stored by the http role), until every
 *   group's card is sent;
 * - documents: XLSX uploads through the REST route until the pipeline is done;
 * - runs: process runs of a notify step and a short wait until they succeeded.
 * Each workload is timed (and its CPU counted) until the deployment is idle again as well: no
 * job waiting or running in any queue and no outbound row still queued. What an item leaves
 * behind (a ticket's card and its edits, its process event) is its own cost, not the next
 * workload's: before 2026-12-08 the tickets pass ended at the stored rows and the alerts pass
 * that followed it was charged with the tickets' backlog.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRedis } from '../services/redis.ts';
import { amPayload } from '../test/helpers/alert-app.ts';
import { jsonPost, pool, sendWithRetry, slashCommand, type Deployment } from '../test/helpers/a2d2-procs.ts';
import { makeXlsx, sampleLines } from '../test/helpers/docgen.ts';
import { sleep } from '../test/helpers/wait.ts';

export type Workload = 'tickets' | 'alerts' | 'documents' | 'runs';
export const WORKLOADS: Workload[] = ['tickets', 'alerts', 'documents', 'runs'];

export interface Measured {
  workload: Workload;
  count: number;
  seconds: number;
  perSecond: number;
  /** CPU seconds per process group while the workload ran. */
  cpu: Record<'http' | 'workers' | 'postgres' | 'redis', number>;
}

const TICK = 100; // USER_HZ on Linux

function cpuTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime + stime + the children it has reaped (a postmaster's exited backends).
    return Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
  } catch {
    return 0;
  }
}

/** Pids of every process whose command is `comm` (and whose command line includes `arg`). */
function pidsOf(comm: string, arg = ''): number[] {
  const out: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      if (readFileSync(`/proc/${e}/comm`, 'utf8').trim() !== comm) continue;
      if (arg && !readFileSync(`/proc/${e}/cmdline`, 'utf8').includes(arg)) continue;
      out.push(Number(e));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** CPU ticks of each group now (Postgres and Redis are the machine's shared servers). */
function groupTicks(d: Deployment): Measured['cpu'] {
  const sum = (pids: number[]) => pids.reduce((a, p) => a + cpuTicks(p), 0);
  return {
    http: sum(d.http.map((p) => p.pid)),
    workers: sum(d.workers.map((p) => p.pid)),
    postgres: sum(pidsOf('postgres')),
    redis: sum(pidsOf('redis-server', '6379')),
  };
}

/** Chats the bench YAML routes to (see scalingYaml). */
export const scalingChats = (tag: string) => ({ triage: `SCTRI${tag.toUpperCase()}`, alerts: `SCALR${tag.toUpperCase()}`, runs: `SCRUN${tag.toUpperCase()}`, cmd: `SCCMD${tag.toUpperCase()}` });

/**
 * The deployment's YAML: chat rate limits lifted (this bench measures the workers; the
 * platforms' own limits are the ceiling docs/scaling.md works out), storm control off.
 */
export function scalingYaml(tag: string, processFolder: string): Record<string, unknown> {
  const c = scalingChats(tag);
  return {
    http: { rateLimitPerMinute: 1_000_000 },
    defaultRole: 'operator',
    tickets: { triage: { platform: 'slack', chatId: c.triage } },
    alerts: { routes: [{ match: { service: 'checkout-am' }, destinations: [`slack:${c.alerts}`] }], storm: { thresholdPerMinute: 1_000_000 } },
    outbound: { limits: { slack: { perChat: { count: 1000, windowMs: 1000 }, global: { count: 5000, windowMs: 1000 } } } },
    processes: { folder: processFolder, includeShipped: false },
  };
}

export const scalingProcess = (tag: string) =>
  `name: scale-run\ninputs:\n  key: { type: string, required: true }\nsteps:\n  - { id: page, kind: notify, to: "slack:${scalingChats(tag).runs}", text: "run {{ inputs.key }}" }\n  - { id: pause, kind: wait, duration: 50ms }\n`;

async function until(done: () => Promise<boolean>, limitMs: number): Promise<void> {
  const end = Date.now() + limitMs;
  while (!(await done())) {
    if (Date.now() > end) throw new Error('workload did not finish within its bound');
    await sleep(100);
  }
}

const n = async (d: Deployment, sql: string, args: unknown[]) => (await d.db.query<{ n: number }>(sql, args)).rows[0]!.n;

/** Sends and waits for one workload of `count` items (`run` keeps items of runs apart). */
async function workload(d: Deployment, w: Workload, count: number, tag: string, run: string): Promise<void> {
  const c = scalingChats(tag);
  const base = (i: number) => d.http[i % d.http.length]!.url;
  const key = `${run}x${tag}`;
  const ok = (s: number | string) => {
    if (typeof s !== 'number' || s >= 300) throw new Error(`${w}: answered ${s}`);
  };
  if (w === 'tickets') {
    await pool(count, 16, async (i) => ok((await sendWithRetry(`${base(i)}/slack/events`, slashCommand(d, `ticket P3 Scale ticket ${i} ${key}`, c.cmd, `${Date.now()}.${key}${i}`))).status));
    await until(async () => (await n(d, 'SELECT count(*)::int AS n FROM "Ticket" WHERE title LIKE $1', [`Scale ticket % ${key}`])) >= count, 300_000);
  } else if (w === 'alerts') {
    await pool(count, 16, async (i) => ok((await sendWithRetry(`${base(i)}/webhooks/alertmanager`, jsonPost(d.amToken, amPayload(`{}:{alertname="Scale${key}",n="${i}"}`, 'firing', { alertname: `Scale${key}`, shard: `s${i}` })))).status));
    await until(async () => d.slack.callsTo('chat.postMessage').filter((x) => x.args.channel === c.alerts && JSON.stringify(x.args).includes(`Scale${key}`)).length >= count, 300_000);
  } else if (w === 'documents') {
    const ids: string[] = [];
    await pool(count, 4, async (i) => {
      const form = new FormData();
      form.append('file', new Blob([makeXlsx([...sampleLines('invoice', 'en', i % 3), `Reference ${key} ${i}`].map((l) => l.split(' | ')))]), `scale-${key}-${i}.xlsx`);
      const r = await sendWithRetry(`${base(i)}/api/v1/documents`, () => ({ method: 'POST', body: form, headers: { authorization: `Bearer ${d.apiToken}` } }));
      ok(r.status);
      ids.push((JSON.parse(r.body) as { intakeId: string }).intakeId);
    });
    const sql = `SELECT count(*)::int AS n FROM "DocumentIntake" i JOIN "DocumentVersion" v ON v.id = i."versionId" WHERE i.id = ANY($1::uuid[]) AND v.stage = 'done'`;
    await until(async () => (await n(d, sql, [ids])) >= count, 600_000);
  } else {
    const ids: number[] = [];
    await pool(count, 16, async (i) => {
      const r = await sendWithRetry(`${base(i)}/api/v1/processes/scale-run/runs`, jsonPost(d.apiToken, { inputs: { key: `${key}-${i}` } }, `${key}-${i}`));
      ok(r.status);
      ids.push((JSON.parse(r.body) as { id: number }).id);
    });
    await until(async () => (await n(d, `SELECT count(*)::int AS n FROM "ProcessRun" WHERE id = ANY($1) AND status = 'succeeded'`, [ids])) >= count, 300_000);
  }
}

/** Jobs waiting, prioritized or running in every queue of the deployment (delayed ones, timers and schedulers, are not owed now). */
async function busyJobs(d: Deployment): Promise<number> {
  const redis = createRedis({ url: d.env.REDIS_URL! });
  try {
    let n = 0;
    for (const k of await redis.keys(`${d.prefix}:*:meta`)) {
      const q = k.slice(0, -'meta'.length);
      n += (await redis.llen(`${q}wait`)) + (await redis.llen(`${q}active`)) + (await redis.zcard(`${q}prioritized`));
    }
    return n;
  } finally {
    redis.disconnect();
  }
}

/** Waits until nothing is owed: no queued outbound row and no job waiting or running (twice in a row, 100 ms apart). */
export async function settle(d: Deployment, limitMs = 300_000): Promise<void> {
  let quiet = 0;
  await until(async () => {
    const idle = (await n(d, `SELECT count(*)::int AS n FROM "OutboundMessage" WHERE status = 'queued'`, [])) === 0 && (await busyJobs(d)) === 0;
    quiet = idle ? quiet + 1 : 0;
    return quiet >= 2;
  }, limitMs);
}

/** Runs one workload and measures it (until the deployment has settled). */
export async function measure(d: Deployment, w: Workload, count: number, tag: string, run: string): Promise<Measured> {
  const before = groupTicks(d);
  const start = Date.now();
  await workload(d, w, count, tag, run);
  await settle(d);
  const seconds = (Date.now() - start) / 1000;
  const after = groupTicks(d);
  const cpu = Object.fromEntries(Object.entries(after).map(([k, v]) => [k, (v - before[k as keyof typeof before]) / TICK])) as Measured['cpu'];
  return { workload: w, count, seconds, perSecond: count / seconds, cpu };
}
