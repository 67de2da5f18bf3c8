/**
 * The SLA figures per week and severity, for the `sla` chart and the weekly report: how many
 * tickets opened that week met or missed their first-response and resolution clocks, and the
 * mean times to acknowledge and to resolve. Weeks start on Monday in the tickets' time zone.
 */
import { Prisma } from '../db.ts';
import { SEVERITIES, type Severity } from './tickets.config.ts';
import type { TicketService } from './ticket-types.ts';
import type { TicketContext } from './ticket-context.ts';

/**
 * The SLA columns of a group of tickets, shared by the weekly figures and `stats`: clocks met
 * and missed (a duplicate's resolution counts for neither) and the mean times to acknowledge
 * and to resolve, in seconds.
 */
export const SLA_FIGURES = Prisma.sql`
  count(*) FILTER (WHERE "acknowledgedAt" IS NOT NULL AND "responseBreachedAt" IS NULL) AS response_met,
  count(*) FILTER (WHERE "responseBreachedAt" IS NOT NULL) AS response_missed,
  count(*) FILTER (WHERE "resolvedAt" IS NOT NULL AND "resolutionBreachedAt" IS NULL AND "duplicateOfId" IS NULL) AS resolution_met,
  count(*) FILTER (WHERE "resolutionBreachedAt" IS NOT NULL) AS resolution_missed,
  avg(EXTRACT(EPOCH FROM ("acknowledgedAt" - "createdAt")))::float8 AS mtta,
  avg(EXTRACT(EPOCH FROM ("resolvedAt" - "createdAt"))) FILTER (WHERE "duplicateOfId" IS NULL)::float8 AS mttr`;

interface Row {
  week: string;
  severity: string;
  response_met: bigint;
  response_missed: bigint;
  resolution_met: bigint;
  resolution_missed: bigint;
  mtta: number | null;
  mttr: number | null;
}

/** Builds the weekly half of the figures. */
export function createWeekly(ctx: TicketContext): Pick<TicketService, 'weekly'> {
  const { db } = ctx.deps;
  const tz = ctx.deps.config.timeZone;
  return {
    async weekly(since) {
      // "createdAt" is a UTC timestamp without zone: made a UTC instant first, then local time.
      const rows = await db.$queryRaw<Row[]>`
        SELECT to_char(date_trunc('week', ("createdAt" AT TIME ZONE 'UTC') AT TIME ZONE ${tz}), 'YYYY-MM-DD') AS week,
          severity,
          ${SLA_FIGURES}
        FROM "Ticket"
        WHERE "createdAt" >= ${since}
        GROUP BY 1, 2
        ORDER BY 1`;
      return rows
        .filter((r) => (SEVERITIES as readonly string[]).includes(r.severity))
        .map((r) => ({
          weekStart: r.week,
          severity: r.severity as Severity,
          responseMet: Number(r.response_met),
          responseMissed: Number(r.response_missed),
          resolutionMet: Number(r.resolution_met),
          resolutionMissed: Number(r.resolution_missed),
          mttaSeconds: r.mtta,
          mttrSeconds: r.mttr,
        }));
    },
  };
}

/** Monday (YYYY-MM-DD) of the week `date` falls in, in time zone `tz`. */
export function weekStartOf(date: Date, tz: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', weekday: 'short' }).formatToParts(date);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  const local = new Date(Date.UTC(Number(get('year')), Number(get('month')) - 1, Number(get('day'))));
  const dow = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(get('weekday'));
  local.setUTCDate(local.getUTCDate() - Math.max(0, dow));
  return local.toISOString().slice(0, 10);
}

/** Every week start from the week of `since` to the week of `now`, oldest first. */
export function weeksBetween(since: Date, now: Date, tz: string): string[] {
  const out: string[] = [];
  const last = weekStartOf(now, tz);
  let d = new Date(`${weekStartOf(since, tz)}T00:00:00Z`);
  while (out.length < 60) {
    const w = d.toISOString().slice(0, 10);
    out.push(w);
    if (w >= last) break;
    d = new Date(d.getTime() + 7 * 86_400_000);
  }
  return out;
}
