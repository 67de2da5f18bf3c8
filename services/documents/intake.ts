/**
 * Intake: chat files and REST uploads are registered and queued, then the intake job
 * fetches the bytes, checks them, extracts the text and stores the version in one
 * transaction. Refused input gets a reply and leaves nothing half-stored.
 */
import { randomUUID } from 'node:crypto';
import { isUniqueViolation } from '../db.ts';
import type { ConversationRef, InboundFile, Platform } from '../messaging/types.ts';
import { translator, type Locale } from '../i18n/i18n.ts';
import { blobKey, sha256 } from './storage.ts';
import { classifyFetchError } from './file-fetcher.ts';
import { DocumentInputError } from './errors.ts';
import { MIME, sniff, type DocKind } from './sniff.ts';
import { extract, type ExtractOptions } from './extract/extract.service.ts';
import type { Extracted } from './extract/types.ts';
import { ocrLanguageDirs, resolveOcr } from './extract/ocr.engine.ts';
import { createPdfReader } from './extract/pdf.poppler.ts';
import { renderCard, titleOf } from './document-view.ts';
import type { DocumentContext, IntakeRow } from './document-context.ts';

/** A file handed over in a chat. */
export interface ChatFileIntake {
  platform: Platform;
  eventId: string;
  /** Where progress and the card go (the thread of the message). */
  ref: ConversationRef;
  userId: string;
  locale: Locale;
  file: InboundFile;
}

/** What a REST upload gets back. */
export interface UploadResult {
  intakeId: string;
  status: 'received';
}

type StoredFile = InboundFile & { storageKey?: string };

/** REST upload input. */
export interface UploadInput {
  bytes: Buffer;
  fileName: string;
  userId?: string;
  locale?: Locale;
}

/** Marks an intake refused, removes its orphaned blob and tells the chat why. */
async function reject(ctx: DocumentContext, intake: IntakeRow, err: DocumentInputError): Promise<void> {
  const { deps, progress, localeOf, fileName } = ctx;
  const { db, logger, config, storage } = deps;
  const file = intake.file as { name?: string; storageKey?: string };
  // Nothing half-stored: an uploaded blob that no version references goes away with the refusal.
  if (file.storageKey) {
    const used = await db.documentVersion.count({ where: { storageKey: file.storageKey } });
    if (!used) await storage.delete(file.storageKey);
  }
  await db.documentIntake.update({ where: { id: intake.id }, data: { status: 'rejected', error: err.code } });
  const t = translator(localeOf(intake.locale));
  await progress(intake, {
    text: t(`documents.reject.${err.code}`, { name: fileName(file), limit: Math.round(config.uploadLimitBytes / (1024 * 1024)), ...err.params }),
  });
  logger.info({ intake: intake.id, code: err.code, detail: err.message }, 'document refused');
}

/** The bytes of an intake: from storage (REST uploads) or fetched from the chat platform. */
async function readBytes(ctx: DocumentContext, intake: IntakeRow, file: StoredFile, name: string): Promise<Buffer> {
  const { deps, stageProgress } = ctx;
  const { config, storage } = deps;
  let bytes: Buffer;
  if (file.storageKey) bytes = await storage.get(file.storageKey);
  else {
    const platform = intake.platform as Platform;
    const fetcher = deps.fetcher(platform);
    if (!fetcher) throw new DocumentInputError('noFetcher');
    await stageProgress(intake, 'fetch', name);
    try {
      bytes = await fetcher.fetch(file, { maxBytes: config.uploadLimitBytes });
    } catch (err) {
      throw classifyFetchError(err);
    }
  }
  if (bytes.length > config.uploadLimitBytes) throw new DocumentInputError('tooLarge');
  return bytes;
}

/** Same bytes as a stored version: the intake points at it and the chat sees that document's card. */
async function answerDuplicate(ctx: DocumentContext, intake: IntakeRow, hash: string): Promise<boolean> {
  const { deps, progress, localeOf, refOf, rememberDocument, loadView } = ctx;
  const { db } = deps;
  const existing = await db.documentVersion.findUnique({ where: { sha256: hash }, include: { document: true } });
  if (!existing) return false;
  await db.documentIntake.update({ where: { id: intake.id }, data: { status: 'duplicate', versionId: existing.id } });
  const t = translator(localeOf(intake.locale));
  const view = await loadView({ id: existing.documentId });
  const ref = refOf(intake);
  if (ref) await rememberDocument(ref, existing.document.number);
  await progress(intake, {
    ...(view ? renderCard(t, view) : { text: '' }),
    text: t('documents.duplicate', { number: existing.document.number, title: existing.document.title }),
  });
  return true;
}

