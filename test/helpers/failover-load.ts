/**
 * The load and the counts of a failover run (bench/chaos/pg-switch.ts, bench/chaos/sentinel.ts):
 * REST tickets (with idempotency keys), Alertmanager webhooks and signed Slack slash-command
 * tickets, sent as real clients send (503 and connection errors retried with the same key),
 * against a deployment of real http and worker processes; then what was acknowledged against
 * what is stored, the cards posted once each, and the seconds without service.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { amPayload } from './alert-app.ts';
import { jsonPost, request, sendWithRetry, slashCommand, tally, type Deployment } from './a2d2-procs.ts';
import { sleep } from './wait.ts';

/** Chats the deployment's YAML routes to (pass `failoverYaml(tag)` to startDeployment). */
export function failoverChats(tag: string) {
  return { triage: `FTRI${tag.toUpperCase()}`, alerts: `FALR${tag.toUpperCase()}`, chat: `CFO${tag.toUpperCase()}`, runs: `FRUN${tag.toUpperCase()}` };
}

/** The process the run load starts: one notify step into the runs chat, then a short wait. */
export const FAILOVER_PROCESS = 'fo-run';

/** A folder with the run load's process definition (pass it to failoverYaml as `processFolder`). */
export function failoverProcessFolder(tag: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'a2d2-fo-proc-'));
  const def = [
    `name: ${FAILOVER_PROCESS}`,
    'inputs:',
    '  key: { type: string, required: true }',
    'steps:',
    `  - { id: page, kind: notify, to: "slack:${failoverChats(tag).runs}", text: "run {{ inputs.key }} started" }`,
    '  - { id: pause, kind: wait, duration: 100ms }',
    '',
  ].join('\n');
  writeFileSync(join(dir, 'fo-run.yaml'), def);
  return dir;
}

export function failoverYaml(tag: string, opts: { processFolder?: string } = {}): Record<string, unknown> {
  const c = failoverChats(tag);
  return {
    ...(opts.processFolder ? { processes: { folder: opts.processFolder, includeShipped: false, recovery: { every: '2s', grace: '3s' } } } : {}),
    http: { rateLimitPerMinute: 1_000_000 },
    defaultRole: 'operator',
    tickets: { triage: { platform: 'slack', chatId: c.triage }, sweepEvery: '2s', sweepGrace: '3s' },
    outbound: { recovery: { every: '2s', grace: '3s', giveUp: '1d' } },
    // Storm control off: every alert group is to get a card of its own, counted by group id
    // (past 30 alerts a minute one chat would get a digest instead; alerts.md).
    alerts: { routes: [{ match: { service: 'checkout-am' }, destinations: [`slack:${c.alerts}`] }], storm: { thresholdPerMinute: 1_000_000 } },
  };
}

export interface FailoverLoad {
  tickets: number[];
  slashTitles: string[];
  groups: string[];
  /** Ids of the process runs answered 201 and the key each carries into its notify post. */
  runs: number[];
  runKeys: string[];
  statuses: (number | string)[];
  /** Date.now() of each 2xx. */
  okAt: number[];
  refused: number;
}

type LoadKind = 'ticket' | 'alert' | 'slash' | 'run';

