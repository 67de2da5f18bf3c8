/**
 * What the parts of the documents service share: their dependencies, the pipeline stages,
 * and the helpers that talk back to the conversation an intake came from (the progress
 * message, the document the thread is about).
 */
import type { Db } from '../db.ts';
import type { Logger } from '../logger.ts';
import type { Clock } from '../clock.ts';
import type { OutboundPort } from '../messaging/outbound.service.ts';
import type { ConversationRef, Platform, Reply } from '../messaging/types.ts';
import { PLATFORMS } from '../messaging/types.ts';
import { translator, type Locale } from '../i18n/i18n.ts';
import type { DocumentsConfig } from './documents.config.ts';
import type { DocumentStorage } from './storage.ts';
import type { FileFetcher } from './file-fetcher.ts';
import { loadDocumentView, type DocumentView } from './document-view.ts';
import type { FieldModel } from './llm-fields.ts';

/** Pipeline stages after extraction, in order. */
export const STAGES = ['language', 'classify', 'fields', 'summary', 'index', 'notify', 'done'] as const;
export type Stage = (typeof STAGES)[number];

/** Dependencies of the service. */
export interface DocumentServiceDeps {
  db: Db;
  logger: Logger;
  clock: Clock;
  outbound: OutboundPort;
  storage: DocumentStorage;
  config: DocumentsConfig;
  /** Looks up the file fetcher of a platform (provided by that platform's adapter). */
  fetcher(platform: Platform): FileFetcher | undefined;
  /** Enqueues the analysis of a version (idempotent by job id). */
  enqueueAnalysis(versionId: string, suffix?: string): Promise<void>;
  /** Enqueues an intake (idempotent by job id). */
  enqueueIntake(intakeId: string): Promise<void>;
  /** The model for structured field extraction (llm-fields.ts); absent without a configured LLM. */
  fieldModel?: FieldModel | undefined;
  /** True when the tickets feature is present (the card then offers "Open ticket"). */
  ticketsAvailable?(): boolean;
}

/** A stored intake as the pipeline reads it. */
export interface IntakeRow {
  id: string;
  source: string;
  platform: string;
  chatId: string;
  threadId: string;
  locale: string;
  file: unknown;
  status: string;
  versionId: string | null;
  userId: string | null;
}

function isPlatform(p: string): p is Platform {
  return (PLATFORMS as readonly string[]).includes(p);
}

/** The shared helpers, bound to one set of dependencies. */
export type DocumentContext = ReturnType<typeof createDocumentContext>;

/** Binds the shared helpers to the service's dependencies. */
export function createDocumentContext(deps: DocumentServiceDeps) {
  const { db } = deps;

  const progressKey = (intakeId: string) => `doc:${intakeId}:progress`;

  function refOf(row: { platform: string; chatId: string; threadId: string }): ConversationRef | null {
    if (!isPlatform(row.platform) || !row.chatId) return null;
    return { platform: row.platform, chatId: row.chatId, ...(row.threadId ? { threadId: row.threadId } : {}) };
  }

  const localeOf = (s: string): Locale => (s === 'ru' ? 'ru' : 'en');

  async function progress(intake: IntakeRow, reply: Reply): Promise<void> {
    const ref = refOf(intake);
    if (!ref) return;
    await deps.outbound.send({ ref, reply, messageKey: progressKey(intake.id) });
  }

  async function stageProgress(intake: IntakeRow, stage: Stage | 'fetch' | 'extract', name: string): Promise<void> {
    const t = translator(localeOf(intake.locale));
    const order: (Stage | 'fetch' | 'extract')[] = ['fetch', 'extract', 'language', 'classify', 'fields', 'summary', 'index'];
    const step = Math.max(0, order.indexOf(stage)) + 1;
    await progress(intake, { text: t('documents.progress', { name, step, steps: order.length, stage: t(`documents.stage.${stage}`) }) });
  }

  /** Remembers in the conversation which document it is about (for `ask` and buttons). */
  async function rememberDocument(ref: ConversationRef, number: number): Promise<void> {
    const key = { platform: ref.platform, chatId: ref.chatId, threadId: ref.threadId ?? '' };
    const row = await db.conversation.upsert({ where: { platform_chatId_threadId: key }, create: { ...key, state: { document: number } }, update: {} });
    const state = (row.state && typeof row.state === 'object' ? row.state : {}) as Record<string, unknown>;
    if (state.document !== number) await db.conversation.update({ where: { id: row.id }, data: { state: { ...state, document: number } } });
  }

  function fileName(file: { name?: string | undefined }, kind?: string): string {
    return file.name?.trim() || `document.${kind ?? 'bin'}`;
  }

  const loadView = (where: { number: number } | { id: string }): Promise<DocumentView | null> => loadDocumentView(db, where);

  return { deps, progressKey, refOf, localeOf, progress, stageProgress, rememberDocument, fileName, loadView };
}
