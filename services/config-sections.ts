/**
 * Domain sections of the YAML file. Each domain owns its schema in its own module and is
 * listed here, so the whole file is validated in one pass at start-up.
 */
import { agentsConfigSchema, llmConfigSchema } from './agents-config.ts';

export const configSections = {
  llm: llmConfigSchema,
  agents: agentsConfigSchema,
};
