/**
 * Reading and correcting documents: recent ones, full-text search over the latest versions,
 * a version's stored file, passages for a question, and category corrections (which re-run the later stages).
 */
import type { TextLocation } from './extract/types.ts';
import { fold } from './language.ts';
import { topTerms, type Category } from './classify.ts';
import { bestPassages, type Passage } from './passages.ts';
import type { DocumentView } from './document-view.ts';
import type { DocumentContext } from './document-context.ts';

/** The query operations of the service, bound to its shared context. */
export function createQueries(ctx: DocumentContext) {
  const { deps, loadView } = ctx;
  const { db } = deps;

  return {
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

    /**
     * Full-text search over the latest versions in both English and Russian configurations:
     * the matching versions come from the GIN indexes on "searchEn" and "searchRu" (one bitmap
     * each, OR-ed), and only those are checked for being their document's latest version.
     */
    async search(query: string, limit = 10) {
      const q = fold(query).replace(/(\d)[./-](?=\d)/g, '$1 ').slice(0, 500);
      const rows = await db.$queryRaw<{ number: number; title: string; category: string | null; version: number; rank: number; snippet: string }[]>`
        SELECT d.number, d.title, v.category, v.version,
          greatest(ts_rank(v."searchEn", qe), ts_rank(v."searchRu", qr))::float8 AS rank,
          left(v.summary, 200) AS snippet
        FROM websearch_to_tsquery('english', ${q}) qe, websearch_to_tsquery('russian', ${q}) qr,
          "DocumentVersion" v
        JOIN "Document" d ON d.id = v."documentId"
        WHERE (v."searchEn" @@ qe OR v."searchRu" @@ qr)
          AND NOT EXISTS (SELECT 1 FROM "DocumentVersion" n WHERE n."documentId" = v."documentId" AND n.version > v.version)
        ORDER BY rank DESC, d.number DESC
        LIMIT ${limit}`;
      return rows;
    },

    /** The stored file of a document's version (its latest when `version` is left out). */
    async file(number: number, version?: number): Promise<{ fileName: string; mimeType: string; version: number; bytes: Buffer } | null> {
      const v = await db.documentVersion.findFirst({
        where: { document: { number }, ...(version ? { version } : {}) },
        orderBy: { version: 'desc' },
        select: { fileName: true, mimeType: true, version: true, storageKey: true },
      });
      if (!v) return null;
      return { fileName: v.fileName, mimeType: v.mimeType, version: v.version, bytes: await deps.storage.get(v.storageKey) };
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
  };
}
