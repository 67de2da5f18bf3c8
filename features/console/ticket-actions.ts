/**
 * The ticket forms of the console, each a POST with its CSRF token:
 * - /console/tickets/:id/ack      the card's Ack button (`ticket.ack`)
 * - /console/tickets/:id/assign   `assignee=me`: the card's "Assign to me" (`ticket.assign_me`);
 *                                 a user id: `ticket.assign` (the same service call, to that user)
 * - /console/tickets/:id/resolve  the card's Resolve (`ticket.resolve`), with an optional note
 * - /console/tickets/:id/comment  the chat command `ticket comment <id> <text>` (`ticket.create`)
 * Each runs the chat's own spec through the registry (ack.ts): its roles, its tickets service
 * call (ticket event, SLA timers, the chat card edited through the outbound port) and its
 * audit row, with platform `console` and target `ticket:<id>`.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { TICKET_ACTIONS } from '../../services/tickets/ticket.render.ts';
import { href, type PageCtx } from './layout.ts';
import type { ConsoleUser } from './session.ts';
import type { Press, PressOutcome, RunCommand } from './ack.ts';
import type { Access, PageCtxOf } from './access.ts';

export interface TicketActionsDeps {
  press: Press;
  command: RunCommand;
  access: Access;
  pageCtx: PageCtxOf;
}

/** What a ticket page says after a form ("done=..."). */
export const TICKET_DONE = ['ack', 'assign', 'resolve', 'comment'] as const;

const LANG = { type: 'string', enum: ['en', 'ru'] } as const;
const UUID = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
const idParams = { type: 'object', additionalProperties: false, required: ['id'], properties: { id: { type: 'string', pattern: '^[1-9][0-9]{0,9}$' } } } as const;
const postQuery = { type: 'object', additionalProperties: false, properties: { lang: LANG } } as const;
// _csrf is checked by the CSRF hook (403), not by the schema (which would answer 400).
const CSRF = { type: 'string', maxLength: 200 } as const;
const ackBody = { type: 'object', additionalProperties: false, properties: { _csrf: CSRF } } as const;
const assignBody = {
  type: 'object',
  additionalProperties: false,
  required: ['assignee'],
  properties: { _csrf: CSRF, assignee: { type: 'string', pattern: `^(me|${UUID.slice(1, -1)})$` } },
} as const;
const resolveBody = { type: 'object', additionalProperties: false, properties: { _csrf: CSRF, note: { type: 'string', maxLength: 2000 } } } as const;
const commentBody = {
  type: 'object',
  additionalProperties: false,
  required: ['text'],
  properties: { _csrf: CSRF, text: { type: 'string', minLength: 1, maxLength: 10_000, pattern: '\\S' } },
} as const;

/** Builds the plugin of the ticket forms. */
export function ticketActions(deps: TicketActionsDeps) {
  const { access, pageCtx } = deps;

  function answer(reply: FastifyReply, c: PageCtx, id: number, res: PressOutcome, done: (typeof TICKET_DONE)[number]): FastifyReply {
    return access.pressAnswer(reply, c, res, {
      done: href(c, `/console/tickets/${id}`, { done }),
      back: { path: `/console/tickets/${id}`, label: c.t('console.backToTicket', { id }) },
      notFoundKeys: ['tickets.error.notFound'],
      // The tickets feature's own refusal of a role (a comment by someone who is neither a
      // handler nor the reporter): a 403 as the spec's roles are.
      deniedKeys: ['tickets.error.handlersOnly'],
    });
  }

  /** The route's id, user and page context, or null once answered (no session). */
  async function start(req: Parameters<typeof access.signedIn>[0], reply: FastifyReply): Promise<{ id: number; user: ConsoleUser; c: PageCtx } | null> {
    const user = await access.signedIn(req, reply);
    if (!user) return null;
    return { id: Number((req.params as { id: string }).id), user, c: pageCtx(req, reply, user, false) };
  }

  return async function routes(app: FastifyInstance): Promise<void> {
    const opts = (body: object) => ({ schema: { params: idParams, body, querystring: postQuery }, preHandler: app.csrfProtection });

    app.post('/tickets/:id/ack', opts(ackBody), async (req, reply) => {
      const s = await start(req, reply);
      if (!s) return reply;
      return answer(reply, s.c, s.id, await deps.press(s.user, s.c.locale, TICKET_ACTIONS.ack, String(s.id), `ticket:${s.id}`), 'ack');
    });

    app.post('/tickets/:id/assign', opts(assignBody), async (req, reply) => {
      const s = await start(req, reply);
      if (!s) return reply;
      const { assignee } = req.body as { assignee: string };
      const res =
        assignee === 'me'
          ? await deps.press(s.user, s.c.locale, TICKET_ACTIONS.assignMe, String(s.id), `ticket:${s.id}`)
          : await deps.press(s.user, s.c.locale, TICKET_ACTIONS.assign, `${s.id}:${assignee}`, `ticket:${s.id}`);
      return answer(reply, s.c, s.id, res, 'assign');
    });

    app.post('/tickets/:id/resolve', opts(resolveBody), async (req, reply) => {
      const s = await start(req, reply);
      if (!s) return reply;
      const note = ((req.body as { note?: string }).note ?? '').trim();
      const value = note ? `${s.id}:${note}` : String(s.id);
      return answer(reply, s.c, s.id, await deps.press(s.user, s.c.locale, TICKET_ACTIONS.resolve, value, `ticket:${s.id}`), 'resolve');
    });

    app.post('/tickets/:id/comment', opts(commentBody), async (req, reply) => {
      const s = await start(req, reply);
      if (!s) return reply;
      const text = (req.body as { text: string }).text.trim();
      const res = await deps.command(s.user, s.c.locale, 'ticket.create', { op: 'comment', id: s.id, text }, `ticket:${s.id}`);
      return answer(reply, s.c, s.id, res, 'comment');
    });
  };
}
