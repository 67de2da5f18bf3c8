/**
 * Soak run: the deployment (1 http + 2 worker roles) under a steady load of REST tickets with a
 * 20 s first-response SLA and Alertmanager webhooks for `--minutes` (default 30), with one
 * worker SIGKILLed and restarted every few minutes. Every 10 s the RSS of each a2d2 process is
 * sampled. Prints per role the RSS peak and slope (MiB per hour, least squares, over the
 * process's own lifetime: the http role lives through the whole run), answers by status, lost
 * 2xx, and breach notice lateness (notice time minus due time) p50/p99, split into the timer
 * (breach recorded minus due) and the sending (escalation notice at the fake Slack minus breach
 * recorded); the same for the breach notices in the triage channel's card threads, and the rows
 * still queued per channel at the end.
 * Exits 1 when a 2xx was lost, a breach was not noticed, or a request failed for good.
 *   node --import tsx bench/chaos/soak.ts [--minutes 30] [--ticket-pause-ms 1000] [--alert-pause-ms 500]
 * The pauses are between one answered request and the next of each sender (one ticket sender,
 * one alert sender).
 */
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { amPayload } from '../../test/helpers/alert-app.ts';
import { jsonPost, percentile, rssMiB, sendWithRetry, slope, startDeployment, tally, type A2d2Proc } from '../../test/helpers/a2d2-procs.ts';
import { sleep } from '../../test/helpers/wait.ts';

