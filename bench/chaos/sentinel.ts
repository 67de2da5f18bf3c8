/**
 * Chaos run of a Redis Sentinel failover: a Redis primary, one replica and three sentinels
 * (quorum 2, down-after 1 s; test/helpers/redis-sentinel.ts) as real processes; the deployment
 * (1 http + 2 worker roles) finds Redis through REDIS_SENTINELS / REDIS_SENTINEL_NAME. Under
 * REST tickets, signed Slack slash-command tickets, Alertmanager webhooks and process runs
 * (test/helpers/failover-load.ts, shared with pg-switch), the primary is SIGKILLed and the
 * sentinels promote the replica. Nothing is restarted. The deployment has a database of its own
 * (created next to DATABASE_URL's and dropped after): another install on a shared database (a
 * bench, a second scenario) re-queues every queued row there under its own prefix and sends it
 * to its own Slack, which made cards of a loaded run look `sent` but never posted here.
 * Counts: acknowledged vs stored (lost), slash tickets stored twice, cards and run posts
 * missing or posted twice once the outbound backlog has drained, runs not finished, the
 * longest gap between acknowledged requests, the seconds from the kill until readiness and a
 * new ticket succeed, and whether every process is the same one and connected to the new primary.
 *   node --import tsx bench/chaos/sentinel.ts [--load 30]
 */
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { request, startDeployment, type Deployment } from '../../test/helpers/a2d2-procs.ts';
import { failoverCounts, failoverProcessFolder, failoverYaml, longestGap, notifyJobsKept, recoveredAt, runFailoverLoad } from '../../test/helpers/failover-load.ts';
import { createRedis } from '../../services/redis.ts';
import { startSentinelSet } from '../../test/helpers/redis-sentinel.ts';
import { sleep, waitFor } from '../../test/helpers/wait.ts';

const { values } = parseArgs({ options: { load: { type: 'string', default: '30' } } });
const loadSeconds = Number(values.load);
if (!(loadSeconds >= 10)) {
  console.error('--load at least 10 (seconds)');
  process.exit(2);
}

/** Pids with an established TCP connection to 127.0.0.1:`port` (from `ss`). */
function pidsConnectedTo(port: number): Set<number> {
  const out = execFileSync('ss', ['-tnpH', 'state', 'established', `dst 127.0.0.1:${port}`], { encoding: 'utf8' });
  return new Set([...out.matchAll(/pid=(\d+)/g)].map((m) => Number(m[1])));
}

/** For a failed count: which tickets lack a card, what Slack saw of them, their rows; runs left open. */
async function explain(d: Deployment, tag: string, load: Awaited<ReturnType<typeof runFailoverLoad>>): Promise<void> {
  const rows = await d.db.query<{ id: number; title: string; key: string | null; status: string | null; pmid: string | null }>(
    `SELECT t.id, t.title, o."messageKey" AS key, o.status, o."platformMessageId" AS pmid FROM "Ticket" t
       LEFT JOIN "OutboundMessage" o ON o."messageKey" = 'ticket:' || t.id || ':card' WHERE t.id = ANY($1) OR t.title = ANY($2) ORDER BY t.id`,
    [load.tickets, load.slashTitles],
  );
  const missing = rows.rows.filter((r) => !d.slack.calls.some((c) => c.method === 'chat.postMessage' && JSON.stringify(c.args).includes(r.title.split(' ').at(-1)!)));
  for (const r of missing.slice(0, 8)) {
    const key = r.title.split(' ').at(-1)!;
    const methods = d.slack.calls.filter((c) => JSON.stringify(c.args).includes(key)).map((c) => `${c.method}@${String(c.args.channel)}`);
    // Whether this fake handed out the row's ts at all, and to which call.
    const answered = r.pmid ? d.slack.calls.find((c) => c.method === 'chat.postMessage' && c.answer?.ts === r.pmid) : undefined;
    const origin = !r.pmid ? '' : answered ? `; ts answered to a post with ${JSON.stringify(answered.args.metadata ?? null)}` : '; this fake never answered that ts (another Slack?)';
    console.log(`no card post for ticket ${r.id} (${key}): row ${r.key ?? 'none'} ${r.status ?? ''} ts ${r.pmid ?? ''}; Slack saw ${methods.join(', ') || 'nothing'}${origin}`);
  }
  // Alert groups without a card post: their notify mark and their rows in the alerts chat.
  const posted = new Set(d.slack.callsTo('chat.postMessage').flatMap((c) => load.groups.filter((g) => JSON.stringify(c.args).includes(g))));
  const groups = await d.db.query<{ id: string; pending: Date | null; rows: string | null }>(
    `SELECT g.id::text AS id, g."notifyPendingSince" AS pending,
            (SELECT string_agg(o.status || ' ' || coalesce(o."platformMessageId", '-'), ', ') FROM "OutboundMessage" o WHERE o."messageKey" LIKE 'alert:' || g.id || '%') AS rows
       FROM "AlertGroup" g WHERE g.id = ANY($1::uuid[]) ORDER BY g."createdAt"`,
    [load.groups.filter((g) => !posted.has(g))],
  );
  for (const g of groups.rows.slice(0, 8)) console.log(`no card post for alert group ${g.id}: notify pending since ${g.pending?.toISOString() ?? 'never (shown)'}; rows ${g.rows ?? 'none'}`);
  const open = await d.db.query<{ id: number; step: string; status: string }>(
    `SELECT r.id, s."stepId" AS step, s.status FROM "ProcessRun" r JOIN "ProcessStepRun" s ON s."runId" = r.id WHERE r.id = ANY($1) AND r.status <> 'succeeded' ORDER BY r.id`,
    [load.runs],
  );
  for (const r of open.rows.slice(0, 12)) console.log(`run ${r.id} step ${r.step}: ${r.status}`);
  console.log(`tag ${tag}: ${missing.length} tickets without a card post`);
}

