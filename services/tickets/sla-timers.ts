/**
 * The SLA timers: `evaluate` fires whatever stage of one ticket is due (at risk, breached,
 * escalation step), claiming it in the row before its notice is sent, so a stale or duplicate
 * job, the periodic sweep and a restarted worker can all run without anything sent twice;
 * `sweep` evaluates every ticket whose check point is overdue (a lost or late timer job).
 */
import type { Prisma } from '../db.ts';
import { durationMs } from './tickets.config.ts';
import { stageAt, type SlaClock } from './sla.service.ts';
import type { TicketService } from './ticket-types.ts';
import { OPEN_WHERE, type TicketContext } from './ticket-context.ts';

/** Builds the timer half of the service. */
export function createSlaTimers(ctx: TicketContext): Pick<TicketService, 'evaluate' | 'sweep'> {
  const { db, clock, logger, config } = ctx.deps;
  const { isDone } = ctx;
  const { stepDelays, storedPlan, nextCheck, schedule } = ctx.plan;
  const { sendNotices, postCard } = ctx.notices;

  async function evaluate(id: number): Promise<number> {
    const now = clock.now();
    const fired = await db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM "Ticket" WHERE id = ${id} FOR UPDATE`;
      const t = await tx.ticket.findUnique({ where: { id } });
      if (!t || isDone(t) || !t.slaAnchorAt) {
        if (t?.nextSlaCheckAt) await tx.ticket.update({ where: { id }, data: { nextSlaCheckAt: null } });
        return null;
      }
      const delays = stepDelays(t.severity);
      const plans = { response: storedPlan(t, 'response'), resolution: storedPlan(t, 'resolution') };
      const stages = { response: t.responseStage, resolution: t.resolutionStage };
      const out: { clock: SlaClock; from: number; to: number; dueAt: Date }[] = [];
      for (const clk of ['response', 'resolution'] as const) {
        const p = plans[clk];
        if (!p) continue;
        const target = stageAt(p, delays, now);
        if (target > stages[clk]) {
          out.push({ clock: clk, from: stages[clk], to: target, dueAt: p.dueAt });
          stages[clk] = target;
        }
      }
      const data: Prisma.TicketUpdateInput = {
        responseStage: stages.response,
        resolutionStage: stages.resolution,
        nextSlaCheckAt: nextCheck(plans, stages, t.severity),
      };
      for (const f of out) {
        if (f.to >= 2 && f.from < 2) data[f.clock === 'response' ? 'responseBreachedAt' : 'resolutionBreachedAt'] = now;
      }
      const updated = await tx.ticket.update({ where: { id }, data });
      for (const f of out) {
        for (let s = f.from + 1; s <= f.to; s++) {
          if (s === 1 && f.to >= 2) continue;
          await tx.ticketEvent.create({
            data: { ticketId: id, kind: s === 1 ? 'at_risk' : s === 2 ? 'breached' : 'escalated', body: f.clock, data: { clock: f.clock, stage: s, version: t.slaVersion } },
          });
        }
      }
      return { ticket: updated, fired: out };
    });
    if (!fired || fired.fired.length === 0) return 0;
    const t = fired.ticket;
    for (const f of fired.fired) await sendNotices(t, f.clock, f.from, f.to, f.dueAt, { thread: true });
    await postCard(t);
    await schedule(t, null);
    return fired.fired.length;
  }

  async function sweep(): Promise<number> {
    const late = new Date(clock.now().getTime() - durationMs(config.sweepGrace));
    const due = await db.ticket.findMany({
      where: { ...OPEN_WHERE, nextSlaCheckAt: { lte: late } },
      select: { id: true },
      orderBy: { nextSlaCheckAt: 'asc' },
      take: 500,
    });
    let n = 0;
    for (const { id } of due) {
      try {
        if ((await evaluate(id)) > 0) n++;
      } catch (err) {
        logger.error({ err, ticketId: id }, 'sla sweep failed for a ticket');
      }
    }
    return n;
  }

  return { evaluate, sweep };
}
