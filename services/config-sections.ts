/**
 * Domain sections of the YAML file. Each domain owns its schema in its own module and is
 * listed here, so the whole file is validated in one pass at start-up.
 */
import { agentsConfigSchema, llmConfigSchema } from './agents-config.ts';
import { alertsConfigSchema } from './alerts/alerts.config.ts';
import { ticketsConfigSchema } from './tickets/tickets.config.ts';
import { documentsConfigSchema } from './documents/documents.config.ts';
import { processesConfigSchema } from './processes/processes.config.ts';
import { outboundConfigSchema } from './messaging/outbound.config.ts';

export const configSections = {
  llm: llmConfigSchema,
  agents: agentsConfigSchema,
  alerts: alertsConfigSchema,
  tickets: ticketsConfigSchema,
  documents: documentsConfigSchema,
  processes: processesConfigSchema,
  outbound: outboundConfigSchema,
};
