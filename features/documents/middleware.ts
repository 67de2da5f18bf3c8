/**
 * What the documents feature sees of every message before routing: files given to the bot
 * start an intake (one per file, at most ten per message), and the message is consumed.
 */
import { isMessage, type Middleware } from '../../core/registry.ts';
import { WRITERS, type DocumentsContext } from './context.ts';

/** Builds the middleware that turns files shared with the bot into intakes. */
export function documentIntake(dc: DocumentsContext): Middleware {
  const { service } = dc;

  return async function intakeSharedFiles(ctx, next) {
    const event = ctx.event;
    // Only files given to the bot (DMs, mentions, commands), not every file in every channel it sits in.
    if (!isMessage(event) || !event.files?.length || !event.addressed) return next();
    if (!WRITERS.includes(ctx.user.role)) {
      await ctx.reply({ text: ctx.t('core.denied', { command: 'upload', role: ctx.user.role }) });
      return;
    }
    for (const file of event.files.slice(0, 10)) {
      await service.intakeChatFile({
        platform: event.platform,
        eventId: event.eventId,
        ref: ctx.replyRef,
        userId: ctx.user.id,
        locale: ctx.locale,
        file,
      });
    }
  };
}
