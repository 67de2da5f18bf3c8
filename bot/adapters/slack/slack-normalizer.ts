/**
 * Turns a parsed Slack payload (Events API envelope, slash command, or interactivity payload)
 * into one neutral {@link InboundEvent}, or says why it is ignored. Both transports (the HTTP
 * route and Socket Mode) hand their bodies here, so they behave the same.
 *
 * Where a conversation lives: in a channel, the thread. A top-level mention starts a thread
 * under itself (ref.threadId = its ts) and the bot answers there, so a later button press on
 * that answer (which Slack reports with the same thread_ts) finds the same conversation state.
 * DMs and slash commands live in the channel itself (or the thread they were written in).
 */
import type { ConversationRef, InboundAction, InboundEvent, InboundFile, InboundMessage, InboundUser } from '../../../services/messaging/types.ts';

/** What the normalizer needs to know about the bot itself. */
export interface SlackNormalizeOptions {
  /** The bot's own user id (auth.test user_id); also read from the envelope's authorizations. */
  botUserId?: string;
}

/** Result of {@link normalizeSlackPayload}. */
export type SlackNormalized = { kind: 'event'; event: InboundEvent } | { kind: 'ignored'; reason: string };

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function ignored(reason: string): SlackNormalized {
  return { kind: 'ignored', reason };
}

