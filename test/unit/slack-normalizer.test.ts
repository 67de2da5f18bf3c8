import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeActionId, normalizeSlackPayload, slackTextToPlain, stripBotMention, type SlackNormalized } from '../../bot/adapters/slack/slack-normalizer.ts';
import type { InboundAction, InboundMessage } from '../../services/messaging/types.ts';
import { eventCallbackBody } from '../helpers/fake-slack.ts';

const BOT = 'UBOT0001';

function message(r: SlackNormalized): InboundMessage {
  assert.equal(r.kind, 'event', r.kind === 'ignored' ? r.reason : '');
  const e = (r as { event: InboundMessage }).event;
  assert.equal(e.type, 'message');
  return e;
}

function action(r: SlackNormalized): InboundAction {
  assert.equal(r.kind, 'event', r.kind === 'ignored' ? r.reason : '');
  const e = (r as { event: InboundAction }).event;
  assert.equal(e.type, 'action');
  return e;
}

function ignoredReason(r: SlackNormalized): string {
  assert.equal(r.kind, 'ignored');
  return (r as { reason: string }).reason;
}

const slash = (command: string, text: string) => ({
  team_id: 'T1',
  channel_id: 'C1',
  channel_name: 'general',
  user_id: 'U1',
  user_name: 'alice',
  command,
  text,
  response_url: 'https://hooks.slack.com/commands/x',
  trigger_id: '111.222.abc',
});

test('/a2d2 <cmd> becomes an addressed message for command a2d2 with the rest as text', () => {
  const m = message(normalizeSlackPayload(slash('/a2d2', ' help tickets ')));
  assert.equal(m.command, 'a2d2');
  assert.equal(m.text, 'help tickets');
  assert.equal(m.addressed, true);
  assert.equal(m.eventId, 'cmd:111.222.abc');
  assert.deepEqual(m.ref, { platform: 'slack', chatId: 'C1', workspaceId: 'T1' });
  assert.equal(m.replyRef, undefined);
  assert.deepEqual(m.user, { platformUserId: 'U1', displayName: 'alice' });
  assert.equal(m.platformData?.responseUrl, 'https://hooks.slack.com/commands/x');
});

test('a per-command slash (/ticket) keeps its own command name', () => {
  const m = message(normalizeSlackPayload(slash('/Ticket', 'P1 printer on fire')));
  assert.equal(m.command, 'ticket');
  assert.equal(m.text, 'P1 printer on fire');
});

test('a slash command without trigger_id or channel is ignored', () => {
  const { trigger_id: _t, ...noTrigger } = slash('/a2d2', 'help');
  ignoredReason(normalizeSlackPayload(noTrigger));
  const { channel_id: _c, ...noChannel } = slash('/a2d2', 'help');
  ignoredReason(normalizeSlackPayload(noChannel));
});

test('a top-level app_mention strips the mention and opens a thread under itself', () => {
  const body = eventCallbackBody(
    { type: 'app_mention', user: 'U1', text: `<@${BOT}> status please`, ts: '1700.0001', channel: 'C1', event_ts: '1700.0001' },
    { eventId: 'Ev1' },
  );
  const m = message(normalizeSlackPayload(body));
  assert.equal(m.text, 'status please');
  assert.equal(m.addressed, true);
  assert.equal(m.eventId, 'Ev1');
  assert.deepEqual(m.ref, { platform: 'slack', chatId: 'C1', threadId: '1700.0001', workspaceId: 'T0001' });
  assert.equal(m.messageId, '1700.0001');
});

test('an app_mention inside a thread belongs to that thread', () => {
  const body = eventCallbackBody({ type: 'app_mention', user: 'U1', text: `hey <@${BOT}> ack`, ts: '1700.0005', thread_ts: '1700.0001', channel: 'C1' });
  const m = message(normalizeSlackPayload(body));
  assert.equal(m.text, 'hey ack');
  assert.equal(m.ref.threadId, '1700.0001');
});

test('mention stripping uses the configured bot id over the envelope and keeps other mentions', () => {
  assert.equal(stripBotMention(`<@UOTHER> and <@${BOT}> hi`, BOT), '<@UOTHER> and hi');
  assert.equal(stripBotMention('<@UANY> hi'), 'hi');
  const body = eventCallbackBody({ type: 'app_mention', user: 'U1', text: '<@UREAL> go', ts: '1.1', channel: 'C1' }, { botUserId: 'UWRONG' });
  assert.equal(message(normalizeSlackPayload(body, { botUserId: 'UREAL' })).text, 'go');
});

