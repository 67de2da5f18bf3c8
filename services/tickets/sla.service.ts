/**
 * SLA deadline math: business hours in a time zone, pauses, and the plan of a ticket's two
 * clocks (first response, resolution) with their "at risk" and "breached" points.
 *
 * A clock is kept as "business time used so far" plus the instant it last (re)started
 * (`anchorAt`, null while paused). Pausing folds the time since the anchor into `used`;
 * resuming sets a new anchor; a severity change folds and re-anchors, so the new window
 * applies to the time that is left. Everything here is pure; the ticket service stores it.
 */
import { durationMs, type Severity, type TicketsConfig } from './tickets.config.ts';

/** Working days and hours in one time zone. */
export interface BusinessCalendar {
  timeZone: string;
  /** 0 = Sunday ... 6 = Saturday. */
  days: readonly number[];
  /** Minutes after local midnight. */
  startMin: number;
  endMin: number;
  /** Local dates (YYYY-MM-DD) that are not working days. */
  holidays: ReadonlySet<string>;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function localParts(t: number, timeZone: string): LocalParts {
  const out: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(t))) {
    if (p.type !== 'literal') out[p.type] = Number(p.value);
  }
  return { year: out.year!, month: out.month!, day: out.day!, hour: out.hour! % 24, minute: out.minute!, second: out.second! };
}

const QUARTER_HOUR = 900_000;
const offsets = new Map<string, number>();

/**
 * Offset of the zone from UTC at instant `t`, in ms (Moscow: +3 h). Zones change offset only
 * on a quarter hour of UTC (offsets and transition times are whole quarter hours), so one
 * answer per zone and quarter hour is exact; it is cached because formatToParts is costly and
 * a plan asks for it four times per business day in its window.
 */
function offsetMs(t: number, timeZone: string): number {
  const start = Math.floor(t / QUARTER_HOUR) * QUARTER_HOUR;
  const key = `${timeZone}|${start}`;
  let off = offsets.get(key);
  if (off === undefined) {
    const p = localParts(start, timeZone);
    off = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - start;
    if (offsets.size >= 50_000) offsets.clear();
    offsets.set(key, off);
  }
  return off;
}

/** The instant of a local wall-clock time (date + minutes after midnight) in a zone. */
export function zonedTime(year: number, month: number, day: number, minutes: number, timeZone: string): number {
  const guess = Date.UTC(year, month - 1, day, 0, minutes);
  let t = guess - offsetMs(guess, timeZone);
  // Near a DST change the offset at the guess differs from the offset at the answer.
  const second = guess - offsetMs(t, timeZone);
  if (second !== t) t = second;
  return t;
}

function parseHhmm(s: string): number {
  const [h, m] = s.split(':').map(Number);
  return h! * 60 + m!;
}

/** Builds the calendar from the config. */
export function calendarFrom(cfg: TicketsConfig): BusinessCalendar {
  return {
    timeZone: cfg.timeZone,
    days: cfg.businessHours.days,
    startMin: parseHhmm(cfg.businessHours.start),
    endMin: parseHhmm(cfg.businessHours.end),
    holidays: new Set(cfg.businessHours.holidays),
  };
}

const MAX_DAYS = 3700;

