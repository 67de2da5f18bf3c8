/**
 * Chaos run of a Redis crash: the deployment (1 http + 2 worker roles) uses a private
 * redis-server; under a steady load of tickets with a 20 s first-response SLA and Alertmanager
 * webhooks, the redis-server is killed with SIGKILL and started again on the same port a few
 * seconds later. No a2d2 process is restarted. Two passes: without persistence (everything
 * queued is gone) and with an AOF fsynced every second.
 * Counts per pass: 2xx answers whose row is not in Postgres (lost), breached tickets without
 * their breach notice at the fake Slack, notices sent twice, the seconds from the kill until
 * readiness and a ticket POST succeed again, and breach notice lateness (notice time minus due
 * time, p50/p99/max). Exits 1 when anything was lost, unnotified, doubled or never recovered.
 *   node --import tsx bench/chaos/redis-restart.ts [--pass none|aof|both] [--load 40] [--down 4]
 */
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { amPayload } from '../../test/helpers/alert-app.ts';
import { jsonPost, percentile, request, sendWithRetry, startDeployment, tally, type Deployment } from '../../test/helpers/a2d2-procs.ts';
import { startPrivateRedis } from '../../test/helpers/redis-server.ts';
import { sleep } from '../../test/helpers/wait.ts';

const { values } = parseArgs({ options: { pass: { type: 'string', default: 'both' }, load: { type: 'string', default: '40' }, down: { type: 'string', default: '4' } } });
const loadSeconds = Number(values.load);
const downSeconds = Number(values.down);
const passes = values.pass === 'both' ? (['none', 'aof'] as const) : ([values.pass] as ('none' | 'aof')[]);
if (!passes.every((p) => p === 'none' || p === 'aof') || !(loadSeconds >= 15) || !(downSeconds > 0)) {
  console.error('--pass none|aof|both, --load at least 15 (seconds), --down > 0 (seconds)');
  process.exit(2);
}
const FIRST_RESPONSE_MS = 20_000;