test('a DM is addressed and replies in the channel (or its thread)', () => {
  const top = message(normalizeSlackPayload(eventCallbackBody({ type: 'message', channel_type: 'im', user: 'U1', text: 'whoami', ts: '1.1', channel: 'D1' })));
  assert.equal(top.addressed, true);
  assert.equal(top.text, 'whoami');
  assert.deepEqual(top.ref, { platform: 'slack', chatId: 'D1', workspaceId: 'T0001' });
  const threaded = message(normalizeSlackPayload(eventCallbackBody({ type: 'message', channel_type: 'im', user: 'U1', text: 'more', ts: '1.5', thread_ts: '1.1', channel: 'D1' })));
  assert.equal(threaded.ref.threadId, '1.1');
});

test('a channel message in a thread is passed on unaddressed, its text kept', () => {
  const m = message(
    normalizeSlackPayload(eventCallbackBody({ type: 'message', channel_type: 'channel', user: 'U2', text: ' rebooted it, works now ', ts: '1.9', thread_ts: '1.1', channel: 'C1' })),
  );
  assert.equal(m.addressed, false);
  assert.equal(m.text, 'rebooted it, works now');
  assert.equal(m.ref.threadId, '1.1');
  assert.equal(m.replyRef, undefined);
});

test('top-level channel chatter, and thread messages naming the bot (app_mention covers them), are ignored', () => {
  assert.match(ignoredReason(normalizeSlackPayload(eventCallbackBody({ type: 'message', channel_type: 'channel', user: 'U2', text: 'lunch?', ts: '1.1', channel: 'C1' }))), /top-level/);
  assert.match(
    ignoredReason(normalizeSlackPayload(eventCallbackBody({ type: 'message', channel_type: 'channel', user: 'U2', text: `<@${BOT}> help`, ts: '1.2', thread_ts: '1.1', channel: 'C1' }))),
    /app_mention/,
  );
});

test('bot messages, own messages, edits and joins are ignored', () => {
  const base = { type: 'message', channel_type: 'channel', text: 'x', ts: '1.2', thread_ts: '1.1', channel: 'C1' };
  assert.match(ignoredReason(normalizeSlackPayload(eventCallbackBody({ ...base, user: 'U2', bot_id: 'B1' }))), /bot/);
  assert.match(ignoredReason(normalizeSlackPayload(eventCallbackBody({ ...base, subtype: 'bot_message', bot_id: 'B1' }))), /subtype bot_message/);
  assert.match(ignoredReason(normalizeSlackPayload(eventCallbackBody({ ...base, user: BOT }))), /own/);
  assert.match(ignoredReason(normalizeSlackPayload(eventCallbackBody({ ...base, subtype: 'message_changed', message: { text: 'y' } }))), /message_changed/);
  assert.match(ignoredReason(normalizeSlackPayload(eventCallbackBody({ ...base, user: 'U2', subtype: 'channel_join' }))), /channel_join/);
  assert.match(ignoredReason(normalizeSlackPayload(eventCallbackBody({ ...base, user: 'U2', subtype: 'message_deleted' }))), /message_deleted/);
  assert.match(ignoredReason(normalizeSlackPayload(eventCallbackBody({ type: 'reaction_added', user: 'U2' }))), /reaction_added/);
});

test('file shares are kept, with the files listed', () => {
  const m = message(
    normalizeSlackPayload(
      eventCallbackBody({
        type: 'message',
        subtype: 'file_share',
        channel_type: 'im',
        user: 'U1',
        text: 'invoice',
        ts: '1.1',
        channel: 'D1',
        files: [{ id: 'F1', name: 'inv.pdf', mimetype: 'application/pdf', size: 1234, url_private_download: 'https://files.slack.com/files-pri/T-F1/download/inv.pdf' }, { no: 'id' }],
      }),
    ),
  );
  assert.deepEqual(m.files, [{ id: 'F1', name: 'inv.pdf', mimeType: 'application/pdf', size: 1234, url: 'https://files.slack.com/files-pri/T-F1/download/inv.pdf' }]);
});

