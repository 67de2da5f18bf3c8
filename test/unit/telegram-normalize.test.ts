import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeTelegramUpdate, type NormalizeOptions, type TelegramNormalized } from '../../bot/adapters/telegram/telegram-normalize.ts';
import { createCallbackCodec, type CallbackStore } from '../../bot/adapters/telegram/telegram-callback-data.ts';
import type { InboundAction, InboundMessage } from '../../services/messaging/types.ts';

const BOT = { id: 555, username: 'a2d2_bot' };
const store: CallbackStore = { set: async () => {}, get: async () => null };
const opts: NormalizeOptions = { bot: BOT, callbacks: createCallbackCodec(store), commandNames: new Map([['ticket_list', 'ticket-list']]) };

const alice = { id: 42, is_bot: false, first_name: 'Alice', last_name: 'Smith', username: 'alice', language_code: 'ru' };

function message(over: Record<string, unknown>, chat: Record<string, unknown> = { id: 42, type: 'private' }) {
  return { update_id: 1000, message: { message_id: 7, date: 1, chat, from: alice, ...over } };
}

function asMessage(r: TelegramNormalized): InboundMessage {
  assert.equal(r.kind, 'event', `expected an event, got ${JSON.stringify(r)}`);
  const e = (r as { event: InboundMessage }).event;
  assert.equal(e.type, 'message');
  return e;
}

const group = { id: -100123, type: 'supergroup', title: 'ops' };

test('telegram normalize: a private message is addressed, carries user, locale and ids', async () => {
  const e = asMessage(await normalizeTelegramUpdate(message({ text: 'status please' }), opts));
  assert.equal(e.eventId, '555:1000');
  assert.equal(e.platform, 'telegram');
  assert.deepEqual(e.ref, { platform: 'telegram', chatId: '42' });
  assert.equal(e.replyRef, undefined, 'private chats answer in the chat itself');
  assert.deepEqual(e.user, { platformUserId: '42', displayName: 'Alice Smith', locale: 'ru' });
  assert.equal(e.text, 'status please');
  assert.equal(e.addressed, true);
  assert.equal(e.command, undefined);
  assert.equal(e.messageId, '7');
});

test('telegram normalize: "/cmd@botname args" in a group is a command, addressed, answered as a reply', async () => {
  const e = asMessage(await normalizeTelegramUpdate(message({ text: '/Help@A2D2_bot  ticket ', entities: [{ type: 'bot_command', offset: 0, length: 14 }] }, group), opts));
  assert.equal(e.command, 'help');
  assert.equal(e.text, 'ticket');
  assert.equal(e.addressed, true);
  assert.deepEqual(e.ref, { platform: 'telegram', chatId: '-100123' });
  assert.deepEqual(e.replyRef, { platform: 'telegram', chatId: '-100123', threadId: '/7' });
});

test('telegram normalize: a sanitized menu name maps back to the registry slash name', async () => {
  const e = asMessage(await normalizeTelegramUpdate(message({ text: '/ticket_list open' }), opts));
  assert.equal(e.command, 'ticket-list');
  assert.equal(e.text, 'open');
});

test('telegram normalize: a command for another bot is ignored', async () => {
  const r = await normalizeTelegramUpdate(message({ text: '/help@other_bot' }, group), opts);
  assert.equal(r.kind, 'ignored');
});

test('telegram normalize: group messages are addressed only by mention or reply to the bot', async () => {
  const plain = asMessage(await normalizeTelegramUpdate(message({ text: 'deploy is done' }, group), opts));
  assert.equal(plain.addressed, false);

  const mention = asMessage(await normalizeTelegramUpdate(message({ text: 'hey @a2d2_BOT status', entities: [{ type: 'mention', offset: 4, length: 9 }] }, group), opts));
  assert.equal(mention.addressed, true);
  assert.equal(mention.text, 'hey status', 'the mention is removed from the text');

  const notUs = asMessage(await normalizeTelegramUpdate(message({ text: 'ask @a2d2_bot_fan' }, group), opts));
  assert.equal(notUs.addressed, false);

  const reply = asMessage(
    await normalizeTelegramUpdate(message({ text: 'and now?', reply_to_message: { message_id: 3, date: 1, chat: group, from: { id: BOT.id, is_bot: true, first_name: 'a2d2' } } }, group), opts),
  );
  assert.equal(reply.addressed, true);
});