/** Working intervals [open, close) from the local day containing `from` onwards. */
function* intervals(from: number, cal: BusinessCalendar): Generator<[number, number]> {
  const local = new Date(from + offsetMs(from, cal.timeZone));
  for (let i = 0; i < MAX_DAYS; i++) {
    const d = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + i));
    const y = d.getUTCFullYear();
    const m = d.getUTCMonth() + 1;
    const day = d.getUTCDate();
    if (!cal.days.includes(d.getUTCDay())) continue;
    const iso = `${y}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    if (cal.holidays.has(iso)) continue;
    yield [zonedTime(y, m, day, cal.startMin, cal.timeZone), zonedTime(y, m, day, cal.endMin, cal.timeZone)];
  }
}

/**
 * The instant when `ms` of business time have passed after `start`. With no calendar the
 * clock runs around the clock. `ms <= 0` is `start` itself.
 */
export function addBusinessTime(start: Date, ms: number, cal: BusinessCalendar | null): Date {
  const t0 = start.getTime();
  if (ms <= 0) return new Date(t0);
  if (!cal) return new Date(t0 + ms);
  let remaining = ms;
  for (const [open, close] of intervals(t0, cal)) {
    if (close <= t0) continue;
    const s = Math.max(t0, open);
    const available = close - s;
    if (remaining <= available) return new Date(s + remaining);
    remaining -= available;
  }
  throw new Error('business calendar has no working time in the next ten years');
}

/** Business time between two instants (0 when `b` is not after `a`). */
export function businessTimeBetween(a: Date, b: Date, cal: BusinessCalendar | null): number {
  const ta = a.getTime();
  const tb = b.getTime();
  if (tb <= ta) return 0;
  if (!cal) return tb - ta;
  let total = 0;
  for (const [open, close] of intervals(ta, cal)) {
    if (open >= tb) break;
    const s = Math.max(open, ta);
    const e = Math.min(close, tb);
    if (e > s) total += e - s;
  }
  return total;
}

/** The two SLA clocks. */
export type SlaClock = 'response' | 'resolution';

/** One clock's plan. */
export interface ClockPlan {
  windowMs: number;
  atRiskAt: Date;
  dueAt: Date;
}

/** The clock state a plan is computed from (what the ticket row stores). */
export interface SlaClockState {
  severity: Severity;
  /** When the clocks last (re)started; null while paused. */
  anchorAt: Date | null;
  responseUsedMs: number;
  resolutionUsedMs: number;
  /** First response given: the response clock is stopped. */
  acknowledged: boolean;
  /** Resolved or closed: no clock runs. */
  done: boolean;
}

/** Deadlines of both clocks; a clock is null when it is stopped, paused or has no target. */
export interface SlaPlan {
  response: ClockPlan | null;
  resolution: ClockPlan | null;
}

/** The SLA policy engine for one configuration. */
export interface SlaPolicy {
  calendarFor(severity: Severity): BusinessCalendar | null;
  windowMs(severity: Severity, clock: SlaClock): number | null;
  /** Plans both clocks from a state. */
  plan(state: SlaClockState): SlaPlan;
  /** Folds the running time into `used` (before a pause or a severity change). */
  fold(state: SlaClockState, now: Date): Pick<SlaClockState, 'responseUsedMs' | 'resolutionUsedMs'>;
  atRiskRatio: number;
}

/** Builds the SLA policy from the `tickets` config. */
export function createSlaPolicy(cfg: TicketsConfig): SlaPolicy {
  const cal = calendarFrom(cfg);
  const ratio = cfg.atRiskRatio;
  const calendarFor = (s: Severity) => (cfg.sla[s].businessHours ? cal : null);
  const windowMs = (s: Severity, clock: SlaClock): number | null => {
    const d = clock === 'response' ? cfg.sla[s].firstResponse : cfg.sla[s].resolution;
    return d === null ? null : durationMs(d);
  };
  function clockPlan(state: SlaClockState, clock: SlaClock): ClockPlan | null {
    if (state.done || !state.anchorAt) return null;
    if (clock === 'response' && state.acknowledged) return null;
    const w = windowMs(state.severity, clock);
    if (w === null) return null;
    const used = clock === 'response' ? state.responseUsedMs : state.resolutionUsedMs;
    const c = calendarFor(state.severity);
    return {
      windowMs: w,
      atRiskAt: addBusinessTime(state.anchorAt, w * ratio - used, c),
      dueAt: addBusinessTime(state.anchorAt, w - used, c),
    };
  }
  return {
    calendarFor,
    windowMs,
    atRiskRatio: ratio,
    plan: (state) => ({ response: clockPlan(state, 'response'), resolution: clockPlan(state, 'resolution') }),
    fold(state, now) {
      if (!state.anchorAt) return { responseUsedMs: state.responseUsedMs, resolutionUsedMs: state.resolutionUsedMs };
      const spent = businessTimeBetween(state.anchorAt, now, calendarFor(state.severity));
      return {
        responseUsedMs: state.acknowledged ? state.responseUsedMs : state.responseUsedMs + spent,
        resolutionUsedMs: state.resolutionUsedMs + spent,
      };
    },
  };
}

/**
 * Stages of a clock: 0 nothing sent, 1 at-risk notice sent, 2 breach notice (escalation step 1)
 * sent, 2 + k escalation step k + 1 sent.
 */
export function stageAt(plan: ClockPlan, stepDelaysMs: readonly number[], now: Date): number {
  const t = now.getTime();
  if (t < plan.atRiskAt.getTime()) return 0;
  if (t < plan.dueAt.getTime()) return 1;
  let stage = 2;
  for (let k = 1; k < stepDelaysMs.length; k++) {
    if (t >= plan.dueAt.getTime() + stepDelaysMs[k]!) stage = 2 + k;
    else break;
  }
  return stage;
}

/** Instants at which a clock's stages begin (index = stage - 1). */
export function stageTimes(plan: ClockPlan, stepDelaysMs: readonly number[]): Date[] {
  const out = [plan.atRiskAt, plan.dueAt];
  for (let k = 1; k < stepDelaysMs.length; k++) out.push(new Date(plan.dueAt.getTime() + stepDelaysMs[k]!));
  return out;
}