/** The document (by title) and its next version, with the intake marked stored, in one transaction. */
async function storeVersion(ctx: DocumentContext, intake: IntakeRow, v: { name: string; hash: string; key: string; kind: DocKind; size: number; ex: Extracted }): Promise<string> {
  const { deps } = ctx;
  const { db } = deps;
  const { name, hash, key, kind, ex } = v;
  const title = titleOf(name);
  const titleKey = title.toLowerCase();
  try {
    return await db.$transaction(async (tx) => {
      const doc = await tx.document.upsert({
        where: { titleKey },
        create: { title, titleKey, ...(intake.userId ? { createdById: intake.userId } : {}) },
        update: {},
      });
      const last = await tx.documentVersion.findFirst({ where: { documentId: doc.id }, orderBy: { version: 'desc' }, select: { version: true } });
      const created = await tx.documentVersion.create({
        data: {
          documentId: doc.id,
          version: (last?.version ?? 0) + 1,
          sha256: hash,
          fileName: name,
          kind,
          mimeType: MIME[kind],
          sizeBytes: v.size,
          storageKey: key,
          text: ex.text,
          locations: ex.locations as unknown as object,
          ocr: ex.ocr,
          noTextLayer: Boolean(ex.noTextLayer),
          ocrSkippedPages: ex.ocrSkippedPages ?? 0,
          platform: intake.platform,
          chatId: intake.chatId,
          threadId: intake.threadId,
          locale: intake.locale,
          ...(intake.userId ? { uploadedById: intake.userId } : {}),
        },
      });
      await tx.documentIntake.update({ where: { id: intake.id }, data: { status: 'stored', versionId: created.id } });
      return created.id;
    });
  } catch (err) {
    // Same bytes raced in through another intake: that one owns the version; retry turns this into a duplicate.
    if (isUniqueViolation(err)) throw new Error('concurrent intake of the same bytes; retrying');
    throw err;
  }
}

/** Registers a chat file and queues its intake; null when this file of this event was already registered. */
async function intakeChatFile(ctx: DocumentContext, input: ChatFileIntake): Promise<string | null> {
  const { deps, progress, fileName } = ctx;
  const { db, config } = deps;
  const dedupeKey = `${input.platform}:${input.eventId}:${input.file.id}`;
  let row: IntakeRow;
  try {
    row = await db.documentIntake.create({
      data: {
        dedupeKey,
        source: 'chat',
        platform: input.ref.platform,
        chatId: input.ref.chatId,
        threadId: input.ref.threadId ?? '',
        userId: input.userId,
        locale: input.locale,
        file: { ...input.file } as object,
      },
    });
  } catch (err) {
    if (isUniqueViolation(err)) return null;
    throw err;
  }
  const t = translator(input.locale);
  if (input.file.size !== undefined && input.file.size > config.uploadLimitBytes) {
    await reject(ctx, row, new DocumentInputError('tooLarge'));
    return row.id;
  }
  await progress(row, { text: t('documents.progress.received', { name: fileName(input.file) }) });
  await deps.enqueueIntake(row.id);
  return row.id;
}

/**
 * Accepts REST upload bytes: checks size and type at once (clear 4xx for the caller),
 * stores the blob and queues the intake. Throws DocumentInputError for refused input.
 */
async function intakeUpload(ctx: DocumentContext, input: UploadInput): Promise<UploadResult> {
  const { deps } = ctx;
  const { db, config, storage } = deps;
  if (input.bytes.length > config.uploadLimitBytes) throw new DocumentInputError('tooLarge');
  const kind = sniff(input.bytes);
  const hash = sha256(input.bytes);
  const key = blobKey(hash);
  await storage.put(key, input.bytes);
  const row = await db.documentIntake.create({
    data: {
      dedupeKey: `api:${randomUUID()}`,
      source: 'api',
      platform: 'api',
      chatId: '',
      ...(input.userId ? { userId: input.userId } : {}),
      locale: input.locale ?? 'en',
      file: { name: input.fileName, size: input.bytes.length, storageKey: key, mimeType: MIME[kind] },
    },
  });
  await deps.enqueueIntake(row.id);
  return { intakeId: row.id, status: 'received' };
}

/** Where an intake stands, with its document once stored. */
async function intakeStatus(ctx: DocumentContext, id: string) {
  const { deps } = ctx;
  const { db } = deps;
  const row = await db.documentIntake.findUnique({ where: { id } });
  if (!row) return null;
  const version = row.versionId ? await db.documentVersion.findUnique({ where: { id: row.versionId }, include: { document: true } }) : null;
  return {
    id: row.id,
    status: row.status,
    error: row.error,
    document: version ? { id: version.document.id, number: version.document.number, version: version.version, stage: version.stage } : null,
  };
}

/**
 * The intake job: fetch, check, extract, then store the version in one transaction.
 * Refused input throws DocumentInputError after replying (the processor makes it unrecoverable).
 */
