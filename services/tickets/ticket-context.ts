/**
 * What the parts of the tickets service share: their dependencies, the SLA planner, the
 * notices, and `change`, the one way a ticket's state moves: the row locked, the change and
 * its event written in one transaction, then the timers re-planned and the card refreshed.
 */
import { DONE_STATUSES } from './ticket.render.ts';
import type { Prisma } from '../db.ts';
import type { Ticket } from '../../generated/prisma/client.ts';
import { createSlaPolicy } from './sla.service.ts';
import { createSlaPlanner } from './sla-plan.ts';
import { createNotices } from './notices.ts';
import { TicketError, type Actor, type TicketServiceDeps } from './ticket-types.ts';

type Tx = Prisma.TransactionClient;

/** What a state change computes from the locked row. */
export interface Change {
  data: Prisma.TicketUpdateInput;
  /** Event kind and text recorded with it. */
  kind: string;
  body?: string | undefined;
  eventData?: Record<string, unknown>;
  /** Clock fields changed: re-plan the timers. */
  replan?: boolean;
}

/** Where-clause of the tickets still open. */
export const OPEN_WHERE = { status: { notIn: [...DONE_STATUSES] } };

/** The shared helpers, bound to one set of dependencies. */
export type TicketContext = ReturnType<typeof createTicketContext>;

/** Builds the context the service's parts are made from. */
export function createTicketContext(deps: TicketServiceDeps) {
  const { db, clock } = deps;
  const policy = createSlaPolicy(deps.config);
  const plan = createSlaPlanner({ queues: deps.queues, clock, config: deps.config, policy, logger: deps.logger });
  const notices = createNotices({ db, clock, outbound: deps.outbound, config: deps.config, defaultLocale: deps.defaultLocale, plan });
  const { planColumns, schedule } = plan;
  const { postCard } = notices;

  async function lockRow(tx: Tx, id: number): Promise<Ticket> {
    await tx.$queryRaw`SELECT id FROM "Ticket" WHERE id = ${id} FOR UPDATE`;
    const t = await tx.ticket.findUnique({ where: { id } });
    if (!t) throw new TicketError('tickets.error.notFound', { id });
    return t;
  }

  /** Applies one change under a row lock, records its event, re-plans, refreshes the card. */
  async function change(id: number, actor: Actor, compute: (t: Ticket, now: Date) => Change): Promise<{ before: Ticket; after: Ticket; change: Change }> {
    const now = clock.now();
    const { before, after, ch } = await db.$transaction(async (tx) => {
      const before = await lockRow(tx, id);
      const ch = compute(before, now);
      let data = ch.data;
      if (ch.replan) {
        const merged = { ...before, ...(data as Partial<Ticket>) } as Ticket;
        data = { ...data, ...planColumns(merged, now) };
      }
      const after = await tx.ticket.update({ where: { id }, data });
      await tx.ticketEvent.create({
        data: {
          ticketId: id,
          kind: ch.kind,
          actorUserId: actor.userId,
          actorName: actor.name,
          body: ch.body ?? null,
          ...(ch.eventData ? { data: ch.eventData as object } : {}),
        },
      });
      return { before, after, ch };
    });
    if (ch.replan) await schedule(after, before);
    await postCard(after);
    return { before, after, change: ch };
  }

  const isDone = (t: Ticket) => DONE_STATUSES.includes(t.status);

  function requireOpen(t: Ticket): void {
    if (isDone(t)) throw new TicketError('tickets.error.done', { id: t.id, status: t.status });
  }

  return { deps, policy, plan, notices, change, isDone, requireOpen };
}