const { values } = parseArgs({
  options: { minutes: { type: 'string', default: '30' }, 'ticket-pause-ms': { type: 'string', default: '1000' }, 'alert-pause-ms': { type: 'string', default: '500' } },
});
const minutes = Number(values.minutes);
const ticketPauseMs = Number(values['ticket-pause-ms']);
const alertPauseMs = Number(values['alert-pause-ms']);
if (!(minutes >= 1) || !(ticketPauseMs >= 0) || !(alertPauseMs >= 0)) {
  console.error('--minutes takes a number, at least 1; the pauses a number of ms, at least 0');
  process.exit(2);
}
const started = Date.now();
const tag = randomUUID().slice(0, 6).toUpperCase();
const ESC = `CSOE${tag}`;
const TRIAGE = `CSOT${tag}`;
const dep = await startDeployment({
  name: 'soak',
  ownDatabase: true,
  yaml: {
    http: { rateLimitPerMinute: 1_000_000 },
    tickets: {
      sla: { P2: { firstResponse: '20s', resolution: '10m', businessHours: false } },
      sweepEvery: '5s',
      triage: { platform: 'slack', chatId: TRIAGE },
      escalation: { P2: [{ to: { platform: 'slack', chatId: ESC } }] },
    },
    alerts: { routes: [{ match: { service: 'checkout-am' }, destinations: [`slack:CSOA${tag}`] }] },
  },
});
let exitCode = 1;
try {
  const base = dep.http[0]!.url;
  const until = Date.now() + minutes * 60_000;
  const tickets: { id: number; due: number }[] = [];
  const groups: string[] = [];
  const statuses: (number | string)[] = [];
  let n = 0;
  const sender = async (kind: 'ticket' | 'alert', pauseMs: number) => {
    while (Date.now() < until) {
      const i = n++;
      const r =
        kind === 'ticket'
          ? await sendWithRetry(`${base}/api/v1/tickets`, jsonPost(dep.apiToken, { title: `Search results stale ${i} o${tag}`, severity: 'P2' }, `soak-${tag}-${i}`), 30_000)
          : await sendWithRetry(`${base}/webhooks/alertmanager`, jsonPost(dep.amToken, amPayload(`{}:{alertname="Soak${tag}",n="${i % 500}"}`, i % 3 ? 'firing' : 'resolved', {}, new Date().toISOString())), 30_000);
      statuses.push(r.status);
      if (r.status === 201 || r.status === 202) {
        const body = JSON.parse(r.body) as { ticket?: { id: number; sla: { responseDueAt: string } }; groupId?: string };
        if (body.ticket) tickets.push({ id: body.ticket.id, due: Date.parse(body.ticket.sla.responseDueAt) });
        if (body.groupId) groups.push(body.groupId);
      }
      await sleep(pauseMs);
    }
  };
  // RSS per process slot (http, worker 0, worker 1); a restarted worker starts a new series.
  const series = new Map<string, { pid: number; points: { x: number; y: number }[] }[]>();
  const slots = (): [string, A2d2Proc][] => [['http', dep.http[0]!], ...dep.workers.map((w): [string, A2d2Proc] => ['worker', w])];
  const sample = () => {
    for (const [role, p] of slots()) {
      const mib = rssMiB(p.pid);
      if (mib === null) continue;
      const list = series.get(role) ?? [];
      let s = list.find((x) => x.pid === p.pid);
      if (!s) list.push((s = { pid: p.pid, points: [] }));
      s.points.push({ x: (Date.now() - started) / 3_600_000, y: mib });
      series.set(role, list);
    }
  };
  const sampler = (async () => {
    while (Date.now() < until) {
      sample();
      await sleep(10_000);
    }
    sample();
  })();
  let kills = 0;
  const killTimes: number[] = [];
  const killEvery = Math.min(180_000, Math.max(60_000, (minutes * 60_000) / 4));
  const killer = (async () => {
    while (Date.now() + killEvery < until) {
      await sleep(killEvery);
      const i = kills % dep.workers.length;
      await dep.workers[i]!.stop('SIGKILL');
      killTimes.push(Date.now());
      kills++;
      dep.workers[i] = await dep.start('worker');
    }
  })();
  await Promise.all([sender('ticket', ticketPauseMs), sender('alert', alertPauseMs), sampler, killer]);
  const loadEnd = Date.now();

  const lastDue = Math.max(...tickets.map((t) => t.due));
  // First arrival of each ticket's breach notice in a channel (in a card thread, for the triage channel).
  const notices = (channel: string, threaded: boolean) => {
    const m = new Map<number, number>();
    for (const c of dep.slack.callsTo('chat.postMessage')) {
      if (c.args.channel !== channel || Boolean(c.args.thread_ts) !== threaded) continue;
      // A digest message carries several notices.
      for (const hit of String(c.args.text ?? '').matchAll(/SLA breached: #(\d+) /g)) if (!m.has(Number(hit[1]))) m.set(Number(hit[1]), c.at);
    }
    return m;
  };
  while (Date.now() < lastDue + 60_000 && !tickets.every((t) => notices(ESC, false).has(t.id))) await sleep(1_000);
  const seen = notices(ESC, false);
  const inThread = notices(TRIAGE, true);
  const lateness = tickets.filter((t) => seen.has(t.id)).map((t) => (seen.get(t.id)! - t.due) / 1000);
  const unnotified = tickets.length - lateness.length;
  // Where the lateness comes from: the stage fired late (the timer), or its notice went out late (the sending).
  const firedAt = new Map(
    (await dep.db.query<{ id: number; at: Date }>(`SELECT id, "responseBreachedAt" AS at FROM "Ticket" WHERE id = ANY($1) AND "responseBreachedAt" IS NOT NULL`, [tickets.map((t) => t.id)])).rows.map((r) => [r.id, r.at.getTime()]),
  );
  const timer = tickets.filter((t) => firedAt.has(t.id)).map((t) => (firedAt.get(t.id)! - t.due) / 1000);
  const sending = [...seen.entries()].filter(([id]) => firedAt.has(id)).map(([id, at]) => (at - firedAt.get(id)!) / 1000);
  const threadSending = [...inThread.entries()].filter(([id]) => firedAt.has(id)).map(([id, at]) => (at - firedAt.get(id)!) / 1000);
  // Notices on their way at a kill or in the 10 s after it (the worker's restart) against the rest.
  const nearKill = (id: number) => killTimes.some((k) => firedAt.get(id)! <= k + 10_000 && seen.get(id)! >= k);
  const sendingAtKills = [...seen.keys()].filter((id) => firedAt.has(id) && nearKill(id)).map((id) => (seen.get(id)! - firedAt.get(id)!) / 1000);
  const sendingCalm = [...seen.keys()].filter((id) => firedAt.has(id) && !nearKill(id)).map((id) => (seen.get(id)! - firedAt.get(id)!) / 1000);
  const p = (xs: number[]) => (xs.length ? `p50 ${percentile(xs, 50).toFixed(1)} s p99 ${percentile(xs, 99).toFixed(1)} s` : 'none');
  const backlog = (await dep.db.query<{ chat: string; n: number }>(`SELECT "chatId" AS chat, count(*)::int AS n FROM "OutboundMessage" WHERE status = 'queued' AND "chatId" = ANY($1) GROUP BY 1`, [[ESC, TRIAGE, `CSOA${tag}`]])).rows
    .map((r) => `${r.chat === ESC ? 'escalation' : r.chat === TRIAGE ? 'triage' : 'alerts'} ${r.n}`)
    .join(', ') || 'none';
  const sendsTo = (ch: string) => dep.slack.calls.filter((c) => (c.method === 'chat.postMessage' || c.method === 'chat.update') && c.args.channel === ch && c.at <= loadEnd).length;
  const loadStart = until - minutes * 60_000;
  const loadSeconds = (loadEnd - loadStart) / 1000;
  // When the slow sends happened (seconds into the load), to set beside the kills and the machine's load.
  const at = (ms: number) => ((ms - loadStart) / 1000).toFixed(0);
  const slow = [...seen.keys()].filter((id) => firedAt.has(id) && seen.get(id)! - firedAt.get(id)! > 5_000).map((id) => `${at(firedAt.get(id)!)}+${((seen.get(id)! - firedAt.get(id)!) / 1000).toFixed(0)}`);
  const storedTickets = (await dep.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Ticket" WHERE id = ANY($1)`, [tickets.map((t) => t.id)])).rows[0]!.n;
  const storedGroups = (await dep.db.query<{ n: number }>(`SELECT count(DISTINCT id)::int AS n FROM "AlertGroup" WHERE id = ANY($1::uuid[])`, [groups])).rows[0]!.n;
  const lost = tickets.length - storedTickets + (new Set(groups).size - storedGroups);
  const failed = statuses.filter((s) => typeof s === 'string' || s >= 300).length;
  const rss = [...series.entries()]
    .map(([role, list]) => {
      const peak = Math.max(...list.flatMap((s) => s.points.map((p) => p.y)));
      // The longest-lived process of the role gives the slope; a freshly restarted worker is still warming up.
      const longest = list.reduce((a, b) => (b.points.length > a.points.length ? b : a));
      return `${role} peak ${peak.toFixed(0)} MiB slope ${slope(longest.points).toFixed(1)} MiB/h (${longest.points.length} samples)`;
    })
    .join(', ');
  console.log(
    `soak ${minutes} min: answers ${tally(statuses)}  failed for good ${failed}  tickets ${tickets.length} stored ${storedTickets}  alert groups ${new Set(groups).size} stored ${storedGroups}  lost ${lost}  ` +
      `worker kills ${kills}  breached ${firedAt.size}/${tickets.length}  breach notices ${lateness.length}/${tickets.length} (not notified ${unnotified}) lateness ${p(lateness)} (timer ${p(timer)}, sending ${p(sending)}; sending across a kill ${sendingAtKills.length}: ${p(sendingAtKills)}, the rest ${p(sendingCalm)}; sending over 5 s ${sending.filter((x) => x > 5).length})  ` +
      `in card threads ${inThread.size}/${tickets.length} sending ${p(threadSending)}  tickets/s ${(tickets.length / loadSeconds).toFixed(2)}  Slack calls/s during the load: triage ${(sendsTo(TRIAGE) / loadSeconds).toFixed(2)} escalation ${(sendsTo(ESC) / loadSeconds).toFixed(2)}  still queued: ${backlog}  ` +
      `RSS: ${rss}  ${((Date.now() - started) / 60_000).toFixed(1)} min`,
  );
  console.log(`kills at s ${killTimes.map(at).join(', ') || 'none'}; escalation notices sent over 5 s after their breach (breach at s + seconds): ${slow.join(' ') || 'none'}`);
  exitCode = lost || unnotified || failed ? 1 : 0;
  await dep.db.query(`DELETE FROM "Ticket" WHERE title LIKE $1`, [`%o${tag}`]);
  await dep.db.query(`DELETE FROM "AlertGroup" WHERE id = ANY($1::uuid[])`, [groups]);
} finally {
  await dep.close();
}
process.exit(exitCode);
