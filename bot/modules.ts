/**
 * The list of feature modules. Adapters first (they provide senders and routes), then domains.
 * Add one line per feature module.
 */
import type { CoreDeps, FeatureModule } from './core/module.ts';
import { createSlackModule } from './adapters/slack/slack.adapter.ts';
import { createTelegramModule } from './adapters/telegram/telegram.adapter.ts';
import { createAlertsModule } from './commands/alert.command.ts';
import { createTicketsModule } from './commands/ticket.command.ts';
import { createSlackTicketModalModule } from './adapters/slack/ticket-modal.ts';
import { createDocumentsModule } from './commands/doc.command.ts';
import { createProcessesModule } from './commands/process.command.ts';
import { createAgentsModule } from './commands/agent.command.ts';

export type ModuleFactory = (deps: CoreDeps) => FeatureModule | null | Promise<FeatureModule | null>;

export const moduleFactories: ModuleFactory[] = [
  createSlackModule,
  createTelegramModule,
  (deps) => createAlertsModule(deps),
  createTicketsModule,
  createSlackTicketModalModule,
  (deps) => createDocumentsModule(deps),
  // Secrets of http steps: only the variables processes.secretEnv allows (read by config.ts).
  (deps) => createProcessesModule(deps, { secretEnv: deps.config.envSecrets }),
  (deps) => createAgentsModule(deps),
];
