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

/** Tickets evaluated at once by a sweep (each in its own short transaction). */
const SWEEP_PARALLEL = 8;

/** How overdue a check point must be before the sweep looks at its timer job (a timer firing right now is left alone). */
const SWEEP_MOMENT_MS = 1_000;

/** Builds the timer half of the service. */
export function createSlaTimers(ctx: TicketContext): Pick<TicketService, 'evaluate' | 'sweep'> {
  const { db, clock, logger, config } = ctx.deps;
  const { isDone } = ctx;
  const { stepDelays, storedPlan, nextCheck, schedule, timerPending } = ctx.plan;
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

  /**
   * Evaluates every open ticket whose check point is overdue and whose timer job is gone, and
   * those overdue by more than the grace (default `sweepGrace`) whatever their job, a few at a
   * time. With `reschedule`
   * (after Redis lost its data) it also queues again the timer of every ticket whose check
   * point is still ahead: those jobs were lost too, and would otherwise wait for a sweep.
   */
  async function sweep(opts: { graceMs?: number; reschedule?: boolean } = {}): Promise<number> {
    const nowMs = clock.now().getTime();
    const graceMs = opts.graceMs ?? durationMs(config.sweepGrace);
    const late = new Date(nowMs - graceMs);
    // Overdue by a moment: a check point whose timer job is gone (its add failed while Redis
    // was away, or Redis lost it) is evaluated now; one whose job is still on its way gets
    // the grace first.
    const due = await db.ticket.findMany({
      where: { ...OPEN_WHERE, nextSlaCheckAt: { lte: new Date(nowMs - Math.min(graceMs, SWEEP_MOMENT_MS)) } },
      select: { id: true, slaVersion: true, responseStage: true, resolutionStage: true, nextSlaCheckAt: true },
      orderBy: { nextSlaCheckAt: 'asc' },
      take: 500,
    });
    let n = 0;
    const next = [...due];
    const one = async (): Promise<void> => {
      for (let t = next.shift(); t; t = next.shift()) {
        try {
          if (t.nextSlaCheckAt! > late && (await timerPending(t))) continue;
          if ((await evaluate(t.id)) > 0) n++;
        } catch (err) {
          logger.error({ err, ticketId: t.id }, 'sla sweep failed for a ticket');
        }
      }
    };
    await Promise.all(Array.from({ length: SWEEP_PARALLEL }, one));
    if (opts.reschedule) await rescheduleAhead(late);
    return n;
  }

  /** Queues the timers of open tickets whose check point is after `from` (idempotent by job id). */
  async function rescheduleAhead(from: Date): Promise<void> {
    let cursor = 0;
    for (;;) {
      const batch = await db.ticket.findMany({
        where: { ...OPEN_WHERE, nextSlaCheckAt: { gt: from }, id: { gt: cursor } },
        orderBy: { id: 'asc' },
        take: 1000,
      });
      if (batch.length === 0) return;
      await Promise.all(batch.map((t) => schedule(t, null)));
      cursor = batch[batch.length - 1]!.id;
    }
  }

  return { evaluate, sweep };
}
