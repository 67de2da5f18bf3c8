/**
 * The service container, built once per process by `createApp`: first the infrastructure
 * (logger, metrics, database, queues, outbound port, registry, users, audit), then every
 * domain service on top of it. Each service is made here and nowhere else, so features share
 * one instance of each (one tickets service for chat, alerts, processes and the Slack modal;
 * one model client for the assistant, the intent engine and processes).
 */
import { join } from 'node:path';
import type { AppConfig } from '../services/config.ts';
import { redisTarget, secretValues } from '../services/config.ts';
import { createLogger, type Logger } from '../services/logger.ts';
import { createMetrics, type Metrics } from '../services/metrics.ts';
import { createDb, type Db } from '../services/db.ts';
import { Queues } from '../services/queues.ts';
import { createOutbound, type DirectDelivery, type OutboundPort } from '../services/messaging/outbound.service.ts';
import type { Platform } from '../services/messaging/types.ts';
import { systemClock, type Clock } from '../services/clock.ts';
import { createUsersService, type UsersService } from '../services/users/users.service.ts';
import { createAuditService, type AuditService } from '../services/audit/audit.service.ts';
import { CommandRegistry } from '../core/registry.ts';
import { createScheduleKeeper, type ScheduleKeeper } from '../services/schedules.ts';
import type { CoreDeps } from '../core/module.ts';
import type { HealthProbe } from '../features/basics/module.ts';
import type { Services } from '../features/services.ts';
import { createTicketService } from '../services/tickets/ticket.service.ts';
import { createAlertService } from '../services/alerts/alert.service.ts';
import { createDeployService } from '../services/alerts/deploy.service.ts';
import { createHealthCheckService } from '../services/alerts/health-check.service.ts';
import { documentFieldModel } from '../agents/document-fields.ts';
import { createDocumentService, DOC_ANALYZE_QUEUE, DOC_INTAKE_QUEUE } from '../services/documents/document.service.ts';
import { createLocalStorage } from '../services/documents/storage.ts';
import { createLlmService, type LlmService } from '../agents/llm.service.ts';

/** What the infrastructure is built from; tests replace the logger, clock or metrics. */
export interface InfrastructureOptions {
  config: AppConfig;
  logger?: Logger;
  clock?: Clock;
  metrics?: Metrics;
  /** In-process delivery per platform (the terminal). */
  direct?: Partial<Record<Platform, DirectDelivery>>;
}

/** The shared infrastructure of one process. */
export interface Infrastructure {
  config: AppConfig;
  logger: Logger;
  metrics: Metrics;
  clock: Clock;
  db: Db;
  queues: Queues;
  outbound: OutboundPort;
  registry: CommandRegistry;
  users: UsersService;
  audit: AuditService;
  schedules: ScheduleKeeper;
  /** Database and Redis reachability, for /readyz and `status`. */
  health: HealthProbe;
}

/** Resolves to true when `p` settles successfully, false when it fails. */
const succeeds = (p: Promise<unknown>): Promise<boolean> =>
  p.then(
    () => true,
    () => false,
  );

/** Builds the infrastructure: connections are opened lazily, so nothing here waits on the network. */
export function createInfrastructure(opts: InfrastructureOptions): Infrastructure {
  const { config } = opts;
  const env = config.env;
  const logger = opts.logger ?? createLogger({ level: env.LOG_LEVEL, secrets: secretValues(env, config.envSecrets) });
  const metrics = opts.metrics ?? createMetrics();
  const clock = opts.clock ?? systemClock;
  const db: Db = createDb(env.DATABASE_URL);
  const { url: redisUrl, ...sentinel } = redisTarget(config);
  const queues = new Queues({
    redisUrl,
    sentinel,
    prefix: env.A2D2_QUEUE_PREFIX,
    logger,
    hooks: {
      onCompleted: (queue, ms) => metrics.jobDuration.observe({ queue, outcome: 'completed' }, ms / 1000),
      onFailed: (queue, ms, final) => {
        metrics.jobDuration.observe({ queue, outcome: 'failed' }, ms / 1000);
        metrics.jobFailures.inc({ queue, final: String(final) });
      },
    },
  });
  const health: HealthProbe = {
    async check() {
      const [dbOk, redisOk] = await Promise.all([
        succeeds(db.$queryRawUnsafe('SELECT 1')),
        queues.producer.status === 'ready' ? succeeds(queues.producer.ping()) : Promise.resolve(false),
      ]);
      return { db: dbOk, redis: redisOk };
    },
  };
  return {
    config,
    logger,
    metrics,
    clock,
    db,
    queues,
    outbound: createOutbound({ db, queues, logger: logger.child({ component: 'outbound' }), metrics, ...(opts.direct ? { direct: opts.direct } : {}) }),
    registry: new CommandRegistry(),
    users: createUsersService({ db, file: config.file, clock }),
    audit: createAuditService(db),
    schedules: createScheduleKeeper({ queues, logger }),
    health,
  };
}

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
  const llm =
    opts.llm ??
    createLlmService({ config, db, logger: logger.child({ module: 'llm' }), clock, redis: queues.producer, prefix: queues.prefix, registry: core.metrics.registry });
  const documents = createDocumentService({
    db,
    logger: logger.child({ component: 'documents' }),
    clock,
    outbound,
    storage: createLocalStorage(join(config.env.A2D2_DATA_DIR, 'documents')),
    config: file.documents,
    fetcher: (platform) => core.fileFetcher(platform),
    ticketsAvailable: () => Boolean(core.registry.command('ticket.create')),
    fieldModel: documentFieldModel(llm),
    async enqueueIntake(intakeId) {
      await queues.add(DOC_INTAKE_QUEUE, { intakeId }, { jobId: `doc-intake-${intakeId}` });
    },
    async enqueueAnalysis(versionId, suffix) {
      await queues.add(DOC_ANALYZE_QUEUE, { versionId }, { jobId: `doc-analyze-${versionId}${suffix ? `-${suffix}` : ''}` });
    },
  });
  return { ...core, tickets, alerts, deploys, healthChecks, documents, llm };
}
