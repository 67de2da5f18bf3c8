/**
 * Slack modal submissions (`view_submission`) into neutral InboundActions: the view's input
 * state flattened into one JSON value, and the conversation its result is reported in.
 */
import type { ConversationRef, InboundAction } from '../../../services/messaging/types.ts';
import { cleanDeep } from '../../../services/text/sanitize.ts';
import { ignored, interactiveUser, obj, ref, str, teamOf, type Obj, type SlackNormalized } from './slack-normalizer-read.ts';

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

/** A submitted modal: its callback id is the action, its flattened input state the value. */
export function fromViewSubmission(body: Obj): SlackNormalized {
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
    // Form fields cleaned before encoding: inside JSON a NUL or a lone surrogate is an escape
    // sequence that the inbound schema's cleaning of the whole value would not see.
    value: JSON.stringify(cleanDeep(viewStateValues(view))),
    platformData: { kind: 'view_submission', viewId: str(view.id) ?? null, ...(triggerId ? { triggerId } : {}) },
  };
  return { kind: 'event', event: act };
}