async function pass(mode: 'none' | 'aof'): Promise<boolean> {
  const started = Date.now();
  const redis = await startPrivateRedis(mode === 'none' ? ['--appendonly', 'no', '--save', ''] : ['--appendonly', 'yes', '--appendfsync', 'everysec']);
  const tag = randomUUID().slice(0, 6);
  const ESC = `CESC${tag.toUpperCase()}`;
  const TRIAGE = `CTRI${tag.toUpperCase()}`;
  const ALERTS = `CALR${tag.toUpperCase()}`;
  let dep: Deployment | null = null;
  try {
    dep = await startDeployment({
      name: `redis-${mode}`,
      ownDatabase: true,
      env: { REDIS_URL: redis.url },
      yaml: {
        http: { rateLimitPerMinute: 1_000_000 },
        tickets: {
          sla: { P2: { firstResponse: `${FIRST_RESPONSE_MS / 1000}s`, resolution: '10m', businessHours: false } },
          sweepEvery: '5s',
          triage: { platform: 'slack', chatId: TRIAGE },
          escalation: { P2: [{ to: { platform: 'slack', chatId: ESC } }] },
        },
        alerts: { routes: [{ match: { service: 'checkout-am' }, destinations: [`slack:${ALERTS}`] }] },
      },
    });
    const d = dep;
    const base = d.http[0]!.url;
    const tickets: { id: number; due: number }[] = [];
    const groups: string[] = [];
    const statuses: (number | string)[] = [];
    let failures = 0;
    let firstFailure = 0;
    let lastFailure = 0;
    const loadUntil = Date.now() + loadSeconds * 1000;
    let n = 0;
    // Two senders, each one request at a time with a short pause: a steady few per second.
    const sender = async (kind: 'ticket' | 'alert') => {
      while (Date.now() < loadUntil) {
        const i = n++;
        const r =
          kind === 'ticket'
            ? await sendWithRetry(`${base}/api/v1/tickets`, jsonPost(d.apiToken, { title: `Cart total wrong ${i} r${tag}`, severity: 'P2' }, `rr-${tag}-${i}`), 30_000)
            : await sendWithRetry(`${base}/webhooks/alertmanager`, jsonPost(d.amToken, amPayload(`{}:{alertname="Redis${tag}",n="${i}"}`, 'firing')), 30_000);
        statuses.push(r.status);
        if (r.attempts > 1 || typeof r.status === 'string' || r.status >= 300) {
          failures++;
          firstFailure ||= Date.now();
          lastFailure = Date.now();
        }
        if (typeof r.status === 'number' && r.status >= 200 && r.status < 300) {
          const body = JSON.parse(r.body) as { ticket?: { id: number; sla: { responseDueAt: string } }; groupId?: string };
          if (kind === 'ticket' && body.ticket) tickets.push({ id: body.ticket.id, due: Date.parse(body.ticket.sla.responseDueAt) });
          if (kind === 'alert' && body.groupId) groups.push(body.groupId);
        }
        await sleep(150);
      }
    };
    const chaos = (async () => {
      await sleep(Math.min(12_000, (loadSeconds * 1000) / 3));
      const killedAt = Date.now();
      await redis.kill9();
      await sleep(downSeconds * 1000);
      await redis.start();
      // Recovered: readiness 200 and a fresh ticket stored, both without restarting anything.
      let recoveredAt = 0;
      while (Date.now() < killedAt + 120_000) {
        const ready = await request(`${base}/readyz`, { timeoutMs: 2_000 });
        if (ready.status === 200) {
          const probe = await request(`${base}/api/v1/tickets`, { ...jsonPost(d.apiToken, { title: `Recovery probe r${tag}`, severity: 'P3' })(), timeoutMs: 5_000 });
          if (probe.status === 201) {
            recoveredAt = Date.now();
            break;
          }
        }
        await sleep(250);
      }
      return { killedAt, recoveredAt };
    })();
    await Promise.all([sender('ticket'), sender('ticket'), sender('alert'), sender('alert')]);
    const { killedAt, recoveredAt } = await chaos;

    // Every 2xx is in Postgres.
    const storedTickets = (await d.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Ticket" WHERE id = ANY($1)`, [tickets.map((t) => t.id)])).rows[0]!.n;
    const storedGroups = (await d.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "AlertGroup" WHERE id = ANY($1::uuid[])`, [groups])).rows[0]!.n;
    // Every breach noticed: wait past the last due time plus the sweep's grace, then count.
    const lastDue = Math.max(...tickets.map((t) => t.due));
    const notices = () => {
      const m = new Map<number, number[]>();
      for (const c of d.slack.callsTo('chat.postMessage')) {
        if (c.args.channel !== ESC) continue;
        // A digest message carries several notices.
        for (const hit of String(c.args.text ?? '').matchAll(/SLA breached: #(\d+) /g)) m.set(Number(hit[1]), [...(m.get(Number(hit[1])) ?? []), c.at]);
      }
      return m;
    };
    const breachedIds = async () =>
      (await d.db.query<{ id: number }>(`SELECT id FROM "Ticket" WHERE id = ANY($1) AND "responseBreachedAt" IS NOT NULL`, [tickets.map((t) => t.id)])).rows.map((r) => r.id);
    const waitUntil = Math.max(Date.now(), lastDue) + 60_000;
    while (Date.now() < waitUntil) {
      const seen = notices();
      if (Date.now() > lastDue + 1_000 && tickets.every((t) => seen.has(t.id))) break;
      await sleep(1_000);
    }
    await sleep(5_000);
    const seen = notices();
    const breached = await breachedIds();
    const dueById = new Map(tickets.map((t) => [t.id, t.due]));
    const unnotified = tickets.filter((t) => !seen.has(t.id)).length;
    const twice = [...seen.values()].filter((a) => a.length > 1).length;
    const lateness = [...seen.entries()].filter(([id]) => dueById.has(id)).map(([id, at]) => (at[0]! - dueById.get(id)!) / 1000);
    const lost = tickets.length - storedTickets + (groups.length - storedGroups);
    const recovery = recoveredAt ? ((recoveredAt - killedAt) / 1000).toFixed(1) : 'never';
    const outage = failures ? ((lastFailure - firstFailure) / 1000).toFixed(1) : '0';
    // Where the lateness comes from: the stage fired late (the timer), or its notice went out late (the sender).
    const firedAt = new Map(
      (await d.db.query<{ id: number; at: Date }>(`SELECT id, "responseBreachedAt" AS at FROM "Ticket" WHERE id = ANY($1) AND "responseBreachedAt" IS NOT NULL`, [tickets.map((t) => t.id)])).rows.map((r) => [r.id, r.at.getTime()]),
    );
    const fired = tickets.filter((t) => firedAt.has(t.id)).map((t) => (firedAt.get(t.id)! - t.due) / 1000);
    const sending = [...seen.entries()].filter(([id]) => firedAt.has(id)).map(([id, at]) => (at[0]! - firedAt.get(id)!) / 1000);
    const p = (xs: number[]) => `p50 ${percentile(xs, 50).toFixed(1)} s p99 ${percentile(xs, 99).toFixed(1)} s`;
    // Tickets due well after the recovery show the lateness the load alone causes.
    const calm = [...seen.entries()].filter(([id]) => (dueById.get(id) ?? 0) > recoveredAt + 10_000).map(([id, at]) => (at[0]! - dueById.get(id)!) / 1000);
    console.log(
      `pass ${mode === 'none' ? 'no persistence' : 'aof everysec'}: tickets 2xx ${tickets.length} stored ${storedTickets}  alerts 2xx ${groups.length} stored ${storedGroups}  lost ${lost}  ` +
        `answers ${tally(statuses)}  retried or failed ${failures} over ${outage} s  recovery ${recovery} s (redis down ${downSeconds} s)  ` +
        `breached ${breached.length}/${tickets.length}  notices ${seen.size}  not notified ${unnotified}  notified twice ${twice}  ` +
        `lateness p50 ${percentile(lateness, 50).toFixed(1)} s p99 ${percentile(lateness, 99).toFixed(1)} s max ${Math.max(...lateness).toFixed(1)} s (fired ${p(fired)}, then sent ${p(sending)}; due 10 s after the recovery: ${calm.length}, ${p(calm)})  ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
    await d.db.query(`DELETE FROM "Ticket" WHERE title LIKE $1`, [`%r${tag}`]);
    await d.db.query(`DELETE FROM "AlertGroup" WHERE id = ANY($1::uuid[])`, [groups]);
    return !lost && !unnotified && !twice && recoveredAt > 0;
  } finally {
    await dep?.close();
    await redis.close();
  }
}

let ok = true;
for (const p of passes) ok = (await pass(p)) && ok;
process.exit(ok ? 0 : 1);
