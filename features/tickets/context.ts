/**
 * What the tickets commands, buttons, proposals and middleware share: the service, who counts
 * as a handler, the refusal-to-message translation, and `createFromChat`, the one way a chat
 * gesture (command, proposal, guided exchange, modal, message shortcut) opens a ticket.
 */
import type { Services } from '../services.ts';
import type { CommandContext, HandlerResult } from '../../core/registry.ts';
import { UserError } from '../../core/errors.ts';
import { atLeast, type Role } from '../../services/users/roles.ts';
import type { Severity } from '../../services/tickets/tickets.config.ts';
import { TicketError, type Actor, type TicketService } from '../../services/tickets/ticket.service.ts';
import { renderCreated, reporterKey, type RenderCtx } from '../../services/tickets/ticket.render.ts';

/** What a chat gesture knows about the ticket it opens. */
export interface ChatTicketInput {
  title: string;
  description?: string;
  severity?: Severity;
  component?: string;
  /** The reporter saw the suggested severity and confirmed it. */
  confirmed?: boolean;
}

/** The shared helpers, bound to the service container. */
export type TicketsContext = ReturnType<typeof createTicketsContext>;

/** Builds the helpers the parts of the tickets feature share. */
export function createTicketsContext(deps: Services) {
  const cfg = deps.config.file.tickets;
  const handlers: readonly Role[] = atLeast(cfg.handlerRole);
  const service: TicketService = deps.tickets;

  const actor = (ctx: CommandContext): Actor => ({ userId: ctx.user.id, name: ctx.user.displayName });
  const rctx = (ctx: CommandContext): RenderCtx => ({ t: ctx.t, locale: ctx.locale, now: deps.clock.now(), timeZone: cfg.timeZone });
  const isHandler = (ctx: CommandContext) => handlers.includes(ctx.user.role);

  /** Runs a service call, turning its refusals into the user's language. */
  async function call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof TicketError) throw new UserError(err.key, err.params);
      throw err;
    }
  }

  function requireHandler(ctx: CommandContext): void {
    if (!isHandler(ctx)) throw new UserError('tickets.error.handlersOnly', { role: cfg.handlerRole });
  }

  async function requireHandlerOrReporter(ctx: CommandContext, id: number): Promise<void> {
    if (isHandler(ctx)) return;
    const t = await service.get(id);
    if (!t) throw new UserError('tickets.error.notFound', { id });
    if (t.reporterUserId !== ctx.user.id) throw new UserError('tickets.error.handlersOnly', { role: cfg.handlerRole });
  }

  /** Opens a ticket for the person behind `ctx` and answers them under its reporter key. */
  async function createFromChat(ctx: CommandContext, input: ChatTicketInput, sourceKey: string): Promise<HandlerResult> {
    const res = await call(() =>
      service.create({
        title: input.title,
        description: input.description ?? '',
        severity: input.severity ?? null,
        component: input.component ?? null,
        source: ctx.event.platform,
        sourceKey,
        reporter: { userId: ctx.user.id, name: ctx.user.displayName, ref: ctx.replyRef, locale: ctx.locale },
        ...(input.confirmed !== undefined ? { severityConfirmed: input.confirmed } : {}),
      }),
    );
    // Not created: the same request again (a second press of one proposal's Confirm, or a retry
    // of a queue job whose worker died after the insert).
    if (!res.created) return { text: ctx.t('tickets.created.already', { id: res.ticket.id }) };
    await ctx.reply(renderCreated(rctx(ctx), res.ticket, res.duplicate), { messageKey: reporterKey(res.ticket.id) });
    return undefined;
  }

  return { deps, cfg, handlers, service, actor, rctx, isHandler, call, requireHandler, requireHandlerOrReporter, createFromChat };
}
