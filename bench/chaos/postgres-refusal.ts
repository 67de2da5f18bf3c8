/**
 * Chaos run of a PostgreSQL outage: the deployment (1 http + 2 worker roles) reaches Postgres
 * through the TCP proxy of test/helpers/tcp-proxy.ts; under a steady load of REST tickets (with
 * an Idempotency-Key) and Alertmanager webhooks, the proxy cuts every connection and refuses new
 * ones for 10 s, then lets them through again. Nothing is restarted.
 * Counts: answers during the outage by status (only 503 is right: never a 500, never a 2xx for
 * something not stored), readiness probes (503 within its bound, each answered within the probe
 * timeout), the seconds until readiness and the first stored ticket after the restore, and 2xx
 * answers whose row is not in Postgres (lost). Exits 1 on any 5xx other than 503, a 2xx not
 * stored, a readiness probe that hung or stayed 200, or no recovery.
 *   node --import tsx bench/chaos/postgres-refusal.ts [--load 40] [--down 10]
 */
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { amPayload } from '../../test/helpers/alert-app.ts';
import { jsonPost, percentile, request, sendWithRetry, startDeployment, tally } from '../../test/helpers/a2d2-procs.ts';
import { TEST_DATABASE_URL } from '../../test/helpers/app.ts';
import { startTcpProxy } from '../../test/helpers/tcp-proxy.ts';
import { sleep } from '../../test/helpers/wait.ts';

const { values } = parseArgs({ options: { load: { type: 'string', default: '40' }, down: { type: 'string', default: '10' } } });
const loadSeconds = Number(values.load);
const downSeconds = Number(values.down);
if (!(loadSeconds >= downSeconds + 10) || !(downSeconds > 0)) {
  console.error('--down > 0 and --load at least --down + 10 (seconds)');
  process.exit(2);
}
const READINESS_TIMEOUT_MS = 1_000;

const started = Date.now();
const pgUrl = new URL(TEST_DATABASE_URL);
const proxy = await startTcpProxy(pgUrl.hostname, Number(pgUrl.port || 5432));
const tag = randomUUID().slice(0, 6);
const dep = await startDeployment({
  name: 'pg-refusal',
  // A database of its own, which the processes reach through the proxy.
  ownDatabase: true,
  databaseVia: (url) => proxy.via(url),
  yaml: { http: { rateLimitPerMinute: 1_000_000, readinessTimeoutMs: READINESS_TIMEOUT_MS } },
});
let exitCode = 1;
try {
  const base = dep.http[0]!.url;
  let cutAt = 0;
  let restoredAt = 0;
  const during: (number | string)[] = [];
  const all: (number | string)[] = [];
  let first2xxAfter = 0;
  const record = (status: number | string, at: number) => {
    all.push(status);
    if (restoredAt && !first2xxAfter && typeof status === 'number' && status < 300) first2xxAfter = at;
    if (cutAt && at >= cutAt && (!restoredAt || at <= restoredAt)) during.push(status);
  };
  const tickets: number[] = [];
  const groups: string[] = [];
  let n = 0;
  const loadUntil = Date.now() + loadSeconds * 1000;
  const sender = async (kind: 'ticket' | 'alert') => {
    while (Date.now() < loadUntil) {
      const i = n++;
      const r =
        kind === 'ticket'
          ? await sendWithRetry(`${base}/api/v1/tickets`, jsonPost(dep.apiToken, { title: `Invoice PDF empty ${i} p${tag}`, severity: 'P3' }, `pg-${tag}-${i}`), 60_000, record)
          : await sendWithRetry(`${base}/webhooks/alertmanager`, jsonPost(dep.amToken, amPayload(`{}:{alertname="Pg${tag}",n="${i}"}`, 'firing')), 60_000, record);
      if (typeof r.status === 'number' && r.status >= 200 && r.status < 300) {
        const body = JSON.parse(r.body) as { ticket?: { id: number }; groupId?: string };
        if (body.ticket) tickets.push(body.ticket.id);
        if (body.groupId) groups.push(body.groupId);
      }
      await sleep(100);
    }
  };
  const readiness: { status: number | string; ms: number; at: number }[] = [];
  let probing = true;
  const prober = (async () => {
    while (probing) {
      const t0 = Date.now();
      const r = await request(`${base}/readyz`, { timeoutMs: 5_000 });
      readiness.push({ status: r.status, ms: Date.now() - t0, at: t0 });
      await sleep(250);
    }
  })();
  const chaos = (async () => {
    await sleep(5_000);
    cutAt = Date.now();
    await proxy.cut();
    await sleep(downSeconds * 1000);
    await proxy.restore();
    restoredAt = Date.now();
  })();
  await Promise.all([sender('ticket'), sender('ticket'), sender('alert'), chaos]);
  // Recovery by itself: the first answer stored after the restore, seen by the senders' own retries.
  const recoveredAt = first2xxAfter;
  probing = false;
  await prober;
  const inOutage = readiness.filter((r) => r.at >= cutAt && r.at + r.ms <= restoredAt);
  const firstDown = readiness.find((r) => r.at >= cutAt && r.status === 503);
  const readyAgain = readiness.find((r) => r.at >= restoredAt && r.status === 200);
  const storedTickets = (await dep.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Ticket" WHERE id = ANY($1)`, [tickets])).rows[0]!.n;
  const storedGroups = (await dep.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "AlertGroup" WHERE id = ANY($1::uuid[])`, [groups])).rows[0]!.n;
  const lost = tickets.length - storedTickets + (groups.length - storedGroups);
  const wrong = during.filter((s) => s !== 503).length;
  const fiveHundreds = all.filter((s) => typeof s === 'number' && s >= 500 && s !== 503).length;
  const probeMs = inOutage.map((r) => r.ms);
  const hung = inOutage.filter((r) => r.ms > READINESS_TIMEOUT_MS + 1_000).length;
  const ready200 = inOutage.filter((r) => r.status === 200).length;
  const s = (ms: number) => (ms / 1000).toFixed(1);
  console.log(
    `outage ${downSeconds} s: answers during it ${tally(during)} (not 503: ${wrong})  all answers ${tally(all)}  5xx other than 503 ${fiveHundreds}  ` +
      `readiness during it ${tally(inOutage.map((r) => r.status))}, first 503 ${firstDown ? s(firstDown.at + firstDown.ms - cutAt) : 'never'} s after the cut, probe p99 ${percentile(probeMs, 99)} ms max ${Math.max(0, ...probeMs)} ms, hung ${hung}, 200 while down ${ready200}  ` +
      `ready again ${readyAgain ? s(readyAgain.at + readyAgain.ms - restoredAt) : 'never'} s and first 2xx ${recoveredAt ? s(recoveredAt - restoredAt) : 'never'} s after the restore (${recoveredAt ? s(recoveredAt - cutAt) : '?'} s without service)  ` +
      `2xx tickets ${tickets.length} stored ${storedTickets}  2xx alerts ${groups.length} stored ${storedGroups}  lost ${lost}  ${s(Date.now() - started)} s`,
  );
  exitCode = lost || fiveHundreds || wrong || hung || ready200 || !firstDown || !recoveredAt ? 1 : 0;
  await dep.db.query(`DELETE FROM "Ticket" WHERE title LIKE $1`, [`%p${tag}`]);
  await dep.db.query(`DELETE FROM "AlertGroup" WHERE id = ANY($1::uuid[])`, [groups]);
} finally {
  await dep.close();
  await proxy.close();
}
process.exit(exitCode);
