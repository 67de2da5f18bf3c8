/**
 * The capacity model of docs/scaling.md: from a load profile (teams and what each team sends)
 * and the figures bench/scaling.bench.ts measured per worker process, the workers, Redis and
 * PostgreSQL a site needs, and where the chat platforms' own limits (which no worker count
 * lifts) make a2d2 queue or digest.
 */
import { DEFAULT_OUTBOUND_LIMITS } from '../bot/outbound/rate-limiter.ts';

/** What one team sends, on average; peaks are `peak` times the mean. */
export interface Profile {
  teams: number;
  alertsPerMinute: number;
  ticketsPerDay: number;
  documentsPerDay: number;
  runsPerDay: number;
  /** Peak rate over the mean (incidents come in bursts). */
  peak: number;
  platform: 'slack' | 'telegram';
}

/** Per worker process: items a second it finishes, and CPU seconds per item of each group. */
export interface Measured {
  perWorker: Record<Workload, number>;
  workerCpu: Record<Workload, number>;
  postgresCpu: Record<Workload, number>;
  redisCpu: Record<Workload, number>;
}
export type Workload = 'tickets' | 'alerts' | 'documents' | 'runs';
const WORKLOADS: Workload[] = ['tickets', 'alerts', 'documents', 'runs'];

/**
 * bench/scaling.bench.ts, 2026-12-07 (docs/scaling.md, the table of three passes per worker
 * count, median): the 1-worker row. perWorker is items a second of one worker process; the CPU
 * figures are CPU seconds per item, each group's CPU share over that rate (tickets: workers
 * 0.24, postgres 0.33, redis 0.04 cores at 14.9/s). Measured on a loaded 2-core machine (load
 * average 7-17), so pessimistic. Alerts: the 2026-12-08 run (docs/scaling.md, three passes of
 * 30 deliveries, each workload charged until the deployment settled; load 2.8-6.4): 14.5/s,
 * 0.030 worker, 0.0145 PostgreSQL and 0.0055 Redis CPU-s a delivery. The earlier 0.2/s and
 * 1.7 CPU-s were the tickets pass's backlog that the alerts pass after it was charged with.
 */
export const MEASURED: Measured = {
  perWorker: { tickets: 14.9, alerts: 14.5, documents: 2.9, runs: 18.3 },
  workerCpu: { tickets: 0.0161, alerts: 0.03, documents: 0.148, runs: 0.0175 },
  postgresCpu: { tickets: 0.0221, alerts: 0.0145, documents: 0.0793, runs: 0.0115 },
  redisCpu: { tickets: 0.00268, alerts: 0.0055, documents: 0.0172, runs: 0.00219 },
};

/** Messages a chat receives per item: a ticket's card and two edits, an alert's card and its resolve edit. */
const MESSAGES: Record<Workload, number> = { tickets: 3, alerts: 2, documents: 1, runs: 2 };
/** Alerts a minute into one chat before it gets one digest message instead (alerts.storm.thresholdPerMinute). */
const STORM_THRESHOLD = 30;
/** The storm digest is refreshed every 10 s: at most 6 messages a minute into that chat. */
const DIGEST_PER_MINUTE = 6;
/** Workers are planned at half their measured rate: room for retries, sweeps and a lost worker. */
const HEADROOM = 0.5;

export interface Plan {
  /** Peak items a second over the site, per workload. */
  peakPerSecond: Record<Workload, number>;
  workers: number;
  workerCores: number;
  postgresCores: number;
  redisCores: number;
  /** Messages a minute into one team's busiest chat at peak, and what the platform allows there. */
  chatPerMinute: number;
  chatLimitPerMinute: number;
  /** Whether alerts into one chat pass the storm threshold at peak (then they are digested). */
  digested: boolean;
  /** Messages a second over the bot token at peak, and the token's limit. */
  tokenPerSecond: number;
  tokenLimitPerSecond: number;
  notes: string[];
}

const perSecond = (p: Profile): Record<Workload, number> => ({
  alerts: (p.teams * p.alertsPerMinute * p.peak) / 60,
  tickets: (p.teams * p.ticketsPerDay * p.peak) / 86_400,
  documents: (p.teams * p.documentsPerDay * p.peak) / 86_400,
  runs: (p.teams * p.runsPerDay * p.peak) / 86_400,
});

const sum = (f: (w: Workload) => number) => WORKLOADS.reduce((a, w) => a + f(w), 0);