/** One request of `kind`, numbered `i`, sent as a real client sends it (retried with the same key). */
function sendOne(d: Deployment, tag: string, kind: LoadKind, i: number, onAttempt: (s: number | string) => void) {
  const base = d.http[i % d.http.length]!.url;
  const title = `${['Checkout times out', 'Login shows 500', 'Search is blank', 'Invoices loop'][i % 4]} for region ${i % 17} k${i}f${tag}`;
  if (kind === 'ticket') return { title, sent: sendWithRetry(`${base}/api/v1/tickets`, jsonPost(d.apiToken, { title, severity: 'P3' }, `fo-${tag}-${i}`), 60_000, onAttempt) };
  if (kind === 'alert') {
    const body = amPayload(`{}:{alertname="Failover${tag}",n="${i}"}`, 'firing', { alertname: `Failover${tag}`, shard: `s${i}x${tag}` });
    return { title, sent: sendWithRetry(`${base}/webhooks/alertmanager`, jsonPost(d.amToken, body), 60_000, onAttempt) };
  }
  if (kind === 'run') {
    const inputs = { key: `r${i}f${tag}` };
    return { title: inputs.key, sent: sendWithRetry(`${base}/api/v1/processes/${FAILOVER_PROCESS}/runs`, jsonPost(d.apiToken, { inputs }, `fo-run-${tag}-${i}`), 60_000, onAttempt) };
  }
  return { title, sent: sendWithRetry(`${base}/slack/events`, slashCommand(d, `ticket P3 ${title}`, failoverChats(tag).chat, `${Date.now()}.fo${tag}${i}`), 60_000, onAttempt) };
}

/**
 * Sends tickets, alerts and slash commands (and process runs with `runs`, which needs the
 * deployment started with `failoverYaml(tag, { processFolder })`) until `untilMs`, spread over
 * the deployment's http roles.
 */
export async function runFailoverLoad(d: Deployment, tag: string, untilMs: number, opts: { runs?: boolean } = {}): Promise<FailoverLoad> {
  const out: FailoverLoad = { tickets: [], slashTitles: [], groups: [], runs: [], runKeys: [], statuses: [], okAt: [], refused: 0 };
  let n = 0;
  const onAttempt = (s: number | string) => {
    if (typeof s === 'string' || s >= 300) out.refused++;
  };
  const sender = async (kind: LoadKind) => {
    while (Date.now() < untilMs) {
      const { title, sent } = sendOne(d, tag, kind, n++, onAttempt);
      const r = await sent;
      out.statuses.push(r.status);
      if (typeof r.status === 'number' && r.status >= 200 && r.status < 300) {
        out.okAt.push(r.at);
        if (kind === 'ticket') out.tickets.push((JSON.parse(r.body) as { ticket: { id: number } }).ticket.id);
        if (kind === 'alert') out.groups.push((JSON.parse(r.body) as { groupId: string }).groupId);
        if (kind === 'slash') out.slashTitles.push(title);
        if (kind === 'run') {
          out.runs.push((JSON.parse(r.body) as { id: number }).id);
          out.runKeys.push(title);
        }
      }
      await sleep(250);
    }
  };
  const kinds: LoadKind[] = ['ticket', 'ticket', 'alert', 'slash', ...(opts.runs ? (['run'] as const) : [])];
  await Promise.all(kinds.map(sender));
  return out;
}

/** Until readiness is 200 and a new ticket is stored (from `since`); 0 when never within `limitMs`. */
export async function recoveredAt(d: Deployment, tag: string, limitMs: number): Promise<number> {
  const base = d.http[0]!.url;
  const end = Date.now() + limitMs;
  while (Date.now() < end) {
    const ready = await request(`${base}/readyz`, { timeoutMs: 2_000 });
    if (ready.status === 200) {
      const probe = await request(`${base}/api/v1/tickets`, { ...jsonPost(d.apiToken, { title: `Recovery probe f${tag}`, severity: 'P3' }, `probe-${tag}-${randomUUID()}`)(), timeoutMs: 5_000 });
      if (probe.status === 201) return Date.now();
    }
    await sleep(250);
  }
  return 0;
}

