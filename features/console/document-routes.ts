/**
 * The documents pages: GET /console/documents (`q`: full-text search over the latest
 * versions, else the latest documents), a card per document with its extracted fields;
 * GET /console/documents/:number (one document: its card, every field, its versions) and
 * GET /console/documents/:number/versions/:version/file (the stored file, as an attachment
 * with the content type it was stored with). The roles are the chat's `doc` command's.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Db } from '../../services/db.ts';
import type { CommandRegistry } from '../../core/registry.ts';
import type { DocumentService } from '../../services/documents/document.service.ts';
import { ROLES } from '../../services/users/roles.ts';
import { messagePage, type PageCtx } from './layout.ts';
import { send, type Access, type PageCtxOf } from './access.ts';
import { documentPage, documentsPage, type DocumentCard } from './documents-view.ts';

export interface DocumentPagesDeps {
  db: Db;
  documents: DocumentService;
  registry: CommandRegistry;
  timeZone: string;
  access: Access;
  pageCtx: PageCtxOf;
}

const LANG = { type: 'string', enum: ['en', 'ru'] } as const;
const NUMBER = { type: 'string', pattern: '^[1-9][0-9]{0,8}$' } as const;
const listQuery = { type: 'object', additionalProperties: false, properties: { lang: LANG, q: { type: 'string', maxLength: 500 } } } as const;
const numberParams = { type: 'object', additionalProperties: false, required: ['number'], properties: { number: NUMBER } } as const;
const fileParams = { type: 'object', additionalProperties: false, required: ['number', 'version'], properties: { number: NUMBER, version: NUMBER } } as const;
const detailQuery = { type: 'object', additionalProperties: false, properties: { lang: LANG } } as const;

/** How many documents the list shows. */
const LIST_LIMIT = 20;
/** A stored type that is not a plain `type/subtype` is sent as bytes. */
const MIME_RE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/i;

/** A card as one row of the statement: the latest version's columns flat, times in JSON as text. */
type CardRow = Pick<DocumentCard, 'number' | 'title'> &
  DocumentCard['latest'] & { versions: (Omit<DocumentCard['versions'][number], 'createdAt'> & { createdAt: string })[] };

/**
 * The cards of these documents (their latest versions with fields, and every version's file),
 * in the order given: one statement, each document's versions and its latest version's fields
 * read by their unique indexes.
 */
export async function documentCards(db: Db, numbers: number[]): Promise<DocumentCard[]> {
  if (!numbers.length) return [];
  const rows = await db.$queryRaw<CardRow[]>`
    SELECT d.number, d.title, l.version, l."fileName", l.category, l.confidence, l."categorySource", l.summary, l.stage, l.language, l."expiresOn",
      (SELECT coalesce(jsonb_agg(jsonb_build_object('name', f.name, 'value', f.value, 'normalized', f.normalized, 'primary', f."primary") ORDER BY f.start), '[]'::jsonb)
         FROM "DocumentField" f WHERE f."versionId" = l.id) AS fields,
      (SELECT jsonb_agg(jsonb_build_object('version', v.version, 'fileName', v."fileName", 'mimeType', v."mimeType", 'sizeBytes', v."sizeBytes", 'createdAt', v."createdAt") ORDER BY v.version DESC)
         FROM "DocumentVersion" v WHERE v."documentId" = d.id) AS versions
    FROM "Document" d
    CROSS JOIN LATERAL (
      SELECT id, version, "fileName", category, confidence, "categorySource", summary, stage, language, "expiresOn"
      FROM "DocumentVersion" v WHERE v."documentId" = d.id ORDER BY v.version DESC LIMIT 1
    ) l
    WHERE d.number = ANY(${numbers}::int[])`;
  const byNumber = new Map(rows.map((r) => [r.number, r]));
  return numbers.flatMap((n) => {
    const r = byNumber.get(n);
    if (!r) return [];
    const { number, title, fields, versions, ...latest } = r;
    // JSON carries the times as text (timestamp without zone, as stored: UTC).
    return [{ number, title, latest: { ...latest, fields }, versions: versions.map((v) => ({ ...v, createdAt: new Date(`${v.createdAt}Z`) })) }];
  });
}

/** The latest documents' numbers, most recently changed first (the Document(updatedAt) index). */
export async function recentNumbers(db: Db, limit: number): Promise<number[]> {
  const rows = await db.document.findMany({ where: { versions: { some: {} } }, orderBy: { updatedAt: 'desc' }, take: limit, select: { number: true } });
  return rows.map((r) => r.number);
}

/** `attachment; filename="..."; filename*=UTF-8''...`: a safe ASCII name and the real one. */
export function attachment(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_') || 'document';
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/** Builds the documents pages plugin. */
export function documentPages(deps: DocumentPagesDeps) {
  const { db, access, pageCtx } = deps;
  const roles = () => deps.registry.command('doc.show')?.roles ?? ROLES;
  const notFound = (reply: FastifyReply, c: PageCtx, number: number) =>
    send(reply, 404, messagePage(c, c.t('console.error.notFound.title'), c.t('documents.notFound', { number }), { path: '/console/documents', label: c.t('console.documents.back') }));

  return async function routes(app: FastifyInstance): Promise<void> {
    app.get('/documents', { schema: { querystring: listQuery } }, async (req, reply) => {
      const user = await access.withRole(req, reply, roles());
      if (!user) return reply;
      const q = ((req.query as { q?: string }).q ?? '').trim();
      const numbers = q ? (await deps.documents.search(q, LIST_LIMIT)).map((r) => r.number) : await recentNumbers(db, LIST_LIMIT);
      const cards = await documentCards(db, numbers);
      return send(reply, 200, documentsPage(pageCtx(req, reply, user), { query: q, cards, timeZone: deps.timeZone }));
    });

    app.get('/documents/:number', { schema: { params: numberParams, querystring: detailQuery } }, async (req, reply) => {
      const user = await access.withRole(req, reply, roles());
      if (!user) return reply;
      const number = Number((req.params as { number: string }).number);
      const c = pageCtx(req, reply, user);
      const [card] = await documentCards(db, [number]);
      if (!card) return notFound(reply, c, number);
      return send(reply, 200, documentPage(c, card, deps.timeZone));
    });

    app.get('/documents/:number/versions/:version/file', { schema: { params: fileParams, querystring: detailQuery } }, async (req, reply) => {
      const user = await access.withRole(req, reply, roles());
      if (!user) return reply;
      const p = req.params as { number: string; version: string };
      const file = await deps.documents.file(Number(p.number), Number(p.version));
      if (!file || file.version !== Number(p.version)) return notFound(reply, pageCtx(req, reply, user, false), Number(p.number));
      return reply
        .status(200)
        .type(MIME_RE.test(file.mimeType) ? file.mimeType : 'application/octet-stream')
        .header('content-disposition', attachment(file.fileName))
        .header('content-length', String(file.bytes.length))
        .send(file.bytes);
    });
  };
}
