/**
 * The HTTP edge. `buildServer(deps)` wires routes and policies; `listen` is the caller's.
 * Health (/healthz, /readyz), metrics (/metrics), and every feature module's routes
 * (Slack, Telegram, webhooks, REST) as encapsulated plugins, and the REST API's OpenAPI
 * document and reference (openapi.ts). Bad input is a 4xx with a reason.
 */
import Fastify, { type FastifyInstance, type FastifyError } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import type { Logger } from '../../services/logger.ts';
import type { Metrics } from '../../services/metrics.ts';
import type { Queues } from '../../services/queues.ts';
import { scrapeText } from './worker-listener.ts';
import type { FeatureModule } from '../../core/module.ts';
import type { HealthProbe } from '../../features/basics/module.ts';
import { RETRY_AFTER_SECONDS, unavailableDependency } from '../../services/errors/unavailable.ts';
import { dataExceptionMessage } from '../../services/text/data-exception.ts';
import { registerOpenApi } from './openapi.ts';

export interface ServerDeps {
  logger: Logger;
  metrics: Metrics;
  queues: Queues;
  health: HealthProbe;
  modules: FeatureModule[];
  http: { bodyLimitBytes: number; requestTimeoutMs: number; rateLimitPerMinute: number; webhookAuthFailuresPerMinute: number; readinessTimeoutMs: number };
  /** True once shutdown began (the drain included): /readyz answers 503. */
  isShuttingDown(): boolean;
}

/** Resolves to `fallback` when `p` takes longer than `ms` (a paused dependency must not hang a probe). */
async function within<T>(p: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

function isWebhook(url: string): boolean {
  return url.startsWith('/slack/') || url.startsWith('/telegram/') || url.startsWith('/webhooks/');
}

/** Routes never rate-limited (probes and scrapes). */
const INTERNAL = new Set(['/healthz', '/readyz', '/metrics']);

export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  const app = Fastify({
    // Per-request lines would drown the log; errors still come through.
    loggerInstance: deps.logger.child({ component: 'http' }, { level: 'warn' }),
    bodyLimit: deps.http.bodyLimitBytes,
    requestTimeout: deps.http.requestTimeoutMs,
    connectionTimeout: deps.http.requestTimeoutMs * 2,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    trustProxy: true,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
  });

  // From the first moment of a drain every answer closes its connection, so when the listener
  // closes no idle keep-alive connection is left for a proxy to send a request into as it is
  // torn down (a POST lost that way is a 502 nginx does not retry elsewhere).
  app.addHook('onSend', async (_req, reply) => {
    if (deps.isShuttingDown()) reply.header('connection', 'close');
  });

  await app.register(rateLimit, {
    global: true,
    max: deps.http.rateLimitPerMinute,
    timeWindow: 60_000,
    allowList: (req) => INTERNAL.has(req.routeOptions.url ?? '') || isWebhook(req.url),
    errorResponseBuilder: (_req, ctx) => ({ statusCode: 429, error: 'Too Many Requests', message: `rate limit exceeded, retry in ${ctx.after}` }),
  });
  // Before every route: the generator collects each route's schema as it is registered.
  await registerOpenApi(app as unknown as FastifyInstance);

  // Webhooks (platforms, alert sources) come in bursts from a few addresses and are verified
  // before any work, so genuine deliveries are never throttled (a 429 would delay or drop
  // them). What is limited there is failed verification: an address that keeps sending
  // forged or unsigned requests is refused before the signature work.
  const failures = new Map<string, { count: number; resetAt: number }>();
  app.addHook('onRequest', async (req, reply) => {
    if (!isWebhook(req.url)) return;
    const f = failures.get(req.ip);
    if (f && f.resetAt > Date.now() && f.count >= deps.http.webhookAuthFailuresPerMinute) {
      return reply.code(429).send({ error: 'too_many_failures', message: 'too many failed verifications from this address; retry later' });
    }
  });
  app.addHook('onResponse', async (req, reply) => {
    if (!isWebhook(req.url) || (reply.statusCode !== 401 && reply.statusCode !== 403)) return;
    const now = Date.now();
    const f = failures.get(req.ip);
    if (!f || f.resetAt <= now) {
      if (failures.size > 10_000) for (const [ip, v] of failures) if (v.resetAt <= now) failures.delete(ip);
      failures.set(req.ip, { count: 1, resetAt: now + 60_000 });
    } else {
      f.count += 1;
    }
  });

  // Every error leaves as a clear 4xx; only genuine faults are 5xx, and those without internals.
  app.setErrorHandler((err: FastifyError, req, reply) => {
    // A store or queue that is down is not the request's fault: 503, and the sender retries.
    const down = unavailableDependency(err);
    if (down) {
      req.log.warn({ url: req.url, dependency: down }, `request refused for now: ${down} unavailable`);
      return reply.status(503).header('retry-after', String(RETRY_AFTER_SECONDS)).send({ error: 'unavailable', message: `${down} unavailable, retry later` });
    }
    // A value the database refuses (SQLSTATE class 22) fails the same way on every retry: the
    // request is at fault, so a 400 that says so instead of a 500 a sender would retry.
    const refused = dataExceptionMessage(err);
    if (refused) {
      req.log.warn({ url: req.url, err: refused }, 'request refused by the database: a value cannot be stored');
      return reply.status(400).send({ error: 'bad_request', message: `a value cannot be stored: ${refused}` });
    }
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (status >= 500) {
      req.log.error({ err, url: req.url }, 'request failed');
      return reply.status(status).send({ error: 'internal_error', message: 'internal error' });
    }
    return reply.status(status).send({ error: err.code ?? 'bad_request', message: err.message });
  });
  app.setNotFoundHandler((req, reply) => reply.status(404).send({ error: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}` }));

  app.addHook('onResponse', async (req, reply) => {
    deps.metrics.httpDuration.observe(
      { method: req.method, route: req.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_req, reply) => {
    if (deps.isShuttingDown()) return reply.status(503).send({ status: 'shutting_down' });
    const limit = deps.http.readinessTimeoutMs;
    const checks: Record<string, boolean> = { ...(await within(deps.health.check(), limit, { db: false, redis: false })) };
    for (const m of deps.modules) if (m.ready) Object.assign(checks, await within(m.ready(), limit, { [m.name]: false }));
    const ok = Object.values(checks).every(Boolean);
    return reply.status(ok ? 200 : 503).send({ status: ok ? 'ready' : 'not_ready', checks });
  });

  app.get('/metrics', async (_req, reply) => {
    reply.header('content-type', deps.metrics.registry.contentType);
    return scrapeText(deps.metrics, deps.queues);
  });

  for (const m of deps.modules) {
    if (m.routes) await app.register(async (scope) => m.routes!(scope as unknown as FastifyInstance));
  }
  // A custom logger instance narrows Fastify's generic type; callers only need the base shape.
  return app as unknown as FastifyInstance;
}
