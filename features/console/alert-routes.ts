/**
 * The alerts page: GET /console/alerts (firing groups, 50 a page, and the latest notifications), and the
 * card's buttons as forms, POST /console/alerts/:id/ack and /console/alerts/:id/silence
 * (hours 1, 4 or 24). The forms run the chat card's own button specs (`alert.ack`,
 * `alert.silence`) through the registry: the same roles, the same alerts service call (which
 * queues the card's edit) and the audit row of a press, with platform `console`.
 */
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../services/db.ts';
import type { Clock } from '../../services/clock.ts';
import type { AlertService } from '../../services/alerts/alert.service.ts';
import { ALERT_ACTIONS } from '../../services/alerts/alert-render.ts';
import type { CommandRegistry } from '../../core/registry.ts';
import { href } from './layout.ts';
import type { Press } from './ack.ts';
import { send, type Access, type PageCtxOf } from './access.ts';
import { alertsPage, SILENCE_HOURS, type ActiveGroupView, type AlertHistoryView } from './alerts-view.ts';
import { SEVERITY_ORDER } from '../../services/alerts/alert-operations.ts';
import { PAGE_PARAM } from './pager.ts';

export interface AlertPagesDeps {
  alerts: AlertService;
  db: Db;
  clock: Clock;
  registry: CommandRegistry;
  press: Press;
  timeZone: string;
  access: Access;
  pageCtx: PageCtxOf;
}

const LANG = { type: 'string', enum: ['en', 'ru'] } as const;
const listQuery = { type: 'object', additionalProperties: false, properties: { lang: LANG, done: { type: 'string', enum: ['ack', 'silence'] }, page: PAGE_PARAM } } as const;
const idParams = { type: 'object', additionalProperties: false, required: ['id'], properties: { id: { type: 'string', pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' } } } as const;
const ackBody = { type: 'object', additionalProperties: false, properties: { _csrf: { type: 'string', maxLength: 200 } } } as const;
const silenceBody = {
  type: 'object',
  additionalProperties: false,
  required: ['hours'],
  properties: { _csrf: { type: 'string', maxLength: 200 }, hours: { type: 'string', enum: [...SILENCE_HOURS] } },
} as const;
const postQuery = { type: 'object', additionalProperties: false, properties: { lang: LANG } } as const;

/** How many firing groups a page shows, and history lines. */
export const ACTIVE_PAGE = 50;
const HISTORY_LIMIT = 50;

/**
 * A page of the firing groups, most severe first and then the latest (then by id, so pages
 * do not overlap), each with the end of the latest silence in force on it, and how many
 * groups fire: one statement (the silences by the Silence(groupId) index), only the columns
 * the page shows. A page past the last one has no rows (and no count).
 */
export async function activeGroups(deps: Pick<AlertPagesDeps, 'db'>, now: Date, page = 1): Promise<{ groups: ActiveGroupView[]; total: number }> {
  const rows = await deps.db.$queryRaw<(ActiveGroupView & { total: number })[]>`
    SELECT g.id::text AS id, g.severity, g.service, g.environment, g.title, coalesce(g."occurrenceAt", g."firstSeenAt") AS since, g.flapping,
      g."ackBy", g."ackAt", g."ticketId",
      (SELECT max(s."endsAt") FROM "Silence" s WHERE s."groupId" = g.id AND s."endsAt" > ${now}) AS "silencedUntil",
      count(*) OVER ()::int AS total
    FROM "AlertGroup" g WHERE g.status = 'firing'
    ORDER BY coalesce(array_position(${SEVERITY_ORDER}::text[], g.severity), ${SEVERITY_ORDER.length}), g."lastSeenAt" DESC, g.id
    LIMIT ${ACTIVE_PAGE} OFFSET ${(page - 1) * ACTIVE_PAGE}`;
  return { groups: rows.map(({ total: _, ...g }) => g), total: rows[0]?.total ?? 0 };
}

/** The latest notifications with their groups' names (one statement, by the Alert primary key). */
export async function alertHistory(db: Db): Promise<AlertHistoryView[]> {
  return db.$queryRaw<AlertHistoryView[]>`
    SELECT a.id::text AS id, a."receivedAt", a.status, g.severity, g.service, g.title
    FROM (SELECT id, "receivedAt", status, "groupId" FROM "Alert" ORDER BY id DESC LIMIT ${HISTORY_LIMIT}) a
    JOIN "AlertGroup" g ON g.id = a."groupId"
    ORDER BY a.id DESC`;
}

/** Builds the alerts pages plugin. */
export function alertPages(deps: AlertPagesDeps) {
  const { db, access, pageCtx } = deps;
  const canAct = (role: string) => deps.registry.action(ALERT_ACTIONS.ack)?.roles.includes(role as never) ?? false;

  return async function routes(app: FastifyInstance): Promise<void> {
    app.get('/alerts', { schema: { querystring: listQuery } }, async (req, reply) => {
      const user = await access.signedIn(req, reply);
      if (!user) return reply;
      const c = pageCtx(req, reply, user);
      const now = deps.clock.now();
      const { done, page: p } = req.query as { done?: 'ack' | 'silence'; page?: string };
      const page = Number(p ?? 1);
      const [{ groups, total }, recent] = await Promise.all([activeGroups(deps, now, page), alertHistory(db)]);
      const notice = done ? { notice: c.t(`console.alerts.done.${done}`) } : {};
      return send(reply, 200, alertsPage(c, { groups, total, page, pageSize: ACTIVE_PAGE, history: recent, canAct: canAct(user.role), timeZone: deps.timeZone, ...notice }));
    });

    const back = (c: ReturnType<PageCtxOf>) => ({ path: '/console/alerts', label: c.t('console.alerts.back') });

    app.post('/alerts/:id/ack', { schema: { params: idParams, body: ackBody, querystring: postQuery }, preHandler: app.csrfProtection }, async (req, reply) => {
      const user = await access.signedIn(req, reply);
      if (!user) return reply;
      const { id } = req.params as { id: string };
      const c = pageCtx(req, reply, user, false);
      const res = await deps.press(user, c.locale, ALERT_ACTIONS.ack, id, `alert:${id}`);
      return access.pressAnswer(reply, c, res, { done: href(c, '/console/alerts', { done: 'ack' }), back: back(c), notFoundKeys: ['alerts.notFound'] });
    });

    app.post('/alerts/:id/silence', { schema: { params: idParams, body: silenceBody, querystring: postQuery }, preHandler: app.csrfProtection }, async (req, reply) => {
      const user = await access.signedIn(req, reply);
      if (!user) return reply;
      const { id } = req.params as { id: string };
      const { hours } = req.body as { hours: string };
      const c = pageCtx(req, reply, user, false);
      const res = await deps.press(user, c.locale, ALERT_ACTIONS.silence, `${id}:${hours}`, `alert:${id}`);
      return access.pressAnswer(reply, c, res, { done: href(c, '/console/alerts', { done: 'silence' }), back: back(c), notFoundKeys: ['alerts.notFound'] });
    });
  };
}
