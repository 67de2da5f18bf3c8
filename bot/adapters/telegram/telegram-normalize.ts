/**
 * Telegram update -> neutral inbound event. Used by both webhook and long-polling mode.
 * The update is untrusted JSON (only update_id was validated), so every field is read defensively;
 * anything this bot does not act on comes back as `ignored` with a reason.
 */
import type { ConversationRef, InboundAction, InboundFile, InboundMessage, InboundUser } from '../../../services/messaging/types.ts';
import type { CallbackCodec } from './telegram-callback-data.ts';
import { encodeTelegramThread } from './telegram-thread.ts';

/** The bot's own identity (from getMe), needed to tell whether a group message addresses it. */
export interface TelegramBotIdentity {
  id: number;
  username: string;
}

/** What the normalizer needs besides the update. */
export interface NormalizeOptions {
  bot: TelegramBotIdentity;
  callbacks: CallbackCodec;
  /** Menu name (sanitized for Telegram) -> the registry's slash name, when they differ. */
  commandNames?: ReadonlyMap<string, string>;
}

/** The outcome for one update. */
export type TelegramNormalized =
  | { kind: 'event'; event: InboundMessage | InboundAction; callbackQueryId?: string }
  | {
      kind: 'ignored';
      reason: string;
      /** Set for callback queries, which must be answered even when ignored. */
      callbackQueryId?: string;
      /** The button's stored payload is gone: tell the user. */
      expired?: boolean;
      locale?: string;
    };

type Json = Record<string, unknown>;

function obj(v: unknown): Json | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
}
function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
function int(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isSafeInteger(v) ? v : undefined;
}

const COMMAND = /^\/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]{1,64}))?(?=\s|$)/;

function toUser(from: Json): InboundUser | undefined {
  const id = int(from.id);
  if (id === undefined) return undefined;
  const name = [str(from.first_name), str(from.last_name)].filter(Boolean).join(' ') || str(from.username);
  const locale = str(from.language_code);
  return { platformUserId: String(id), ...(name ? { displayName: name } : {}), ...(locale ? { locale } : {}) };
}

/** The forum topic of a message, if it was posted in one. */
function topicOf(message: Json): number | undefined {
  // Outside forums message_thread_id names a reply chain, not a topic; posting into it would fail.
  return message.is_topic_message === true ? int(message.message_thread_id) : undefined;
}

function refOf(chatId: number, topicId: number | undefined): ConversationRef {
  const threadId = encodeTelegramThread(topicId !== undefined ? { topicId } : {});
  return { platform: 'telegram', chatId: String(chatId), ...(threadId ? { threadId } : {}) };
}

function filesOf(message: Json): InboundFile[] {
  const files: InboundFile[] = [];
  const doc = obj(message.document);
  const docId = doc && str(doc.file_id);
  if (doc && docId) {
    const name = str(doc.file_name);
    const mime = str(doc.mime_type);
    const size = int(doc.file_size);
    files.push({ id: docId, ...(name ? { name } : {}), ...(mime ? { mimeType: mime } : {}), ...(size !== undefined ? { size } : {}) });
  }
  if (Array.isArray(message.photo) && message.photo.length > 0) {
    // Telegram lists the sizes of one photo smallest first: the last is the original.
    const best = obj(message.photo[message.photo.length - 1]);
    const id = best && str(best.file_id);
    if (best && id) {
      const size = int(best.file_size);
      files.push({ id, name: `photo-${int(message.message_id) ?? 0}.jpg`, mimeType: 'image/jpeg', ...(size !== undefined ? { size } : {}) });
    }
  }
  return files;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Whether `message` replies to one of the bot's own messages (not the topic's opening message). */
function repliesToBot(message: Json, bot: TelegramBotIdentity): boolean {
  const replied = obj(message.reply_to_message);
  if (!replied) return false;
  // Inside a topic every message "replies" to the topic's creation message.
  if (replied.forum_topic_created !== undefined || int(replied.message_id) === int(message.message_thread_id)) return false;
  return int(obj(replied.from)?.id) === bot.id;
}

