/**
 * A command context for detection only (the evaluation and `a2d2 understand`): an addressed
 * direct message from an admin in a scratch chat; replies and state go nowhere.
 */
import type { CommandContext } from '../../core/registry.ts';
import { translator, type Locale } from '../../services/i18n/i18n.ts';
import type { Logger } from '../../services/logger.ts';

const silentLogger = {
  child: () => silentLogger,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
  trace: () => undefined,
  fatal: () => undefined,
} as unknown as Logger;

/** The context of one message to understand. */
export function detectionContext(lang: Locale, text: string): CommandContext {
  const ref = { platform: 'terminal' as const, chatId: 'understand' };
  return {
    event: { type: 'message', platform: 'terminal', eventId: 'understand', ref, user: { platformUserId: 'understand', locale: lang }, text, addressed: true },
    user: { id: '00000000-0000-0000-0000-000000000000', role: 'admin', locale: lang, displayName: 'understand', platform: 'terminal', platformUserId: 'understand' },
    conversation: { id: '00000000-0000-0000-0000-000000000000', ref, locale: lang, state: {} },
    replyRef: ref,
    locale: lang,
    t: translator(lang),
    logger: silentLogger,
    via: 'intent',
    async reply() {},
    async setState() {},
  };
}
