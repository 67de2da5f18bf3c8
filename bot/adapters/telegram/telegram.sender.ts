/**
 * The Telegram {@link PlatformSender}: posts and edits rendered replies through the Bot API and
 * maps Telegram's errors onto the outbound worker's retry policy (429 -> RateLimitedError with
 * retry_after, 4xx that retrying cannot fix -> PermanentSendError, the rest is retried).
 */
import type { Logger } from '../../../services/logger.ts';
import { PermanentSendError, RateLimitedError, type PlatformSender, type PostOptions } from '../../../services/messaging/outbound.service.ts';
import type { ConversationRef, Reply } from '../../../services/messaging/types.ts';
import type { CallbackCodec } from './telegram-callback-data.ts';
import { telegramErrorInfo, type TelegramClient } from './telegram-client.ts';
import { parseTelegramThread } from './telegram-thread.ts';
import { sendPhoto } from './telegram-photo.ts';
import { renderTelegramEdit, renderTelegramReply, type InlineKeyboard } from './telegram.renderer.ts';

/** What the sender needs (the adapter module builds it from the app's config). */
export interface TelegramSenderOptions {
  client: TelegramClient;
  callbacks: CallbackCodec;
  logger?: Logger;
  /** Per-message text limit (tests shrink it). */
  textLimit?: number;
  /**
   * Longest Retry-After the sender waits out itself between the chunks of one split reply,
   * so a half-sent reply is finished instead of being re-sent from the start. Default 5 s.
   */
  maxInlineWaitMs?: number;
  /** Sleep used for that wait (tests pass a fast one). */
  sleep?: (ms: number) => Promise<void>;
}

interface SentMessage {
  message_id: number;
}

/** Maps a Bot API failure to the outbound error types; returns other errors unchanged. */
export function mapTelegramError(err: unknown): unknown {
  const info = telegramErrorInfo(err);
  if (!info) return err;
  if (info.code === 429) return new RateLimitedError(Math.max(1, info.retryAfter ?? 1) * 1000);
  // Bad request, blocked, kicked, chat not found, bad token: repeating the same call cannot succeed.
  if (info.code >= 400 && info.code < 500) return new PermanentSendError(`telegram ${info.code}: ${info.description}`);
  return err;
}

function isNotModified(err: unknown): boolean {
  const info = telegramErrorInfo(err);
  return info !== null && info.code === 400 && /message is not modified/i.test(info.description);
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Creates the sender over a client and a callback codec. */
export function createTelegramSender(opts: TelegramSenderOptions): PlatformSender {
  const { client, callbacks } = opts;
  const maxInlineWait = opts.maxInlineWaitMs ?? 5000;
  const sleep = opts.sleep ?? defaultSleep;
  const limit = opts.textLimit !== undefined ? { limit: opts.textLimit } : {};

  async function sendOne(chatId: string, ref: ConversationRef, text: string, markup: InlineKeyboard | undefined, replyTo: number | undefined): Promise<SentMessage> {
    const { topicId } = parseTelegramThread(ref.threadId);
    const payload: Record<string, unknown> = {
      chat_id: chatId,
      text,
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
      ...(topicId !== undefined ? { message_thread_id: topicId } : {}),
      // A deleted original must not make the reply fail.
      ...(replyTo !== undefined ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } } : {}),
      ...(markup ? { reply_markup: markup } : {}),
    };
    return client.call<SentMessage>('sendMessage', payload);
  }

  return {
    platform: 'telegram',

    async post(ref, reply: Reply, postOpts?: PostOptions) {
      // An explicit parent (threadUnderKey) wins over the reply target carried in the ref.
      const explicit = postOpts?.replyToMessageId !== undefined && /^[1-9][0-9]*$/.test(postOpts.replyToMessageId) ? Number(postOpts.replyToMessageId) : undefined;
      const replyTo = explicit ?? parseTelegramThread(ref.threadId).replyTo;
      if (reply.image) {
        try {
          const sent = await sendPhoto(client, callbacks, ref.chatId, ref, { ...reply, image: reply.image }, replyTo);
          return { messageId: String(sent.message_id) };
        } catch (err) {
          throw mapTelegramError(err);
        }
      }
      const rendered = await renderTelegramReply(reply, callbacks, limit);
      let chatId = ref.chatId;
      let last: SentMessage | undefined;
      for (let i = 0; i < rendered.chunks.length; i++) {
        const isLast = i === rendered.chunks.length - 1;
        const markup = isLast ? rendered.replyMarkup : undefined;
        // Only the first chunk replies to the original; the rest follow it.
        const target = i === 0 ? replyTo : undefined;
        for (let attempt = 0; ; attempt++) {
          try {
            last = await sendOne(chatId, ref, rendered.chunks[i]!, markup, target);
            break;
          } catch (err) {
            const info = telegramErrorInfo(err);
            if (info?.migrateToChatId !== undefined && attempt === 0) {
              // The group became a supergroup: the message belongs in the new chat.
              opts.logger?.warn({ chat: chatId, to: info.migrateToChatId }, 'telegram chat migrated to a supergroup');
              chatId = String(info.migrateToChatId);
              continue;
            }
            const waitMs = info?.code === 429 ? Math.max(1, info.retryAfter ?? 1) * 1000 : Infinity;
            // Mid-way through a split reply, a short wait beats re-sending the chunks already delivered.
            if (i > 0 && waitMs <= maxInlineWait && attempt < 3) {
              await sleep(waitMs);
              continue;
            }
            throw mapTelegramError(err);
          }
        }
      }
      return { messageId: String(last!.message_id) };
    },

    async edit(ref, messageId, reply) {
      const rendered = await renderTelegramEdit(reply, callbacks, limit);
      try {
        await client.call('editMessageText', {
          chat_id: ref.chatId,
          message_id: Number(messageId),
          text: rendered.text,
          parse_mode: 'HTML',
          link_preview_options: { is_disabled: true },
          // Without reply_markup Telegram removes the keyboard, which is what a reply without buttons means.
          ...(rendered.replyMarkup ? { reply_markup: rendered.replyMarkup } : {}),
        });
      } catch (err) {
        if (isNotModified(err)) return;
        throw mapTelegramError(err);
      }
    },
  };
}
