/**
 * Counts of a rolling-restart run (rolling-restart.ts): what the senders were answered, what was
 * stored, and how often each command was answered. A command's chat holds the new ticket's card
 * (no triage chat is configured, so it goes to the reporter's chat) and the reporter's
 * confirmation: two different messages, the legitimate follow-up. A real repeat is a second
 * ticket for one command, a second confirmation or any other answer without a message key (the
 * "already created" of a command handled twice), or one stored message posted more than once
 * (Slack: the same delivery id in two posts' metadata; Telegram: more sends to the chat than
 * rows sent to it). Edits (chat.update, editMessageText) are counted apart.
 */
import type { RollingRun, Delivery, DeliveryKind } from './rolling-restart.ts';
import { tally } from './a2d2-procs.ts';
import { sleep } from './wait.ts';

interface Row {
  id: string;
  chatId: string;
  messageKey: string | null;
  status: string;
}

export interface CommandCounts {
  sent: number;
  acked: number;
  refused503: number;
  /** Acked, one ticket, its confirmation posted once, nothing repeated. */
  answeredOnce: number;
  /** Acked with no ticket by the end of the wait. */
  lost: number;
  /** Acked, the ticket stored, but its confirmation not posted by the end of the wait. */
  unconfirmed: number;
  /** Acked commands with more than one ticket. */
  ticketsTwice: number;
  /** Acked commands with a second answer (a second confirmation, or an unkeyed answer). */
  answeredTwice: number;
  /** Stored messages posted more than once. */
  postedTwice: number;
  /** Acked commands whose chat got more than one message, every extra one a legitimate follow-up (the card). */
  withFollowUps: number;
  /** Follow-up messages by kind (message key without the ticket number). */
  followUps: Record<string, number>;
  edits: number;
  /** Commands answered 503 whose ticket was stored anyway (the request got in before the refusal). */
  refusedButStored: number;
}

export interface RollingCounts {
  statuses: Record<DeliveryKind, string>;
  deliveries: number;
  /** Deliveries answered neither 2xx nor 503 (a connection error, a 502): must be none. */
  neither2xxNor503: Delivery[];
  slack: CommandCounts;
  telegram: CommandCounts;
  alerts: { sent: number; acked: number; stored: number; refused503: number };
}

const is2xx = (s: number | string) => typeof s === 'number' && s >= 200 && s < 300;
const keyKind = (key: string | null) => (key ? key.replace(/:\d+(?=:|$)/g, ':N') : '(no key)');

async function tickets(run: RollingRun): Promise<Map<string, number>> {
  const { rows } = await run.dep.db.query<{ title: string }>(`SELECT title FROM "Ticket" WHERE title LIKE $1`, [`% z${run.tag}`]);
  const by = new Map<string, number>();
  for (const r of rows) {
    const m = /^Rolling restart (slack|telegram) (\d+) z/.exec(r.title);
    if (m) by.set(`${m[1]}:${m[2]}`, (by.get(`${m[1]}:${m[2]}`) ?? 0) + 1);
  }
  return by;
}

async function rowsByChat(run: RollingRun, chats: string[]): Promise<Map<string, Row[]>> {
  const { rows } = await run.dep.db.query<Row>(`SELECT id, "chatId", "messageKey", status FROM "OutboundMessage" WHERE "chatId" = ANY($1::text[]) ORDER BY seq`, [chats]);
  const by = new Map<string, Row[]>();
  for (const r of rows) by.set(r.chatId, [...(by.get(r.chatId) ?? []), r]);
  return by;
}

const commandsOf = (run: RollingRun, kind: 'slack' | 'telegram') => run.deliveries.filter((d) => d.kind === kind);

/**
 * Waits until every acked command has its ticket and its chat's messages are all sent; gives up
 * after `timeoutMs`, or sooner when nothing more got done for `stallMs` (a backlog still being
 * worked through is waited for, a stuck one is not).
 */
export async function settle(run: RollingRun, timeoutMs: number, stallMs = timeoutMs): Promise<boolean> {
  const acked = run.deliveries.filter((d) => d.kind !== 'alert' && is2xx(d.status));
  const deadline = Date.now() + timeoutMs;
  let best = -1;
  let progressAt = Date.now();
  while (Date.now() < deadline && Date.now() - progressAt < stallMs) {
    const t = await tickets(run);
    const rows = await rowsByChat(run, acked.map((d) => d.key));
    const done = acked.filter((d) => t.has(`${d.kind}:${d.i}`) && (rows.get(d.key) ?? []).some((r) => r.messageKey?.endsWith(':reporter')) && (rows.get(d.key) ?? []).every((r) => r.status === 'sent')).length;
    if (done === acked.length) return true;
    if (done > best) [best, progressAt] = [done, Date.now()];
    await sleep(1_000);
  }
  return false;
}

