/**
 * The documents domain: intake (chat files and REST uploads), the resumable analysis
 * pipeline, listing, search, passages for questions, category corrections and expiry
 * reminders. Chat output leaves only through the outbound port: one progress message per
 * intake (messageKey `doc:<intakeId>:progress`) edited through the stages, ending in the card.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../db.ts';
import { isUniqueViolation } from '../db.ts';
import type { Logger } from '../logger.ts';
import type { Clock } from '../clock.ts';
import type { OutboundPort } from '../messaging/outbound.service.ts';
import type { ConversationRef, InboundFile, Platform, Reply } from '../messaging/types.ts';
import { PLATFORMS } from '../messaging/types.ts';
import { translator, type Locale, type Translate } from '../i18n/i18n.ts';
import type { DocumentsConfig } from './documents.config.ts';
import { blobKey, sha256, type DocumentStorage } from './storage.ts';
import { classifyFetchError, type FileFetcher } from './file-fetcher.ts';
import { DocumentInputError } from './errors.ts';
import { MIME, sniff } from './sniff.ts';
import { extract, type ExtractOptions } from './extract/extract.service.ts';
import type { TextLocation } from './extract/types.ts';
import { ocrLanguageDirs } from './extract/image.extract.ts';
import { detectLanguage, fold } from './language.ts';
import { classify, isCategory, topTerms, type Category, type CorrectionExample } from './classify.ts';
import { expiryOf, extractFields } from './fields.ts';
import { sentences, summarize } from './summary.ts';

/** Pipeline stages after extraction, in order. */
export const STAGES = ['language', 'classify', 'fields', 'summary', 'index', 'notify', 'done'] as const;
export type Stage = (typeof STAGES)[number];

export const DOC_INTAKE_QUEUE = 'documents-intake';
export const DOC_ANALYZE_QUEUE = 'documents-analyze';
export const DOC_EXPIRY_QUEUE = 'documents-expiry';

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
  /** True when the tickets feature is present (the card then offers "Open ticket"). */
  ticketsAvailable?(): boolean;
}

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

/** A document as shown in lists and cards (its latest version). */
export interface DocumentView {
  id: string;
  number: number;
  title: string;
  version: number;
  versionId: string;
  fileName: string;
  kind: string;
  sizeBytes: number;
  language: string | null;
  category: string | null;
  confidence: number | null;
  categorySource: string | null;
  summary: string | null;
  stage: string;
  ocr: boolean;
  noTextLayer: boolean;
  createdAt: Date;
  expiresOn: Date | null;
  fields: { name: string; value: string; normalized: string; start: number; end: number; primary: boolean }[];
}

/** A passage answering a question, with where it is. */
export interface Passage {
  text: string;
  location: TextLocation | null;
  score: number;
}

/** Renders a location in the reader's language ("page 2", "sheet Q1, row 7"). */
export function locationLabel(t: Translate, loc: TextLocation | null): string {
  if (!loc) return t('documents.loc.text');
  if (loc.kind === 'row' && loc.sheet) return t('documents.loc.sheetRow', { sheet: loc.sheet, n: loc.n });
  return t(`documents.loc.${loc.kind}`, { n: loc.n });
}

const PRIMARY_ORDER = ['number', 'date', 'issueDate', 'startDate', 'endDate', 'expiryDate', 'total', 'value', 'vendor', 'holder', 'issuer', 'party'];