const started = Date.now();
const set = await startSentinelSet('a2d2chaos');
const tag = randomUUID().slice(0, 6);
let dep: Deployment | null = null;
let ok = false;
try {
  dep = await startDeployment({
    name: 'sentinel',
    ownDatabase: true,
    env: { REDIS_SENTINELS: set.sentinels, REDIS_SENTINEL_NAME: set.name },
    yaml: failoverYaml(tag, { processFolder: failoverProcessFolder(tag) }),
  });
  const d = dep;
  const first = await set.currentPrimary();
  const loading = runFailoverLoad(d, tag, Date.now() + loadSeconds * 1000, { runs: true });
  await sleep(Math.min(10_000, (loadSeconds * 1000) / 3));
  const killedAt = Date.now();
  await set.killPrimary();
  await waitFor(async () => (await set.currentPrimary()) !== first, 'the sentinels to promote the replica', 60_000, 200);
  const promotedAt = Date.now();
  const recovered = await recoveredAt(d, tag, 120_000);
  const load = await loading;
  const counts = await failoverCounts(d, d.db, tag, load);
  const procs = [...d.http, ...d.workers];
  const alive = procs.every((p) => p.alive());
  const connected = pidsConnectedTo(await set.currentPrimary());
  const onNew = procs.filter((p) => connected.has(p.pid)).map((p) => p.name);
  console.log(
    `sentinel failover: ${counts.line}  lost ${counts.lost}  cards triage ${counts.triageCards} alerts ${counts.alertCards} run posts ${counts.runPosts} missing ${counts.cardsMissing} twice ${counts.cardsTwice}  runs unfinished ${counts.runsUnfinished}  ` +
      `longest gap ${longestGap(load.okAt).toFixed(1)} s  promoted ${((promotedAt - killedAt) / 1000).toFixed(1)} s  recovery ${recovered ? ((recovered - killedAt) / 1000).toFixed(1) : 'never'} s after the kill  ` +
      `processes restarted: ${alive ? 'none' : 'SOME DIED'}  on the new primary: ${onNew.length}/${procs.length} (${onNew.join(' ')})  ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
  // Which alert notify jobs the failover dropped, and whether the recovery sweep queued their cards.
  const redis = createRedis({ url: `redis://127.0.0.1:${await set.currentPrimary()}` });
  try {
    const kept = await notifyJobsKept(d.db, redis, d.prefix, load.groups);
    // Of those, the adds the http role saw refused (stored, answered 202, counted); the rest Redis acknowledged and lost.
    const metrics = await request(`${d.http[0]!.url}/metrics`, { timeoutMs: 5_000 });
    const refused = /^a2d2_alert_notify_not_queued_total (\d+)/m.exec(metrics.body)?.[1] ?? '?';
    console.log(
      `alert notify jobs: ${kept.groups} groups, delivery job gone after the failover ${kept.lost.length} (add refused while Redis was away ${refused}), ` +
        `queued again by the recovery sweep ${kept.rescued.length}${kept.lost.length ? ` (${kept.lost.join(' ')})` : ''}`,
    );
  } finally {
    await redis.quit();
  }
  if (counts.cardsMissing || counts.runsUnfinished) await explain(d, tag, load);
  if (counts.missingSlash.length) {
    console.log(`slash tickets acknowledged but not stored: ${counts.missingSlash.join(' | ')}`);
    for (const p of d.workers) console.log(`--- ${p.name}\n${p.output().split('\n').filter((l) => /error|fail|warn/i.test(l)).slice(-30).join('\n')}`);
  }
  ok =
    counts.lost === 0 && counts.duplicated === 0 && counts.cardsMissing === 0 && counts.cardsTwice === 0 && counts.runsUnfinished === 0 &&
    recovered > 0 && alive && onNew.length === procs.length;
} finally {
  await dep?.close();
  await set.close();
}
process.exit(ok ? 0 : 1);