function normalizeMessage(updateId: number, message: Json, opts: NormalizeOptions): TelegramNormalized {
  const chat = obj(message.chat);
  const chatId = chat && int(chat.id);
  const chatType = chat && str(chat.type);
  const messageId = int(message.message_id);
  if (chatId === undefined || messageId === undefined || !chatType) return { kind: 'ignored', reason: 'message without chat' };
  if (chatType === 'channel') return { kind: 'ignored', reason: 'channel post' };
  const from = obj(message.from);
  const user = from && toUser(from);
  if (!from || !user) return { kind: 'ignored', reason: 'message without sender' };
  if (from.is_bot === true && int(from.id) !== 1087968824) return { kind: 'ignored', reason: 'message from a bot' };

  const files = filesOf(message);
  let text = str(message.text) ?? str(message.caption) ?? '';
  if (!text.trim() && files.length === 0) return { kind: 'ignored', reason: 'no text or files' };

  const botName = opts.bot.username.toLowerCase();
  let command: string | undefined;
  const m = COMMAND.exec(text);
  if (m) {
    const target = m[2]?.toLowerCase();
    // "/help@other_bot" in a group is for another bot (while our name is unknown, every command is ours).
    if (target && botName && target !== botName) return { kind: 'ignored', reason: 'command for another bot' };
    const name = m[1]!.toLowerCase();
    command = opts.commandNames?.get(name) ?? name;
    text = text.slice(m[0].length).trim();
  }

  const mention = new RegExp(`(^|[^A-Za-z0-9_])@${escapeRegExp(opts.bot.username)}(?![A-Za-z0-9_])`, 'gi');
  const mentioned = botName !== '' && mention.test(text);
  if (mentioned) text = text.replace(mention, '$1').replace(/\s{2,}/g, ' ').trim();

  const isPrivate = chatType === 'private';
  const addressed = isPrivate || command !== undefined || mentioned || repliesToBot(message, opts.bot);
  const topicId = topicOf(message);
  const ref = refOf(chatId, topicId);
  const event: InboundMessage = {
    type: 'message',
    platform: 'telegram',
    // update_id is unique per bot only: the bot id keeps two bots (or a re-created one) apart.
    eventId: `${opts.bot.id}:${updateId}`,
    ref,
    user,
    text,
    addressed,
    messageId: String(messageId),
    platformData: { chatType },
  };
  if (command !== undefined) event.command = command;
  if (files.length) event.files = files;
  // In a group the answer quotes the message it answers, so a busy chat can tell what it belongs to.
  if (!isPrivate) {
    const threadId = encodeTelegramThread({ ...(topicId !== undefined ? { topicId } : {}), replyTo: messageId });
    event.replyRef = { ...ref, threadId: threadId! };
  }
  return { kind: 'event', event };
}

async function normalizeCallback(updateId: number, query: Json, opts: NormalizeOptions): Promise<TelegramNormalized> {
  const id = str(query.id);
  if (!id) return { kind: 'ignored', reason: 'callback query without id' };
  const from = obj(query.from);
  const user = from && toUser(from);
  const locale = user?.locale;
  const base = { callbackQueryId: id, ...(locale ? { locale } : {}) };
  const message = obj(query.message);
  const chatId = message && int(obj(message.chat)?.id);
  const messageId = message && int(message.message_id);
  const data = str(query.data);
  if (!user) return { kind: 'ignored', reason: 'callback query without sender', ...base };
  if (!message || chatId === undefined || messageId === undefined) return { kind: 'ignored', reason: 'callback query without a chat message', ...base };
  if (!data) return { kind: 'ignored', reason: 'callback query without data', ...base };
  const decoded = await opts.callbacks.decode(data);
  if (!decoded) return { kind: 'ignored', reason: 'unknown or expired button', expired: true, ...base };
  const ref = refOf(chatId, topicOf(message));
  const event: InboundAction = {
    type: 'action',
    platform: 'telegram',
    // update_id is unique per bot only: the bot id keeps two bots (or a re-created one) apart.
    eventId: `${opts.bot.id}:${updateId}`,
    ref,
    user,
    actionId: decoded.actionId,
    value: decoded.value,
    messageId: String(messageId),
    platformData: { callbackQueryId: id, chatType: str(obj(message.chat)?.type) ?? 'unknown' },
  };
  return { kind: 'event', event, callbackQueryId: id };
}

/** Normalizes one update (whose update_id is already known to be an integer). */
export async function normalizeTelegramUpdate(update: Json, opts: NormalizeOptions): Promise<TelegramNormalized> {
  const updateId = int(update.update_id);
  if (updateId === undefined) return { kind: 'ignored', reason: 'update_id is not an integer' };
  const message = obj(update.message);
  if (message) return normalizeMessage(updateId, message, opts);
  const query = obj(update.callback_query);
  if (query) return normalizeCallback(updateId, query, opts);
  const other = Object.keys(update).find((k) => k !== 'update_id') ?? 'empty';
  return { kind: 'ignored', reason: `unhandled update type ${other}` };
}
