/**
 * Slack interactivity into neutral InboundActions: button and menu clicks (`block_actions`)
 * and shortcuts, global or on a message. Modal submissions are in slack-normalizer-views.ts.
 */
import type { InboundAction } from '../../../services/messaging/types.ts';
import { cleanText } from '../../../services/text/sanitize.ts';
import { ignored, interactiveUser, obj, ref, str, teamOf, type Obj, type SlackNormalized } from './slack-normalizer-read.ts';
import { decodeActionId, slackTextToPlain } from './slack-normalizer-text.ts';

/** The value an element reports, whatever its type (button, select, multi-select, picker). */
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

/** A click on a button or a choice in a menu (`block_actions`); the first action counts. */
export function fromBlockActions(body: Obj): SlackNormalized {
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

/** A global shortcut (answered in the DM) or a message shortcut (answered in its thread). */
export function fromShortcut(body: Obj, type: 'message_action' | 'shortcut'): SlackNormalized {
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
    // Cleaned before encoding: inside JSON a NUL is the escape \u0000, which the inbound
    // schema's cleaning of the whole value would not see.
    value: JSON.stringify({
      text: typeof message.text === 'string' ? cleanText(slackTextToPlain(message.text)) : '',
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
