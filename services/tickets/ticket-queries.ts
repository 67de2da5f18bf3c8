/**
 * Reads: one ticket, its history, the list views (open, mine, at risk, breached, all), the
 * ticket a chat thread hangs under, and the SLA figures per severity.
 */
import type { Prisma } from '../db.ts';
import type { Severity } from './tickets.config.ts';
import { TICKET_ROW_COLUMNS, type ListFilter, type TicketService } from './ticket-types.ts';
import { OPEN_WHERE, type TicketContext } from './ticket-context.ts';
import { SLA_FIGURES } from './sla-weekly.ts';

const LIST_ORDER: Prisma.TicketOrderByWithRelationInput[] = [{ severity: 'asc' }, { id: 'asc' }];

/** The list views' condition and bounded limit. */
function listWhere(filter: ListFilter, now: Date): { where: Prisma.TicketWhereInput; limit: number } {
  const limit = Math.min(Math.max(filter.limit ?? 20, 1), 200);
  const where: Prisma.TicketWhereInput = {};
  const view = filter.view ?? 'open';
  if (view !== 'all') Object.assign(where, OPEN_WHERE);
  if (filter.severity) where.severity = filter.severity;
  if (filter.status) where.status = filter.status;
  if (view === 'mine' && filter.userId) where.OR = [{ reporterUserId: filter.userId }, { assigneeUserId: filter.userId }];
  if (view === 'at_risk') {
    where.OR = [
      { acknowledgedAt: null, responseAtRiskAt: { lte: now }, responseDueAt: { gt: now } },
      { resolutionAtRiskAt: { lte: now }, resolutionDueAt: { gt: now } },
    ];
  }
  if (view === 'breached') {
    where.OR = [
      { acknowledgedAt: null, responseDueAt: { lte: now } },
      { resolutionDueAt: { lte: now } },
      { responseBreachedAt: { not: null } },
      { resolutionBreachedAt: { not: null } },
    ];
  }
  return { where, limit };
}

/** Builds the read half of the service. */
export function createQueries(ctx: TicketContext): Pick<TicketService, 'get' | 'events' | 'list' | 'listRows' | 'ticketForThread' | 'stats'> {
  const { db, clock } = ctx.deps;

  return {
    async get(id) {
      return db.ticket.findUnique({ where: { id } });
    },

    async events(id) {
      return db.ticketEvent.findMany({ where: { ticketId: id }, orderBy: { id: 'asc' }, select: { kind: true, actorName: true, body: true, createdAt: true } });
    },

    async list(filter) {
      const { where, limit } = listWhere(filter, clock.now());
      return db.ticket.findMany({ where, orderBy: LIST_ORDER, take: limit });
    },

    async listRows(filter) {
      const { where, limit } = listWhere(filter, clock.now());
      return db.ticket.findMany({ where, orderBy: LIST_ORDER, take: limit, select: TICKET_ROW_COLUMNS });
    },

    async ticketForThread(ref, replyTo) {
      // A thread id names the message it hangs under; some platforms add a topic before a '/'.
      const ids = [...new Set([ref.threadId ?? '', ref.threadId?.split('/').pop() ?? '', replyTo ?? ''])].filter(Boolean);
      if (ids.length === 0) return null;
      const link = await db.messageLink.findFirst({
        where: { platform: ref.platform, chatId: ref.chatId, platformMessageId: { in: ids }, messageKey: { startsWith: 'ticket:' } },
      });
      const m = link ? /^ticket:(\d+):(card|reporter)$/.exec(link.messageKey) : null;
      if (!m) return null;
      const ticket = await db.ticket.findUnique({ where: { id: Number(m[1]) } });
      return ticket ? { ticket, side: m[2] === 'card' ? 'support' : 'reporter' } : null;
    },

    async stats(since) {
      const now = clock.now();
      const rows = await db.$queryRaw<
        {
          severity: string;
          total: bigint;
          open: bigint;
          at_risk: bigint;
          breached_open: bigint;
          response_met: bigint;
          response_missed: bigint;
          resolution_met: bigint;
          resolution_missed: bigint;
          mtta: number | null;
          mttr: number | null;
        }[]
      >`
        SELECT severity,
          count(*) AS total,
          count(*) FILTER (WHERE status NOT IN ('resolved','closed')) AS open,
          count(*) FILTER (WHERE status NOT IN ('resolved','closed') AND (
            ("acknowledgedAt" IS NULL AND "responseAtRiskAt" <= ${now} AND "responseDueAt" > ${now})
            OR ("resolutionAtRiskAt" <= ${now} AND "resolutionDueAt" > ${now}))) AS at_risk,
          count(*) FILTER (WHERE status NOT IN ('resolved','closed') AND ("responseBreachedAt" IS NOT NULL OR "resolutionBreachedAt" IS NOT NULL)) AS breached_open,
          ${SLA_FIGURES}
        FROM "Ticket"
        WHERE "createdAt" >= ${since}
        GROUP BY severity`;
      const bySev = new Map(rows.map((r) => [r.severity, r]));
      return (['P0', 'P1', 'P2', 'P3'] as Severity[]).map((severity) => {
        const r = bySev.get(severity);
        const n = (v: bigint | undefined) => Number(v ?? 0n);
        const responseMet = n(r?.response_met);
        const responseMissed = n(r?.response_missed);
        const resolutionMet = n(r?.resolution_met);
        const resolutionMissed = n(r?.resolution_missed);
        return {
          severity,
          total: n(r?.total),
          open: n(r?.open),
          atRisk: n(r?.at_risk),
          breachedOpen: n(r?.breached_open),
          responseMet,
          responseMissed,
          resolutionMet,
          resolutionMissed,
          responseCompliance: responseMet + responseMissed ? responseMet / (responseMet + responseMissed) : null,
          resolutionCompliance: resolutionMet + resolutionMissed ? resolutionMet / (resolutionMet + resolutionMissed) : null,
          mttaSeconds: r?.mtta ?? null,
          mttrSeconds: r?.mttr ?? null,
        };
      });
    },
  };
}