/** Button action ids are rendered with a `#n` suffix when one block repeats an id; this undoes it. */
export function decodeActionId(actionId: string): string {
  return actionId.replace(/#\d+$/, '');
}

/** Message subtypes that are a person saying something; the rest (edits, joins, topics) are not. */
const SPOKEN_SUBTYPES = new Set(['file_share', 'thread_broadcast']);

function mentionPattern(botUserId: string | undefined): RegExp {
  // Without a known bot id, only a leading mention can be assumed to address the bot.
  return botUserId ? new RegExp(`<@${botUserId}(?:\\|[^>]*)?>`, 'g') : /^\s*<@[A-Z0-9]+(?:\|[^>]*)?>/;
}

/** Removes mentions of the bot from message text and tidies the whitespace left behind. */
export function stripBotMention(text: string, botUserId?: string): string {
  return text.replace(mentionPattern(botUserId), ' ').replace(/[ \t]{2,}/g, ' ').trim();
}

/**
 * Slack message markup -> the plain text the core works with: `&lt; &gt; &amp;` unescaped,
 * `<url|label>` -> `label (url)` (just the label when it is the url), `<#C1|name>` -> `#name`,
 * `<@U1>` -> `@U1`, `<!here>` -> `@here`, `<!subteam^S1|@team>` -> `@team`, `<!date^…|text>` -> text.
 */
export function slackTextToPlain(text: string): string {
  const plain = text.replace(/<([^<>]*)>/g, (_whole, inner: string) => {
    const bar = inner.indexOf('|');
    const target = bar === -1 ? inner : inner.slice(0, bar);
    const label = bar === -1 ? '' : inner.slice(bar + 1);
    if (target.startsWith('@')) return `@${target.slice(1)}`;
    if (target.startsWith('#')) return `#${label || target.slice(1)}`;
    if (target.startsWith('!')) {
      const word = target.slice(1).split('^')[0] ?? '';
      if (word === 'here' || word === 'channel' || word === 'everyone') return `@${word}`;
      return label || `@${word}`;
    }
    if (!label) return target.replace(/^mailto:/, '');
    const bare = target.replace(/^(?:https?:\/\/|mailto:)/, '').replace(/\/$/, '');
    return label === target || label === bare ? label : `${label} (${target})`;
  });
  return plain.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function files(event: Obj): InboundFile[] | undefined {
  if (!Array.isArray(event.files)) return undefined;
  const out: InboundFile[] = [];
  for (const raw of event.files) {
    const f = obj(raw);
    const id = str(f?.id);
    if (!f || !id) continue;
    const name = str(f.name);
    const mimeType = str(f.mimetype);
    const size = num(f.size);
    const url = str(f.url_private_download) ?? str(f.url_private);
    out.push({ id, ...(name ? { name } : {}), ...(mimeType ? { mimeType } : {}), ...(size !== undefined ? { size } : {}), ...(url ? { url } : {}) });
  }
  return out.length > 0 ? out : undefined;
}

function ref(chatId: string, threadId: string | undefined, teamId: string | undefined): ConversationRef {
  return { platform: 'slack', chatId, ...(threadId ? { threadId } : {}), ...(teamId ? { workspaceId: teamId } : {}) };
}

function userOf(id: string, displayName: string | undefined): InboundUser {
  return { platformUserId: id, ...(displayName ? { displayName } : {}) };
}

function profileName(event: Obj): string | undefined {
  const p = obj(event.user_profile);
  return str(p?.display_name) ?? str(p?.real_name) ?? str(p?.name);
}

function fromEventCallback(body: Obj, opts: SlackNormalizeOptions): SlackNormalized {
  const event = obj(body.event);
  const eventId = str(body.event_id);
  if (!event || !eventId) return ignored('event envelope without event or event_id');
  const teamId = str(body.team_id) ?? str(event.team);
  const authorizations = Array.isArray(body.authorizations) ? body.authorizations : [];
  const botUserId = opts.botUserId ?? str(obj(authorizations[0])?.user_id);
  const type = str(event.type);
  if (type !== 'app_mention' && type !== 'message') return ignored(`event type ${type ?? '?'}`);
  const subtype = str(event.subtype);
  if (subtype && !SPOKEN_SUBTYPES.has(subtype)) return ignored(`message subtype ${subtype}`);
  if (str(event.bot_id) || obj(event.bot_profile)) return ignored('bot message');
  const user = str(event.user);
  const channel = str(event.channel);
  const ts = str(event.ts);
  if (!user || !channel || !ts) return ignored('message without user, channel or ts');
  if (botUserId && user === botUserId) return ignored('own message');
  const rawText = typeof event.text === 'string' ? event.text : '';
  const threadTs = str(event.thread_ts);
  const inThread = Boolean(threadTs && threadTs !== ts);
  const fileList = files(event);
  const base = {
    type: 'message' as const,
    platform: 'slack' as const,
    eventId,
    user: userOf(user, profileName(event)),
    messageId: ts,
    ...(fileList ? { files: fileList } : {}),
    platformData: { channelType: str(event.channel_type) ?? null, ts },
  };

  if (type === 'app_mention') {
    const msg: InboundMessage = {
      ...base,
      // Conversation = the thread the answer goes to (a new one under a top-level mention).
      ref: ref(channel, threadTs ?? ts, teamId),
      text: slackTextToPlain(stripBotMention(rawText, botUserId)),
      addressed: true,
    };
    return { kind: 'event', event: msg };
  }

  const channelType = str(event.channel_type);
  if (channelType === 'im') {
    const msg: InboundMessage = {
      ...base,
      ref: ref(channel, inThread ? threadTs : undefined, teamId),
      text: slackTextToPlain(stripBotMention(rawText, botUserId)),
      addressed: true,
    };
    return { kind: 'event', event: msg };
  }
  // In channels only thread replies matter to us (ticket threads, follow-ups); top-level chatter
  // is not ours, and a message naming the bot also arrives as app_mention, which wins.
  if (!inThread) return ignored('top-level channel message');
  if (botUserId && rawText.includes(`<@${botUserId}`)) return ignored('mention (handled as app_mention)');
  const msg: InboundMessage = { ...base, ref: ref(channel, threadTs, teamId), text: slackTextToPlain(rawText).trim(), addressed: false };
  return { kind: 'event', event: msg };
}

function fromSlashCommand(body: Obj): SlackNormalized {
  const command = str(body.command)?.replace(/^\//, '').toLowerCase();
  const channel = str(body.channel_id);
  const user = str(body.user_id);
  // trigger_id is unique per invocation and repeated on a redelivery of the same one.
  const eventId = str(body.trigger_id);
  if (!command || !channel || !user || !eventId) return ignored('slash command without command, channel, user or trigger_id');
  const responseUrl = str(body.response_url);
  const msg: InboundMessage = {
    type: 'message',
    platform: 'slack',
    eventId: `cmd:${eventId}`,
    ref: ref(channel, undefined, str(body.team_id)),
    user: userOf(user, str(body.user_name)),
    text: typeof body.text === 'string' ? slackTextToPlain(body.text).trim() : '',
    command,
    addressed: true,
    platformData: { triggerId: eventId, ...(responseUrl ? { responseUrl } : {}), channelName: str(body.channel_name) ?? null },
  };
  return { kind: 'event', event: msg };
}

function interactiveUser(body: Obj): InboundUser | undefined {
  const u = obj(body.user);
  const id = str(u?.id);
  if (!u || !id) return undefined;
  return userOf(id, str(u.name) ?? str(u.username));
}

function teamOf(body: Obj): string | undefined {
  return str(obj(body.team)?.id) ?? str(obj(body.user)?.team_id);
}

function actionValue(action: Obj): string {
  const direct = action.value;
  if (typeof direct === 'string') return direct;
  const option = obj(action.selected_option);
  if (typeof option?.value === 'string') return option.value;
  if (Array.isArray(action.selected_options)) {
    return action.selected_options.map((o) => str(obj(o)?.value) ?? '').filter(Boolean).join(',');
  }
  for (const key of ['selected_user', 'selected_conversation', 'selected_channel', 'selected_date', 'selected_time']) {
    const v = str(action[key]);
    if (v) return v;
  }
  return '';
}

function fromBlockActions(body: Obj): SlackNormalized {
  const user = interactiveUser(body);
  const actions = Array.isArray(body.actions) ? body.actions : [];
  const action = obj(actions[0]);
  const rawId = str(action?.action_id);
  if (!user || !action || !rawId) return ignored('block_actions without user or action');
  const message = obj(body.message);
  const container = obj(body.container);
  const channel = str(obj(body.channel)?.id) ?? str(container?.channel_id);
  const messageTs = str(message?.ts) ?? str(container?.message_ts);
  const threadTs = str(message?.thread_ts) ?? str(container?.thread_ts);
  const triggerId = str(body.trigger_id);
  const eventId = triggerId ?? `${str(action.action_ts) ?? '?'}:${user.platformUserId}:${rawId}`;
  // A button on a thread reply belongs to that thread's conversation; on a top-level
  // message (even one that has replies, where thread_ts === ts) to the channel's.
  const thread = threadTs && threadTs !== messageTs ? threadTs : undefined;
  const where = channel ? ref(channel, thread, teamOf(body)) : ref(user.platformUserId, undefined, teamOf(body));
  const responseUrl = str(body.response_url);
  const act: InboundAction = {
    type: 'action',
    platform: 'slack',
    eventId: `act:${eventId}`,
    ref: where,
    user,
    actionId: decodeActionId(rawId),
    value: actionValue(action),
    ...(messageTs ? { messageId: messageTs } : {}),
    platformData: {
      kind: 'block_actions',
      ...(triggerId ? { triggerId } : {}),
      ...(responseUrl ? { responseUrl } : {}),
      blockId: str(action.block_id) ?? null,
      ephemeral: container?.is_ephemeral === true,
    },
  };
  return { kind: 'event', event: act };
}

/** Reads one input element's value out of a view state entry, whatever its type. */
function stateValue(entry: Obj): unknown {
  if (typeof entry.value === 'string' || typeof entry.value === 'number') return entry.value;
  const option = obj(entry.selected_option);
  if (option) return str(option.value) ?? null;
  if (Array.isArray(entry.selected_options)) return entry.selected_options.map((o) => str(obj(o)?.value) ?? '');
  for (const key of ['selected_users', 'selected_conversations', 'selected_channels']) {
    if (Array.isArray(entry[key])) return (entry[key] as unknown[]).filter((v) => typeof v === 'string');
  }
  for (const key of ['selected_user', 'selected_conversation', 'selected_channel', 'selected_date', 'selected_time', 'selected_date_time']) {
    if (entry[key] !== undefined) return entry[key] ?? null;
  }
  return null;
}

/**
 * Flattens `view.state.values` ({block_id: {action_id: element}}) into {action_id: value};
 * an action id used in two blocks is keyed `block_id.action_id` the second time.
 */
export function viewStateValues(view: Obj): Record<string, unknown> {
  const values = obj(obj(view.state)?.values);
  const entries: [string, unknown][] = [];
  const seen = new Set<string>();
  if (!values) return {};
  for (const [blockId, block] of Object.entries(values)) {
    const elements = obj(block);
    if (!elements) continue;
    for (const [actionId, element] of Object.entries(elements)) {
      const entry = obj(element);
      if (!entry) continue;
      const key = seen.has(actionId) ? `${blockId}.${actionId}` : actionId;
      seen.add(actionId);
      entries.push([key, stateValue(entry)]);
    }
  }
  // fromEntries defines own properties, so a '__proto__' key cannot touch a prototype.
  return Object.fromEntries(entries);
}

/**
 * Where a modal's result is reported: `private_metadata` may carry a channel id or JSON
 * {channel|chatId, thread_ts|threadId}; otherwise the user's DM with the app.
 */
function viewTarget(view: Obj, userId: string, teamId: string | undefined): ConversationRef {
  const meta = str(view.private_metadata);
  if (meta) {
    if (/^[CDG][A-Z0-9]{2,}$/.test(meta)) return ref(meta, undefined, teamId);
    try {
      const parsed = obj(JSON.parse(meta));
      const chat = str(parsed?.channel) ?? str(parsed?.chatId);
      if (chat) return ref(chat, str(parsed?.thread_ts) ?? str(parsed?.threadId), teamId);
    } catch {
      // Not ours: fall back to the user's DM.
    }
  }
  // chat.postMessage accepts a user id as the channel: it lands in the app's DM with them.
  return ref(userId, undefined, teamId);
}

function fromViewSubmission(body: Obj): SlackNormalized {
  const user = interactiveUser(body);
  const view = obj(body.view);
  const callbackId = str(view?.callback_id);
  if (!user || !view || !callbackId) return ignored('view_submission without user or callback_id');
  const triggerId = str(body.trigger_id);
  const eventId = triggerId ?? `${str(view.id) ?? '?'}:${str(view.hash) ?? '?'}`;
  const act: InboundAction = {
    type: 'action',
    platform: 'slack',
    eventId: `view:${eventId}`,
    ref: viewTarget(view, user.platformUserId, teamOf(body)),
    user,
    actionId: callbackId,
    value: JSON.stringify(viewStateValues(view)),
    platformData: { kind: 'view_submission', viewId: str(view.id) ?? null, ...(triggerId ? { triggerId } : {}) },
  };
  return { kind: 'event', event: act };
}

function fromShortcut(body: Obj, type: 'message_action' | 'shortcut'): SlackNormalized {
  const user = interactiveUser(body);
  const callbackId = str(body.callback_id);
  const triggerId = str(body.trigger_id);
  if (!user || !callbackId || !triggerId) return ignored(`${type} without user, callback_id or trigger_id`);
  const teamId = teamOf(body);
  const responseUrl = str(body.response_url);
  const platformData = { kind: type, triggerId, ...(responseUrl ? { responseUrl } : {}) };
  if (type === 'shortcut') {
    const act: InboundAction = {
      type: 'action',
      platform: 'slack',
      eventId: `sc:${triggerId}`,
      ref: ref(user.platformUserId, undefined, teamId),
      user,
      actionId: callbackId,
      value: '{}',
      platformData,
    };
    return { kind: 'event', event: act };
  }
  const channel = str(obj(body.channel)?.id);
  const message = obj(body.message);
  const ts = str(message?.ts) ?? str(body.message_ts);
  if (!channel || !message || !ts) return ignored('message_action without channel or message');
  const threadTs = str(message.thread_ts);
  const act: InboundAction = {
    type: 'action',
    platform: 'slack',
    eventId: `sc:${triggerId}`,
    // Answers go to the thread of the message the shortcut was used on.
    ref: ref(channel, threadTs ?? ts, teamId),
    user,
    actionId: callbackId,
    value: JSON.stringify({
      text: typeof message.text === 'string' ? slackTextToPlain(message.text) : '',
      ts,
      channel,
      ...(threadTs ? { threadTs } : {}),
      ...(str(message.user) ? { user: str(message.user) } : {}),
      ...(str(message.permalink) ? { permalink: str(message.permalink) } : {}),
    }),
    messageId: ts,
    platformData,
  };
  return { kind: 'event', event: act };
}

/**
 * Normalizes one parsed Slack payload. `body` is the Events API JSON envelope, the slash
 * command's form fields, or the interactivity payload object (already unwrapped from `payload=`).
 */
export function normalizeSlackPayload(body: unknown, opts: SlackNormalizeOptions = {}): SlackNormalized {
  const b = obj(body);
  if (!b) return ignored('not an object');
  if (typeof b.command === 'string') return fromSlashCommand(b);
  switch (b.type) {
    case 'event_callback':
      return fromEventCallback(b, opts);
    case 'block_actions':
      return fromBlockActions(b);
    case 'view_submission':
      return fromViewSubmission(b);
    case 'message_action':
      return fromShortcut(b, 'message_action');
    case 'shortcut':
      return fromShortcut(b, 'shortcut');
    default:
      return ignored(`payload type ${typeof b.type === 'string' ? b.type : '?'}`);
  }
}
