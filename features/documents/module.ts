/**
 * The documents feature: files shared with the bot in chat (or uploaded through the REST
 * API) go through intake, extraction and analysis; `docs` lists and searches, `doc <n>`
 * shows a card, `ask <question>` answers from the document of the thread with passages and
 * their locations; a schedule reminds of documents about to expire.
 *
 * This file is the wiring only. Read on in this order:
 * - context.ts     what the parts share: who reads and writes, document numbers, the
 *                  conversation's document, the card
 * - middleware.ts  files shared with the bot become intakes
 * - commands.ts    the command specs (docs, doc, ask)
 * - actions.ts     the buttons (ask about it, open, correct the category, open a ticket)
 * - routes.ts      the REST API (with A2D2_API_TOKEN)
 * The domain (intake, extraction, analysis, search, expiry) and the queues with their
 * processors are services/documents/; the service arrives through the container (deps.documents).
 */
import type { FeatureModule, Role } from '../../core/module.ts';
import type { Services } from '../services.ts';
import { DOC_EXPIRY_QUEUE } from '../../services/documents/document.service.ts';
import { documentQueues } from '../../services/documents/documents.processor.ts';
import { createDocumentsContext, parseNumber } from './context.ts';
import { documentCommands } from './commands.ts';
import { documentActions } from './actions.ts';
import { documentIntake } from './middleware.ts';
import { documentsRoute } from './routes.ts';

export { parseNumber };

/** Builds the documents feature module over the service container. */
export function createDocumentsModule(deps: Services): FeatureModule {
  const dc = createDocumentsContext(deps);
  const { cfg, service } = dc;

  /** The expiry check runs where workers run; the http role only receives. */
  async function start(role: Role): Promise<void> {
    if (role === 'http') return;
    await deps.schedules.keep({ queue: DOC_EXPIRY_QUEUE, id: 'documents-expiry', repeat: { every: cfg.expiryCheckMinutes * 60_000 }, job: { name: 'documents-expiry', data: {} } });
  }

  return {
    name: 'documents',
    commands: documentCommands(dc),
    actions: documentActions(dc),
    middleware: [documentIntake(dc)],
    queues: documentQueues(() => service, cfg),
    routes: documentsRoute({ service: () => service, token: deps.config.env.A2D2_API_TOKEN, uploadLimitBytes: cfg.uploadLimitBytes, db: deps.db }),
    start,
    stop: () => service.closeExtraction(),
  };
}
