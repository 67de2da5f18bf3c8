/**
 * The composition root: builds the service container (bot/container.ts), collects the feature
 * modules (bot/modules.ts), wires the pipeline, the inbound and outbound queues and the HTTP
 * server for a role, and owns start and stop. `main.ts` is only the CLI around it; tests call
 * `createApp` directly with their own config.
 */
import type { FastifyInstance } from 'fastify';
import type { AppConfig } from '../services/config.ts';
import type { Logger } from '../services/logger.ts';
import type { Metrics } from '../services/metrics.ts';
import type { DirectDelivery, PlatformSender } from '../services/messaging/outbound.service.ts';
import type { InboundEvent, Platform } from '../services/messaging/types.ts';
import { inboundEventSchema } from '../services/messaging/schemas.ts';
import type { Clock } from '../services/clock.ts';
import type { IntentEngine } from '../core/registry.ts';
import { createPipeline, type Pipeline } from '../core/pipeline.ts';
import { createDeterministicEngine } from '../core/intent.ts';
import type { CoreDeps, FeatureModule, Role } from '../core/module.ts';
import { createCoreModule } from '../features/basics/module.ts';
import type { Services } from '../features/services.ts';
import type { LlmService } from '../agents/llm.service.ts';
import { moduleFactories } from './modules.ts';
import { createInfrastructure, createServices, type Infrastructure } from './container.ts';
import { buildServer } from './http/server.ts';
import { startWorkerListener, type WorkerListener } from './http/worker-listener.ts';
import { createOutboundQueue, createOutboundRecoveryQueue, type OutboundQueueDeps } from './outbound/sender.processor.ts';
import { durationMs } from '../services/duration.ts';

export const INBOUND_QUEUE = 'inbound';

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
  /**
   * What SIGTERM does: readiness turns 503 while the listener keeps serving for the drain period
   * (`shutdown.drain`), so a load balancer stops routing here before anything is refused; then
   * {@link stop}. A worker role serves no traffic (at most its METRICS_PORT listener) and stops at once.
   */
  shutdown(): Promise<void>;
  /** True from the start of the drain: /readyz answers 503. */
  isShuttingDown(): boolean;
}

/** What the app's parts share while it runs: filled in as the app is built. */
interface AppState {
  /** SIGTERM received: readiness is 503, requests are still served. */
  draining: boolean;
  /** Stopping: new events are refused with 503 and the workers wind down. */
  shuttingDown: boolean;
  pipeline: Pipeline | null;
  modules: FeatureModule[];
}

function sanitizeJobId(s: string): string {
  return s.replace(/[^A-Za-z0-9_.-]/g, '_');
}

/** The core's dependencies: the infrastructure plus the late-bound pipeline, ingest and file fetchers. */
function coreDeps(infra: Infrastructure, role: AppOptions['role'], state: AppState): CoreDeps {
  const { health: _health, ...core } = infra;
  const deps: CoreDeps = {
    ...core,
    pipeline() {
      if (!state.pipeline) throw new Error('pipeline is not built yet');
      return state.pipeline;
    },
    async ingest(event: InboundEvent) {
      if (state.shuttingDown) throw Object.assign(new Error('shutting down'), { statusCode: 503 });
      // The terminal runs in-process: no queue hop, one user at a keyboard.
      if (role === 'chat') {
        const r = await deps.pipeline().handle(event);
        return r === 'duplicate' ? 'duplicate' : 'queued';
      }
      // One round trip: BullMQ ignores a job id it still holds, and the pipeline's delivery
      // ledger drops any redelivery that arrives after the job is gone.
      const jobId = sanitizeJobId(`in-${event.platform}-${event.eventId}`);
      await infra.queues.addBatched(INBOUND_QUEUE, event, { jobId, attempts: 3 });
      infra.metrics.inboundEvents.inc({ platform: event.platform, kind: event.type, outcome: 'queued' });
      return 'queued';
    },
    fileFetcher(platform) {
      return state.modules.find((m) => m.fileFetcher?.platform === platform)?.fileFetcher;
    },
  };
  return deps;
}

/** Builds every feature module from the container and feeds the registry and queues from them. */
async function buildModules(infra: Infrastructure, services: Services, extra: FeatureModule[]): Promise<FeatureModule[]> {
  const modules: FeatureModule[] = [createCoreModule({ ...services, health: infra.health })];
  for (const factory of moduleFactories) {
    const m = await factory(services);
    if (m) modules.push(m);
  }
  modules.push(...extra);
  for (const m of modules) {
    for (const c of m.commands ?? []) infra.registry.addCommand(c);
    for (const a of m.actions ?? []) infra.registry.addAction(a);
    infra.registry.intentRules.push(...(m.intents ?? []));
    for (const q of m.queues ?? []) infra.queues.register(q);
  }
  return modules;
}

