/**
 * The tickets pages: GET /console/tickets (open tickets, filtered by a GET form, 50 a page) and GET
 * /console/tickets/:id (details, the forms of the chat card's buttons, timeline). The forms'
 * POST routes are ticket-actions.ts. Every page needs a session (access.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { TicketService } from '../../services/tickets/ticket.service.ts';
import type { UsersService } from '../../services/users/users.service.ts';
import type { Clock } from '../../services/clock.ts';
import type { Db } from '../../services/db.ts';
import { SEVERITIES } from '../../services/tickets/tickets.config.ts';
import { TICKET_ACTIONS } from '../../services/tickets/ticket.render.ts';
import type { CommandRegistry } from '../../core/registry.ts';
import { messagePage } from './layout.ts';
import type { ConsoleUser, Sessions } from './session.ts';
import type { Press, RunCommand } from './ack.ts';
import { send, type Access, type PageCtxOf } from './access.ts';
import { OPEN_STATES, ticketPage, ticketsPage, type ListFilters } from './tickets-view.ts';
import { openTicketsPage, PAGE_SIZE } from './ticket-list.ts';
import { PAGE_PARAM } from './pager.ts';
import { TICKET_DONE } from './ticket-actions.ts';
import type { People, TicketForms } from './ticket-forms.ts';

export interface TicketPagesDeps {
  tickets: TicketService;
  users: UsersService;
  registry: CommandRegistry;
  clock: Clock;
  sessions: Sessions;
  press: Press;
  command: RunCommand;
  db: Db;
  timeZone: string;
}

const LANG = { type: 'string', enum: ['en', 'ru'] } as const;
const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    severity: { type: 'string', enum: ['', ...SEVERITIES] },
    state: { type: 'string', enum: ['', ...OPEN_STATES] },
    assignee: { type: 'string', maxLength: 200 },
    page: PAGE_PARAM,
    lang: LANG,
  },
} as const;
const idParams = { type: 'object', additionalProperties: false, required: ['id'], properties: { id: { type: 'string', pattern: '^[1-9][0-9]{0,9}$' } } } as const;
const detailQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { lang: LANG, done: { type: 'string', enum: [...TICKET_DONE] }, people: { type: 'string', maxLength: 100 } },
} as const;

/** How many people the assignee picker offers at once (a typed search finds the others). */
const PICKER_LIMIT = 50;

/**
 * The people a ticket can be assigned to: known users with a name (not the API token's) whose
 * role may take tickets (the "assign to me" button's roles), whose name contains `text` when
 * given, by name; at most {@link PICKER_LIMIT}, and whether there are more.
 */
export async function assignable(db: Db, roles: readonly string[], text = ''): Promise<People> {
  const rows = await db.user.findMany({
    where: {
      role: { in: [...roles] },
      displayName: text ? { contains: text, mode: 'insensitive' } : { not: null },
      identities: { some: {}, none: { platform: 'console' } },
    },
    orderBy: { displayName: 'asc' },
    take: PICKER_LIMIT + 1,
    select: { id: true, displayName: true },
  });
  return { list: rows.slice(0, PICKER_LIMIT).map((u) => ({ id: u.id, name: u.displayName! })), more: rows.length > PICKER_LIMIT, text };
}

/** Builds the tickets pages plugin. */
export function ticketPages(deps: TicketPagesDeps & { access: Access; pageCtx: PageCtxOf }) {
  const { tickets, pageCtx, access } = deps;
  const may = (user: ConsoleUser, actionId: string) => deps.registry.action(actionId)?.roles.includes(user.role) ?? false;
  const forms = (user: ConsoleUser): TicketForms => ({
    ack: may(user, TICKET_ACTIONS.ack),
    assign: may(user, TICKET_ACTIONS.assign),
    assignMe: may(user, TICKET_ACTIONS.assignMe),
    resolve: may(user, TICKET_ACTIONS.resolve),
    comment: deps.registry.command('ticket.create')?.roles.includes(user.role) ?? false,
  });

  return async function routes(app: FastifyInstance): Promise<void> {
    app.get('/tickets', { schema: { querystring: listQuery } }, async (req, reply) => {
      const user = await access.signedIn(req, reply);
      if (!user) return reply;
      const q = req.query as ListFilters & { page?: string };
      const f: ListFilters = { ...(q.severity ? { severity: q.severity } : {}), ...(q.state ? { state: q.state } : {}), ...(q.assignee ? { assignee: q.assignee } : {}) };
      const list = await openTicketsPage(deps.db, f, Number(q.page ?? 1));
      return send(reply, 200, ticketsPage(pageCtx(req, reply, user), { ...list, pageSize: PAGE_SIZE }, f, deps.clock.now()));
    });

    app.get('/tickets/:id', { schema: { params: idParams, querystring: detailQuery } }, async (req, reply) => {
      const user = await access.signedIn(req, reply);
      if (!user) return reply;
      const id = Number((req.params as { id: string }).id);
      const c = pageCtx(req, reply, user);
      const ticket = await tickets.get(id);
      if (!ticket) return send(reply, 404, messagePage(c, c.t('console.error.notFound.title'), c.t('tickets.error.notFound', { id })));
      const { done, people: text = '' } = req.query as { done?: string; people?: string };
      const notice = done ? c.t(`console.ticket.done.${done}`, { id, name: ticket.assigneeName ?? '' }) : undefined;
      const can = forms(user);
      // A comment is the reporter's or a handler's (the command's own rule): no form for others.
      can.comment &&= can.ack || ticket.reporterUserId === user.id;
      const takers = deps.registry.action(TICKET_ACTIONS.assignMe)?.roles ?? [];
      const noOne: People = { list: [], more: false, text: '' };
      const [events, people] = await Promise.all([tickets.events(id), can.assign ? assignable(deps.db, takers, text.trim()) : Promise.resolve(noOne)]);
      return send(reply, 200, ticketPage(c, { ticket, events, now: deps.clock.now(), timeZone: deps.timeZone, forms: can, people, ...(notice ? { notice } : {}) }));
    });
  };
}