/** The card: category, key fields, summary. Buttons are added by the chat layer's renderer. */
export function renderCard(t: Translate, doc: DocumentView): Reply {
  const fields = [...doc.fields]
    .filter((f) => f.primary && f.name !== 'item')
    .sort((a, b) => PRIMARY_ORDER.indexOf(a.name) - PRIMARY_ORDER.indexOf(b.name));
  const generic = doc.fields.filter((f) => !f.primary && ['inn', 'ogrn', 'vat', 'email'].includes(f.name)).slice(0, 4);
  const items = doc.fields.filter((f) => f.name === 'item').length;
  const category = doc.category ?? 'other';
  const conf = doc.confidence !== null ? Math.round(doc.confidence * 100) : null;
  return {
    title: t('documents.card.title', { number: doc.number, title: doc.title }),
    text: [
      doc.noTextLayer ? t('documents.card.noTextLayer') : doc.summary ? doc.summary : t('documents.card.noSummary'),
    ].join('\n'),
    fields: [
      {
        label: t('documents.card.category'),
        value:
          doc.categorySource === 'correction'
            ? t('documents.card.categoryCorrected', { category: t(`documents.category.${category}`) })
            : t('documents.card.categoryValue', { category: t(`documents.category.${category}`), confidence: conf ?? 0 }),
      },
      ...fields.slice(0, 8).map((f) => ({ label: t(`documents.field.${f.name}`), value: f.normalized || f.value })),
      ...(items ? [{ label: t('documents.field.items'), value: String(items) }] : []),
      ...generic.map((f) => ({ label: t(`documents.field.${f.name}`), value: f.value })),
    ],
    context: t('documents.card.context', {
      version: doc.version,
      file: doc.fileName,
      language: doc.language ?? '-',
      ocr: doc.ocr ? t('documents.card.ocr') : '',
    }).trim(),
  };
}

/** Passages (paragraph-sized chunks) of a text with their locations. */
export function passagesOf(text: string, locations: TextLocation[]): { text: string; start: number }[] {
  const out: { text: string; start: number }[] = [];
  // Short location units (rows, lines) are merged with neighbours up to ~400 characters; long ones are split into sentences.
  let buf = '';
  let bufStart = 0;
  const flush = () => {
    if (buf.trim()) out.push({ text: buf.trim(), start: bufStart });
    buf = '';
  };
  const units = locations.length ? locations.map((l) => ({ start: l.start, text: text.slice(l.start, l.end) })) : [{ start: 0, text }];
  for (const u of units) {
    if (u.text.length > 500) {
      flush();
      let group = '';
      let groupStart = u.start;
      for (const s of sentences(u.text)) {
        if (!group) groupStart = u.start + s.start;
        group = group ? `${group} ${s.text}` : s.text;
        if (group.length > 300) {
          out.push({ text: group, start: groupStart });
          group = '';
        }
      }
      if (group) out.push({ text: group, start: groupStart });
      continue;
    }
    if (!buf) bufStart = u.start;
    buf = buf ? `${buf}\n${u.text}` : u.text;
    if (buf.length > 250) flush();
  }
  flush();
  return out;
}

// A crude stemmer shared by both languages: folded word prefixes are enough to match inflections.
const stem = (w: string) => w.slice(0, Math.max(4, Math.min(6, w.length - 2)));
const STOPQ = new Set('what when where which who whom does did is are the a an of in on to for and or how much many this that there about какой какая какие каков когда где кто что как сколько это этот эта в на о об и или по для у из до от с'.split(' '));

function queryStems(question: string): string[] {
  return [...new Set((fold(question).match(/[\p{L}\p{N}]{2,}/gu) ?? []).filter((w) => !STOPQ.has(w)).map(stem))];
}

/** Scores passages by how many of the question's word stems they contain. */
export function bestPassages(question: string, text: string, locations: TextLocation[], limit = 3): Passage[] {
  const q = queryStems(question);
  if (q.length === 0) return [];
  const scored = passagesOf(text, locations).map((p) => {
    const words = new Set((fold(p.text).match(/[\p{L}\p{N}]{2,}/gu) ?? []).map(stem));
    let hits = 0;
    for (const s of q) if (words.has(s)) hits++;
    const location = locations.find((l) => p.start >= l.start && p.start <= l.end) ?? null;
    return { text: p.text, location, score: hits / q.length };
  });
  return scored
    .filter((p) => p.score > 0)
    .sort((a, b) => b.score - a.score)
    .slice(0, limit);
}