const blockActions = (message: Record<string, unknown>, actionId: string, value = 'v-42') => ({
  type: 'block_actions',
  user: { id: 'U1', username: 'alice', name: 'alice', team_id: 'T1' },
  team: { id: 'T1', domain: 'x' },
  channel: { id: 'C1', name: 'general' },
  container: { type: 'message', message_ts: message.ts, channel_id: 'C1', is_ephemeral: false },
  message,
  trigger_id: '999.888.zzz',
  response_url: 'https://hooks.slack.com/actions/x',
  actions: [{ type: 'button', action_id: actionId, block_id: 'b1', value, action_ts: '1.99' }],
});

test('block_actions become an action with our action id (suffix removed) and the button value', () => {
  const a = action(normalizeSlackPayload(blockActions({ ts: '1.5', thread_ts: '1.1', text: 'card' }, 'ticket.ack#2')));
  assert.equal(a.actionId, 'ticket.ack');
  assert.equal(a.value, 'v-42');
  assert.equal(a.eventId, 'act:999.888.zzz');
  assert.equal(a.messageId, '1.5');
  assert.deepEqual(a.ref, { platform: 'slack', chatId: 'C1', threadId: '1.1', workspaceId: 'T1' });
  assert.deepEqual(a.user, { platformUserId: 'U1', displayName: 'alice' });
});

test('a button on a top-level message (even one with replies) belongs to the channel', () => {
  assert.equal(action(normalizeSlackPayload(blockActions({ ts: '1.5', text: 'card' }, 'core.confirm'))).ref.threadId, undefined);
  assert.equal(action(normalizeSlackPayload(blockActions({ ts: '1.5', thread_ts: '1.5', text: 'card' }, 'core.confirm'))).ref.threadId, undefined);
});

test('select menus report the selected option', () => {
  const body = blockActions({ ts: '1.5' }, 'ticket.priority');
  body.actions = [{ type: 'static_select', action_id: 'ticket.priority', block_id: 'b', selected_option: { value: 'P1' }, action_ts: '1' } as never];
  assert.equal(action(normalizeSlackPayload(body)).value, 'P1');
});

test('decodeActionId only removes a trailing #n', () => {
  assert.equal(decodeActionId('a.b#12'), 'a.b');
  assert.equal(decodeActionId('a#b'), 'a#b');
  assert.equal(decodeActionId('plain'), 'plain');
});

const viewSubmission = (privateMetadata: string, values: Record<string, unknown>) => ({
  type: 'view_submission',
  team: { id: 'T1' },
  user: { id: 'U1', name: 'alice' },
  trigger_id: '555.666.vvv',
  view: { id: 'V1', hash: 'h1', callback_id: 'ticket.create.modal', private_metadata: privateMetadata, state: { values } },
});

test('view_submission: action id = callback_id, value = JSON of the flattened state', () => {
  const values = {
    title_block: { title: { type: 'plain_text_input', value: 'Printer' } },
    prio_block: { priority: { type: 'static_select', selected_option: { text: {}, value: 'P2' } } },
    who_block: { assignees: { type: 'multi_users_select', selected_users: ['U7', 'U8'] } },
    due_block: { due: { type: 'datepicker', selected_date: '2026-12-01' } },
    empty_block: { note: { type: 'plain_text_input', value: null } },
  };
  const a = action(normalizeSlackPayload(viewSubmission(JSON.stringify({ channel: 'C9', thread_ts: '1.1' }), values)));
  assert.equal(a.actionId, 'ticket.create.modal');
  assert.equal(a.eventId, 'view:555.666.vvv');
  assert.deepEqual(JSON.parse(a.value), { title: 'Printer', priority: 'P2', assignees: ['U7', 'U8'], due: '2026-12-01', note: null });
  assert.deepEqual(a.ref, { platform: 'slack', chatId: 'C9', threadId: '1.1', workspaceId: 'T1' });
});

test('view_submission without usable private_metadata reports to the user; a bare channel id works too', () => {
  assert.deepEqual(action(normalizeSlackPayload(viewSubmission('', {}))).ref, { platform: 'slack', chatId: 'U1', workspaceId: 'T1' });
  assert.deepEqual(action(normalizeSlackPayload(viewSubmission('not json', {}))).ref.chatId, 'U1');
  assert.deepEqual(action(normalizeSlackPayload(viewSubmission('C0123ABC', {}))).ref.chatId, 'C0123ABC');
});

