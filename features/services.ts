/**
 * The service container: everything a feature module is handed. It is built once at start
 * (bot/container.ts) — infrastructure from the core (config, db, queues, outbound, users,
 * audit, ...) plus one instance of each domain service — so a feature uses the services of
 * another feature through this object and never builds one itself.
 */
import type { CoreDeps } from '../core/module.ts';
import type { TicketService } from '../services/tickets/ticket.service.ts';
import type { AlertService } from '../services/alerts/alert.service.ts';
import type { DeployService } from '../services/alerts/deploy.service.ts';
import type { HealthCheckService } from '../services/alerts/health-check.service.ts';
import type { DocumentService } from '../services/documents/document.service.ts';
import type { LlmService } from '../agents/llm.service.ts';

/** The container handed to every feature module factory. */
export interface Services extends CoreDeps {
  tickets: TicketService;
  alerts: AlertService;
  deploys: DeployService;
  healthChecks: HealthCheckService;
  documents: DocumentService;
  /** The model client (fallback, budgets, usage); `llm.configured` is false without a model. */
  llm: LlmService;
}

/** A feature module factory: receives the container, returns its module (or null when off). */
export type ModuleFactory = (services: Services) => import('../core/module.ts').FeatureModule | null | Promise<import('../core/module.ts').FeatureModule | null>;
