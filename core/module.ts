/**
 * Feature modules: each domain (core commands, tickets, alerts, documents, agents,
 * processes) contributes commands, buttons, intent rules, middleware, queues and HTTP
 * routes through one object. The composition root (bot/app.ts) collects them.
 */
import type { FastifyInstance } from 'fastify';
import type { AppConfig } from '../services/config.ts';
import type { Logger } from '../services/logger.ts';
import type { Db } from '../services/db.ts';
import type { Queues, QueueDef } from '../services/queues.ts';
import type { OutboundPort } from '../services/messaging/outbound.service.ts';
import type { Clock } from '../services/clock.ts';
import type { Metrics } from '../services/metrics.ts';
import type { UsersService } from '../services/users/users.service.ts';
import type { AuditService } from '../services/audit/audit.service.ts';
import type { Pipeline } from './pipeline.ts';
import type { ActionSpec, CommandRegistry, CommandSpec, IntentRule, Middleware } from './registry.ts';
import type { InboundEvent, Platform } from '../services/messaging/types.ts';
import type { FileFetcher } from '../services/documents/file-fetcher.ts';
import type { PlatformSender } from '../services/messaging/outbound.service.ts';
import type { ScheduleKeeper } from '../services/schedules.ts';

/** Process roles: http receives, worker processes, all does both. */
export type Role = 'all' | 'http' | 'worker';

/** Shared infrastructure handed to every module factory. */
export interface CoreDeps {
  config: AppConfig;
  logger: Logger;
  db: Db;
  queues: Queues;
  outbound: OutboundPort;
  clock: Clock;
  registry: CommandRegistry;
  metrics: Metrics;
  users: UsersService;
  audit: AuditService;
  /** Repeatable schedules a worker keeps (re-created when Redis lost them). */
  schedules: ScheduleKeeper;
  /** The conversation pipeline (available once all modules are built; call it lazily). */
  pipeline(): Pipeline;
  /** Hands a normalized inbound event to the workers (de-duplicated by platform + eventId). */
  ingest(event: InboundEvent): Promise<'queued' | 'duplicate'>;
  /** The file fetcher a chat adapter module offers for its platform, if any (call lazily). */
  fileFetcher(platform: Platform): FileFetcher | undefined;
}

export interface FeatureModule {
  name: string;
  // Specs are heterogeneous in their argument types.
  commands?: CommandSpec<any>[];
  actions?: ActionSpec[];
  intents?: IntentRule[];
  middleware?: Middleware[];
  queues?: QueueDef<any>[];
  /** HTTP routes, registered as an encapsulated Fastify plugin. */
  routes?: (app: FastifyInstance) => Promise<void>;
  /** Called once the process is up (role says which parts run here). */
  start?(role: Role): Promise<void>;
  /** Called on shutdown, before queues and DB close. */
  stop?(): Promise<void>;
  /** The platform sender this module provides (chat adapters), used by the outbound worker. */
  sender?: PlatformSender;
  /** Downloads files users share on this module's platform (chat adapters). */
  fileFetcher?: FileFetcher;
  /** Readiness contributions (name -> ok). */
  ready?(): Promise<Record<string, boolean>>;
}