/** Posts per stored message id (Slack: the delivery id in the metadata), and posts with none, per channel. */
function slackPosts(run: RollingRun): { perRow: Map<string, number>; untagged: Map<string, number>; edits: Map<string, number> } {
  const perRow = new Map<string, number>();
  const untagged = new Map<string, number>();
  for (const c of run.dep.slack.callsTo('chat.postMessage')) {
    const id = (c.args.metadata as { event_payload?: { id?: string } } | undefined)?.event_payload?.id;
    if (id) perRow.set(id, (perRow.get(id) ?? 0) + 1);
    else untagged.set(String(c.args.channel), (untagged.get(String(c.args.channel)) ?? 0) + 1);
  }
  const edits = new Map<string, number>();
  for (const c of run.dep.slack.callsTo('chat.update')) edits.set(String(c.args.channel), (edits.get(String(c.args.channel)) ?? 0) + 1);
  return { perRow, untagged, edits };
}

function telegramSends(run: RollingRun): { sends: Map<string, number>; edits: Map<string, number> } {
  const count = (method: string) => {
    const m = new Map<string, number>();
    for (const c of run.telegram.callsOf(method)) m.set(String(c.payload.chat_id), (m.get(String(c.payload.chat_id)) ?? 0) + 1);
    return m;
  };
  return { sends: count('sendMessage'), edits: count('editMessageText') };
}

type Seen = { slack: ReturnType<typeof slackPosts> } | { telegram: ReturnType<typeof telegramSends> };

/** Extra posts of a chat's messages beyond one each. */
function repeatedPosts(seen: Seen, chat: string, rows: Row[]): { repeated: number; edits: number } {
  if ('slack' in seen) {
    const p = seen.slack;
    const repeated = rows.reduce((n, r) => n + Math.max(0, (p.perRow.get(r.id) ?? 0) - 1), 0) + (p.untagged.get(chat) ?? 0);
    return { repeated, edits: p.edits.get(chat) ?? 0 };
  }
  const t = seen.telegram;
  const sentRows = rows.filter((r) => r.status === 'sent').length;
  return { repeated: Math.max(0, (t.sends.get(chat) ?? 0) - sentRows), edits: t.edits.get(chat) ?? 0 };
}

async function countCommands(run: RollingRun, kind: 'slack' | 'telegram'): Promise<CommandCounts> {
  const sent = commandsOf(run, kind);
  const t = await tickets(run);
  const rows = await rowsByChat(run, sent.map((d) => d.key));
  const seen: Seen = kind === 'slack' ? { slack: slackPosts(run) } : { telegram: telegramSends(run) };
  const c: CommandCounts = {
    sent: sent.length, acked: 0, refused503: 0, answeredOnce: 0, lost: 0, unconfirmed: 0, ticketsTwice: 0, answeredTwice: 0,
    postedTwice: 0, withFollowUps: 0, followUps: {}, edits: 0, refusedButStored: 0,
  };
  for (const d of sent) {
    const n = t.get(`${kind}:${d.i}`) ?? 0;
    if (d.status === 503) {
      c.refused503++;
      if (n) c.refusedButStored++;
    }
    if (!is2xx(d.status)) continue;
    c.acked++;
    const chatRows = rows.get(d.key) ?? [];
    const answers = chatRows.filter((r) => !r.messageKey || r.messageKey.endsWith(':reporter'));
    const others = chatRows.filter((r) => r.messageKey && !r.messageKey.endsWith(':reporter'));
    const posts = repeatedPosts(seen, d.key, chatRows);
    c.edits += posts.edits;
    c.postedTwice += posts.repeated;
    if (n > 1) c.ticketsTwice++;
    if (answers.length > 1) c.answeredTwice++;
    const confirmed = answers.some((r) => r.status === 'sent');
    if (n === 0) c.lost++;
    else if (!confirmed) c.unconfirmed++;
    else if (n === 1 && answers.length === 1 && posts.repeated === 0) c.answeredOnce++;
    if (others.length) c.withFollowUps++;
    for (const r of others) c.followUps[keyKind(r.messageKey)] = (c.followUps[keyKind(r.messageKey)] ?? 0) + 1;
  }
  return c;
}

