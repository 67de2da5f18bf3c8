/**
 * Turns a parsed Slack payload (Events API envelope, slash command, or interactivity payload)
 * into one neutral {@link InboundEvent}, or says why it is ignored. Both transports (the HTTP
 * route and Socket Mode) hand their bodies here, so they behave the same. This file picks the
 * kind of payload; the pieces live beside it: -messages (events, slash commands), -actions
 * (clicks, shortcuts), -views (modal submissions), -text (Slack markup), -read (field readers).
 *
 * Where a conversation lives: in a channel, the thread. A top-level mention starts a thread
 * under itself (ref.threadId = its ts) and the bot answers there, so a later button press on
 * that answer (which Slack reports with the same thread_ts) finds the same conversation state.
 * DMs and slash commands live in the channel itself (or the thread they were written in).
 */
import { ignored, obj, type SlackNormalizeOptions, type SlackNormalized } from './slack-normalizer-read.ts';
import { fromEventCallback, fromSlashCommand } from './slack-normalizer-messages.ts';
import { fromBlockActions, fromShortcut } from './slack-normalizer-actions.ts';
import { fromViewSubmission } from './slack-normalizer-views.ts';

export type { SlackNormalizeOptions, SlackNormalized } from './slack-normalizer-read.ts';
export { decodeActionId, slackTextToPlain, stripBotMention } from './slack-normalizer-text.ts';
export { viewStateValues } from './slack-normalizer-views.ts';

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
