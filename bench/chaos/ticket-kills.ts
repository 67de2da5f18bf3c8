/**
 * Chaos run of ticket intake: real processes (1 http + 2 worker roles) take 1,000 tickets, half
 * as signed Slack slash commands (`/a2d2 ticket P2 ...`), half as REST POST /api/v1/tickets with
 * an Idempotency-Key, each retried by the sender on 503 or a connection error, while worker
 * processes are SIGKILLed and restarted at random. Then the deployment gets time to settle.
 * Prints acked vs stored (lost), duplicated tickets, acked tickets without a triage card, cards
 * posted twice, and outbound rows still queued. Exits 1 when any of those is not 0.
 *   node --import tsx bench/chaos/ticket-kills.ts [--tickets 1000] [--kills 10] [--concurrency 8]
 */
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { jsonPost, pool, sendWithRetry, slashCommand, startDeployment, tally, type A2d2Proc } from '../../test/helpers/a2d2-procs.ts';
import { sleep } from '../../test/helpers/wait.ts';

const { values } = parseArgs({ options: { tickets: { type: 'string', default: '1000' }, kills: { type: 'string', default: '10' }, concurrency: { type: 'string', default: '8' } } });
const total = Number(values.tickets);
const minKills = Number(values.kills);
const concurrency = Number(values.concurrency);
if (![total, minKills, concurrency].every(Number.isInteger) || total < 1 || minKills < 0 || concurrency < 1) {
  console.error('--tickets, --kills and --concurrency take whole numbers');
  process.exit(2);
}

const started = Date.now();
const tag = randomUUID().slice(0, 6);
const TRIAGE = `CTRI${tag.toUpperCase()}`;
const REPORTER = `CREP${tag.toUpperCase()}`;
const dep = await startDeployment({
  name: 'ticket-kills',
  ownDatabase: true,
  yaml: {
    // One client address sends everything here; the per-address REST limit is for the internet.
    http: { rateLimitPerMinute: 1_000_000 },
    tickets: { triage: { platform: 'slack', chatId: TRIAGE } },
    // Every card goes to one triage channel; at Slack's real 1 message/s per channel 1,000 cards
    // take 17 minutes whatever the kills do. The fake has no such limit, so it is lifted here:
    // what this run measures is loss and duplication under kills, not the platform's pace.
    outbound: { limits: { slack: { perChat: { count: 100, windowMs: 1000 }, global: { count: 200, windowMs: 1000 } } } },
  },
});
const token = (i: number) => `k${i}q${tag}`;
const acked = new Set<number>();
const statuses: (number | string)[] = [];
let kills = 0;
let loadDone = false;
let exitCode = 1;
try {
  const killer = (async () => {
    while (!loadDone || kills < minKills) {
      await sleep(1_000 + Math.random() * 2_500);
      const i = Math.floor(Math.random() * dep.workers.length);
      const victim = dep.workers[i]!;
      await victim.stop('SIGKILL');
      kills++;
      // The replacement starts at once, as a supervisor would restart it.
      dep.workers[i] = (await dep.start('worker')) as A2d2Proc;
    }
  })();
  const base = dep.http[0]!.url;
  await pool(total, concurrency, async (i) => {
    const title = `Checkout page ${['times out', 'shows 500', 'is blank', 'loops'][i % 4]} for region ${i % 17} ${token(i)}`;
    const r =
      i % 2 === 0
        ? await sendWithRetry(`${base}/slack/events`, slashCommand(dep, `ticket P2 ${title}`, REPORTER, `${Date.now()}.${token(i)}`))
        : await sendWithRetry(`${base}/api/v1/tickets`, jsonPost(dep.apiToken, { title, severity: 'P2' }, `idem-${token(i)}`));
    statuses.push(r.status);
    if (r.status === 200 || r.status === 201) acked.add(i);
  });
  loadDone = true;
  await killer;
  const loadSeconds = (Date.now() - started) / 1000;

  const stored = async () => {
    const rows = await dep.db.query<{ title: string; n: number }>(`SELECT title, count(*)::int AS n FROM "Ticket" WHERE title LIKE $1 GROUP BY title`, [`%q${tag}`]);
    const byToken = new Map<number, number>();
    for (const r of rows.rows) {
      const m = new RegExp(`k(\\d+)q${tag}`).exec(r.title);
      if (m) byToken.set(Number(m[1]), (byToken.get(Number(m[1])) ?? 0) + r.n);
    }
    return byToken;
  };
  const cards = () => {
    const m = new Map<number, number>();
    for (const c of dep.slack.callsTo('chat.postMessage')) {
      if (c.args.channel !== TRIAGE || c.args.thread_ts) continue;
      const hit = new RegExp(`k(\\d+)q${tag}`).exec(`${String(c.args.text ?? '')} ${JSON.stringify(c.args.blocks ?? [])}`);
      if (hit) m.set(Number(hit[1]), (m.get(Number(hit[1])) ?? 0) + 1);
    }
    return m;
  };
  // Settling: every acked ticket stored and carded, or the bound runs out (then counted as lost).
  const settleUntil = Date.now() + 120_000;
  let rows = await stored();
  while (Date.now() < settleUntil) {
    rows = await stored();
    const c = cards();
    if ([...acked].every((i) => rows.has(i) && c.has(i))) break;
    await sleep(500);
  }
  await sleep(3_000);
  rows = await stored();
  const c = cards();
  const lost = [...acked].filter((i) => !rows.has(i));
  const duplicated = [...rows.values()].filter((n) => n > 1).length;
  const uncarded = [...acked].filter((i) => rows.has(i) && !c.has(i));
  const cardTwice = [...c.values()].filter((n) => n > 1).length;
  const stuck = await dep.db.query<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM "OutboundMessage" WHERE "chatId" = ANY($1) AND status <> 'sent' GROUP BY status`, [[TRIAGE, REPORTER]]);
  const stuckRows = stuck.rows.reduce((a, r) => a + r.n, 0);
  const unacked = total - acked.size;
  if (lost.length) console.error(`lost (acked, not stored): ${lost.slice(0, 20).map(token).join(' ')}`);
  if (uncarded.length) console.error(`no triage card: ${uncarded.slice(0, 20).map(token).join(' ')}`);
  console.log(
    `tickets ${total}  acked ${acked.size}  stored ${[...acked].filter((i) => rows.has(i)).length}  lost ${lost.length}  duplicated ${duplicated}  not acked ${unacked} (${tally(statuses)})  ` +
      `cards not posted ${uncarded.length}  cards twice ${cardTwice}  stuck rows ${stuckRows}${stuck.rows.length ? ` (${stuck.rows.map((r) => `${r.status} ${r.n}`).join(', ')})` : ''}  ` +
      `kills ${kills}  load ${loadSeconds.toFixed(1)} s  total ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  exitCode = lost.length || duplicated || uncarded.length || cardTwice || stuckRows || unacked || kills < minKills ? 1 : 0;
  // The tickets are this run's only: leave the database as the next run expects it.
  await dep.db.query(`DELETE FROM "Ticket" WHERE title LIKE $1`, [`%q${tag}`]);
} finally {
  await dep.close();
}
process.exit(exitCode);
