/**
 * The load and the counts of a failover run (bench/chaos/pg-switch.ts, sentinel-failover.ts):
 * REST tickets (with idempotency keys), Alertmanager webhooks and signed Slack slash-command
 * tickets, sent as real clients send (503 and connection errors retried with the same key),
 * against a deployment of real http and worker processes; then what was acknowledged against
 * what is stored, the cards posted once each, and the seconds without service.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { amPayload } from './alert-app.ts';
import { jsonPost, request, sendWithRetry, slashCommand, tally, type Deployment } from './a2d2-procs.ts';
import { sleep } from './wait.ts';

/** Chats the deployment's YAML routes to (pass `failoverYaml(tag)` to startDeployment). */
export function failoverChats(tag: string) {
  return { triage: `FTRI${tag.toUpperCase()}`, alerts: `FALR${tag.toUpperCase()}`, chat: `CFO${tag.toUpperCase()}` };
}

export function failoverYaml(tag: string): Record<string, unknown> {
  const c = failoverChats(tag);
  return {
    http: { rateLimitPerMinute: 1_000_000 },
    defaultRole: 'operator',
    tickets: { triage: { platform: 'slack', chatId: c.triage }, sweepEvery: '2s', sweepGrace: '3s' },
    outbound: { recovery: { every: '2s', grace: '3s', giveUp: '1d' } },
    alerts: { routes: [{ match: { service: 'checkout-am' }, destinations: [`slack:${c.alerts}`] }] },
  };
}

export interface FailoverLoad {
  tickets: number[];
  slashTitles: string[];
  groups: string[];
  statuses: (number | string)[];
  /** Date.now() of each 2xx. */
  okAt: number[];
  refused: number;
}

/** Sends tickets, alerts and slash commands until `untilMs`; `at` is when the fault starts. */
export async function runFailoverLoad(d: Deployment, tag: string, untilMs: number): Promise<FailoverLoad> {
  const base = d.http[0]!.url;
  const c = failoverChats(tag);
  const out: FailoverLoad = { tickets: [], slashTitles: [], groups: [], statuses: [], okAt: [], refused: 0 };
  let n = 0;
  const sender = async (kind: 'ticket' | 'alert' | 'slash') => {
    while (Date.now() < untilMs) {
      const i = n++;
      const title = `${['Checkout times out', 'Login shows 500', 'Search is blank', 'Invoices loop'][i % 4]} for region ${i % 17} k${i}f${tag}`;
      const onAttempt = (s: number | string) => {
        if (typeof s === 'string' || s >= 300) out.refused++;
      };
      const r =
        kind === 'ticket'
          ? await sendWithRetry(`${base}/api/v1/tickets`, jsonPost(d.apiToken, { title, severity: 'P3' }, `fo-${tag}-${i}`), 60_000, onAttempt)
          : kind === 'alert'
            ? await sendWithRetry(`${base}/webhooks/alertmanager`, jsonPost(d.amToken, amPayload(`{}:{alertname="Failover${tag}",n="${i}"}`, 'firing', { alertname: `Failover${tag}`, shard: `s${i}x${tag}` })), 60_000, onAttempt)
            : await sendWithRetry(`${base}/slack/events`, slashCommand(d, `ticket P3 ${title}`, c.chat, `${Date.now()}.fo${tag}${i}`), 60_000, onAttempt);
      out.statuses.push(r.status);
      if (typeof r.status === 'number' && r.status >= 200 && r.status < 300) {
        out.okAt.push(r.at);
        if (kind === 'ticket') out.tickets.push((JSON.parse(r.body) as { ticket: { id: number } }).ticket.id);
        if (kind === 'alert') out.groups.push((JSON.parse(r.body) as { groupId: string }).groupId);
        if (kind === 'slash') out.slashTitles.push(title);
      }
      await sleep(250);
    }
  };
  await Promise.all([sender('ticket'), sender('ticket'), sender('alert'), sender('slash')]);
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

/** The counts of a run, read from `db` (the store as it is after the fault) and the fake Slack. */
export async function failoverCounts(d: Deployment, db: pg.Client, tag: string, load: FailoverLoad, waitCardsMs = 240_000) {
  const c = failoverChats(tag);
  const storedTickets = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM "Ticket" WHERE id = ANY($1)', [load.tickets])).rows[0]!.n;
  const storedGroups = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM "AlertGroup" WHERE id = ANY($1::uuid[])', [load.groups])).rows[0]!.n;
  const slash = (await db.query<{ title: string; n: number }>('SELECT title, count(*)::int AS n FROM "Ticket" WHERE title = ANY($1) GROUP BY title', [load.slashTitles])).rows;
  const storedSlash = slash.length;
  const duplicated = slash.filter((r) => r.n > 1).length;
  // Cards are paced per chat (and may share a digest): each ticket or alert is counted by its
  // key wherever it appears; one that appears in two posts was posted twice.
  const seen = (channel: string, re: RegExp) => {
    const m = new Map<string, number>();
    for (const x of d.slack.callsTo('chat.postMessage')) {
      if (x.args.channel !== channel) continue;
      for (const k of new Set([...JSON.stringify(x.args).matchAll(re)].map((h) => h[0]))) m.set(k, (m.get(k) ?? 0) + 1);
    }
    return m;
  };
  // An alert card carries its group id in its buttons.
  const groupIds = new RegExp(load.groups.map((g) => g.replace(/-/g, '\\-')).join('|') || '$^', 'g');
  const cards = () => ({ triage: seen(c.triage, new RegExp(`k\\d+f${tag}`, 'g')), alerts: seen(c.alerts, groupIds) });
  const want = load.tickets.length + load.slashTitles.length;
  const end = Date.now() + waitCardsMs;
  while (Date.now() < end && (cards().triage.size < want || cards().alerts.size < load.groups.length)) await sleep(1_000);
  const { triage, alerts } = cards();
  const lost = load.tickets.length - storedTickets + (load.groups.length - storedGroups) + (load.slashTitles.length - storedSlash);
  const have = new Set(slash.map((r) => r.title));
  const missingSlash = load.slashTitles.filter((t) => !have.has(t));
  const twice = [...triage.values(), ...alerts.values()].filter((n) => n > 1).length;
  return {
    lost,
    missingSlash,
    duplicated,
    triageCards: triage.size,
    alertCards: alerts.size,
    cardsMissing: Math.max(0, want - triage.size) + Math.max(0, load.groups.length - alerts.size),
    cardsTwice: twice,
    line: `tickets 2xx ${load.tickets.length} stored ${storedTickets}  slash 2xx ${load.slashTitles.length} stored ${storedSlash} (twice ${duplicated})  alerts 2xx ${load.groups.length} stored ${storedGroups}  answers ${tally(load.statuses)}  refused attempts ${load.refused}`,
  };
}

/** The longest gap between two acknowledged requests (the seconds without service). */
export function longestGap(okAt: number[]): number {
  const s = [...okAt].sort((a, b) => a - b);
  let gap = 0;
  for (let i = 1; i < s.length; i++) gap = Math.max(gap, s[i]! - s[i - 1]!);
  return gap / 1000;
}
