/**
 * The composition root: builds infrastructure, collects feature modules, wires the pipeline,
 * queues and HTTP server for a role. `main.ts` is only the CLI around it; tests call
 * `createApp` directly with their own config.
 */
import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { AppConfig } from '../services/config.ts';
import { secretValues } from '../services/config.ts';
import { createLogger, type Logger } from '../services/logger.ts';
import { createMetrics, type Metrics } from '../services/metrics.ts';
import { createDb, type Db } from '../services/db.ts';
import { Queues } from '../services/queues.ts';
import { createOutbound, type DirectDelivery, type PlatformSender } from '../services/messaging/outbound.service.ts';
import type { InboundEvent, Platform } from '../services/messaging/types.ts';
import { systemClock, type Clock } from '../services/clock.ts';
import { createUsersService } from '../services/users/users.service.ts';
import { createAuditService } from '../services/audit/audit.service.ts';
import { CommandRegistry, type IntentEngine } from '../core/registry.ts';
import { createPipeline, type Pipeline } from '../core/pipeline.ts';
import { createDeterministicEngine } from '../core/intent.ts';
import type { CoreDeps, FeatureModule, Role } from '../core/module.ts';
import { createCoreModule, type HealthProbe } from '../features/basics/module.ts';
import type { Services } from '../features/services.ts';
import { moduleFactories } from './modules.ts';
import { createServices } from './container.ts';
import type { LlmService } from '../agents/llm.service.ts';
import { buildServer } from './http/server.ts';
import { createOutboundQueue } from './outbound/sender.processor.ts';
import { conversationRefSchema, platformSchema } from '../services/messaging/schemas.ts';

export const INBOUND_QUEUE = 'inbound';

const inboundUser = z.object({ platformUserId: z.string().min(1), displayName: z.string().optional(), locale: z.string().optional() });
const refSchema = conversationRefSchema;
const base = {
  platform: platformSchema,
  eventId: z.string().min(1).max(200),
  ref: refSchema,
  replyRef: refSchema.optional(),
  user: inboundUser,
  platformData: z.record(z.string(), z.unknown()).optional(),
};
/** Inbound events as queued by the adapters (validated again on the worker). */
export const inboundEventSchema = z.discriminatedUnion('type', [
  z.object({
    ...base,
    type: z.literal('message'),
    text: z.string().max(40_000),
    command: z.string().optional(),
    addressed: z.boolean(),
    messageId: z.string().optional(),
    files: z
      .array(z.object({ id: z.string(), name: z.string().optional(), mimeType: z.string().optional(), size: z.number().optional(), url: z.string().optional() }))
      .optional(),
  }),
  z.object({ ...base, type: z.literal('action'), actionId: z.string().min(1), value: z.string(), messageId: z.string().optional() }),
]);

export interface AppOptions {
  config: AppConfig;
  role: Role | 'chat';
  logger?: Logger;
  clock?: Clock;
  metrics?: Metrics;
  /** In-process delivery per platform (the terminal). */
  direct?: Partial<Record<Platform, DirectDelivery>>;
  /** Replaces the intent engine (the agents feature plugs an LLM in here). */
  intent?: (services: Services) => IntentEngine;
  /** Replaces the model client (tests). */
  llm?: LlmService;
  /** Extra modules (tests). */
  extraModules?: FeatureModule[];
}

export interface App {
  /** The service container every module was built with. */
  deps: Services;
  modules: FeatureModule[];
  server: FastifyInstance | null;
  /** Starts listening (http roles) and consuming (worker roles). Returns the URL when listening. */
  start(): Promise<{ url: string | null }>;
  /** Graceful stop: readiness 503 at once, no new work, running jobs finish or are left to retry. */
  stop(): Promise<void>;
  isShuttingDown(): boolean;
}

function sanitizeJobId(s: string): string {
  return s.replace(/[^A-Za-z0-9_.-]/g, '_');
}