/** One team's busiest chat at peak: triage (tickets, runs) or alerts, digests counted as such. */
function chatLoad(p: Profile): { perMinute: number; digested: boolean } {
  const alertsPerMinute = p.alertsPerMinute * p.peak;
  const digested = alertsPerMinute > STORM_THRESHOLD;
  const alerts = digested ? DIGEST_PER_MINUTE : alertsPerMinute * MESSAGES.alerts;
  const triage = ((p.ticketsPerDay * MESSAGES.tickets + p.runsPerDay * MESSAGES.runs) * p.peak) / 1440;
  return { perMinute: Math.max(alerts, triage), digested };
}

/** The plan for `p` from `m`. */
export function plan(p: Profile, m: Measured = MEASURED): Plan {
  const peak = perSecond(p);
  const workerLoad = sum((w) => peak[w] / m.perWorker[w]);
  const workers = Math.max(2, Math.ceil(workerLoad / HEADROOM));
  const limits = DEFAULT_OUTBOUND_LIMITS[p.platform]!;
  const chatLimit = (limits.perChat.count * 60_000) / limits.perChat.windowMs;
  const groupLimit = limits.group ? (limits.group.count * 60_000) / limits.group.windowMs : Infinity;
  const chat = chatLoad(p);
  const token = sum((w) => peak[w] * MESSAGES[w]);
  const tokenLimit = (limits.global.count * 1000) / limits.global.windowMs;
  const out: Plan = {
    peakPerSecond: peak,
    workers,
    workerCores: sum((w) => peak[w] * m.workerCpu[w]),
    postgresCores: sum((w) => peak[w] * m.postgresCpu[w]),
    redisCores: sum((w) => peak[w] * m.redisCpu[w]),
    chatPerMinute: chat.perMinute,
    chatLimitPerMinute: Math.min(chatLimit, groupLimit),
    digested: chat.digested,
    tokenPerSecond: token,
    tokenLimitPerSecond: tokenLimit,
    notes: [],
  };
  addNotes(out, p);
  return out;
}

function addNotes(out: Plan, p: Profile): void {
  if (out.digested) out.notes.push(`alerts into one chat pass ${STORM_THRESHOLD}/min at peak: each chat gets one digest refreshed every 10 s instead of a card per group`);
  if (out.chatPerMinute > out.chatLimitPerMinute)
    out.notes.push(`one chat needs ${out.chatPerMinute.toFixed(0)} messages/min at peak, the platform allows ${out.chatLimitPerMinute}: the rest queue in order (no worker count helps; split the chat or digest)`);
  if (out.tokenPerSecond > out.tokenLimitPerSecond) {
    const backlog = (out.tokenPerSecond - out.tokenLimitPerSecond) * 60;
    out.notes.push(`the bot token needs ${out.tokenPerSecond.toFixed(1)} messages/s at peak, ${p.platform} allows ${out.tokenLimitPerSecond}/s: about ${backlog.toFixed(0)} messages queue per peak minute (more workers do not help; more installs with their own tokens do)`);
  }
  if (out.redisCores > 0.5) out.notes.push('Redis passes half a core: one install keeps its keys in one hash slot ({prefix}), so a cluster does not spread it; split into installs');
  if (out.postgresCores > 4) out.notes.push('PostgreSQL passes 4 cores of writes: a bigger primary, or installs on separate databases');
}

/** The plan as the lines `npm run plan` prints. */
export function formatPlan(p: Profile, r: Plan): string[] {
  const f = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(0));
  return [
    `${p.teams} teams on ${p.platform}; per team ${p.alertsPerMinute} alerts/min, ${p.ticketsPerDay} tickets/day, ${p.documentsPerDay} documents/day, ${p.runsPerDay} runs/day; peak ${p.peak}x`,
    `peak per second: tickets ${f(r.peakPerSecond.tickets)}, alerts ${f(r.peakPerSecond.alerts)}, documents ${f(r.peakPerSecond.documents)}, runs ${f(r.peakPerSecond.runs)}`,
    `workers: ${r.workers} processes (${f(r.workerCores)} cores busy at peak), http roles: 2`,
    `postgres: ${f(r.postgresCores)} cores of work at peak (plus a standby); redis: ${f(r.redisCores)} cores (primary, replica, 3 sentinels)`,
    `busiest chat: ${f(r.chatPerMinute)} messages/min at peak of ${r.chatLimitPerMinute} allowed${r.digested ? ' (alerts digested)' : ''}; bot token ${f(r.tokenPerSecond)}/s of ${r.tokenLimitPerSecond}/s`,
    ...r.notes.map((n) => `note: ${n}`),
  ];
}
