/**
 * A reply with a picture, posted on Telegram as a photo (sendPhoto, multipart upload) with the
 * reply rendered as its caption (HTML, cut to the caption limit) and its buttons under it.
 */
import { MAX_REPLY_IMAGE_BYTES, type ConversationRef, type Reply, type ReplyImage } from '../../../services/messaging/types.ts';
import { PermanentSendError } from '../../../services/messaging/outbound.service.ts';
import type { CallbackCodec } from './telegram-callback-data.ts';
import type { TelegramClient } from './telegram-client.ts';
import { parseTelegramThread } from './telegram-thread.ts';
import { renderTelegramEdit } from './telegram.renderer.ts';

/** Telegram's limit on a photo caption. */
export const TELEGRAM_CAPTION_LIMIT = 1024;

/** Sends `reply` as a photo; returns the message Telegram made. */
export async function sendPhoto(client: TelegramClient, callbacks: CallbackCodec, chatId: string, ref: ConversationRef, reply: Reply & { image: ReplyImage }, replyTo: number | undefined): Promise<{ message_id: number }> {
  const bytes = Buffer.from(reply.image.dataBase64, 'base64');
  if (bytes.length === 0 || bytes.length > MAX_REPLY_IMAGE_BYTES) throw new PermanentSendError(`image of ${bytes.length} bytes cannot be sent`);
  const { topicId } = parseTelegramThread(ref.threadId);
  const rendered = await renderTelegramEdit(reply, callbacks, { limit: TELEGRAM_CAPTION_LIMIT });
  const payload: Record<string, unknown> = {
    chat_id: chatId,
    // A Buffer, never a string: the client would read a string as a path on this machine.
    photo: { source: bytes, filename: reply.image.name.replace(/[^\w.-]+/g, '_') || 'image.png' },
    caption: rendered.text,
    parse_mode: 'HTML',
    ...(topicId !== undefined ? { message_thread_id: topicId } : {}),
    // Multipart fields are text: nested ones go as JSON.
    ...(replyTo !== undefined ? { reply_parameters: JSON.stringify({ message_id: replyTo, allow_sending_without_reply: true }) } : {}),
    ...(rendered.replyMarkup ? { reply_markup: JSON.stringify(rendered.replyMarkup) } : {}),
  };
  return client.call<{ message_id: number }>('sendPhoto', payload, { timeoutMs: 60_000 });
}