/** The two queues every role shares: inbound events into the pipeline, replies out to the platforms. */
function registerMessageQueues(infra: Infrastructure, modules: FeatureModule[], pipeline: Pipeline): void {
  const { queues, config } = infra;
  queues.register({
    name: INBOUND_QUEUE,
    schema: inboundEventSchema,
    concurrency: 20,
    // A worker killed mid-event leaves its job stalled; the next worker takes it again. BullMQ
    // fails a job stalled more than maxStalledCount times, and an acked event must not be lost
    // to a few kills in a row.
    workerOptions: { maxStalledCount: 10 },
    // A stalled job retried after its worker was killed keeps its id and creation time.
    processor: async (job) => pipeline.handle(job.data, { claimToken: `${job.id ?? ''}:${job.timestamp}` }),
  });
  const senders: Partial<Record<Platform, PlatformSender>> = {};
  for (const m of modules) if (m.sender) senders[m.sender.platform] = m.sender;
  const outboundDeps: OutboundQueueDeps = {
      db: infra.db,
      logger: infra.logger,
      metrics: infra.metrics,
      senders,
      redis: queues.producer,
      clock: infra.clock,
      limits: config.file.outbound.limits,
      options: {
        maxAttempts: config.file.outbound.maxAttempts,
        orphanGraceMs: durationMs(config.file.outbound.recovery.grace),
        strandedGiveUpMs: durationMs(config.file.outbound.recovery.giveUp),
        sweepEveryMs: durationMs(config.file.outbound.recovery.every),
      },
  };
  queues.register(createOutboundQueue(outboundDeps));
  queues.register(createOutboundRecoveryQueue(outboundDeps));
}

export async function createApp(opts: AppOptions): Promise<App> {
  const infra = createInfrastructure(opts);
  const { config, logger, queues, db } = infra;
  const state: AppState = { draining: false, shuttingDown: false, pipeline: null, modules: [] };
  const notReady = () => state.draining || state.shuttingDown;
  const services = createServices(coreDeps(infra, opts.role, state), opts.llm ? { llm: opts.llm } : {});
  const modules = await buildModules(infra, services, opts.extraModules ?? []);
  state.modules = modules;
  const intent = opts.intent ? opts.intent(services) : createDeterministicEngine(infra.registry);
  const pipeline = createPipeline({
    ...infra,
    intent,
    middleware: modules.flatMap((m) => m.middleware ?? []),
  });
  state.pipeline = pipeline;
  registerMessageQueues(infra, modules, pipeline);

  const role = opts.role;
  const runsHttp = role === 'all' || role === 'http';
  const runsWorkers = role === 'all' || role === 'worker';
  const server = runsHttp
    ? await buildServer({ ...infra, modules, http: config.file.http, isShuttingDown: notReady })
    : null;

  let starting: Promise<{ url: string | null }> | null = null;
  let workerListener: WorkerListener | null = null;
  const app: App = {
    deps: services,
    modules,
    server,
    isShuttingDown: notReady,
    start() {
      starting ??= (async () => {
        await queues.connect();
        let url: string | null = null;
        if (server) url = await server.listen({ host: config.env.HOST, port: config.env.PORT });
        // The model is loaded before the first message, not by it.
        if (runsWorkers || role === 'chat') intent.warm?.();
        if (runsWorkers) queues.startWorkers();
        if (role === 'worker' && config.env.METRICS_PORT !== undefined) {
          const stopping = () => state.draining || state.shuttingDown;
          workerListener = await startWorkerListener({ host: config.env.HOST, port: config.env.METRICS_PORT, metrics: infra.metrics, queues, isStopping: stopping });
          url = workerListener.url;
        }
        for (const m of modules) await m.start?.(role === 'chat' ? 'all' : role);
        return { url };
      })();
      return starting;
    },
    async stop() {
      if (state.shuttingDown) return;
      state.shuttingDown = true;
      // Stop accepting requests first (in-flight ones finish), then let running jobs end.
      const closing = server ? server.close() : Promise.resolve();
      infra.schedules.stop();
      await queues.stopWorkers(config.file.shutdown.graceMs);
      await closing;
      for (const m of [...modules].reverse()) {
        try {
          await m.stop?.();
        } catch (err) {
          logger.warn({ err, module: m.name }, 'module stop failed');
        }
      }
      await queues.close();
      await workerListener?.close();
      await db.$disconnect();
    },
    async shutdown() {
      if (state.draining || state.shuttingDown) return;
      // Readiness drops at once, even while the start is still under way; the stop waits for it.
      state.draining = true;
      await starting?.catch(() => undefined);
      const drainMs = durationMs(config.file.shutdown.drain);
      if (server && drainMs > 0) {
        logger.info({ drainMs }, 'draining: readiness is 503, requests are still served');
        await new Promise((resolve) => setTimeout(resolve, drainMs));
      }
      await app.stop();
    },
  };
  return app;
}
