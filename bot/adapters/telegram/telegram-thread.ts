/**
 * Telegram's place of a message inside a chat, carried in the neutral `ConversationRef.threadId`:
 * - `"<topic>"`: a forum topic (message_thread_id);
 * - `"<topic>/<message>"` or `"/<message>"`: in that topic (or the main chat), as a reply to a message.
 * The second form is Telegram's counterpart of a Slack thread: "under this message". The sender
 * also honours PostOptions.replyToMessageId, which takes precedence over the reply part.
 */

/** Decoded thread part of a Telegram ref. */
export interface TelegramPlace {
  /** Forum topic id (message_thread_id). */
  topicId?: number;
  /** Message to reply to (reply_parameters.message_id). */
  replyTo?: number;
}

const POSITIVE_INT = /^[1-9][0-9]{0,15}$/;

/** Builds the threadId string; undefined for the main chat without a reply. */
export function encodeTelegramThread(place: TelegramPlace): string | undefined {
  const topic = place.topicId !== undefined ? String(place.topicId) : '';
  if (place.replyTo !== undefined) return `${topic}/${place.replyTo}`;
  return topic || undefined;
}

/** Reads a threadId back; anything unrecognised means the main chat. */
export function parseTelegramThread(threadId: string | undefined): TelegramPlace {
  if (!threadId) return {};
  const [topic = '', reply] = threadId.split('/', 2);
  const place: TelegramPlace = {};
  if (POSITIVE_INT.test(topic)) place.topicId = Number(topic);
  if (reply !== undefined && POSITIVE_INT.test(reply)) place.replyTo = Number(reply);
  return place;
}
