/**
 * Slack messages into neutral InboundMessages: Events API `app_mention` and `message` events
 * (with their files) and slash commands. Which messages are ours: mentions and DMs always,
 * thread replies in channels as unaddressed follow-ups, top-level channel chatter never.
 */
import type { InboundFile, InboundMessage } from '../../../services/messaging/types.ts';
import { ignored, num, obj, ref, str, userOf, type Obj, type SlackNormalizeOptions, type SlackNormalized } from './slack-normalizer-read.ts';
import { slackTextToPlain, stripBotMention } from './slack-normalizer-text.ts';

/** Message subtypes that are a person saying something; the rest (edits, joins, topics) are not. */
const SPOKEN_SUBTYPES = new Set(['file_share', 'thread_broadcast']);

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

function profileName(event: Obj): string | undefined {
  const p = obj(event.user_profile);
  return str(p?.display_name) ?? str(p?.real_name) ?? str(p?.name);
}

/** An Events API envelope (`event_callback`) carrying a mention or a message. */
export function fromEventCallback(body: Obj, opts: SlackNormalizeOptions): SlackNormalized {
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

/** A slash command (`/ai …`): always addressed to the bot, in the channel it was typed in. */
export function fromSlashCommand(body: Obj): SlackNormalized {
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
