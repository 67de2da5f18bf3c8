/**
 * Telegram updates as the Bot API posts them to the webhook, for tests that talk to the app.
 */
import { randomInt } from 'node:crypto';

/**
 * A private-chat text message from the chat's own user; a leading /command gets its
 * bot_command entity. Update ids are random by default: the test database keeps its delivery
 * ledger between runs.
 */
export function privateTextUpdate(chatId: number, text: string, opts: { updateId?: number; languageCode?: string; firstName?: string } = {}) {
  const command = /^\/\S+/.exec(text);
  const firstName = opts.firstName ?? 'Tess';
  return {
    update_id: opts.updateId ?? randomInt(1_000_000_000, 1_900_000_000),
    message: {
      message_id: randomInt(1, 1_000_000),
      date: Math.floor(Date.now() / 1000),
      chat: { id: chatId, type: 'private', first_name: firstName },
      from: { id: chatId, is_bot: false, first_name: firstName, language_code: opts.languageCode ?? 'ru' },
      text,
      ...(command ? { entities: [{ type: 'bot_command', offset: 0, length: command[0].length }] } : {}),
    },
  };
}
