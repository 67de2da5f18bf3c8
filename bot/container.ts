/**
 * Builds the service container once: every domain service is made here and nowhere else, so
 * features share one instance of each (one tickets service for chat, alerts, processes and
 * the Slack modal; one model client for the assistant, the intent engine and processes).
 */
import { join } from 'node:path';
import type { CoreDeps } from '../core/module.ts';
import type { Services } from '../features/services.ts';
import { createTicketService } from '../services/tickets/ticket.service.ts';
import { createAlertService } from '../services/alerts/alert.service.ts';
import { createDeployService } from '../services/alerts/deploy.service.ts';
import { createHealthCheckService } from '../services/alerts/health-check.service.ts';
import { createDocumentService, DOC_ANALYZE_QUEUE, DOC_INTAKE_QUEUE } from '../services/documents/document.service.ts';
import { createLocalStorage } from '../services/documents/storage.ts';
import { createLlmService, type LlmService } from '../agents/llm.service.ts';

export interface ContainerOptions {
  /** Replaces the model client (tests). */
  llm?: LlmService;
}

/** Builds every domain service on top of the core's infrastructure. */
export function createServices(core: CoreDeps, opts: ContainerOptions = {}): Services {
  const { config, db, queues, outbound, clock, logger } = core;
  const file = config.file;
  const tickets = createTicketService({
    db,
    queues,
    outbound,
    clock,
    logger: logger.child({ component: 'tickets' }),
    config: file.tickets,
    defaultLocale: file.defaultLocale,
  });
  const alerts = createAlertService({
    db,
    queues,
    outbound,
    clock,
    logger: logger.child({ module: 'alerts' }),
    config: file.alerts,
    locale: file.alerts.locale ?? file.defaultLocale,
    redis: queues.producer,
    ticketsAvailable: true,
  });
  const deploys = createDeployService({ db, queues, clock });
  const healthChecks = createHealthCheckService({ db, queues, clock, logger, checks: file.alerts.healthChecks, alerts });
  const documents = createDocumentService({
    db,
    logger: logger.child({ component: 'documents' }),
    clock,
    outbound,
    storage: createLocalStorage(join(config.env.A2D2_DATA_DIR, 'documents')),
    config: file.documents,
    fetcher: (platform) => core.fileFetcher(platform),
    ticketsAvailable: () => Boolean(core.registry.command('ticket.create')),
    async enqueueIntake(intakeId) {
      await queues.add(DOC_INTAKE_QUEUE, { intakeId }, { jobId: `doc-intake-${intakeId}` });
    },
    async enqueueAnalysis(versionId, suffix) {
      await queues.add(DOC_ANALYZE_QUEUE, { versionId }, { jobId: `doc-analyze-${versionId}${suffix ? `-${suffix}` : ''}` });
    },
  });
  const llm =
    opts.llm ??
    createLlmService({ config, db, logger: logger.child({ module: 'llm' }), clock, redis: queues.producer, prefix: queues.prefix });
  return { ...core, tickets, alerts, deploys, healthChecks, documents, llm };
}
