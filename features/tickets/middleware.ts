/**
 * What the tickets feature sees of every plain message before routing: an answer to the
 * guided exchange's title question, or a reply in a ticket's thread (under the triage card or
 * the reporter's message), which becomes a comment relayed to the other side.
 */
import type { CommandContext, CommandRegistry, Middleware } from '../../core/registry.ts';
import { splitCommand } from '../../core/pipeline.ts';
import type { TicketsContext } from './context.ts';
import type { Proposals } from './proposal.ts';

/** Builds the tickets middleware. */
export function ticketMiddleware(tc: TicketsContext, proposals: Proposals, registry: CommandRegistry): Middleware {
  const { service, actor, call } = tc;

  function looksLikeCommand(ctx: CommandContext, text: string): boolean {
    if (/^\s*[/!]/.test(text)) return true;
    const { word } = splitCommand(text);
    return Boolean(ctx.event.type === 'message' && ctx.event.addressed && word && registry.byAlias(word));
  }

  return async function ticketsMiddleware(ctx, next) {
    const e = ctx.event;
    if (e.type !== 'message' || e.command || !e.text.trim() || looksLikeCommand(ctx, e.text)) return next();
    if (await proposals.answerTitle(ctx, e.text)) return;
    // Adapters that know which message a reply quotes report it as platformData.replyToMessageId.
    const replyTo = e.platformData?.replyToMessageId;
    const found = await service.ticketForThread(e.ref, typeof replyTo === 'string' || typeof replyTo === 'number' ? String(replyTo) : undefined);
    if (!found) return next();
    await call(() => service.comment(found.ticket.id, actor(ctx), e.text, found.side, e.ref));
  };
}
