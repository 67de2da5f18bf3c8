/**
 * The tickets pages: GET /console/tickets (open tickets, filtered by a GET form), GET
 * /console/tickets/:id (details and timeline) and POST /console/tickets/:id/ack (the chat
 * card's Ack button, run through the registry like a press in chat; see ack.ts). Every page
 * needs a session: a GET without one goes to the sign-in page, a POST gets 401.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TicketService } from '../../services/tickets/ticket.service.ts';
import type { UsersService } from '../../services/users/users.service.ts';
import type { Clock } from '../../services/clock.ts';
import { SEVERITIES } from '../../services/tickets/tickets.config.ts';
import { TICKET_ACTIONS } from '../../services/tickets/ticket.render.ts';
import type { CommandRegistry } from '../../core/registry.ts';
import { href, messagePage, type PageCtx } from './layout.ts';
import type { ConsoleUser, Sessions } from './session.ts';
import type { Press } from './ack.ts';
import { OPEN_STATES, UNASSIGNED, ticketPage, ticketsPage, type ListFilters } from './tickets-view.ts';

export interface TicketPagesDeps {
  tickets: TicketService;
  users: UsersService;
  registry: CommandRegistry;
  clock: Clock;
  sessions: Sessions;
  press: Press;
  timeZone: string;
}

type PageCtxOf = (req: FastifyRequest, reply: FastifyReply, user: ConsoleUser | null, withForms?: boolean) => PageCtx;

const LANG = { type: 'string', enum: ['en', 'ru'] } as const;
const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    severity: { type: 'string', enum: ['', ...SEVERITIES] },
    state: { type: 'string', enum: ['', ...OPEN_STATES] },
    assignee: { type: 'string', maxLength: 200 },
    lang: LANG,
  },
} as const;
const idParams = { type: 'object', additionalProperties: false, required: ['id'], properties: { id: { type: 'string', pattern: '^[1-9][0-9]{0,9}$' } } } as const;
const detailQuery = { type: 'object', additionalProperties: false, properties: { lang: LANG, done: { type: 'string', enum: ['ack'] } } } as const;
// _csrf is checked by the CSRF hook (403), not by the schema (which would answer 400).
const ackBody = { type: 'object', additionalProperties: false, properties: { _csrf: { type: 'string', maxLength: 200 } } } as const;

/** How many open tickets the list reads (the filters apply to them). */
const LIST_LIMIT = 200;

function send(reply: FastifyReply, status: number, body: string) {
  return reply.status(status).type('text/html; charset=utf-8').send(body);
}

/** Builds the tickets pages plugin. */
export function ticketPages(deps: TicketPagesDeps & { pageCtx: PageCtxOf }) {
  const { tickets, pageCtx } = deps;
  const canAck = (user: ConsoleUser) => deps.registry.action(TICKET_ACTIONS.ack)?.roles.includes(user.role) ?? false;

  /** The signed-in user, or null once the request was answered (redirect or 401). */
  async function signedIn(req: FastifyRequest, reply: FastifyReply): Promise<ConsoleUser | null> {
    const user = await deps.sessions.current(req);
    if (user) return user;
    deps.sessions.end(reply);
    if (req.method === 'GET') {
      await reply.redirect(href(pageCtx(req, reply, null, false), '/console/login'), 303);
    } else {
      const c = pageCtx(req, reply, null, false);
      await send(reply, 401, messagePage(c, c.t('console.login.title'), c.t('console.login.intro')));
    }
    return null;
  }

  return async function routes(app: FastifyInstance): Promise<void> {
    app.get('/tickets', { schema: { querystring: listQuery } }, async (req, reply) => {
      const user = await signedIn(req, reply);
      if (!user) return reply;
      const q = req.query as ListFilters;
      const f: ListFilters = { ...(q.severity ? { severity: q.severity } : {}), ...(q.state ? { state: q.state } : {}), ...(q.assignee ? { assignee: q.assignee } : {}) };
      const open = await tickets.list({ view: 'open', limit: LIST_LIMIT, ...(f.severity ? { severity: f.severity as (typeof SEVERITIES)[number] } : {}), ...(f.state ? { status: f.state } : {}) });
      const assignees = [...new Set(open.map((t) => t.assigneeName).filter((n): n is string => Boolean(n)))].sort();
      const rows = f.assignee ? open.filter((t) => (f.assignee === UNASSIGNED ? !t.assigneeName : t.assigneeName === f.assignee)) : open;
      return send(reply, 200, ticketsPage(pageCtx(req, reply, user), rows, f, assignees, deps.clock.now()));
    });

    app.get('/tickets/:id', { schema: { params: idParams, querystring: detailQuery } }, async (req, reply) => {
      const user = await signedIn(req, reply);
      if (!user) return reply;
      const id = Number((req.params as { id: string }).id);
      const c = pageCtx(req, reply, user);
      const ticket = await tickets.get(id);
      if (!ticket) return send(reply, 404, messagePage(c, c.t('console.error.notFound.title'), c.t('tickets.error.notFound', { id })));
      const done = (req.query as { done?: string }).done === 'ack';
      const notice = done ? c.t('tickets.done.ack', { id }) : undefined;
      const events = await tickets.events(id);
      return send(reply, 200, ticketPage(c, { ticket, events, now: deps.clock.now(), timeZone: deps.timeZone, canAck: canAck(user), ...(notice ? { notice } : {}) }));
    });

    app.post('/tickets/:id/ack', { schema: { params: idParams, body: ackBody, querystring: detailQuery }, preHandler: app.csrfProtection }, async (req, reply) => {
      const user = await signedIn(req, reply);
      if (!user) return reply;
      const id = Number((req.params as { id: string }).id);
      const c = pageCtx(req, reply, user, false);
      const res = await deps.press(user, c.locale, TICKET_ACTIONS.ack, String(id), `ticket:${id}`);
      if (res.outcome === 'ok') return reply.redirect(href(c, `/console/tickets/${id}`, { done: 'ack' }), 303);
      const back = { path: `/console/tickets/${id}`, label: c.t('console.backToTicket', { id }) };
      if (res.outcome === 'denied') return send(reply, 403, messagePage(c, c.t('console.error.forbidden.title'), c.t('console.error.forbidden.text', { role: user.role }), back));
      if (res.outcome === 'unknown') return send(reply, 404, messagePage(c, c.t('console.error.notFound.title'), c.t('console.error.notFound.text')));
      const status = res.key === 'tickets.error.notFound' ? 404 : 409;
      return send(reply, status, messagePage(c, c.t('console.error.refused.title'), res.message, back));
    });
  };
}
