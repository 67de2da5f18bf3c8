/**
 * SLA planning glue between a ticket row and the pure clock maths of sla.service.ts: the
 * escalation steps and delays of a severity, the plan columns written with a change, the next
 * check point the sweep looks at, and the BullMQ delayed jobs that wake the timer processor.
 *
 * A ticket has one timer job at a time, due at its next check point, carrying only the ticket
 * id, with id `sla-<id>-v<version>-<responseStage>-<resolutionStage>`; a re-plan bumps the
 * version and removes the old job, and a stale job that fires anyway finds nothing to do.
 */
import type { Prisma } from '../db.ts';
import type { Ticket } from '../../generated/prisma/client.ts';
import type { Queues } from '../queues.ts';
import type { Clock } from '../clock.ts';
import type { Logger } from '../logger.ts';
import { durationMs, isSeverity, type EscalationStep, type TicketsConfig } from './tickets.config.ts';
import { stageAt, stageTimes, type ClockPlan, type SlaClock, type SlaClockState, type SlaPolicy } from './sla.service.ts';
import { DONE_STATUSES } from './ticket.render.ts';
import { TICKETS_SLA_QUEUE, type SlaJob } from './ticket-types.ts';

/** What the planner needs. */
export interface SlaPlanDeps {
  queues: Queues;
  clock: Clock;
  config: TicketsConfig;
  policy: SlaPolicy;
  logger: Pick<Logger, 'warn'>;
}

/** The planner, bound to one configuration. */
export type SlaPlanner = ReturnType<typeof createSlaPlanner>;

/** The columns a plan is computed from. */
export type PlanInput = Pick<Ticket, 'severity' | 'slaAnchorAt' | 'responseUsedMs' | 'resolutionUsedMs' | 'acknowledgedAt' | 'status' | 'responseStage' | 'resolutionStage' | 'slaVersion'>;

/** Builds the SLA planner of the tickets service. */
export function createSlaPlanner(deps: SlaPlanDeps) {
  const { queues, clock, config, policy, logger } = deps;

  function stepsFor(severity: string): EscalationStep[] {
    return isSeverity(severity) ? (config.escalation[severity] ?? []) : [];
  }

  function stepDelays(severity: string): number[] {
    const steps = stepsFor(severity);
    return steps.length ? steps.map((s) => durationMs(s.after)) : [0];
  }

  function clockState(t: Pick<Ticket, 'severity' | 'slaAnchorAt' | 'responseUsedMs' | 'resolutionUsedMs' | 'acknowledgedAt' | 'status'>): SlaClockState {
    return {
      severity: isSeverity(t.severity) ? t.severity : 'P2',
      anchorAt: t.slaAnchorAt,
      responseUsedMs: t.responseUsedMs,
      resolutionUsedMs: t.resolutionUsedMs,
      acknowledged: Boolean(t.acknowledgedAt),
      done: DONE_STATUSES.includes(t.status),
    };
  }

  function storedPlan(t: Ticket, clk: SlaClock): ClockPlan | null {
    const at = clk === 'response' ? t.responseAtRiskAt : t.resolutionAtRiskAt;
    const due = clk === 'response' ? t.responseDueAt : t.resolutionDueAt;
    if (!at || !due || DONE_STATUSES.includes(t.status) || !t.slaAnchorAt) return null;
    if (clk === 'response' && t.acknowledgedAt) return null;
    return { windowMs: 0, atRiskAt: at, dueAt: due };
  }

  function nextCheck(plans: Record<SlaClock, ClockPlan | null>, stages: Record<SlaClock, number>, severity: string): Date | null {
    let next: number | null = null;
    for (const clk of ['response', 'resolution'] as const) {
      const p = plans[clk];
      if (!p) continue;
      const times = stageTimes(p, stepDelays(severity));
      const at = times[stages[clk]];
      if (at && (next === null || at.getTime() < next)) next = at.getTime();
    }
    return next === null ? null : new Date(next);
  }

  /** Plan columns for a row whose clock fields are `merged`; stages never move forward here. */
  function planColumns(merged: PlanInput, now: Date): Prisma.TicketUpdateInput {
    const plan = policy.plan(clockState(merged));
    const delays = stepDelays(merged.severity);
    const stage = (clk: SlaClock, old: number) => {
      const p = plan[clk];
      return p ? Math.min(old, stageAt(p, delays, now)) : old;
    };
    const stages = { response: stage('response', merged.responseStage), resolution: stage('resolution', merged.resolutionStage) };
    return {
      responseAtRiskAt: plan.response?.atRiskAt ?? null,
      responseDueAt: plan.response?.dueAt ?? null,
      resolutionAtRiskAt: plan.resolution?.atRiskAt ?? null,
      resolutionDueAt: plan.resolution?.dueAt ?? null,
      responseStage: stages.response,
      resolutionStage: stages.resolution,
      slaVersion: merged.slaVersion + 1,
      nextSlaCheckAt: nextCheck(plan, stages, merged.severity),
    };
  }

  /**
   * One delayed job per ticket, for its next check point: the id names the plan version and the
   * stages reached, so the job of a fired stage and the job of the next one never share an id.
   */
  function jobId(t: Pick<Ticket, 'id' | 'slaVersion' | 'responseStage' | 'resolutionStage'>): string {
    return `sla-${t.id}-v${t.slaVersion}-${t.responseStage}-${t.resolutionStage}`;
  }

  /**
   * Replaces the ticket's timer with one for its current plan: a single delayed job at the
   * next check point (`nextSlaCheckAt`). When it fires, the timer processor fires what is due
   * and schedules the next one, so a ticket holds at most one job however many stages its
   * plan has. A job of an older plan that is not removed in time finds nothing due and ends.
   * It never throws: it runs after the change is committed, and a timer Redis could not take
   * (down, failing over) is the sweep's to catch, from the row's `nextSlaCheckAt`.
   */
  async function schedule(t: Ticket, previous: Pick<Ticket, 'id' | 'slaVersion' | 'responseStage' | 'resolutionStage'> | null): Promise<void> {
    const ops: Promise<unknown>[] = [];
    if (previous) ops.push(queues.queue(TICKETS_SLA_QUEUE).remove(jobId(previous)).catch(() => 0));
    if (t.nextSlaCheckAt) {
      const delay = Math.max(0, t.nextSlaCheckAt.getTime() - clock.now().getTime());
      // Adds from concurrent intakes leave together in one addBulk; adds are idempotent by id.
      ops.push(queues.addBatched<SlaJob>(TICKETS_SLA_QUEUE, { ticketId: t.id }, { jobId: jobId(t), delay, removeOnComplete: true, removeOnFail: { count: 1000 } }));
    }
    await Promise.all(ops).catch((err: unknown) =>
      logger.warn({ err: err instanceof Error ? err.message : String(err), ticketId: t.id }, 'SLA timer not queued; the sweep will catch the ticket'),
    );
  }

  /** Whether the ticket's current timer job is still on its way (delayed, waiting or running). */
  async function timerPending(t: Pick<Ticket, 'id' | 'slaVersion' | 'responseStage' | 'resolutionStage'>): Promise<boolean> {
    const state = await queues.queue(TICKETS_SLA_QUEUE).getJobState(jobId(t));
    return state === 'delayed' || state === 'waiting' || state === 'active' || state === 'prioritized';
  }

  return { stepsFor, stepDelays, clockState, storedPlan, nextCheck, planColumns, schedule, timerPending };
}
