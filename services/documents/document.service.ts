/**
 * The documents domain: intake (chat files and REST uploads), the resumable analysis
 * pipeline, listing, search, passages for questions, category corrections and expiry
 * reminders. Chat output leaves only through the outbound port: one progress message per
 * intake (messageKey `doc:<intakeId>:progress`) edited through the stages, ending in the card.
 *
 * This file is the entry: it composes the parts (intake.ts, analysis.ts, document-queries.ts,
 * expiry-reminders.ts over document-context.ts) and re-exports what callers use.
 */
import { createDocumentContext, type DocumentServiceDeps } from './document-context.ts';
import { createIntake } from './intake.ts';
import { createAnalysis } from './analysis.ts';
import { createQueries } from './document-queries.ts';
import { createExpiryReminders } from './expiry-reminders.ts';

export { STAGES, type Stage, type DocumentServiceDeps } from './document-context.ts';
export type { ChatFileIntake, UploadResult } from './intake.ts';
export { cardButtons, locationLabel, renderCard, titleOf, type DocumentView } from './document-view.ts';
export { bestPassages, passagesOf, type Passage } from './passages.ts';

export const DOC_INTAKE_QUEUE = 'documents-intake';
export const DOC_ANALYZE_QUEUE = 'documents-analyze';
export const DOC_EXPIRY_QUEUE = 'documents-expiry';

export type DocumentService = ReturnType<typeof createDocumentService>;

/** The documents service over its dependencies (database, storage, outbound port, queues). */
export function createDocumentService(deps: DocumentServiceDeps) {
  const ctx = createDocumentContext(deps);
  return {
    config: deps.config,
    progressKey: ctx.progressKey,
    loadView: ctx.loadView,
    ...createIntake(ctx),
    ...createAnalysis(ctx),
    ...createQueries(ctx),
    ...createExpiryReminders(ctx),
  };
}