test('view state keys such as __proto__ stay plain data', () => {
  const values = JSON.parse('{"b":{"__proto__":{"type":"plain_text_input","value":"x"}},"c":{"ok":{"type":"plain_text_input","value":"y"}}}') as Record<string, unknown>;
  const a = action(normalizeSlackPayload(viewSubmission('', values)));
  const parsed = JSON.parse(a.value) as Record<string, unknown>;
  assert.equal(parsed.ok, 'y');
  assert.equal(({} as Record<string, unknown>).value, undefined);
  assert.equal(Object.getPrototypeOf(parsed), Object.prototype);
});

test('a message shortcut carries the message text, ts and channel, and answers in its thread', () => {
  const a = action(
    normalizeSlackPayload({
      type: 'message_action',
      callback_id: 'ticket.from_message',
      trigger_id: '777.1.sss',
      team: { id: 'T1' },
      user: { id: 'U1', name: 'alice' },
      channel: { id: 'C1', name: 'general' },
      message: { type: 'message', user: 'U3', ts: '1.7', text: 'the VPN is down' },
      response_url: 'https://hooks.slack.com/app/x',
    }),
  );
  assert.equal(a.actionId, 'ticket.from_message');
  assert.equal(a.eventId, 'sc:777.1.sss');
  assert.deepEqual(JSON.parse(a.value), { text: 'the VPN is down', ts: '1.7', channel: 'C1', user: 'U3' });
  assert.deepEqual(a.ref, { platform: 'slack', chatId: 'C1', threadId: '1.7', workspaceId: 'T1' });
  assert.equal(a.messageId, '1.7');
});

test('a global shortcut reports to the user', () => {
  const a = action(normalizeSlackPayload({ type: 'shortcut', callback_id: 'new_ticket', trigger_id: '1.2.3', team: { id: 'T1' }, user: { id: 'U1', username: 'alice' } }));
  assert.equal(a.actionId, 'new_ticket');
  assert.equal(a.value, '{}');
  assert.equal(a.ref.chatId, 'U1');
});

test('unknown payloads, view_closed and non-objects are ignored', () => {
  ignoredReason(normalizeSlackPayload({ type: 'view_closed', user: { id: 'U1' }, view: {} }));
  ignoredReason(normalizeSlackPayload({ type: 'block_suggestion' }));
  ignoredReason(normalizeSlackPayload(null));
  ignoredReason(normalizeSlackPayload([1, 2]));
  ignoredReason(normalizeSlackPayload({ type: 'event_callback', event: { type: 'app_mention' } }));
});

test('Slack markup in message text becomes plain text', () => {
  assert.equal(slackTextToPlain('a &lt; b &amp;&amp; c &gt; d'), 'a < b && c > d');
  assert.equal(slackTextToPlain('literal &amp;lt; stays'), 'literal &lt; stays');
  assert.equal(slackTextToPlain('see <https://example.com/x|the docs> and <https://example.com/y>'), 'see the docs (https://example.com/x) and https://example.com/y');
  assert.equal(slackTextToPlain('<http://example.com|example.com> <mailto:a@b.c|a@b.c>'), 'example.com a@b.c');
  assert.equal(slackTextToPlain('in <#C123|ops> ask <@U42> or <@U43|bob>'), 'in #ops ask @U42 or @U43');
  assert.equal(slackTextToPlain('<!here> <!channel> <!subteam^S1|@oncall> <!date^1700000000^{date}|Nov 14>'), '@here @channel @oncall Nov 14');
});

test('normalized text is plain in mentions, DMs, thread replies and slash commands', () => {
  const mention = message(normalizeSlackPayload(eventCallbackBody({ type: 'app_mention', user: 'U1', text: `<@${BOT}> ticket P1 disk &gt; 90% on <#C9|db>`, ts: '1.1', channel: 'C1' })));
  assert.equal(mention.text, 'ticket P1 disk > 90% on #db');
  const dm = message(normalizeSlackPayload(eventCallbackBody({ type: 'message', channel_type: 'im', user: 'U1', text: 'a &amp; b', ts: '1.1', channel: 'D1' })));
  assert.equal(dm.text, 'a & b');
  const thread = message(normalizeSlackPayload(eventCallbackBody({ type: 'message', channel_type: 'channel', user: 'U1', text: 'x &lt;y&gt;', ts: '1.2', thread_ts: '1.1', channel: 'C1' })));
  assert.equal(thread.text, 'x <y>');
  assert.equal(message(normalizeSlackPayload(slash('/ticket', 'P2 a &amp; b'))).text, 'P2 a & b');
});
