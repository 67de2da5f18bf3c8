/**
 * The tickets commands: `ticket` (create, show, operate, or start the guided exchange),
 * `tickets` (the list views), `sla` (the figures per severity and a chart per week) and the hidden
 * `ticket-propose` the intent rule reaches for free text that reads like a problem report.
 */
import { z } from 'zod';
import { defineCommand } from '../../core/registry.ts';
import { ROLES } from '../../services/users/roles.ts';
import { UserError } from '../../core/errors.ts';
import { codePoints, isBlank } from '../../services/text/sanitize.ts';
import { renderList } from '../../services/tickets/ticket.render.ts';
import { LIST_VIEWS, parseListView, parseSlaDays, parseTicketText, ticketArgsSchema } from './parse.ts';
import type { TicketsContext } from './context.ts';
import type { RunOp } from './operations.ts';
import type { Proposals } from './proposal.ts';
import type { SlaViews } from './sla-views.ts';

const everyone = ROLES;

/**
 * Builds the command specs of the tickets feature. `slaViews` is left out only where the
 * specs are read and never run (the offline registry of `a2d2 understand`).
 */
export function ticketCommands(tc: TicketsContext, runOp: RunOp, proposals: Proposals, slaViews?: SlaViews) {
  const { service, rctx, createFromChat } = tc;

  const ticket = defineCommand({
    id: 'ticket.create',
    aliases: { en: ['ticket', 'issue'], ru: ['тикет', 'заявка', 'обращение'] },
    slash: ['ticket'],
    summaryKey: 'tickets.cmd.ticket.summary',
    usageKey: 'tickets.cmd.ticket.usage',
    args: ticketArgsSchema,
    parse: (raw) => parseTicketText(raw),
    roles: everyone,
    mutates: true,
    async handler(ctx, args) {
      if (args.op === 'create') {
        const { title, description, severity, component } = args;
        // Zero-width characters pass any length check but would make an invisible ticket.
        if (isBlank(title)) throw new UserError('tickets.error.blankTitle');
        return createFromChat(ctx, { title, ...(description ? { description } : {}), ...(severity ? { severity } : {}), ...(component && !isBlank(component) ? { component } : {}) }, `${ctx.event.platform}:${ctx.event.eventId}`);
      }
      if (args.op === 'guided') return proposals.startGuided(ctx);
      return runOp(ctx, args);
    },
  });

  const list = defineCommand({
    id: 'ticket.list',
    aliases: { en: ['tickets'], ru: ['тикеты', 'заявки'] },
    slash: ['tickets'],
    summaryKey: 'tickets.cmd.tickets.summary',
    usageKey: 'tickets.cmd.tickets.usage',
    args: z.object({ view: z.enum(LIST_VIEWS).default('open') }),
    parse: (raw) => parseListView(raw),
    roles: everyone,
    async handler(ctx, args) {
      const rows = await service.list({ view: args.view, userId: ctx.user.id });
      return renderList(rctx(ctx), ctx.t(`tickets.list.${args.view}`), rows);
    },
  });

  const sla = defineCommand({
    id: 'ticket.sla',
    aliases: { en: ['sla'], ru: ['сла'] },
    slash: ['sla'],
    summaryKey: 'tickets.cmd.sla.summary',
    usageKey: 'tickets.cmd.sla.usage',
    args: z.object({ days: z.number().int().min(1).max(365).default(30) }),
    parse: (raw) => parseSlaDays(raw),
    roles: everyone,
    // The figures, and the chart as a picture (not for a model's tool call: it reads text).
    handler: (ctx, args) => slaViews!.replies({ t: ctx.t, locale: ctx.locale, days: args.days, chart: ctx.via !== 'agent' }),
  });

  const propose = defineCommand({
    id: 'ticket.propose',
    aliases: { en: ['ticket-propose'], ru: [] },
    summaryKey: 'tickets.cmd.propose.summary',
    // Counted in code points, as the ticket's own text is cut.
    args: z.object({ text: z.string().trim().refine((s) => codePoints(s) >= 3 && codePoints(s) <= 20_000, { message: 'must be 3 to 20000 characters' }) }),
    roles: everyone,
    hidden: true,
    handler: (ctx, args) => proposals.propose(ctx, args.text),
  });

  return [ticket, list, sla, propose];
}
