/**
 * The console's HTTP side, all under /console in one encapsulated plugin: signed cookies,
 * form bodies, CSRF on every POST, helmet with a strict CSP (styles and scripts from the
 * console only, no inline code), HTML error pages. Nothing here reaches the Slack, Telegram,
 * webhook or REST routes: they live in other plugins.
 * Sign-in: GET /console/login?token= (a one-time link from the `console` command) or POST
 * /console/login with A2D2_API_TOKEN (an admin); POST /console/logout signs out.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import csrf from '@fastify/csrf-protection';
import helmet from '@fastify/helmet';
import { translator, type Locale } from '../../services/i18n/i18n.ts';
import { safeEqual } from '../../services/http/bearer-auth.ts';
import { RETRY_AFTER_SECONDS, unavailableDependency } from '../../services/errors/unavailable.ts';
import { html } from './html.ts';
import { csrfField, href, messagePage, page, type PageCtx } from './layout.ts';
import { STYLESHEET } from './style.ts';
import type { LoginTokens } from './login-tokens.ts';
import type { ConsoleUser, Sessions } from './session.ts';
import { ticketPages, type TicketPagesDeps } from './ticket-routes.ts';
import { ticketActions } from './ticket-actions.ts';
import { createAccess } from './access.ts';
import { alertPages, type AlertPagesDeps } from './alert-routes.ts';
import { runPages } from './run-routes.ts';
import { auditPages } from './audit-routes.ts';
import { queueBoard, type QueueBoardDeps } from './queue-board.ts';
import { chartPages } from './chart-routes.ts';
import { deployPages } from './deploy-routes.ts';
import { documentPages, type DocumentPagesDeps } from './document-routes.ts';
import { agentPages } from './agent-routes.ts';

export interface ConsoleRoutesDeps extends TicketPagesDeps, Omit<AlertPagesDeps, 'access' | 'pageCtx'>, Omit<QueueBoardDeps, 'access'>, Pick<DocumentPagesDeps, 'documents'> {
  secret: string;
  secure: boolean;
  tokens: LoginTokens;
  sessions: Sessions;
  apiToken: string | undefined;
  defaultLocale: Locale;
}

const LANG = { type: 'string', enum: ['en', 'ru'] } as const;
const loginQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { token: { type: 'string', maxLength: 100 }, lang: LANG, signedOut: { type: 'string', enum: ['1'] } },
} as const;
const loginBody = {
  type: 'object',
  additionalProperties: false,
  // _csrf is checked by the CSRF hook (403), not by the schema (which would answer 400).
  required: ['token'],
  properties: { _csrf: { type: 'string', maxLength: 200 }, token: { type: 'string', maxLength: 500 } },
} as const;

/** Builds the page context of a request. */
export function makePageCtx(defaultLocale: Locale) {
  return (req: FastifyRequest, reply: FastifyReply, user: ConsoleUser | null, withForms = true, fallback: string | null = null): PageCtx => {
    const query = { ...((req.query ?? {}) as Record<string, string>) };
    const explicitLang = query.lang === 'ru' || query.lang === 'en' ? query.lang : null;
    // The language switch links to the page itself: after a form's POST, to the tickets instead.
    const path = req.method === 'GET' ? req.url.split('?')[0]! : '/console/tickets';
    const stored = user?.locale ?? (fallback === 'ru' || fallback === 'en' ? fallback : null);
    const locale: Locale = explicitLang ?? stored ?? defaultLocale;
    return { locale, t: translator(locale), user, csrf: withForms ? reply.generateCsrf() : null, path, query: req.method === 'GET' ? query : {}, explicitLang };
  };
}

/** Sends a whole HTML page. */
export function sendPage(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.status(status).type('text/html; charset=utf-8').send(body);
}

function loginPage(c: PageCtx, hasToken: boolean, notice: string | null): string {
  const admin = hasToken
    ? html`<h2>${c.t('console.login.adminTitle')}</h2><form method="post" action="${href(c, '/console/login')}">${csrfField(c)}
<label for="api-token">${c.t('console.login.tokenLabel')}</label><input id="api-token" name="token" type="password" autocomplete="off" required>
<p><button type="submit">${c.t('console.login.submit')}</button></p></form>`
    : html``;
  return page(c, { title: c.t('console.login.title'), body: html`${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}<p>${c.t('console.login.intro')}</p>${admin}` });
}

/** The field a schema refusal names: the unknown or missing one, else the one at fault. */
function fieldOf(err: FastifyError): string {
  const first = (err.validation?.[0] ?? {}) as { instancePath?: string; params?: Record<string, unknown> };
  const named = first.params?.additionalProperty ?? first.params?.missingProperty;
  const path = (first.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  return String(named ?? (path || err.validationContext || '-'));
}

const CSRF_ERRORS = new Set(['FST_CSRF_INVALID_TOKEN', 'FST_CSRF_MISSING_SECRET']);

/**
 * A fault, answered here rather than by the server's handler: a page instead of JSON, and a
 * log line with the path only, since a sign-in link's query is a token (never logged).
 */
function fault(err: FastifyError, req: FastifyRequest, reply: FastifyReply, pageCtx: ReturnType<typeof makePageCtx>): FastifyReply {
  const path = req.url.split('?')[0];
  const c = pageCtx(req, reply, null, false);
  const down = unavailableDependency(err);
  if (down) {
    req.log.warn({ path, dependency: down }, `console request refused for now: ${down} unavailable`);
    reply.header('retry-after', String(RETRY_AFTER_SECONDS));
    return sendPage(reply, 503, messagePage(c, c.t('console.error.unavailable.title'), c.t('console.error.unavailable.text')));
  }
  const ref = randomUUID().slice(0, 8);
  req.log.error({ err, path, ref }, 'console request failed');
  return sendPage(reply, 500, messagePage(c, c.t('console.error.internal.title'), c.t('core.error', { ref })));
}

function errorPages(app: FastifyInstance, pageCtx: ReturnType<typeof makePageCtx>): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (CSRF_ERRORS.has(err.code)) {
      const c = pageCtx(req, reply, null, false);
      return sendPage(reply, 403, messagePage(c, c.t('console.error.csrf.title'), c.t('console.error.csrf.text')));
    }
    if (!err.statusCode || err.statusCode >= 500) return fault(err, req, reply, pageCtx);
    const c = pageCtx(req, reply, null, false);
    const field = err.validation ? fieldOf(err) : '-';
    return sendPage(reply, err.statusCode, messagePage(c, c.t('console.error.badInput.title'), c.t('console.error.badInput.text', { field })));
  });
  app.setNotFoundHandler((req, reply) => {
    const c = pageCtx(req, reply, null, false);
    return sendPage(reply, 404, messagePage(c, c.t('console.error.notFound.title'), c.t('console.error.notFound.text')));
  });
}

