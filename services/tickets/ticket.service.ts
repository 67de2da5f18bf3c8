/**
 * Tickets: intake, lifecycle, SLA timers, escalation, duplicates and figures.
 *
 * Postgres holds every ticket's state and deadlines; each change happens in one transaction
 * under a row lock, then timers are (re)planned and chat output leaves through the outbound
 * port: the triage card is edited in place (`ticket:<id>:card`), notices go in its thread, and
 * each watcher (the reporter, on whatever platform) hears about every step in their own thread.
 *
 * Read it in this order: ticket-types.ts (the contract), ticket-context.ts (`change` and what
 * the parts share), sla-plan.ts (plan columns and timer jobs), notices.ts (card and notices),
 * intake.ts (create), transitions.ts (the lifecycle), ticket-queries.ts (reads and figures), sla-weekly.ts (figures per week),
 * sla-timers.ts (the timer processor and the sweep). This file puts them together.
 */
import { createTicketContext } from './ticket-context.ts';
import { createIntake } from './intake.ts';
import { createTransitions } from './transitions.ts';
import { createQueries } from './ticket-queries.ts';
import { createSlaTimers } from './sla-timers.ts';
import { createWeekly } from './sla-weekly.ts';
import type { TicketService, TicketServiceDeps } from './ticket-types.ts';

export {
  TICKETS_SLA_QUEUE,
  TICKETS_SWEEP_QUEUE,
  slaJobSchema,
  sweepJobSchema,
  TicketError,
  type SlaJob,
  type Actor,
  type ReporterInfo,
  type CreateTicketInput,
  type CreateTicketResult,
  type ListFilter,
  type SlaStats,
  type WeeklySla,
  type TicketServiceDeps,
  type TicketService,
} from './ticket-types.ts';

/** Builds the tickets service from its parts over one shared context. */
export function createTicketService(deps: TicketServiceDeps): TicketService {
  const ctx = createTicketContext(deps);
  return {
    policy: ctx.policy,
    destination: ctx.notices.destination,
    ...createIntake(ctx),
    ...createTransitions(ctx),
    ...createQueries(ctx),
    ...createWeekly(ctx),
    ...createSlaTimers(ctx),
  };
}
