/**
 * The list of feature modules. Adapters first (they provide senders and routes), then domains.
 * Add one line per feature module.
 */
import type { ModuleFactory } from '../features/services.ts';
import { createSlackModule } from './adapters/slack/slack.adapter.ts';
import { createTelegramModule } from './adapters/telegram/telegram.adapter.ts';
import { createAlertsModule } from '../features/alerts/module.ts';
import { createTicketsModule } from '../features/tickets/module.ts';
import { createSlackTicketModalModule } from './adapters/slack/ticket-modal.ts';
import { createDocumentsModule } from '../features/documents/module.ts';
import { createProcessesModule } from '../features/processes/module.ts';
import { createAgentsModule } from '../features/agents/module.ts';
import { createOutboundRecoveryModule } from './outbound/recovery.module.ts';
import { createSmokeModule } from '../features/smoke/module.ts';
import { createConsoleModule } from '../features/console/module.ts';

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
  createOutboundRecoveryModule,
  createSmokeModule,
  createConsoleModule,
];
