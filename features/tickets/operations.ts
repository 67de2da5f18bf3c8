/**
 * Operations on an existing ticket, shared by `ticket <op> <id>` and the card's buttons: each
 * checks who may do it (handlers, or the reporter for resume, close and reopen), calls the
 * service and answers in the caller's language.
 */
import type { CommandContext, HandlerResult } from '../../core/registry.ts';
import { UserError } from '../../core/errors.ts';
import { renderDetails, severityButtons, TICKET_ACTIONS } from '../../services/tickets/ticket.render.ts';
import type { TicketArgs } from './parse.ts';
import type { TicketsContext } from './context.ts';

/** The arguments of an operation on ticket `id`. */
export type OpArgs = Extract<TicketArgs, { id: number }>;

/** Runs one operation for the person behind a context. */
export type RunOp = (ctx: CommandContext, args: OpArgs) => Promise<HandlerResult>;

/** Builds {@link RunOp} over the feature's shared helpers. */
export function createOperations(tc: TicketsContext): RunOp {
  const { service, actor, rctx, call, requireHandler, requireHandlerOrReporter } = tc;

  return async function runOp(ctx, args) {
    const a = actor(ctx);
    const { id } = args;
    const t = ctx.t;
    switch (args.op) {
      case 'show': {
        const ticket = await service.get(id);
        if (!ticket) throw new UserError('tickets.error.notFound', { id });
        return renderDetails(rctx(ctx), ticket, await service.events(id));
      }
      case 'ack':
        requireHandler(ctx);
        await call(() => service.acknowledge(id, a));
        return { text: t('tickets.done.ack', { id }) };
      case 'start':
        requireHandler(ctx);
        await call(() => service.start(id, a));
        return { text: t('tickets.done.start', { id }) };
      case 'assign':
        requireHandler(ctx);
        await call(() => service.assign(id, a, a));
        return { text: t('tickets.done.assign', { id, name: a.name }) };
      case 'wait':
        requireHandler(ctx);
        await call(() => service.waitOnReporter(id, a, args.text));
        return { text: t('tickets.done.wait', { id }) };
      case 'resume':
        await requireHandlerOrReporter(ctx, id);
        await call(() => service.resume(id, a));
        return { text: t('tickets.done.resume', { id }) };
      case 'resolve':
        requireHandler(ctx);
        await call(() => service.resolve(id, a, args.text));
        return { text: t('tickets.done.resolve', { id }) };
      case 'close':
        await requireHandlerOrReporter(ctx, id);
        await call(() => service.close(id, a));
        return { text: t('tickets.done.close', { id }) };
      case 'reopen':
        await requireHandlerOrReporter(ctx, id);
        await call(() => service.reopen(id, a, args.text));
        return { text: t('tickets.done.reopen', { id }) };
      case 'severity':
        requireHandler(ctx);
        if (!args.severity) return { text: t('tickets.severity.pick', { id }), buttons: severityButtons(t, TICKET_ACTIONS.setSeverity, String(id)) };
        await call(() => service.setSeverity(id, a, args.severity!));
        return { text: t('tickets.done.severity', { id, severity: args.severity }) };
      case 'confirm':
        requireHandler(ctx);
        await call(() => service.confirmSeverity(id, a));
        return { text: t('tickets.done.confirm', { id }) };
      case 'comment': {
        if (!args.text) throw new UserError('tickets.error.emptyComment');
        const ticket = await service.get(id);
        if (!ticket) throw new UserError('tickets.error.notFound', { id });
        const side = ticket.reporterUserId === ctx.user.id ? 'reporter' : 'support';
        if (side === 'support') requireHandler(ctx);
        await call(() => service.comment(id, a, args.text!, side, ctx.event.ref));
        return { text: t('tickets.done.comment', { id }) };
      }
    }
  };
}
