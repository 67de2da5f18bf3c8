/**
 * The tickets port of process steps, over the tickets service. A change made with a key
 * (a step execution's idempotency key) is made once: the key is registered with the ticket's
 * last event id before the change, and a call under a key already registered looks for the
 * change's own event after that id (same kind, same actor) before acting, so a step retried
 * after a worker died between the change and its record finds the change done.
 */
import type { Db } from '../../services/db.ts';
import type { Ticket } from '../../generated/prisma/client.ts';
import type { TicketPort, TicketView } from '../../services/processes/ports.ts';
import type { TicketService } from '../../services/tickets/ticket.service.ts';

const view = (t: Pick<Ticket, 'id' | 'title' | 'severity' | 'status' | 'assigneeName'>): TicketView => ({
  id: t.id,
  title: t.title,
  severity: t.severity,
  status: t.status,
  assignee: t.assigneeName,
});

const actor = (name: string) => ({ userId: null, name });

/** Builds the tickets port; `db` holds the keys of changes made. */
export function createTicketPort(service: TicketService, db: Db): TicketPort {
  /** Applies one change at most once per key; the ticket is returned either way. */
  async function once(key: string | undefined, ticketId: number, kind: string, by: string, apply: () => Promise<Ticket>): Promise<TicketView> {
    if (!key) return view(await apply());
    await db.$executeRaw`
      INSERT INTO "ProcessTicketOp" (key, "ticketId", kind, "afterEventId")
      SELECT ${key}, ${ticketId}, ${kind}, COALESCE(MAX(id), 0) FROM "TicketEvent" WHERE "ticketId" = ${ticketId}
      ON CONFLICT (key) DO NOTHING`;
    const changed = await db.$transaction(
      async (tx) => {
        // The key's row stays locked while the change is made: a second call with the same key waits, then sees it.
        const [op] = await tx.$queryRaw<{ afterEventId: bigint; eventId: bigint | null }[]>`SELECT "afterEventId", "eventId" FROM "ProcessTicketOp" WHERE key = ${key} FOR UPDATE`;
        if (!op || op.eventId !== null) return null;
        const find = () => db.ticketEvent.findFirst({ where: { ticketId, kind, actorName: by, id: { gt: op.afterEventId } }, orderBy: { id: 'asc' }, select: { id: true } });
        let event = await find();
        let after: Ticket | null = null;
        if (!event) {
          after = await apply();
          event = await find();
        }
        await tx.processTicketOp.update({ where: { key }, data: { eventId: event?.id ?? 0n } });
        return after;
      },
      { maxWait: 15_000, timeout: 30_000 },
    );
    if (changed) return view(changed);
    const t = await service.get(ticketId);
    if (!t) throw new Error(`ticket ${ticketId} does not exist`);
    return view(t);
  }

  return {
    async open(input) {
      const sev = input.severity && /^P[0-3]$/.test(input.severity) ? (input.severity as 'P0' | 'P1' | 'P2' | 'P3') : null;
      const r = await service.create({
        title: input.title,
        description: input.description,
        severity: sev,
        source: 'api',
        sourceKey: input.key,
        reporter: { name: input.reporter },
      });
      return view(r.ticket);
    },
    async get(id) {
      const t = await service.get(id);
      return t ? view(t) : null;
    },
    assign: (id, assignee, by, key) => once(key, id, 'assigned', by, () => service.assign(id, actor(by), actor(assignee))),
    comment: (id, text, by, key) => once(key, id, 'comment', by, () => service.comment(id, actor(by), text, 'api')),
    resolve: (id, note, by, key) => once(key, id, 'resolved', by, () => service.resolve(id, actor(by), note)),
  };
}
