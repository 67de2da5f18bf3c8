/**
 * The OpenAPI document of the REST API, generated from the routes' own schemas
 * (@fastify/swagger collects every route as it is registered, so this runs before the module
 * routes), served at GET /api/openapi.json, and a browsable reference at /api/docs
 * (@fastify/swagger-ui, its script and styles served from this origin: no CDN).
 *
 * Only /api/v1/* is described. The other routes (Slack, Telegram, webhooks, health, metrics,
 * the reference's own assets) are hidden: their callers are the platforms and monitoring,
 * described in docs/alerts.md and docs/operations.md.
 *
 * Both are public: the document describes the API and holds no data (every operation in it
 * still needs the bearer token). They keep the global rate limit of the server.
 */
import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { BEARER_SCHEME } from '../../services/http/api-schemas.ts';

export const OPENAPI_PATH = '/api/openapi.json';
export const DOCS_PATH = '/api/docs';

const DESCRIPTION = [
  'The REST API of a2d2: tickets, documents, process runs.',
  'Every operation needs `Authorization: Bearer <A2D2_API_TOKEN>` (the token acts as an admin).',
  'Errors are JSON `{error, message}`; a 400 names the field at fault (`field`, where known).',
  'A 503 with `Retry-After` means a store or queue is unavailable for now: retry.',
].join('\n\n');

/** Routes described by the document; everything else is hidden. */
function documented(url: string): boolean {
  return url.startsWith('/api/v1/');
}

/** The page's content security policy: everything from this origin (Swagger UI sets inline styles). */
const CSP = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'frame-ancestors': ["'none'"],
};

/** Registers the generator, the document route and the reference (call before any module route). */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'a2d2 REST API', version: '1.0.0', description: DESCRIPTION },
      components: {
        securitySchemes: {
          [BEARER_SCHEME]: { type: 'http', scheme: 'bearer', description: 'A2D2_API_TOKEN' },
        },
      },
      tags: [
        { name: 'tickets', description: 'Tickets: create, list, read, change (docs/commands.md)' },
        { name: 'documents', description: 'Document uploads, their analysis and search (docs/documents.md)' },
        { name: 'processes', description: 'Process runs (docs/processes.md)' },
      ],
    },
    transform: ({ schema, url }) => ({ schema: documented(url) ? schema : { ...schema, hide: true }, url }),
  });

  app.get(OPENAPI_PATH, { schema: { hide: true } }, async () => app.swagger());

  await app.register(swaggerUi, {
    routePrefix: DOCS_PATH,
    staticCSP: CSP,
    uiConfig: { deepLinking: true, persistAuthorization: false },
    theme: { title: 'a2d2 REST API' },
  });
}
