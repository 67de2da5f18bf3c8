/**
 * The open tickets list, a page at a time: one statement reads the page's rows (most severe
 * first, then oldest), how many open tickets match the filters, and the names the assignee
 * filter offers (every open ticket's assignee, not only the page's). The filters are in the
 * statement, so every page holds matching tickets.
 */
import { Prisma } from '../../generated/prisma/client.ts';
import type { Db } from '../../services/db.ts';
import type { TicketRow } from '../../services/tickets/ticket-types.ts';
import { OPEN_STATES, UNASSIGNED, type ListFilters } from './tickets-view.ts';

/** Rows on one page of the list. */
export const PAGE_SIZE = 50;

/** One page of the list. */
export interface TicketListPage {
  rows: TicketRow[];
  /** Open tickets matching the filters, on every page. */
  total: number;
  /** The 1-based page number. */
  page: number;
  /** Every open ticket's assignee name, sorted. */
  assignees: string[];
}

/** A row as JSON carries it: times as text (timestamp without zone, as stored: UTC). */
type JsonRow = { [K in keyof TicketRow]: TicketRow[K] extends Date | null ? string | null : TicketRow[K] };
const TIMES = ['acknowledgedAt', 'responseAtRiskAt', 'responseDueAt', 'resolutionAtRiskAt', 'resolutionDueAt', 'responseBreachedAt', 'resolutionBreachedAt'] as const;

function conditions(f: ListFilters): Prisma.Sql {
  const parts = [Prisma.sql`status = ANY(${[...OPEN_STATES]}::text[])`];
  if (f.severity) parts.push(Prisma.sql`severity = ${f.severity}`);
  if (f.state) parts.push(Prisma.sql`status = ${f.state}`);
  if (f.assignee) parts.push(f.assignee === UNASSIGNED ? Prisma.sql`"assigneeName" IS NULL` : Prisma.sql`"assigneeName" = ${f.assignee}`);
  return Prisma.join(parts, ' AND ');
}

function toRow(r: JsonRow): TicketRow {
  const row = { ...r } as unknown as TicketRow;
  for (const k of TIMES) row[k] = r[k] === null ? null : new Date(`${r[k]}Z`);
  return row;
}

/** Page `page` of the open tickets matching `f` (a page past the last one has no rows). */
export async function openTicketsPage(db: Db, f: ListFilters, page: number): Promise<TicketListPage> {
  const [r] = await db.$queryRaw<{ rows: JsonRow[]; total: number; assignees: string[] | null }[]>`
    WITH m AS (
      SELECT id, title, severity, status, "assigneeName", "acknowledgedAt", "responseAtRiskAt", "responseDueAt",
        "resolutionAtRiskAt", "resolutionDueAt", "responseBreachedAt", "resolutionBreachedAt"
      FROM "Ticket" WHERE ${conditions(f)}
    ), p AS (SELECT * FROM m ORDER BY severity, id LIMIT ${PAGE_SIZE} OFFSET ${(page - 1) * PAGE_SIZE})
    SELECT (SELECT coalesce(json_agg(p ORDER BY p.severity, p.id), '[]'::json) FROM p) AS rows,
      (SELECT count(*)::int FROM m) AS total,
      (SELECT array_agg(DISTINCT "assigneeName" ORDER BY "assigneeName") FROM "Ticket"
        WHERE status = ANY(${[...OPEN_STATES]}::text[]) AND "assigneeName" IS NOT NULL) AS assignees`;
  return { rows: r!.rows.map(toRow), total: r!.total, page, assignees: r!.assignees ?? [] };
}
