/**
 * The tickets buttons: the card's (acknowledge, assign to me, confirm severity, resolve,
 * reopen, close, the severity menu, join a duplicate), assign to a user and resolve with a
 * note (the web console's forms), the proposal's and the guided
 * exchange's, and two form-like gestures that open a ticket: a Slack modal's submission and
 * "create ticket from message".
 */
import { z } from 'zod';
import type { ActionSpec, CommandContext, HandlerResult } from '../../core/registry.ts';
import { UserError } from '../../core/errors.ts';
import { ROLES } from '../../services/users/roles.ts';
import { isSeverity } from '../../services/tickets/tickets.config.ts';
import { severityButtons, TICKET_ACTIONS } from '../../services/tickets/ticket.render.ts';
import { titleFromText, type Op } from './parse.ts';
import type { TicketsContext } from './context.ts';
import type { OpArgs, RunOp } from './operations.ts';
import type { Proposals } from './proposal.ts';

const everyone = ROLES;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const modalForm = z.object({
  title: z.string().trim().min(3).max(300),
  description: z.string().max(20_000).nullish(),
  severity: z.string().nullish(),
  component: z.string().max(100).nullish(),
});
const shortcutMessage = z.object({ text: z.string().default(''), permalink: z.string().optional() }).passthrough();

/** The ticket id at the front of a button value (`12` or `12:P1`). */
function idOf(value: string): number {
  const n = Number(value.split(':')[0]);
  if (!Number.isInteger(n) || n <= 0) throw new UserError('tickets.error.badButton');
  return n;
}

/** Builds the button specs of the tickets feature. */
export function ticketActions(tc: TicketsContext, runOp: RunOp, proposals: Proposals): ActionSpec[] {
  const { handlers, service, actor, call, requireHandlerOrReporter, createFromChat } = tc;
  const op = (opName: Op | 'show') => async (ctx: CommandContext, value: string) => runOp(ctx, { op: opName, id: idOf(value) } as OpArgs);

  async function severityMenu(ctx: CommandContext, value: string): Promise<HandlerResult> {
    const id = idOf(value);
    return { text: ctx.t('tickets.severity.pick', { id }), buttons: severityButtons(ctx.t, TICKET_ACTIONS.setSeverity, String(id)), ephemeral: true };
  }

  async function setSeverity(ctx: CommandContext, value: string): Promise<HandlerResult> {
    const [id, sev] = value.split(':');
    if (!isSeverity(sev)) throw new UserError('tickets.error.badButton');
    return runOp(ctx, { op: 'severity', id: idOf(id ?? ''), severity: sev });
  }

  /** `<id>:<user id>`: assigns the ticket to a known user (the console's assignee picker). */
  async function assignTo(ctx: CommandContext, value: string): Promise<HandlerResult> {
    const id = idOf(value);
    const userId = value.slice(value.indexOf(':') + 1);
    const user = UUID_RE.test(userId) ? await tc.deps.db.user.findUnique({ where: { id: userId }, select: { id: true, displayName: true } }) : null;
    if (!user) throw new UserError('tickets.error.noSuchUser');
    const name = user.displayName ?? user.id;
    await call(() => service.assign(id, actor(ctx), { userId: user.id, name }));
    return { text: ctx.t('tickets.done.assign', { id, name }) };
  }

  /** `<id>` (the card's button) or `<id>:<note>` (the console's form with a resolution note). */
  async function resolve(ctx: CommandContext, value: string): Promise<HandlerResult> {
    const at = value.indexOf(':');
    const note = at >= 0 ? value.slice(at + 1).trim() : '';
    return runOp(ctx, { op: 'resolve', id: idOf(value), ...(note ? { text: note } : {}) });
  }

  /** `<duplicate id>:<target id>`: closes the first as a duplicate of the second. */
  async function join(ctx: CommandContext, value: string): Promise<HandlerResult> {
    const [from, to] = value.split(':').map(Number);
    if (!from || !to) throw new UserError('tickets.error.badButton');
    await requireHandlerOrReporter(ctx, from);
    await call(() => service.joinDuplicate(from, to, actor(ctx)));
    return { text: ctx.t('tickets.done.join', { id: from, target: to }) };
  }

  /** A modal's submission (Slack view_submission): {title, description, severity, component}. */
  async function modalSubmit(ctx: CommandContext, value: string): Promise<HandlerResult> {
    const form = modalForm.safeParse(JSON.parse(value || '{}'));
    if (!form.success) throw new UserError('tickets.error.form', { field: String(form.error.issues[0]?.path[0] ?? 'title') });
    const { title, description, component } = form.data;
    const sev = form.data.severity?.toUpperCase();
    return createFromChat(
      ctx,
      { title, ...(description ? { description } : {}), ...(isSeverity(sev) ? { severity: sev } : {}), ...(component ? { component } : {}) },
      `${ctx.event.platform}:${ctx.event.eventId}`,
    );
  }

  /** "Create ticket from message": the message and its permalink become the description. */
  async function fromMessage(ctx: CommandContext, value: string): Promise<HandlerResult> {
    const msg = shortcutMessage.safeParse(JSON.parse(value || '{}'));
    const text = msg.success ? msg.data.text.trim() : '';
    if (!text) throw new UserError('tickets.error.emptyMessage');
    const description = msg.success && msg.data.permalink ? `${text}\n\n${msg.data.permalink}` : text;
    return createFromChat(ctx, { title: titleFromText(text), description }, `${ctx.event.platform}:${ctx.event.eventId}`);
  }

  return [
    { id: TICKET_ACTIONS.ack, roles: handlers, handler: op('ack') },
    { id: TICKET_ACTIONS.assignMe, roles: handlers, handler: op('assign') },
    { id: TICKET_ACTIONS.confirmSeverity, roles: handlers, handler: op('confirm') },
    { id: TICKET_ACTIONS.assign, roles: handlers, handler: assignTo },
    { id: TICKET_ACTIONS.resolve, roles: handlers, handler: resolve },
    { id: TICKET_ACTIONS.reopen, roles: everyone, handler: op('reopen') },
    { id: TICKET_ACTIONS.close, roles: everyone, handler: op('close') },
    { id: TICKET_ACTIONS.severityMenu, roles: handlers, handler: severityMenu },
    { id: TICKET_ACTIONS.setSeverity, roles: handlers, handler: setSeverity },
    { id: TICKET_ACTIONS.join, roles: everyone, handler: join },
    { id: TICKET_ACTIONS.proposalConfirm, roles: everyone, handler: proposals.confirm },
    { id: TICKET_ACTIONS.proposalChange, roles: everyone, handler: proposals.offerSeverities },
    { id: TICKET_ACTIONS.proposalSeverity, roles: everyone, handler: proposals.pickSeverity },
    { id: TICKET_ACTIONS.proposalCancel, roles: everyone, handler: proposals.cancel },
    { id: TICKET_ACTIONS.draftSeverity, roles: everyone, handler: proposals.answerSeverity },
    { id: TICKET_ACTIONS.modalSubmit, roles: everyone, handler: modalSubmit },
    { id: TICKET_ACTIONS.fromMessage, roles: everyone, handler: fromMessage },
  ];
}
