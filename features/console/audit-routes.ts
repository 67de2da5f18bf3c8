/**
 * The audit log page, GET /console/audit, for technicians and admins (others get 403): every
 * command and button press, newest first, with GET filters on the action's prefix
 * (`action:alert.`), the user (a name, a platform id or the user's id) and the day (UTC).
 */
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../services/db.ts';
import type { Prisma } from '../../generated/prisma/client.ts';
import { formatTime } from '../../services/tickets/ticket.render.ts';
import { html, type Html } from './html.ts';
import { href, messagePage, page, sectionRoles, type PageCtx } from './layout.ts';
import { send, shownJson, type Access, type PageCtxOf } from './access.ts';

export interface AuditPagesDeps {
  db: Db;
  timeZone: string;
  access: Access;
  pageCtx: PageCtxOf;
}

interface Filters {
  action?: string;
  user?: string;
  date?: string;
}

const LANG = { type: 'string', enum: ['en', 'ru'] } as const;
const query = {
  type: 'object',
  additionalProperties: false,
  properties: {
    lang: LANG,
    action: { type: 'string', maxLength: 100 },
    user: { type: 'string', maxLength: 200 },
    date: { type: 'string', pattern: '^$|^[0-9]{4}-[0-9]{2}-[0-9]{2}$' },
  },
} as const;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** How many entries the page shows. */
const LIMIT = 100;

interface Row {
  id: bigint;
  at: Date;
  userId: string | null;
  platform: string;
  action: string;
  target: string | null;
  outcome: string;
  detail: unknown;
}

function filterForm(c: PageCtx, f: Filters): Html {
  const input = (name: keyof Filters, labelKey: string, type = 'text') =>
    html`<div><label for="f-${name}">${c.t(labelKey)}</label><input id="f-${name}" name="${name}" type="${type}" value="${f[name] ?? ''}"></div>`;
  return html`<form class="filters" method="get" action="/console/audit" role="search" aria-label="${c.t('console.tickets.filters')}">
${c.explicitLang ? html`<input type="hidden" name="lang" value="${c.explicitLang}">` : ''}
${input('action', 'console.audit.action')}${input('user', 'console.audit.user')}${input('date', 'console.audit.date', 'date')}
<div><button type="submit">${c.t('console.tickets.apply')}</button> <a href="${href(c, '/console/audit')}">${c.t('console.tickets.reset')}</a></div></form>`;
}

function auditPage(c: PageCtx, f: Filters, rows: Row[], names: Map<string, string>, tz: string): string {
  const body = rows.map(
    (r) => html`<tr data-audit="${String(r.id)}" data-action="${r.action}"><td><time datetime="${r.at.toISOString()}">${formatTime(r.at, c.locale, tz)}</time></td>
<td>${r.userId ? (names.get(r.userId) ?? r.userId) : '—'}</td><td>${r.platform}</td><th scope="row">${r.action}</th><td>${r.target ?? '—'}</td>
<td><span class="state">${r.outcome}</span></td><td><pre class="json">${shownJson(r.detail, 600)}</pre></td></tr>`,
  );
  const table = rows.length
    ? html`<table><caption>${c.t('console.audit.caption', { count: rows.length })}</caption><thead><tr>
<th scope="col">${c.t('console.col.when')}</th><th scope="col">${c.t('console.col.who')}</th><th scope="col">${c.t('console.audit.platform')}</th>
<th scope="col">${c.t('console.audit.action')}</th><th scope="col">${c.t('console.audit.target')}</th><th scope="col">${c.t('console.audit.outcome')}</th><th scope="col">${c.t('console.col.detail')}</th>
</tr></thead><tbody>${body}</tbody></table>`
    : html`<p>${c.t('console.audit.empty')}</p>`;
  return page(c, { title: c.t('console.audit.title'), section: 'audit', body: html`<h2>${c.t('console.tickets.filters')}</h2>${filterForm(c, f)}${table}` });
}

/** Builds the audit page plugin. */
export function auditPages(deps: AuditPagesDeps) {
  const { db, access, pageCtx } = deps;
  const roles = sectionRoles('audit') ?? [];

  /** The ids of the users a filter names (by id, name or platform id); null: no user filter. */
  async function userIds(user: string | undefined): Promise<string[] | null> {
    if (!user) return null;
    if (UUID_RE.test(user)) return [user.toLowerCase()];
    const found = await db.user.findMany({
      where: { OR: [{ displayName: { equals: user, mode: 'insensitive' } }, { identities: { some: { OR: [{ platformUserId: user }, { displayName: { equals: user, mode: 'insensitive' } }] } } }] },
      select: { id: true },
      take: 50,
    });
    return found.map((u) => u.id);
  }

  async function entries(f: Filters): Promise<Row[]> {
    const ids = await userIds(f.user);
    const where: Prisma.AuditLogWhereInput = {
      ...(f.action ? { action: { startsWith: f.action } } : {}),
      ...(ids ? { userId: { in: ids } } : {}),
      ...(f.date ? { at: { gte: new Date(`${f.date}T00:00:00Z`), lt: new Date(new Date(`${f.date}T00:00:00Z`).getTime() + 86_400_000) } } : {}),
    };
    return db.auditLog.findMany({ where, orderBy: { id: 'desc' }, take: LIMIT });
  }

  return async function routes(app: FastifyInstance): Promise<void> {
    app.get('/audit', { schema: { querystring: query } }, async (req, reply) => {
      const user = await access.withRole(req, reply, roles);
      if (!user) return reply;
      const q = req.query as Filters;
      const f: Filters = { ...(q.action ? { action: q.action } : {}), ...(q.user ? { user: q.user.trim() } : {}), ...(q.date ? { date: q.date } : {}) };
      if (f.date && Number.isNaN(Date.parse(`${f.date}T00:00:00Z`))) {
        const c = pageCtx(req, reply, user, false);
        return send(reply, 400, messagePage(c, c.t('console.error.badInput.title'), c.t('console.error.badInput.text', { field: 'date' })));
      }
      const rows = await entries(f);
      const userIdsShown = [...new Set(rows.map((r) => r.userId).filter((u): u is string => Boolean(u)))];
      const users = userIdsShown.length ? await db.user.findMany({ where: { id: { in: userIdsShown } }, select: { id: true, displayName: true } }) : [];
      const names = new Map(users.map((u) => [u.id, u.displayName ?? u.id]));
      return send(reply, 200, auditPage(pageCtx(req, reply, user), f, rows, names, deps.timeZone));
    });
  };
}
