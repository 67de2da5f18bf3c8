/**
 * Buttons pressed in the console run the chat card's own button spec from the command
 * registry (`ticket.ack`): the spec's roles decide who may, its handler makes the same
 * tickets service call (which writes the ticket event and edits the chat card through the
 * outbound port), and the press is audited as `action:<id>` like a press in chat, with
 * platform `console`. The context's replies are kept for the page instead of sent to a chat.
 */
import { randomUUID } from 'node:crypto';
import type { Services } from '../services.ts';
import type { CommandContext, HandlerResult } from '../../core/registry.ts';
import { UserError } from '../../core/errors.ts';
import type { InboundAction, Reply } from '../../services/messaging/types.ts';
import { translator, type Locale } from '../../services/i18n/i18n.ts';
import type { ConsoleUser } from './session.ts';

export type PressOutcome =
  | { outcome: 'ok'; messages: string[] }
  | { outcome: 'denied' }
  | { outcome: 'invalid'; key: string; message: string }
  | { outcome: 'unknown' };

function contextFor(deps: Services, user: ConsoleUser, locale: Locale, actionId: string, value: string, replies: Reply[]): CommandContext & { event: InboundAction } {
  const ref = { platform: user.platform, chatId: 'console' };
  const event: InboundAction = {
    type: 'action',
    platform: user.platform,
    eventId: `console-${randomUUID()}`,
    ref,
    user: { platformUserId: user.platformUserId, displayName: user.name, locale },
    actionId,
    value,
  };
  return {
    event,
    user: { id: user.id, role: user.role, locale, displayName: user.name, platform: user.platform, platformUserId: user.platformUserId },
    conversation: { id: '', ref, locale, state: {} },
    replyRef: ref,
    locale,
    t: translator(locale),
    logger: deps.logger.child({ component: 'console', user: user.id }),
    via: 'action',
    async reply(reply) {
      replies.push(reply);
    },
    async setState() {
      // The console keeps no conversation state; the buttons it offers need none.
    },
  };
}

const texts = (result: HandlerResult, extra: Reply[]) => [...(Array.isArray(result) ? result : result ? [result] : []), ...extra].map((r) => r.text);

/** Builds `press(user, locale, actionId, value)`. */
export function createPress(deps: Services) {
  return async function press(user: ConsoleUser, locale: Locale, actionId: string, value: string, target: string): Promise<PressOutcome> {
    const spec = deps.registry.action(actionId);
    if (!spec) return { outcome: 'unknown' };
    const action = `action:${actionId}`;
    const audit = (outcome: 'ok' | 'denied' | 'invalid' | 'error', detail: Record<string, unknown>) =>
      deps.audit.record({ userId: user.id, platform: 'console', chatId: null, action, target, outcome, detail: { value, ...detail } });
    if (!spec.roles.includes(user.role)) {
      await audit('denied', { role: user.role });
      return { outcome: 'denied' };
    }
    const replies: Reply[] = [];
    const ctx = contextFor(deps, user, locale, actionId, value, replies);
    try {
      const result = await spec.handler(ctx, value);
      await audit('ok', {});
      return { outcome: 'ok', messages: texts(result, replies) };
    } catch (err) {
      if (err instanceof UserError) {
        await audit('invalid', { code: err.key });
        return { outcome: 'invalid', key: err.key, message: ctx.t(err.key, err.params) };
      }
      const ref = randomUUID().slice(0, 8);
      ctx.logger.error({ err, ref, action }, 'console action failed');
      await audit('error', { ref });
      throw err;
    }
  };
}

export type Press = ReturnType<typeof createPress>;