async function securityPlugins(app: FastifyInstance, deps: ConsoleRoutesDeps): Promise<void> {
  await app.register(cookie, { secret: deps.secret, hook: 'onRequest' });
  await app.register(formbody, { bodyLimit: 16_384 });
  await app.register(csrf, { sessionPlugin: '@fastify/cookie', cookieKey: 'a2d2_console_csrf', cookieOpts: { path: '/console', httpOnly: true, sameSite: 'lax', secure: deps.secure, signed: true } });
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
    },
    strictTransportSecurity: deps.secure,
  });
  app.addHook('onSend', async (_req, reply) => {
    reply.header('cache-control', 'no-store');
  });
}

/** The console plugin (registered by the feature module under its routes). */
export function consoleRoutes(deps: ConsoleRoutesDeps) {
  return async function routes(root: FastifyInstance): Promise<void> {
    await root.register(async (app) => {
      await securityPlugins(app, deps);
      const pageCtx = makePageCtx(deps.defaultLocale);
      errorPages(app, pageCtx);

      app.get('/style.css', async (_req, reply) => reply.type('text/css; charset=utf-8').send(STYLESHEET));
      app.get('/', async (req, reply) => reply.redirect(href(pageCtx(req, reply, null, false), '/console/tickets'), 303));

      app.get('/login', { schema: { querystring: loginQuery } }, async (req, reply) => {
        const q = req.query as { token?: string; signedOut?: string };
        if (q.token === undefined) {
          const user = await deps.sessions.current(req);
          if (user) return reply.redirect(href(pageCtx(req, reply, user, false), '/console/tickets'), 303);
          const c = pageCtx(req, reply, null);
          return sendPage(reply, 200, loginPage(c, Boolean(deps.apiToken), q.signedOut ? c.t('console.signedOut') : null));
        }
        const res = await deps.tokens.redeem(q.token);
        if (!res.ok) {
          const c = pageCtx(req, reply, null, false, res.locale);
          return sendPage(reply, res.reason === 'invalid' ? 400 : 410, messagePage(c, c.t(`console.login.${res.reason}.title`), c.t(`console.login.${res.reason}.text`)));
        }
        const ids = await deps.users.identities(res.userId);
        const row = ids[0] ? await deps.users.resolve(ids[0].platform, ids[0].platformUserId) : null;
        if (!row) {
          const c = pageCtx(req, reply, null, false, res.locale);
          return sendPage(reply, 400, messagePage(c, c.t('console.login.invalid.title'), c.t('console.login.invalid.text')));
        }
        const locale = res.locale === 'ru' || res.locale === 'en' ? res.locale : null;
        deps.sessions.start(reply, row, locale);
        return reply.redirect(href(pageCtx(req, reply, null, false), '/console/tickets'), 303);
      });

      app.post('/login', { schema: { body: loginBody, querystring: loginQuery }, preHandler: app.csrfProtection }, async (req, reply) => {
        const { token } = req.body as { token: string };
        if (!deps.apiToken || !safeEqual(token, deps.apiToken)) {
          req.log.warn({ ip: req.ip }, 'console sign-in refused: check A2D2_API_TOKEN');
          const c = pageCtx(req, reply, null);
          return sendPage(reply, 401, loginPage(c, Boolean(deps.apiToken), c.t('console.login.badToken')));
        }
        deps.sessions.start(reply, await deps.sessions.tokenUser(), null, true);
        return reply.redirect(href(pageCtx(req, reply, null, false), '/console/tickets'), 303);
      });

      app.post('/logout', { preHandler: app.csrfProtection }, async (req, reply) => {
        deps.sessions.end(reply);
        return reply.redirect(href(pageCtx(req, reply, null, false), '/console/login', { signedOut: '1' }), 303);
      });

      const access = createAccess(deps.sessions, pageCtx);
      await app.register(ticketPages({ ...deps, access, pageCtx }));
      await app.register(ticketActions({ ...deps, access, pageCtx }));
      await app.register(alertPages({ ...deps, access, pageCtx }));
      await app.register(runPages({ ...deps, access, pageCtx }));
      await app.register(auditPages({ ...deps, access, pageCtx }));
      await app.register(chartPages({ ...deps, access, pageCtx }));
      await app.register(deployPages({ ...deps, access, pageCtx }));
      await app.register(documentPages({ ...deps, access, pageCtx }));
      await app.register(agentPages({ ...deps, access, pageCtx }));
      await app.register(queueBoard({ ...deps, access }));
    }, { prefix: '/console' });
  };
}