/** Every count of the run (call settle first). */
export async function countRun(run: RollingRun): Promise<RollingCounts> {
  const of = (k: DeliveryKind) => run.deliveries.filter((d) => d.kind === k);
  const alerts = of('alert');
  const ackedAlerts = alerts.filter((d) => is2xx(d.status) && d.key);
  const { rows } = await run.dep.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "AlertGroup" WHERE id = ANY($1::uuid[])`, [ackedAlerts.map((d) => d.key)]);
  return {
    statuses: { slack: tally(of('slack').map((d) => d.status)), telegram: tally(of('telegram').map((d) => d.status)), alert: tally(alerts.map((d) => d.status)) },
    deliveries: run.deliveries.length,
    neither2xxNor503: run.deliveries.filter((d) => !is2xx(d.status) && d.status !== 503),
    slack: await countCommands(run, 'slack'),
    telegram: await countCommands(run, 'telegram'),
    alerts: { sent: alerts.length, acked: ackedAlerts.length, stored: rows[0]!.n, refused503: alerts.filter((d) => d.status === 503).length },
  };
}

const commandLine = (name: string, c: CommandCounts) =>
  `${name}: ${c.sent} sent, ${c.acked} acked, ${c.refused503} answered 503 (${c.refusedButStored} of them stored anyway); ` +
  `answered exactly once ${c.answeredOnce}, lost (no ticket) ${c.lost}, ticket stored but not yet confirmed ${c.unconfirmed}; real repeats: tickets twice ${c.ticketsTwice}, answered twice ${c.answeredTwice}, ` +
  `a message posted twice ${c.postedTwice}; legitimate follow-ups in ${c.withFollowUps} chats (${Object.entries(c.followUps).map(([k, v]) => `${k} ×${v}`).join(', ') || 'none'}), edits ${c.edits}`;

/** Deliveries answered while each http role was away (from its SIGTERM to its first /readyz 200 again). */
export function whileRestarting(run: RollingRun): number[] {
  const ev = run.restarts.events;
  return ev
    .filter((e) => e.what.startsWith('SIGTERM http'))
    .map((start) => {
      const end = ev.find((e) => e.at >= start.at && e.what === start.what.replace('SIGTERM', 'ready'));
      return run.deliveries.filter((d) => d.at >= start.at && d.at <= (end?.at ?? Infinity)).length;
    });
}

/** The report as printed lines. */
export function formatCounts(c: RollingCounts, run: RollingRun): string[] {
  const r = run.restarts;
  return [
    `deliveries ${c.deliveries}: slack ${c.statuses.slack}; telegram ${c.statuses.telegram}; alertmanager ${c.statuses.alert}`,
    `answered neither 2xx nor 503 (connection errors, 502): ${c.neither2xxNor503.length}${c.neither2xxNor503.length ? ` (${tally(c.neither2xxNor503.map((d) => d.status))})` : ''}`,
    commandLine('slack commands', c.slack),
    commandLine('telegram commands', c.telegram),
    `alertmanager webhooks: ${c.alerts.sent} sent, ${c.alerts.acked} acked, ${c.alerts.stored} of them stored, ${c.alerts.refused503} answered 503`,
    `deliveries answered while a role was away (SIGTERM to ready again): ${whileRestarting(run).join(', ')}`,
    `restarts: http exit codes ${r.httpExits.join(',')}, SIGTERM to ready again ${r.httpGapsMs.map((ms) => `${(ms / 1000).toFixed(1)} s`).join(', ')}; worker exit codes ${r.workerExits.join(',')}`,
  ];
}

/** What must hold for the run to count as zero-downtime; empty when everything held. */
export function failures(c: RollingCounts, run: RollingRun): string[] {
  const out: string[] = [];
  if (c.neither2xxNor503.length) out.push(`${c.neither2xxNor503.length} deliveries answered neither 2xx nor 503`);
  if (c.alerts.stored !== c.alerts.acked) out.push(`${c.alerts.acked - c.alerts.stored} acked webhooks not stored`);
  for (const [name, k] of [['slack', c.slack], ['telegram', c.telegram]] as const) {
    if (k.lost) out.push(`${k.lost} acked ${name} commands without a ticket`);
    if (k.unconfirmed) out.push(`${k.unconfirmed} acked ${name} commands not confirmed`);
    if (k.ticketsTwice || k.answeredTwice || k.postedTwice) out.push(`${name} commands repeated (${k.ticketsTwice} tickets twice, ${k.answeredTwice} answered twice, ${k.postedTwice} posted twice)`);
    if (k.answeredOnce !== k.acked) out.push(`${k.acked - k.answeredOnce} acked ${name} commands not answered exactly once`);
  }
  if ([...run.restarts.httpExits, ...run.restarts.workerExits].some((x) => x !== 0)) out.push('a SIGTERMed role did not exit 0');
  return out;
}