/** Outbound rows per chat of `chats`: how many in all and how many still queued. */
export async function outboundBacklog(db: pg.Client, chats: string[]): Promise<{ total: number; queued: number; failed: number; largestChat: number }> {
  const rows = (
    await db.query<{ n: number; queued: number; failed: number }>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE status = 'queued')::int AS queued, count(*) FILTER (WHERE status = 'failed')::int AS failed
         FROM "OutboundMessage" WHERE "chatId" = ANY($1) GROUP BY "chatId"`,
      [chats],
    )
  ).rows;
  const sum = (k: 'n' | 'queued' | 'failed') => rows.reduce((a, r) => a + r[k], 0);
  return { total: sum('n'), queued: sum('queued'), failed: sum('failed'), largestChat: Math.max(0, ...rows.map((r) => r.n)) };
}

/** How many of `groups` still carry a notify mark (stored, not yet shown: their card is owed). */
async function groupsUnshown(db: pg.Client, groups: string[]): Promise<number> {
  const r = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM "AlertGroup" WHERE id = ANY($1::uuid[]) AND "notifyPendingSince" IS NOT NULL', [groups]);
  return r.rows[0]!.n;
}

/**
 * Waits until the outbound backlog of `chats` is drained (no row queued and no alert group of
 * the load still marked for notifying; then every expected card seen, or 15 s of that: the
 * recovery sweeps have had their turn). The bound follows the largest chat's rows, which leave
 * at Slack's one a second: 1.5 s a row plus a minute.
 */
async function drainOutbound(
  db: pg.Client,
  chats: string[],
  groups: string[],
  complete: () => boolean,
): Promise<{ waitedS: number; boundS: number; backlog: Awaited<ReturnType<typeof outboundBacklog>>; unshown: number }> {
  const start = Date.now();
  let idleSince = 0;
  for (;;) {
    const backlog = await outboundBacklog(db, chats);
    const unshown = await groupsUnshown(db, groups);
    const boundMs = backlog.largestChat * 1_500 + 60_000;
    if (backlog.queued > 0 || unshown > 0) idleSince = 0;
    else idleSince ||= Date.now();
    const done = backlog.queued === 0 && unshown === 0 && (complete() || Date.now() - idleSince > 15_000);
    if (done || Date.now() - start > boundMs) return { waitedS: (Date.now() - start) / 1000, boundS: boundMs / 1000, backlog, unshown };
    await sleep(1_000);
  }
}

/**
 * What Redis kept of the load's alert notify jobs (`redis` on the current primary, `prefix` the
 * deployment's queue prefix): per group its delivery's job (`grp-<id>-a<latest alert id>`, kept
 * once completed) and the recovery sweep's (`grp-<id>-m<mark>`). A delivery job that is gone
 * was dropped by the failover (the old primary acknowledged it; the replica never had it); with
 * a sweep job too, the sweep queued the card that job owed.
 */
export async function notifyJobsKept(db: pg.Client, redis: { exists(key: string): Promise<number>; keys(pattern: string): Promise<string[]> }, prefix: string, groups: string[]) {
  const rows = (
    await db.query<{ id: string; last: string | null }>(
      'SELECT g.id::text AS id, (SELECT max(a.id) FROM "Alert" a WHERE a."groupId" = g.id)::text AS last FROM "AlertGroup" g WHERE g.id = ANY($1::uuid[])',
      [groups],
    )
  ).rows;
  const lost: string[] = [];
  const rescued: string[] = [];
  for (const r of rows) {
    if (await redis.exists(`${prefix}:alerts.notify:grp-${r.id}-a${r.last ?? 0}`)) continue;
    lost.push(r.id);
    if ((await redis.keys(`${prefix}:alerts.notify:grp-${r.id}-m*`)).length) rescued.push(r.id);
  }
  return { groups: rows.length, lost, rescued };
}

/** Posts per key into `channel`: each ticket, alert or run counted wherever it appears (cards may share a digest). */
function postsByKey(d: Deployment, channel: string, re: RegExp): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of d.slack.callsTo('chat.postMessage')) {
    if (x.args.channel !== channel) continue;
    for (const k of new Set([...JSON.stringify(x.args).matchAll(re)].map((h) => h[0]))) m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
}

async function storedCounts(db: pg.Client, load: FailoverLoad) {
  const one = async (sql: string, args: unknown[]) => (await db.query<{ n: number }>(sql, args)).rows[0]!.n;
  const slash = (await db.query<{ title: string; n: number }>('SELECT title, count(*)::int AS n FROM "Ticket" WHERE title = ANY($1) GROUP BY title', [load.slashTitles])).rows;
  return {
    tickets: await one('SELECT count(*)::int AS n FROM "Ticket" WHERE id = ANY($1)', [load.tickets]),
    groups: await one('SELECT count(*)::int AS n FROM "AlertGroup" WHERE id = ANY($1::uuid[])', [load.groups]),
    runs: await one('SELECT count(*)::int AS n FROM "ProcessRun" WHERE id = ANY($1)', [load.runs]),
    runsDone: await one(`SELECT count(*)::int AS n FROM "ProcessRun" WHERE id = ANY($1) AND status = 'succeeded'`, [load.runs]),
    slash,
  };
}

/** The counts of a run, read from `db` (the store as it is after the fault) and the fake Slack. */
export async function failoverCounts(d: Deployment, db: pg.Client, tag: string, load: FailoverLoad) {
  const c = failoverChats(tag);
  // An alert card carries its group id in its buttons; a run's post its key.
  const groupIds = new RegExp(load.groups.map((g) => g.replace(/-/g, '\\-')).join('|') || '$^', 'g');
  const cards = () => ({ triage: postsByKey(d, c.triage, new RegExp(`k\\d+f${tag}`, 'g')), alerts: postsByKey(d, c.alerts, groupIds), runs: postsByKey(d, c.runs, new RegExp(`r\\d+f${tag}`, 'g')) });
  const want = load.tickets.length + load.slashTitles.length;
  const complete = () => {
    const k = cards();
    return k.triage.size >= want && k.alerts.size >= load.groups.length && k.runs.size >= load.runs.length;
  };
  const drain = await drainOutbound(db, [c.triage, c.alerts, c.runs], load.groups, complete);
  const { triage, alerts, runs } = cards();
  // Read after the drain: runs still in their last step then have had the same time as the cards.
  const stored = await storedCounts(db, load);
  const storedSlash = stored.slash.length;
  const duplicated = stored.slash.filter((r) => r.n > 1).length;
  const lost = load.tickets.length - stored.tickets + (load.groups.length - stored.groups) + (load.slashTitles.length - storedSlash) + (load.runs.length - stored.runs);
  const have = new Set(stored.slash.map((r) => r.title));
  const twice = [...triage.values(), ...alerts.values(), ...runs.values()].filter((n) => n > 1).length;
  const cardsMissing = Math.max(0, want - triage.size) + Math.max(0, load.groups.length - alerts.size) + Math.max(0, load.runs.length - runs.size);
  const runPart = load.runs.length ? `  runs 2xx ${load.runs.length} stored ${stored.runs} succeeded ${stored.runsDone}` : '';
  return {
    lost,
    missingSlash: load.slashTitles.filter((t) => !have.has(t)),
    duplicated,
    runsUnfinished: load.runs.length - stored.runsDone,
    triageCards: triage.size,
    alertCards: alerts.size,
    runPosts: runs.size,
    cardsMissing,
    cardsTwice: twice,
    drain,
    line:
      `tickets 2xx ${load.tickets.length} stored ${stored.tickets}  slash 2xx ${load.slashTitles.length} stored ${storedSlash} (twice ${duplicated})  alerts 2xx ${load.groups.length} stored ${stored.groups}${runPart}  ` +
      `answers ${tally(load.statuses)}  refused attempts ${load.refused}  outbound rows ${drain.backlog.total} (queued ${drain.backlog.queued}, failed ${drain.backlog.failed}, largest chat ${drain.backlog.largestChat}; alert groups still unshown ${drain.unshown}) drained in ${drain.waitedS.toFixed(0)} s of ${drain.boundS.toFixed(0)} s`,
  };
}

/** The longest gap between two acknowledged requests (the seconds without service). */
export function longestGap(okAt: number[]): number {
  const s = [...okAt].sort((a, b) => a - b);
  let gap = 0;
  for (let i = 1; i < s.length; i++) gap = Math.max(gap, s[i]! - s[i - 1]!);
  return gap / 1000;
}
