/**
 * Buttons pressed in the console run the chat card's own button spec from the command
 * registry (`ticket.ack`): the spec's roles decide who may, its handler makes the same
 * tickets service call (which writes the ticket event and edits the chat card through the
 * outbound port), and the press is audited as `action:<id>` like a press in chat, with
 * platform `console`. A form that is a command in chat (`ticket comment 12 ...`) runs that
 * command's spec the same way (`command`): its roles, its zod arguments, its handler, and
 * the audit row `command:<id>`. The context's replies are kept for the page instead of sent
 * to a chat.
 */
import { randomUUID } from 'node:crypto';
import type { Services } from '../services.ts';
import type { CommandContext, HandlerResult } from '../../core/registry.ts';
import { UserError } from '../../core/errors.ts';
import type { InboundAction, InboundEvent, InboundMessage, Reply } from '../../services/messaging/types.ts';
import { translator, type Locale } from '../../services/i18n/i18n.ts';
import type { ConsoleUser } from './session.ts';

export type PressOutcome =
  | { outcome: 'ok'; messages: string[] }
  | { outcome: 'denied' }
  | { outcome: 'invalid'; key: string; message: string }
  | { outcome: 'unknown' };

function eventFor(user: ConsoleUser, locale: Locale, actionId: string, value: string): InboundAction {
  return {
    type: 'action',
    platform: user.platform,
    eventId: `console-${randomUUID()}`,
    ref: { platform: user.platform, chatId: 'console' },
    user: { platformUserId: user.platformUserId, displayName: user.name, locale },
    actionId,
    value,
  };
}

function contextFor<E extends InboundEvent>(deps: Services, user: ConsoleUser, locale: Locale, event: E, replies: Reply[]): CommandContext & { event: E } {
  const ref = event.ref;
  return {
    event,
    user: { id: user.id, role: user.role, locale, displayName: user.name, platform: user.platform, platformUserId: user.platformUserId },
    conversation: { id: '', ref, locale, state: {} },
    replyRef: ref,
    locale,
    t: translator(locale),
    logger: deps.logger.child({ component: 'console', user: user.id }),
    via: event.type === 'action' ? 'action' : 'command',
    async reply(reply) {
      replies.push(reply);
    },
    async setState() {
      // The console keeps no conversation state; the buttons it offers need none.
    },
  };
}

const texts = (result: HandlerResult, extra: Reply[]) => [...(Array.isArray(result) ? result : result ? [result] : []), ...extra].map((r) => r.text);

type Audit = (outcome: 'ok' | 'denied' | 'invalid' | 'error', detail: Record<string, unknown>) => Promise<unknown>;

/** Runs a handler with the pipeline's policy: UserError is a refusal, anything else a fault. */
async function guarded(ctx: CommandContext, action: string, audit: Audit, run: () => Promise<HandlerResult>, replies: Reply[]): Promise<PressOutcome> {
  try {
    const result = await run();
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
}

/** Builds `press(user, locale, actionId, value, target)`: a chat button's spec. */
export function createPress(deps: Services) {
  return async function press(user: ConsoleUser, locale: Locale, actionId: string, value: string, target: string): Promise<PressOutcome> {
    const spec = deps.registry.action(actionId);
    if (!spec) return { outcome: 'unknown' };
    const action = `action:${actionId}`;
    const audit: Audit = (outcome, detail) => deps.audit.record({ userId: user.id, platform: 'console', chatId: null, action, target, outcome, detail: { value, ...detail } });
    if (!spec.roles.includes(user.role)) {
      await audit('denied', { role: user.role });
      return { outcome: 'denied' };
    }
    const replies: Reply[] = [];
    const ctx = contextFor(deps, user, locale, eventFor(user, locale, actionId, value), replies);
    return guarded(ctx, action, audit, () => spec.handler(ctx, value), replies);
  };
}

export type Press = ReturnType<typeof createPress>;

/**
 * Builds `command(user, locale, commandId, args, target)`: a chat command's spec with its
 * arguments as the chat's parser gives them (`{op: 'comment', id, text}`). A refused
 * argument is `invalid` with the key `console.error.badInput.text` naming the field.
 */
export function createCommand(deps: Services) {
  return async function command(user: ConsoleUser, locale: Locale, commandId: string, args: Record<string, unknown>, target: string): Promise<PressOutcome> {
    const spec = deps.registry.command(commandId);
    if (!spec) return { outcome: 'unknown' };
    const action = `command:${commandId}`;
    const audit: Audit = (outcome, detail) => deps.audit.record({ userId: user.id, platform: 'console', chatId: null, action, target, outcome, detail });
    if (!spec.roles.includes(user.role)) {
      await audit('denied', { role: user.role });
      return { outcome: 'denied' };
    }
    const t = translator(locale);
    const parsed = spec.args.safeParse(args);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      await audit('invalid', { issue: issue?.message });
      return { outcome: 'invalid', key: 'console.error.badInput.text', message: t('console.error.badInput.text', { field: issue?.path.join('.') || '-' }) };
    }
    const replies: Reply[] = [];
    const event: InboundMessage = {
      type: 'message',
      platform: user.platform,
      eventId: `console-${randomUUID()}`,
      ref: { platform: user.platform, chatId: 'console' },
      user: { platformUserId: user.platformUserId, displayName: user.name, locale },
      text: '',
      addressed: true,
    };
    const ctx = contextFor(deps, user, locale, event, replies);
    return guarded(ctx, action, audit, () => spec.handler(ctx, parsed.data), replies);
  };
}

export type RunCommand = ReturnType<typeof createCommand>;
