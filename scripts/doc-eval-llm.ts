/**
 * `--llm` of the documents evaluation: the field model the service would use, over the
 * configured LLM endpoint (a2d2.yaml `llm.providers`, or OPENAI_API_KEY / OPENAI_BASE_URL /
 * OPENAI_MODEL), with usage rows and budgets in DATABASE_URL's database like the service's.
 */
import { loadConfig } from '../services/config.ts';
import { createDb, type Db } from '../services/db.ts';
import { createLogger } from '../services/logger.ts';
import { systemClock } from '../services/clock.ts';
import { createLlmService } from '../agents/llm.service.ts';
import { documentFieldModel } from '../agents/document-fields.ts';
import type { FieldModel, LlmFieldsOptions } from '../services/documents/llm-fields.ts';

/** The model, its options and a close(); throws when no LLM is configured. */
export function evalFieldModel(): { model: FieldModel; opts: LlmFieldsOptions; close(): Promise<void> } {
  const config = loadConfig();
  const db: Db = createDb(config.env.DATABASE_URL, { max: 2 });
  const llm = createLlmService({ config, db, logger: createLogger({ level: 'warn' }), clock: systemClock });
  const model = documentFieldModel(llm);
  if (!model) throw new Error('--llm: no LLM is configured (llm.providers in a2d2.yaml, or OPENAI_API_KEY / OPENAI_BASE_URL)');
  return { model, opts: config.file.documents.llmFields, close: () => db.$disconnect() };
}