test('telegram normalize: forum topics set ref.threadId; replies stay in the topic', async () => {
  const forum = { ...group, is_forum: true };
  const e = asMessage(
    await normalizeTelegramUpdate(
      message(
        {
          text: '/status',
          message_thread_id: 99,
          is_topic_message: true,
          // In a topic every message replies to the topic's opening message; that is not a reply to the bot.
          reply_to_message: { message_id: 99, date: 1, chat: forum, from: { id: BOT.id, is_bot: true, first_name: 'a2d2' }, forum_topic_created: { name: 'x', icon_color: 1 } },
        },
        forum,
      ),
      opts,
    ),
  );
  assert.deepEqual(e.ref, { platform: 'telegram', chatId: '-100123', threadId: '99' });
  assert.deepEqual(e.replyRef, { platform: 'telegram', chatId: '-100123', threadId: '99/7' });
  assert.equal(e.command, 'status');

  const chatter = asMessage(
    await normalizeTelegramUpdate(
      message({ text: 'just talking', message_thread_id: 99, is_topic_message: true, reply_to_message: { message_id: 99, date: 1, chat: forum, from: { id: BOT.id, is_bot: true, first_name: 'a2d2' }, forum_topic_created: { name: 'x', icon_color: 1 } } }, forum),
      opts,
    ),
  );
  assert.equal(chatter.addressed, false);
});

test('telegram normalize: documents and photos become files (largest photo size)', async () => {
  const doc = asMessage(
    await normalizeTelegramUpdate(
      message({ caption: 'invoice', document: { file_id: 'DOC1', file_unique_id: 'u', file_name: 'inv.pdf', mime_type: 'application/pdf', file_size: 1234 } }),
      opts,
    ),
  );
  assert.equal(doc.text, 'invoice');
  assert.deepEqual(doc.files, [{ id: 'DOC1', name: 'inv.pdf', mimeType: 'application/pdf', size: 1234 }]);

  const photo = asMessage(
    await normalizeTelegramUpdate(
      message({
        photo: [
          { file_id: 'S', file_unique_id: 's', width: 90, height: 90, file_size: 10 },
          { file_id: 'L', file_unique_id: 'l', width: 1280, height: 960, file_size: 99999 },
        ],
      }),
      opts,
    ),
  );
  assert.equal(photo.text, '');
  assert.deepEqual(photo.files, [{ id: 'L', name: 'photo-7.jpg', mimeType: 'image/jpeg', size: 99999 }]);
});

test('telegram normalize: a callback query becomes an action with the decoded id and value', async () => {
  const data = await opts.callbacks.encode('ticket.ack', '17');
  const r = await normalizeTelegramUpdate(
    {
      update_id: 2000,
      callback_query: {
        id: 'cq-1',
        from: alice,
        chat_instance: 'ci',
        data,
        message: { message_id: 50, date: 1, chat: { ...group, is_forum: true }, message_thread_id: 99, is_topic_message: true, text: 'card' },
      },
    },
    opts,
  );
  assert.equal(r.kind, 'event');
  const e = (r as { event: InboundAction; callbackQueryId: string }).event;
  assert.equal((r as { callbackQueryId: string }).callbackQueryId, 'cq-1');
  assert.equal(e.type, 'action');
  assert.equal(e.actionId, 'ticket.ack');
  assert.equal(e.value, '17');
  assert.equal(e.eventId, '555:2000');
  assert.equal(e.messageId, '50');
  assert.deepEqual(e.ref, { platform: 'telegram', chatId: '-100123', threadId: '99' });
  assert.equal(e.user.locale, 'ru');
});

test('telegram normalize: an expired button is ignored but still carries the query id to answer', async () => {
  const r = await normalizeTelegramUpdate(
    { update_id: 2001, callback_query: { id: 'cq-2', from: alice, chat_instance: 'ci', data: '~AAAAAAAAAAAAAAAAAAAAAA', message: { message_id: 50, date: 1, chat: group } } },
    opts,
  );
  assert.deepEqual(r, { kind: 'ignored', reason: 'unknown or expired button', expired: true, callbackQueryId: 'cq-2', locale: 'ru' });
});

test('telegram normalize: other updates, channel posts and junk are ignored, never thrown', async () => {
  for (const u of [
    { update_id: 1, edited_message: { message_id: 1 } },
    { update_id: 2, message: { message_id: 1, chat: { id: 5, type: 'channel' }, text: 'x' } },
    { update_id: 3, message: 'nope' },
    { update_id: 4, message: { message_id: 1, chat: { id: 5, type: 'private' }, text: 'no sender' } },
    { update_id: 5, callback_query: { id: 'q', from: alice } },
    { update_id: 6, message: { message_id: 1, chat: { id: 5, type: 'private' }, from: { id: 9, is_bot: true, first_name: 'b' }, text: 'hi' } },
  ]) {
    const r = await normalizeTelegramUpdate(u, opts);
    assert.equal(r.kind, 'ignored', JSON.stringify(u));
  }
  const q = await normalizeTelegramUpdate({ update_id: 5, callback_query: { id: 'q', from: alice } }, opts);
  assert.equal((q as { callbackQueryId?: string }).callbackQueryId, 'q', 'a query without a message is still answered');
});