async function processIntake(ctx: DocumentContext, extractOptions: ExtractOptions, intakeId: string): Promise<void> {
  const { deps, stageProgress, fileName } = ctx;
  const { db, storage } = deps;
  const intake = (await db.documentIntake.findUnique({ where: { id: intakeId } })) as IntakeRow | null;
  if (!intake || intake.status === 'rejected' || intake.status === 'duplicate') return;
  if (intake.status === 'stored' && intake.versionId) {
    // Stored before a crash: make sure the analysis was queued.
    await deps.enqueueAnalysis(intake.versionId);
    return;
  }
  const file = intake.file as StoredFile;
  const name = fileName(file);
  try {
    const bytes = await readBytes(ctx, intake, file, name);
    const kind = sniff(bytes, { name, mime: file.mimeType });
    const hash = sha256(bytes);
    if (await answerDuplicate(ctx, intake, hash)) return;
    await stageProgress(intake, 'extract', name);
    const ex = await extract(bytes, kind, { ...extractOptions, ...ocrProgress(ctx, intake, name, extractOptions) });
    if (ex.ocrSkippedPages) await ocrSkippedNotice(ctx, intake, name, ex);
    const key = blobKey(hash);
    if (!file.storageKey) await storage.put(key, bytes);
    const versionId = await storeVersion(ctx, intake, { name, hash, key, kind, size: bytes.length, ex });
    await deps.enqueueAnalysis(versionId);
  } catch (err) {
    if (err instanceof DocumentInputError) await reject(ctx, intake, err);
    throw err;
  }
}

/** The scanned-PDF OCR options with a progress edit ("page 3 of 12") at most every documents.ocr.progressEveryMs. */
function ocrProgress(ctx: DocumentContext, intake: IntakeRow, name: string, opts: ExtractOptions): Pick<ExtractOptions, 'pdfOcr'> {
  if (!opts.pdfOcr) return {};
  const t = translator(ctx.localeOf(intake.locale));
  const every = ctx.deps.config.ocr.progressEveryMs;
  let last = 0;
  const onPage = async (done: number, total: number) => {
    const now = Date.now();
    if (done === total || now - last < every) return;
    last = now;
    await ctx.progress(intake, { text: t('documents.progress.ocrPage', { name, page: done + 1, pages: total }) });
  };
  return { pdfOcr: { ...opts.pdfOcr, onPage } };
}

/** Tells the chat that pages past documents.ocr.maxPages were not OCR'd (its own message: the progress one becomes the card). */
async function ocrSkippedNotice(ctx: DocumentContext, intake: IntakeRow, name: string, ex: Extracted): Promise<void> {
  const ref = ctx.refOf(intake);
  if (!ref) return;
  const t = translator(ctx.localeOf(intake.locale));
  const read = ctx.deps.config.ocr.maxPages;
  await ctx.deps.outbound.send({ ref, reply: { text: t('documents.ocr.skipped', { name, read, skipped: ex.ocrSkippedPages ?? 0 }) }, messageKey: `doc:${intake.id}:ocr-skipped` });
}

/** The intake operations of the service, bound to its shared context. */
export function createIntake(ctx: DocumentContext) {
  const { config } = ctx.deps;
  const extractOptions: ExtractOptions = {
    maxPages: config.maxPages,
    zip: { maxTotalBytes: config.maxUnpackedBytes, maxEntryBytes: config.maxUnpackedBytes, maxRatio: config.maxZipRatio, maxEntries: 10_000 },
    ocrLanguages: ocrLanguageDirs(config.ocrLangPath, config.ocrLanguages, config.ocr.tessdataRoots),
    ocr: resolveOcr({ ...config.ocr, languages: config.ocrLanguages, langPath: config.ocrLangPath }),
    pdfOcr: { maxPages: config.ocr.maxPages, dpi: config.ocr.dpi },
    // PDFs are read by pdftotext processes or in PDF.js worker threads, started on the first one (idle roles never load PDF.js).
    pdfPool: createPdfReader({ ...config.pdf, logger: ctx.deps.logger }),
  };
  return {
    /** Registers a chat file and queues its intake; null when this file of this event was already registered. */
    intakeChatFile: (input: ChatFileIntake) => intakeChatFile(ctx, input),
    /**
     * Accepts REST upload bytes: checks size and type at once (clear 4xx for the caller),
     * stores the blob and queues the intake. Throws DocumentInputError for refused input.
     */
    intakeUpload: (input: UploadInput) => intakeUpload(ctx, input),
    /** Where an intake stands, with its document once stored. */
    intakeStatus: (id: string) => intakeStatus(ctx, id),
    /**
     * The intake job: fetch, check, extract, then store the version in one transaction.
     * Refused input throws DocumentInputError after replying (the processor makes it unrecoverable).
     */
    processIntake: (intakeId: string) => processIntake(ctx, extractOptions, intakeId),
    /** Ends the extraction threads (on shutdown, after the queue workers have stopped). */
    closeExtraction: () => extractOptions.pdfPool!.close(),
  };
}
