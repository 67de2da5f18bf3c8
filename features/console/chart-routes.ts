/**
 * The charts page, GET /console/charts?weeks=4|8|12|26 (default 8): SLA compliance per
 * severity and week from the tickets service's weekly figures (the ones the `sla` chart
 * draws), and tickets opened and closed per week (weeks from Monday in the tickets' time
 * zone, as there). Anyone signed in may look.
 */
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../services/db.ts';
import type { Clock } from '../../services/clock.ts';
import type { TicketService } from '../../services/tickets/ticket.service.ts';
import { weeksBetween } from '../../services/tickets/sla-weekly.ts';
import { send, type Access, type PageCtxOf } from './access.ts';
import { chartsPage, SPANS, type WeekFlow } from './charts-view.ts';

export interface ChartPagesDeps {
  db: Db;
  clock: Clock;
  tickets: TicketService;
  timeZone: string;
  access: Access;
  pageCtx: PageCtxOf;
}

const query = {
  type: 'object',
  additionalProperties: false,
  properties: { lang: { type: 'string', enum: ['en', 'ru'] }, weeks: { type: 'string', enum: [...SPANS] } },
} as const;

/** Builds the charts page plugin. */
export function chartPages(deps: ChartPagesDeps) {
  const { db, access, pageCtx } = deps;
  const tz = deps.timeZone;

  /** Tickets opened (created) and closed (resolved, else closed) per week since `since`. */
  async function flow(since: Date): Promise<WeekFlow[]> {
    const rows = await db.$queryRaw<{ week: string; opened: bigint; closed: bigint }[]>`
      WITH ev AS (
        SELECT "createdAt" AS at, 1 AS opened, 0 AS closed FROM "Ticket" WHERE "createdAt" >= ${since}
        UNION ALL
        SELECT coalesce("resolvedAt", "closedAt"), 0, 1 FROM "Ticket" WHERE coalesce("resolvedAt", "closedAt") >= ${since}
      )
      SELECT to_char(date_trunc('week', (at AT TIME ZONE 'UTC') AT TIME ZONE ${tz}), 'YYYY-MM-DD') AS week, sum(opened)::bigint AS opened, sum(closed)::bigint AS closed
      FROM ev GROUP BY 1 ORDER BY 1`;
    return rows.map((r) => ({ week: r.week, opened: Number(r.opened), closed: Number(r.closed) }));
  }

  return async function routes(app: FastifyInstance): Promise<void> {
    app.get('/charts', { schema: { querystring: query } }, async (req, reply) => {
      const user = await access.signedIn(req, reply);
      if (!user) return reply;
      const span = Number((req.query as { weeks?: string }).weeks ?? '8');
      const now = deps.clock.now();
      // From the Monday `span - 1` weeks before this one: `span` whole weeks, this one included.
      const since = new Date(`${weeksBetween(new Date(now.getTime() - (span - 1) * 7 * 86_400_000), now, tz)[0]}T00:00:00Z`);
      const weeks = weeksBetween(since, now, tz);
      const [sla, opened] = await Promise.all([deps.tickets.weekly(since), flow(since)]);
      return send(reply, 200, chartsPage(pageCtx(req, reply, user), { weeks, sla, flow: opened, span, timeZone: tz }));
    });
  };
}
