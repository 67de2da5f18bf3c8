/**
 * REST for documents, bearer-authenticated with A2D2_API_TOKEN:
 * - POST /api/v1/documents (multipart, one file field): 202 {intakeId}; 413 over the limit,
 *   415 for an unsupported type, 400 for a missing or empty file.
 * - GET /api/v1/documents/intakes/:id: the intake's status and resulting document.
 * - GET /api/v1/documents/:number: the document card data.
 * - GET /api/v1/documents?q=words: search (or recent without q).
 * The multipart parser is registered inside this plugin only.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import type { Db } from '../../services/db.ts';
import type { DocumentService } from '../../services/documents/document.service.ts';
import { DocumentInputError } from '../../services/documents/errors.ts';
import { bearerAuth } from '../../services/http/bearer-auth.ts';
import { cleanText, isBlank, truncate } from '../../services/text/sanitize.ts';
import { documentSchema, intakeSchema, listSchema, uploadConfig, uploadSchema } from './api-schemas.ts';

export interface DocumentsRouteOptions {
  service(): DocumentService;
  /** A2D2_API_TOKEN; without it every request is 401 (the API is off). */
  token: string | undefined;
  uploadLimitBytes: number;
  db: Db;
}

const STATUS: Record<string, 400 | 413 | 415 | 422> = { tooLarge: 413, unsupported: 415, empty: 400, encrypted: 422, corrupt: 422, bomb: 422 };

/**
 * The name an uploaded file is stored under: its multipart file name cleaned (PostgreSQL
 * refuses NUL), at most 255 code points as file systems allow, and 'document' when nothing
 * visible is left. The name is a label, so a bad one is mended rather than refused.
 */
export function uploadName(raw: string | undefined): string {
  const name = truncate(cleanText(raw ?? '').trim(), 255);
  return isBlank(name) ? 'document' : name;
}

/** The documents REST API as an encapsulated Fastify plugin (its multipart parser stays inside). */
export function documentsRoute(opts: DocumentsRouteOptions) {
  return async function routes(app: FastifyInstance): Promise<void> {
    await app.register(multipart, {
      limits: { fileSize: opts.uploadLimitBytes, files: 1, fields: 10, parts: 12, fieldSize: 10_000 },
      throwFileSizeLimit: true,
    });

    const token = opts.token;
    app.addHook(
      'onRequest',
      token
        ? bearerAuth({ token, name: 'A2D2_API_TOKEN', logger: app.log })
        : async (_req: FastifyRequest, reply: FastifyReply) => reply.status(401).send({ error: 'unauthorized', message: 'the API is off: set A2D2_API_TOKEN' }),
    );

    app.post('/api/v1/documents', { bodyLimit: opts.uploadLimitBytes + 64 * 1024, schema: uploadSchema, config: uploadConfig }, async (req, reply) => {
      if (!req.isMultipart()) return reply.status(415).send({ error: 'unsupported_media_type', message: 'send multipart/form-data with one file field' });
      let file;
      try {
        file = await req.file();
      } catch (err) {
        return reply.status(400).send({ error: 'bad_request', message: (err as Error).message });
      }
      if (!file) return reply.status(400).send({ error: 'no_file', message: 'the form has no file field' });
      let bytes: Buffer;
      try {
        bytes = await file.toBuffer();
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (code === 'FST_REQ_FILE_TOO_LARGE') return reply.status(413).send({ error: 'too_large', message: `the file is larger than ${opts.uploadLimitBytes} bytes` });
        throw err;
      }
      try {
        const result = await opts.service().intakeUpload({ bytes, fileName: uploadName(file.filename) });
        return reply.status(202).send(result);
      } catch (err) {
        if (err instanceof DocumentInputError) {
          return reply.status(STATUS[err.code] ?? 400).send({ error: err.code, message: `refused: ${err.code}` });
        }
        throw err;
      }
    });

    app.get<{ Params: { id: string } }>(
      '/api/v1/documents/intakes/:id',
      { schema: { ...intakeSchema, params: { type: 'object', properties: { id: { type: 'string', format: 'uuid' } }, required: ['id'] } } },
      async (req, reply) => {
        const status = await opts.service().intakeStatus(req.params.id);
        if (!status) return reply.status(404).send({ error: 'not_found', message: 'no such intake' });
        return status;
      },
    );

    app.get<{ Params: { number: string } }>(
      '/api/v1/documents/:number',
      { schema: { ...documentSchema, params: { type: 'object', properties: { number: { type: 'string', pattern: '^[0-9]{1,9}$' } }, required: ['number'] } } },
      async (req, reply) => {
        const view = await opts.service().loadView({ number: Number(req.params.number) });
        if (!view) return reply.status(404).send({ error: 'not_found', message: 'no such document' });
        return view;
      },
    );

    app.get<{ Querystring: { q?: string } }>(
      '/api/v1/documents',
      { schema: { ...listSchema, querystring: { type: 'object', properties: { q: { type: 'string', maxLength: 500, description: 'words to search for' } } } } },
      async (req) => {
        const q = req.query.q?.trim();
        return { documents: q ? await opts.service().search(q) : await opts.service().recent(20) };
      },
    );
  };
}