export async function createApp(opts: AppOptions): Promise<App> {
  const { config } = opts;
  const env = config.env;
  const logger = opts.logger ?? createLogger({ level: env.LOG_LEVEL, secrets: secretValues(env, config.envSecrets) });
  const metrics = opts.metrics ?? createMetrics();
  const clock = opts.clock ?? systemClock;
  const db: Db = createDb(env.DATABASE_URL);
  const queues = new Queues({
    redisUrl: env.REDIS_URL,
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
  const outbound = createOutbound({ db, queues, ...(opts.direct ? { direct: opts.direct } : {}) });
  const registry = new CommandRegistry();
  const users = createUsersService({ db, file: config.file, clock });
  const audit = createAuditService(db);
  let shuttingDown = false;
  let pipeline: Pipeline | null = null;

  const health: HealthProbe = {
    async check() {
      const [dbOk, redisOk] = await Promise.all([
        db.$queryRawUnsafe('SELECT 1').then(
          () => true,
          () => false,
        ),
        queues.producer.status === 'ready'
          ? queues.producer.ping().then(
              () => true,
              () => false,
            )
          : Promise.resolve(false),
      ]);
      return { db: dbOk, redis: redisOk };
    },
  };

  const deps: CoreDeps = {
    config,
    logger,
    db,
    queues,
    outbound,
    clock,
    registry,
    metrics,
    users,
    audit,
    pipeline() {
      if (!pipeline) throw new Error('pipeline is not built yet');
      return pipeline;
    },
    async ingest(event: InboundEvent) {
      if (shuttingDown) throw Object.assign(new Error('shutting down'), { statusCode: 503 });
      // The terminal runs in-process: no queue hop, one user at a keyboard.
      if (opts.role === 'chat') {
        const r = await deps.pipeline().handle(event);
        return r === 'duplicate' ? 'duplicate' : 'queued';
      }
      // One round trip: BullMQ ignores a job id it still holds, and the pipeline's delivery
      // ledger drops any redelivery that arrives after the job is gone.
      const jobId = sanitizeJobId(`in-${event.platform}-${event.eventId}`);
      await queues.addBatched(INBOUND_QUEUE, event, { jobId, attempts: 3 });
      metrics.inboundEvents.inc({ platform: event.platform, kind: event.type, outcome: 'queued' });
      return 'queued';
    },
    fileFetcher(platform) {
      return modules.find((m) => m.fileFetcher?.platform === platform)?.fileFetcher;
    },
  };

  const services = createServices(deps, opts.llm ? { llm: opts.llm } : {});
  const modules: FeatureModule[] = [createCoreModule({ ...deps, users, health })];
  for (const factory of moduleFactories) {
    const m = await factory(services);
    if (m) modules.push(m);
  }
  modules.push(...(opts.extraModules ?? []));

  for (const m of modules) {
    for (const c of m.commands ?? []) registry.addCommand(c);
    for (const a of m.actions ?? []) registry.addAction(a);
    registry.intentRules.push(...(m.intents ?? []));
    for (const q of m.queues ?? []) queues.register(q);
  }

  pipeline = createPipeline({
    db,
    config,
    logger,
    registry,
    outbound,
    users,
    audit,
    intent: opts.intent ? opts.intent(services) : createDeterministicEngine(registry),
    middleware: modules.flatMap((m) => m.middleware ?? []),
    clock,
    metrics,
  });

  queues.register({
    name: INBOUND_QUEUE,
    schema: inboundEventSchema as unknown as z.ZodType<InboundEvent>,
    concurrency: 20,
    processor: async (job) => pipeline!.handle(job.data),
  });
  const senders: Partial<Record<Platform, PlatformSender>> = {};
  for (const m of modules) if (m.sender) senders[m.sender.platform] = m.sender;
  queues.register(
    createOutboundQueue({
      db,
      logger,
      metrics,
      senders,
      redis: queues.producer,
      clock,
      limits: config.file.outbound.limits,
      options: { maxAttempts: config.file.outbound.maxAttempts },
    }),
  );

  const role = opts.role;
  const runsHttp = role === 'all' || role === 'http';
  const runsWorkers = role === 'all' || role === 'worker';
  const server = runsHttp
    ? await buildServer({
        logger,
        metrics,
        queues,
        health,
        modules,
        http: config.file.http,
        isShuttingDown: () => shuttingDown,
      })
    : null;

  return {
    deps: services,
    modules,
    server,
    isShuttingDown: () => shuttingDown,
    async start() {
      await queues.connect();
      let url: string | null = null;
      if (server) url = await server.listen({ host: env.HOST, port: env.PORT });
      if (runsWorkers) queues.startWorkers();
      for (const m of modules) await m.start?.(role === 'chat' ? 'all' : role);
      return { url };
    },
    async stop() {
      if (shuttingDown) return;
      shuttingDown = true;
      const grace = config.file.shutdown.graceMs;
      // Stop accepting requests first (in-flight ones finish), then let running jobs end.
      const closing = server ? server.close() : Promise.resolve();
      await queues.stopWorkers(grace);
      await closing;
      for (const m of [...modules].reverse()) {
        try {
          await m.stop?.();
        } catch (err) {
          logger.warn({ err, module: m.name }, 'module stop failed');
        }
      }
      await queues.close();
      await db.$disconnect();
    },
  };
}