/** Title of a file: its name without extension, tidied. */
export function titleOf(fileName: string): string {
  const base = fileName.replace(/\\/g, '/').split('/').pop() ?? fileName;
  return (base.replace(/\.[A-Za-z0-9]{1,5}$/, '').replace(/[_]+/g, ' ').trim() || 'document').slice(0, 200);
}

function isPlatform(p: string): p is Platform {
  return (PLATFORMS as readonly string[]).includes(p);
}

export type DocumentService = ReturnType<typeof createDocumentService>;

export function createDocumentService(deps: DocumentServiceDeps) {
  const { db, logger, config, storage } = deps;
  const extractOptions: ExtractOptions = {
    maxPages: config.maxPages,
    zip: { maxTotalBytes: config.maxUnpackedBytes, maxEntryBytes: config.maxUnpackedBytes, maxRatio: config.maxZipRatio, maxEntries: 10_000 },
    ocrLanguages: ocrLanguageDirs(config.ocrLangPath, config.ocrLanguages),
  };

  const progressKey = (intakeId: string) => `doc:${intakeId}:progress`;

  interface IntakeRow {
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

  async function loadView(where: { number: number } | { id: string }): Promise<DocumentView | null> {
    const doc = await db.document.findUnique({
      where,
      include: { versions: { orderBy: { version: 'desc' }, take: 1, include: { fields: { orderBy: { start: 'asc' } } } } },
    });
    const v = doc?.versions[0];
    if (!doc || !v) return null;
    return {
      id: doc.id,
      number: doc.number,
      title: doc.title,
      version: v.version,
      versionId: v.id,
      fileName: v.fileName,
      kind: v.kind,
      sizeBytes: v.sizeBytes,
      language: v.language,
      category: v.category,
      confidence: v.confidence,
      categorySource: v.categorySource,
      summary: v.summary,
      stage: v.stage,
      ocr: v.ocr,
      noTextLayer: v.noTextLayer,
      createdAt: v.createdAt,
      expiresOn: v.expiresOn,
      fields: v.fields.map((f) => ({ name: f.name, value: f.value, normalized: f.normalized, start: f.start, end: f.end, primary: f.primary })),
    };
  }

  async function reject(intake: IntakeRow, err: DocumentInputError): Promise<void> {
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

  return {
    config,
    progressKey,
    loadView,

    /** Registers a chat file and queues its intake; null when this file of this event was already registered. */
    async intakeChatFile(input: ChatFileIntake): Promise<string | null> {
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
        await reject(row, new DocumentInputError('tooLarge'));
        return row.id;
      }
      await progress(row, { text: t('documents.progress.received', { name: fileName(input.file) }) });
      await deps.enqueueIntake(row.id);
      return row.id;
    },

    /**
     * Accepts REST upload bytes: checks size and type at once (clear 4xx for the caller),
     * stores the blob and queues the intake. Throws DocumentInputError for refused input.
     */
    async intakeUpload(input: { bytes: Buffer; fileName: string; userId?: string; locale?: Locale }): Promise<UploadResult> {
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
    },

    async intakeStatus(id: string) {
      const row = await db.documentIntake.findUnique({ where: { id } });
      if (!row) return null;
      const version = row.versionId ? await db.documentVersion.findUnique({ where: { id: row.versionId }, include: { document: true } }) : null;
      return {
        id: row.id,
        status: row.status,
        error: row.error,
        document: version ? { id: version.document.id, number: version.document.number, version: version.version, stage: version.stage } : null,
      };
    },

    /**
     * The intake job: fetch, check, extract, then store the version in one transaction.
     * Refused input throws DocumentInputError after replying (the processor makes it unrecoverable).
     */
    async processIntake(intakeId: string): Promise<void> {
      const intake = (await db.documentIntake.findUnique({ where: { id: intakeId } })) as IntakeRow | null;
      if (!intake || intake.status === 'rejected' || intake.status === 'duplicate') return;
      if (intake.status === 'stored' && intake.versionId) {
        // Stored before a crash: make sure the analysis was queued.
        await deps.enqueueAnalysis(intake.versionId);
        return;
      }
      const file = intake.file as InboundFile & { storageKey?: string };
      const name = fileName(file);
      try {
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
        const kind = sniff(bytes);
        const hash = sha256(bytes);
        const existing = await db.documentVersion.findUnique({ where: { sha256: hash }, include: { document: true } });
        if (existing) {
          await db.documentIntake.update({ where: { id: intake.id }, data: { status: 'duplicate', versionId: existing.id } });
          const t = translator(localeOf(intake.locale));
          const view = await loadView({ id: existing.documentId });
          const ref = refOf(intake);
          if (ref) await rememberDocument(ref, existing.document.number);
          await progress(intake, {
            ...(view ? renderCard(t, view) : { text: '' }),
            text: t('documents.duplicate', { number: existing.document.number, title: existing.document.title }),
          });
          return;
        }
        await stageProgress(intake, 'extract', name);
        const ex = await extract(bytes, kind, extractOptions);
        const key = blobKey(hash);
        if (!file.storageKey) await storage.put(key, bytes);
        const title = titleOf(name);
        const titleKey = title.toLowerCase();
        let versionId: string;
        try {
          versionId = await db.$transaction(async (tx) => {
            const doc = await tx.document.upsert({
              where: { titleKey },
              create: { title, titleKey, ...(intake.userId ? { createdById: intake.userId } : {}) },
              update: {},
            });
            const last = await tx.documentVersion.findFirst({ where: { documentId: doc.id }, orderBy: { version: 'desc' }, select: { version: true } });
            const v = await tx.documentVersion.create({
              data: {
                documentId: doc.id,
                version: (last?.version ?? 0) + 1,
                sha256: hash,
                fileName: name,
                kind,
                mimeType: MIME[kind],
                sizeBytes: bytes.length,
                storageKey: key,
                text: ex.text,
                locations: ex.locations as unknown as object,
                ocr: ex.ocr,
                noTextLayer: Boolean(ex.noTextLayer),
                platform: intake.platform,
                chatId: intake.chatId,
                threadId: intake.threadId,
                locale: intake.locale,
                ...(intake.userId ? { uploadedById: intake.userId } : {}),
              },
            });
            await tx.documentIntake.update({ where: { id: intake.id }, data: { status: 'stored', versionId: v.id } });
            return v.id;
          });
        } catch (err) {
          // Same bytes raced in through another intake: that one owns the version; retry turns this into a duplicate.
          if (isUniqueViolation(err)) throw new Error('concurrent intake of the same bytes; retrying');
          throw err;
        }
        await deps.enqueueAnalysis(versionId);
      } catch (err) {
        if (err instanceof DocumentInputError) {
          await reject(intake, err);
          throw err;
        }
        throw err;
      }
    },

    /** The analysis job: runs the remaining stages of a version, each one committed before the next. */
    async processVersion(versionId: string): Promise<void> {
      for (let guard = 0; guard < STAGES.length + 1; guard++) {
        const v = await db.documentVersion.findUnique({ where: { id: versionId }, include: { document: true } });
        if (!v || v.stage === 'done') return;
        const stage = v.stage as Stage;
        const intake = (await db.documentIntake.findFirst({ where: { versionId, status: 'stored' } })) as IntakeRow | null;
        // The analysis stages take milliseconds: one "analysing" edit is enough (each edit costs a rate-limited platform call).
        if (intake && stage === 'language') await stageProgress(intake, stage, v.fileName);
        const next = STAGES[STAGES.indexOf(stage) + 1]!;
        // Each stage writes its result and the next stage in one statement: a crash repeats at most this stage.
        if (stage === 'language') {
          await db.documentVersion.update({ where: { id: versionId }, data: { language: detectLanguage(v.text), stage: next } });
        } else if (stage === 'classify') {
          const corrections = await db.documentCorrection.findMany({ orderBy: { createdAt: 'desc' }, take: 500 });
          const examples: CorrectionExample[] = corrections
            .filter((c) => isCategory(c.toCategory))
            .map((c) => ({ terms: (c.terms as string[]) ?? [], category: c.toCategory as Category }));
          // A correction of this very document carries over to its new versions.
          const own = corrections.find((c) => c.documentId === v.documentId);
          const result = own && isCategory(own.toCategory)
            ? { category: own.toCategory, confidence: 1, source: 'correction' as const }
            : classify(v.text, v.language === 'ru' ? 'ru' : 'en', examples);
          await db.documentVersion.update({
            where: { id: versionId },
            data: { category: result.category, confidence: result.confidence, categorySource: result.source, stage: next },
          });
        } else if (stage === 'fields') {
          const category = (isCategory(v.category) ? v.category : 'other') as Category;
          const fields = extractFields(v.text, category);
          const expires = category === 'certificate' || category === 'contract' ? expiryOf(fields) : null;
          const seen = new Set<string>();
          const rows = fields
            .filter((f) => {
              const k = `${f.name}:${f.start}`;
              if (seen.has(k)) return false;
              seen.add(k);
              return true;
            })
            .map((f) => ({ versionId, name: f.name, value: f.value.slice(0, 1000), normalized: f.normalized.slice(0, 1000), start: f.start, end: f.end, primary: f.primary }));
          await db.$transaction([
            db.documentField.deleteMany({ where: { versionId } }),
            db.documentField.createMany({ data: rows }),
            db.documentVersion.update({ where: { id: versionId }, data: { expiresOn: expires ? new Date(`${expires}T00:00:00Z`) : null, stage: next } }),
          ]);
        } else if (stage === 'summary') {
          await db.documentVersion.update({ where: { id: versionId }, data: { summary: v.noTextLayer ? '' : summarize(v.text), stage: next } });
        } else if (stage === 'index') {
          // Dates like 05.01.2024 would index as one token: split digits so "2024" matches.
          const body = fold(`${v.document.title}\n${v.text}`).replace(/(\d)[./-](?=\d)/g, '$1 ');
          await db.$executeRaw`UPDATE "DocumentVersion" SET "searchEn" = to_tsvector('english', ${body}), "searchRu" = to_tsvector('russian', ${body}), stage = ${next}, "processedAt" = now() WHERE id = ${versionId}::uuid`;
        } else if (stage === 'notify') {
          const view = await loadView({ id: v.documentId });
          if (intake && view) {
            const ref = refOf(intake);
            if (ref) await rememberDocument(ref, view.number);
            await progress(intake, { ...renderCard(translator(localeOf(intake.locale)), view), buttons: cardButtons(translator(localeOf(intake.locale)), view.number, deps) });
          }
          await db.documentVersion.update({ where: { id: versionId }, data: { stage: next } });
        }
      }
    },

    /** Recent documents (latest version of each). */
    async recent(limit = 10) {
      const docs = await db.document.findMany({
        orderBy: { updatedAt: 'desc' },
        take: limit,
        include: { versions: { orderBy: { version: 'desc' }, take: 1 } },
      });
      return docs
        .filter((d) => d.versions[0])
        .map((d) => ({ number: d.number, title: d.title, category: d.versions[0]!.category, version: d.versions[0]!.version, stage: d.versions[0]!.stage, createdAt: d.versions[0]!.createdAt }));
    },

    /** Full-text search over the latest versions in both English and Russian configurations. */
    async search(query: string, limit = 10) {
      const q = fold(query).replace(/(\d)[./-](?=\d)/g, '$1 ').slice(0, 500);
      const rows = await db.$queryRaw<{ number: number; title: string; category: string | null; version: number; rank: number; snippet: string }[]>`
        SELECT d.number, d.title, v.category, v.version,
          greatest(ts_rank(v."searchEn", qe), ts_rank(v."searchRu", qr))::float8 AS rank,
          left(v.summary, 200) AS snippet
        FROM "DocumentVersion" v
        JOIN "Document" d ON d.id = v."documentId",
          websearch_to_tsquery('english', ${q}) qe,
          websearch_to_tsquery('russian', ${q}) qr
        WHERE (v."searchEn" @@ qe OR v."searchRu" @@ qr)
          AND v.version = (SELECT max(v2.version) FROM "DocumentVersion" v2 WHERE v2."documentId" = d.id)
        ORDER BY rank DESC, d.number DESC
        LIMIT ${limit}`;
      return rows;
    },

    /** The best passages of a document for a question, with their locations. */
    async ask(number: number, question: string): Promise<{ doc: DocumentView; passages: Passage[] } | null> {
      const doc = await loadView({ number });
      if (!doc) return null;
      const v = await db.documentVersion.findUnique({ where: { id: doc.versionId }, select: { text: true, locations: true } });
      return { doc, passages: bestPassages(question, v?.text ?? '', (v?.locations as unknown as TextLocation[]) ?? []) };
    },

    /** Stores a category correction and re-runs fields, summary and the card for the latest version. */
    async correct(number: number, category: Category, userId: string | null): Promise<DocumentView | null> {
      const doc = await loadView({ number });
      if (!doc) return null;
      const v = await db.documentVersion.findUnique({ where: { id: doc.versionId }, select: { text: true } });
      const correction = await db.$transaction(async (tx) => {
        const c = await tx.documentCorrection.create({
          data: { documentId: doc.id, versionId: doc.versionId, fromCategory: doc.category, toCategory: category, terms: topTerms(v?.text ?? ''), ...(userId ? { userId } : {}) },
        });
        await tx.documentVersion.update({ where: { id: doc.versionId }, data: { category, confidence: 1, categorySource: 'correction', stage: 'fields' } });
        return c;
      });
      await deps.enqueueAnalysis(doc.versionId, `c${correction.id}`);
      return { ...doc, category, confidence: 1, categorySource: 'correction' };
    },

    /** Reminds the uploader's chat of certificates and contracts expiring soon (each version once). */
    async remindExpiring(): Promise<number> {
      const now = deps.clock.now();
      const until = new Date(now.getTime() + config.expiryReminderDays * 86_400_000);
      const due = await db.documentVersion.findMany({
        where: { expiresOn: { not: null, lte: until, gte: new Date(now.toISOString().slice(0, 10)) }, reminderSentAt: null, stage: 'done', category: { in: ['certificate', 'contract'] } },
        include: { document: true },
        take: 200,
      });
      let sent = 0;
      for (const v of due) {
        // Claim first: two schedulers racing send one reminder.
        const claimed = await db.documentVersion.updateMany({ where: { id: v.id, reminderSentAt: null }, data: { reminderSentAt: now } });
        if (!claimed.count) continue;
        const ref = refOf(v);
        if (!ref) continue;
        const t = translator(localeOf(v.locale));
        const days = Math.max(0, Math.ceil((v.expiresOn!.getTime() - now.getTime()) / 86_400_000));
        await deps.outbound.send({
          ref,
          reply: {
            text: t('documents.expiry', { number: v.document.number, title: v.document.title, category: t(`documents.category.${v.category}`), date: v.expiresOn!.toISOString().slice(0, 10), count: days, days }),
            buttons: [{ actionId: 'doc.open', label: t('documents.button.open'), value: String(v.document.number) }],
          },
          messageKey: `doc:${v.id}:expiry`,
        });
        sent++;
      }
      return sent;
    },
  };
}

/** Buttons of a card: ask, open a ticket (when tickets exist), correct the category. */
export function cardButtons(t: Translate, number: number, deps: { ticketsAvailable?: () => boolean }): NonNullable<Reply['buttons']> {
  return [
    { actionId: 'doc.ask', label: t('documents.button.ask'), value: String(number), style: 'primary' },
    ...(deps.ticketsAvailable?.() ? [{ actionId: 'doc.ticket', label: t('documents.button.ticket'), value: String(number) }] : []),
    { actionId: 'doc.correct', label: t('documents.button.correct'), value: String(number) },
  ];
}
