/**
 * Platform-neutral message types. Adapters translate platform payloads into these and
 * the outbound sender renders {@link Reply} back; nothing else knows which platform it is.
 */

/** Chat platforms a2d2 speaks on: the one list every schema and adapter uses. */
export const PLATFORMS = ['slack', 'telegram', 'terminal'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** Where a conversation happens: a chat, and optionally a thread (Slack thread_ts, Telegram topic). */
export interface ConversationRef {
  platform: Platform;
  /** Slack channel id, Telegram chat id, terminal session id. */
  chatId: string;
  /** Slack thread_ts or Telegram message_thread_id; '' or undefined for the main chat. */
  threadId?: string;
  /** Slack team id, when known. */
  workspaceId?: string;
}

/** The person behind an inbound message, as the platform reports them. */
export interface InboundUser {
  platformUserId: string;
  displayName?: string;
  /** IETF tag from the platform ('en', 'ru-RU'), when it reports one. */
  locale?: string;
}

/** A file that came with a message; fetched later by the adapter's file fetcher. */
export interface InboundFile {
  /** Platform file id (Slack file id, Telegram file_id). */
  id: string;
  name?: string;
  mimeType?: string;
  size?: number;
  /** Slack url_private_download; Telegram has none (getFile). */
  url?: string;
}

/** One inbound chat message, normalised. */
export interface InboundMessage {
  type: 'message';
  platform: Platform;
  /** Stable delivery id used for de-duplication: Slack event_id / trigger id, Telegram update_id. */
  eventId: string;
  ref: ConversationRef;
  /** Where replies go (e.g. the thread under this message); defaults to `ref`. */
  replyRef?: ConversationRef;
  user: InboundUser;
  text: string;
  /** Slash command name without '/', when the platform delivered it as one ('a2d2', 'ticket'). */
  command?: string;
  /** True for DMs, mentions and slash commands: the bot is addressed directly. */
  addressed: boolean;
  /** Platform id of this message (Slack ts, Telegram message_id), to thread under it. */
  messageId?: string;
  files?: InboundFile[];
  /** Slack response_url / trigger_id and the like, for the adapter's own use. */
  platformData?: Record<string, unknown>;
}

/** A button press (Slack block_actions, Telegram callback_query), normalised. */
export interface InboundAction {
  type: 'action';
  platform: Platform;
  eventId: string;
  ref: ConversationRef;
  replyRef?: ConversationRef;
  user: InboundUser;
  /** Registered action id, e.g. 'ticket.ack'. */
  actionId: string;
  /** Opaque payload set when the button was rendered (an id, usually). */
  value: string;
  /** Platform id of the message that carried the button. */
  messageId?: string;
  platformData?: Record<string, unknown>;
}

export type InboundEvent = InboundMessage | InboundAction;

/** A button on a reply. `actionId` must be registered in the action registry. */
export interface Button {
  actionId: string;
  label: string;
  value: string;
  style?: 'primary' | 'danger';
}

/** A labelled value shown as a field (Slack section field, Telegram bold label line). */
export interface Field {
  label: string;
  value: string;
}

/** A link to something outside the chat. */
export interface LinkRef {
  label: string;
  url: string;
}

/**
 * A picture sent with a reply (a chart). The bytes travel inside the stored request, so an
 * outbound row stays replayable on its own: a retry or the recovery sweep sends the very same
 * picture, and there is no second store to keep in step with the row or to clean up.
 */
export interface ReplyImage {
  /** File name shown by the platform, e.g. 'sla.png'. */
  name: string;
  /** Text alternative (screen readers, notifications), already in the reader's language. */
  alt: string;
  mimeType: 'image/png';
  /** The file, base64. */
  dataBase64: string;
}

/** Largest picture a reply may carry, in bytes (the platforms take far more; a chart is ~30 KB). */
export const MAX_REPLY_IMAGE_BYTES = 2 * 1024 * 1024;

/**
 * A neutral reply. Text is plain text (adapters escape it for their markup) with a
 * small portable subset: `*bold*` is not interpreted; use `title` and `fields` for structure.
 */
export interface Reply {
  /** Main text, already in the reader's language. */
  text: string;
  /** Optional heading shown in bold above the text. */
  title?: string;
  fields?: Field[];
  /** Buttons, rendered in rows of up to 3 on Telegram, as one actions block on Slack. */
  buttons?: Button[];
  links?: LinkRef[];
  /** Short footer (timestamps, ids). */
  context?: string;
  /** Only the requesting user sees it (Slack ephemeral); elsewhere a normal message. */
  ephemeral?: boolean;
  /**
   * A picture: the reply is posted as that file with `text` as its caption (Slack file upload,
   * Telegram photo, a temp file on the terminal). Never merged into a digest, never edited.
   */
  image?: ReplyImage;
}

/** What gets queued for the outbound sender. */
export interface OutboundRequest {
  ref: ConversationRef;
  reply: Reply;
  /**
   * Logical message key ('ticket:42:card'). If a message with this key was already posted
   * in this chat, the sender edits it in place instead of posting a new one.
   */
  messageKey?: string;
  /**
   * Post as a reply in the thread of the message known by this key (e.g. the card), if any.
   */
  threadUnderKey?: string;
  /** Explicit message id to edit in place. */
  editMessageId?: string;
  /** Platform user id who alone should see an `ephemeral` reply (set by the pipeline). */
  visibleTo?: string;
  /**
   * Send order within the chat (default 'normal'): the chat's oldest urgent message goes
   * first, then normal, then low. Edits of one key and messages of one thread keep their
   * order among themselves whatever their priority. Rate limits are the same for all.
   */
  priority?: OutboundPriority;
  /**
   * Messages of one digest that wait for the same chat at the same time go out as one message
   * (their texts one after the other, up to a size limit), so a burst of notices into one
   * channel is not paced out one per second. Only plain posts merge: no key, no thread, no
   * buttons. Example: 'sla-notices'.
   */
  digest?: string;
}

/** How soon a message should leave relative to the others queued for its chat. */
export type OutboundPriority = 'urgent' | 'normal' | 'low';

/** The stored rank of a priority (lower leaves first). */
export const PRIORITY_RANK: Record<OutboundPriority, number> = { urgent: 0, normal: 1, low: 2 };

/** Quick conversation reference as a stable string, e.g. for Redis keys and logs. */
export function refKey(ref: ConversationRef): string {
  return `${ref.platform}:${ref.chatId}:${ref.threadId ?? ''}`;
}
