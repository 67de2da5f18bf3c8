/**
 * The OpenAPI document at /api/openapi.json, fetched over real HTTP from the real app (real
 * Postgres and Redis), is a valid OpenAPI document, and every route the server registered
 * under /api/ (seen with an onRoute hook attached as Fastify creates the instance) is in it
 * with its tags, summary, bearer security, path parameters, and at least one 2xx and one 4xx
 * response. The reference at /api/docs is an HTML page whose assets come from this origin.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { Validator } from '@seriousme/openapi-schema-validator';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { DOCS_PATH, OPENAPI_PATH } from '../../bot/http/openapi.ts';
import { BEARER_SCHEME } from '../../services/http/api-schemas.ts';

interface Operation {
  tags?: string[];
  summary?: string;
  security?: Record<string, string[]>[];
  parameters?: { in: string; name: string; required?: boolean }[];
  responses?: Record<string, unknown>;
}
interface OpenApiDoc {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components?: { securitySchemes?: Record<string, { type: string; scheme?: string }> };
}

// Every route of every Fastify instance created while the app starts, in registration order.
const registered = new Map<FastifyInstance, { method: string; url: string }[]>();
function onInstance(message: unknown): void {
  const fastify = (message as { fastify: FastifyInstance }).fastify;
  const list: { method: string; url: string }[] = [];
  registered.set(fastify, list);
  fastify.addHook('onRoute', (route: RouteOptions) => {
    for (const method of [route.method].flat()) list.push({ method, url: route.url });
  });
}

let t: TestApp;
let doc: OpenApiDoc;

before(async () => {
  subscribe('fastify.initialization', onInstance);
  try {
    t = await startTestApp({ env: { A2D2_API_TOKEN: `api-${randomUUID()}` } });
  } finally {
    unsubscribe('fastify.initialization', onInstance);
  }
  const res = await fetch(`${t.url}${OPENAPI_PATH}`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  doc = (await res.json()) as OpenApiDoc;
});
after(async () => {
  await t?.stop();
});

/** Where the document and the reference live themselves (they are not operations of the API). */
function isReference(url: string): boolean {
  return url === OPENAPI_PATH || url === DOCS_PATH || url.startsWith(`${DOCS_PATH}/`);
}

/** The API routes the server registered: /api/ but not the reference; HEAD is Fastify's implicit twin of GET. */
function apiRoutes(): { method: string; url: string }[] {
  const routes = registered.get(t.app.server!);
  assert.ok(routes, 'the app server was created while the hook listened');
  return routes.filter((r) => r.url.startsWith('/api/') && !isReference(r.url) && r.method !== 'HEAD');
}

/** The problems of one route in the document, empty when it is described as required. */
function problemsOf(document: OpenApiDoc, method: string, url: string): string[] {
  const path = url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
  const op = document.paths[path]?.[method.toLowerCase()];
  if (!op) return ['missing from the document'];
  const problems: string[] = [];
  const codes = Object.keys(op.responses ?? {});
  if (!codes.some((c) => /^2\d\d$/.test(c))) problems.push('no 2xx response');
  if (!codes.some((c) => /^4\d\d$/.test(c))) problems.push('no 4xx response');
  if (!op.tags?.length) problems.push('no tag');
  if (!op.summary?.trim()) problems.push('no summary');
  if (!op.security?.some((s) => BEARER_SCHEME in s)) problems.push(`no ${BEARER_SCHEME} security`);
  for (const [, name] of url.matchAll(/:([A-Za-z0-9_]+)/g)) {
    if (!op.parameters?.some((p) => p.in === 'path' && p.name === name && p.required === true)) problems.push(`path parameter ${name} not described`);
  }
  return problems;
}

test('the document is a valid OpenAPI document with a bearer security scheme', async () => {
  const result = await new Validator().validate(doc as unknown as Parameters<Validator["validate"]>[0]);
  assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2));
  assert.match(doc.openapi, /^3\.1\./);
  assert.deepEqual(doc.components?.securitySchemes?.[BEARER_SCHEME], { type: 'http', scheme: 'bearer', description: 'A2D2_API_TOKEN' });
});

test('every /api/ route the server registered is described, with a 2xx and a 4xx response', () => {
  const routes = apiRoutes();
  // Tickets (4), documents (4), processes (2): all registered here since the token is set.
  assert.ok(routes.length >= 10, `only ${routes.length} /api/ routes seen: ${JSON.stringify(routes)}`);
  const problems = routes.flatMap((r) => problemsOf(doc, r.method, r.url).map((p) => `${r.method} ${r.url}: ${p}`));
  assert.deepEqual(problems, []);
});

test('the checker refuses a route without a 4xx, an unknown route and a missing path parameter', () => {
  const op: Operation = { tags: ['x'], summary: 's', security: [{ [BEARER_SCHEME]: [] }], parameters: [], responses: { 200: {} } };
  const fake: OpenApiDoc = { openapi: '3.1.0', paths: { '/api/v1/x/{id}': { get: op } } };
  assert.deepEqual(problemsOf(fake, 'GET', '/api/v1/x/:id'), ['no 4xx response', 'path parameter id not described']);
  assert.deepEqual(problemsOf(fake, 'POST', '/api/v1/x/:id'), ['missing from the document']);
});

test('only /api/v1 is described: webhooks, chat platforms, health and the reference are hidden', () => {
  const paths = Object.keys(doc.paths);
  assert.ok(paths.length > 0);
  assert.deepEqual(paths.filter((p) => !p.startsWith('/api/v1/')), []);
  const all = registered.get(t.app.server!) ?? [];
  for (const hidden of ['/healthz', '/webhooks/deploy']) assert.ok(all.some((r) => r.url === hidden), `${hidden} is registered`);
});

test('the reference at /api/docs is HTML whose script and styles come from this origin, rate limited', async () => {
  const res = await fetch(`${t.url}${DOCS_PATH}`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
  assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'self'/);
  assert.ok(res.headers.get('x-ratelimit-limit'), 'the reference is rate limited');
  const html = await res.text();
  const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
  assert.ok(assets.some((a) => a.endsWith('swagger-ui-bundle.js')), html);
  for (const asset of assets) {
    const url = new URL(asset, `${t.url}${DOCS_PATH}`);
    assert.equal(url.origin, new URL(t.url).origin, `${asset} is served from this origin`);
    const got = await fetch(url);
    assert.equal(got.status, 200, `${asset}`);
    await got.arrayBuffer();
  }
  const json = await fetch(`${t.url}${OPENAPI_PATH}`);
  assert.ok(json.headers.get('x-ratelimit-limit'), 'the document is rate limited');
  await json.arrayBuffer();
});
