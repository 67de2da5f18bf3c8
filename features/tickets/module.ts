/**
 * The tickets feature: people report problems in chat (or through the REST API), support
 * handles them from a triage card, and SLA timers warn, breach and escalate.
 *
 * This file is the wiring only. Read on in this order:
 * - parse.ts       what people type after `ticket`, `tickets`, `sla`
 * - context.ts     what the parts share; `createFromChat`, the one way chat opens a ticket
 * - operations.ts  ack, assign, resolve, close... on an existing ticket (commands and buttons)
 * - commands.ts    the command specs
 * - actions.ts     the buttons (card, proposal, guided exchange, modal, message shortcut)
 * - proposal.ts    free text that reads like a problem report, and the guided exchange
 * - middleware.ts  thread replies that become comments; answers to the guided exchange
 * - sla-views.ts   what `sla` answers: the figures and the chart per week
 * - sla-report.ts  the weekly SLA report on a schedule
 * - routes.ts      the REST API (with A2D2_API_TOKEN)
 * The domain (intake, lifecycle, SLA planning, timers, figures) is services/tickets/.
 */
import type { FeatureModule } from '../../core/module.ts';
import type { IntentRule } from '../../core/registry.ts';
import type { Services } from '../services.ts';
import type { Job } from '../../services/queues.ts';
import { durationMs } from '../../services/tickets/tickets.config.ts';
import { slaJobSchema, sweepJobSchema, TICKETS_SLA_QUEUE, TICKETS_SWEEP_QUEUE, type SlaJob } from '../../services/tickets/ticket.service.ts';
import { PROBLEM_REPORT_PATTERNS } from '../../services/tickets/triage.ts';
import { registerTicketMetrics } from '../../services/tickets/ticket.metrics.ts';
import { createTicketsContext } from './context.ts';
import { createOperations } from './operations.ts';
import { createProposals } from './proposal.ts';
import { ticketCommands } from './commands.ts';
import { ticketActions } from './actions.ts';
import { ticketMiddleware } from './middleware.ts';
import { ticketRoutes } from './routes.ts';
import { createSlaViews } from './sla-views.ts';
import { createSlaReport } from './sla-report.ts';
import { createPngRenderer } from '../../services/charts/png-renderer.ts';

/** Builds the tickets feature module. */
export function createTicketsModule(deps: Services): FeatureModule {
  const tc = createTicketsContext(deps);
  const { service } = tc;
  const runOp = createOperations(tc);
  const proposals = createProposals(tc);
  registerTicketMetrics(deps.metrics.registry, service, deps.clock);
  const png = createPngRenderer({ logger: deps.logger.child({ component: 'charts' }) });
  const slaViews = createSlaViews({ service, png, logger: deps.logger, now: () => deps.clock.now(), timeZone: tc.cfg.timeZone });
  const slaReport = createSlaReport(deps, slaViews);

  /** Fires the due SLA stage of one ticket (at risk, breached, escalation step); idempotent. */
  const fireSlaTimer = async (job: Job<SlaJob>) => service.evaluate(job.data.ticketId);
  /** Catches any SLA stage a lost or late timer job missed. */
  const sweepSlaTimers = async (job: { data: { graceMs?: number | undefined; reschedule?: boolean | undefined } }) =>
    service.sweep({ ...(job.data.graceMs !== undefined ? { graceMs: job.data.graceMs } : {}), reschedule: job.data.reschedule === true });

  // Free text that reads like a problem report gets a proposal, never a ticket straight away.
  const intents: IntentRule[] = [{ commandId: 'ticket.propose', patterns: PROBLEM_REPORT_PATTERNS, toArgs: (text) => ({ text }), weight: 0.6 }];
  const token = deps.config.env.A2D2_API_TOKEN;

  return {
    name: 'tickets',
    commands: ticketCommands(tc, runOp, proposals, slaViews),
    actions: ticketActions(tc, runOp, proposals),
    intents,
    middleware: [ticketMiddleware(tc, proposals, deps.registry)],
    queues: [
      {
        name: TICKETS_SLA_QUEUE,
        schema: slaJobSchema,
        concurrency: 10,
        defaultJobOptions: { attempts: 5, backoff: { type: 'exponential', delay: 500 } },
        // A timer is a short job: the one a killed worker held runs elsewhere within seconds
        // (running it twice is harmless, each stage is claimed in the row).
        workerOptions: { lockDuration: 5_000, stalledInterval: 2_500, maxStalledCount: 3 },
        processor: fireSlaTimer,
      },
      {
        name: TICKETS_SWEEP_QUEUE,
        schema: sweepJobSchema,
        concurrency: 1,
        defaultJobOptions: { attempts: 1, removeOnComplete: true, removeOnFail: { count: 100 } },
        processor: sweepSlaTimers,
      },
      slaReport.queue,
    ],
    routes: token ? ticketRoutes({ service, token, audit: deps.audit }) : undefined,
    async start(role) {
      if (role === 'http') return;
      // Kept, not only registered: a Redis that lost the schedule would end escalation silently.
      // After a Redis loss the timers are gone: sweep at once without grace and queue the timers ahead again.
      await deps.schedules.keep({
        queue: TICKETS_SWEEP_QUEUE,
        id: 'tickets-sla-sweep',
        repeat: { every: durationMs(tc.cfg.sweepEvery) },
        job: { name: 'sweep', data: {} },
        afterLoss: [
          { delayMs: 0, data: { graceMs: 0, reschedule: true } },
          { delayMs: 3_000, data: { graceMs: 0 } },
        ],
      });
      await slaReport.schedule();
    },
  };
}
