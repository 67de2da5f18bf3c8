/**
 * More intake and lifecycle paths through the real routes: Slack `/ticket` without text opens
 * the modal; Telegram `/ticket` without text runs the guided exchange with inline buttons;
 * a similar open ticket gets "looks like #N" and joining it makes the reporter follow it; a
 * reply under the reporter's confirmation reaches the triage thread; the views answer.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt, randomUUID } from 'node:crypto';
import type { TestApp } from '../helpers/app.ts';
import { startChatTestApp, type ChatTestApp } from '../helpers/chat-app.ts';
import { waitFor } from '../helpers/wait.ts';
import { privateTextUpdate } from '../helpers/telegram-updates.ts';
import { eventCallbackBody, interactivityBody, slashCommandBody, type FakeSlack, type FakeSlackCall } from '../helpers/fake-slack.ts';
import type { FakeTelegram } from '../helpers/fake-telegram.ts';
import type { YamlConfig } from '../../services/config.ts';

const TRIAGE = `CTRF${randomUUID().replace(/-/g, '').slice(0, 8).toUpperCase()}`;
const OPERATOR = `UOPF${randomUUID().replace(/-/g, '').slice(0, 6).toUpperCase()}`;
const RUN = randomUUID().slice(0, 6);
let chatApp: ChatTestApp;
let slack: FakeSlack;
let tg: FakeTelegram;
let t: TestApp;

before(async () => {
  chatApp = await startChatTestApp({
    yaml: { roles: { operator: [`slack:${OPERATOR}`] }, tickets: { triage: { platform: 'slack', chatId: TRIAGE } } } as unknown as Partial<YamlConfig>,
  });
  ({ t, slack, tg } = chatApp);
});
after(async () => {
  await t.app.deps.db.ticket.deleteMany({ where: { title: { contains: RUN } } });
  await chatApp?.stop();
});

const channel = () => `C${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`;
const FORM = 'application/x-www-form-urlencoded';
const postSlack = (body: string, contentType = FORM) => chatApp.postSlack(body, contentType);
const posts = (chat: string): FakeSlackCall[] => slack.callsTo('chat.postMessage').filter((c) => c.args.channel === chat);
const text = (c: FakeSlackCall) => `${String(c.args.text ?? '')} ${JSON.stringify(c.args.blocks ?? [])}`;
function buttonValue(call: FakeSlackCall, actionId: string): string {
  for (const block of (call.args.blocks ?? []) as { elements?: { action_id?: string; value?: string }[] }[]) {
    for (const el of block.elements ?? []) if (el.action_id?.replace(/#\d+$/, '') === actionId) return el.value ?? '';
  }
  throw new Error(`no ${actionId} button`);
}
const press = (chat: string, user: string, actionId: string, value: string, ts = '1700000000.000001') =>
  postSlack(
    interactivityBody({
      type: 'block_actions',
      trigger_id: `${Date.now()}.${randomInt(1e9)}`,
      user: { id: user, name: user },
      team: { id: 'T0001' },
      channel: { id: chat },
      message: { ts },
      container: { type: 'message', channel_id: chat },
      actions: [{ action_id: actionId, value, type: 'button', action_ts: String(Date.now()) }],
    }),
  );
const linkOf = (key: string, chat: string) => waitFor(() => t.app.deps.db.messageLink.findFirst({ where: { messageKey: key, chatId: chat } }), `link ${key}`, 30_000);

test('Slack /ticket without text opens the modal and creates nothing yet', async () => {
  const chat = channel();
  const trigger = `${Date.now()}.${randomInt(1e6)}`;
  await postSlack(slashCommandBody({ command: '/ticket', text: '', channel: chat, triggerId: trigger }));
  const open = await waitFor(() => slack.callsTo('views.open').find((c) => c.args.trigger_id === trigger), 'views.open', 30_000);
  const view = (typeof open.args.view === 'string' ? JSON.parse(open.args.view) : open.args.view) as { callback_id: string; private_metadata: string; blocks: { block_id: string }[] };
  assert.equal(view.callback_id, 'ticket.modal');
  assert.equal(JSON.parse(view.private_metadata).channel, chat);
  assert.deepEqual(view.blocks.map((b) => b.block_id), ['title', 'description', 'severity', 'component']);
  assert.equal(posts(chat).length, 0, 'no chat reply: the modal is the answer');
});

test('Telegram /ticket without text: a guided exchange with inline buttons creates one ticket', async () => {
  const chat = randomInt(100_000_000, 900_000_000);
  const msg = (text: string) => privateTextUpdate(chat, text, { firstName: 'Ivan' });
  const deliver = (update: unknown) => chatApp.postTelegram(update);
  const sent = () => tg.callsOf('sendMessage').filter((c) => String(c.payload.chat_id) === String(chat));
  await deliver(msg('/ticket'));
  await waitFor(() => sent().find((c) => /Что случилось/.test(String(c.payload.text))), 'asked for a title', 30_000);
  const title = `Не могу оплатить заказ картой ${RUN}`;
  await deliver(msg(title));
  const ask = await waitFor(() => sent().find((c) => /Насколько это серьёзно/.test(String(c.payload.text))), 'asked for severity', 30_000);
  assert.match(String(ask.payload.text), /P1/, 'triage suggests P1 and says why');
  const keyboard = (ask.payload.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }).inline_keyboard.flat();
  const p1 = keyboard.find((b) => b.text.startsWith('P1'))!;
  const callback = (data: string) => ({
    update_id: randomInt(1_000_000_000, 1_900_000_000),
    callback_query: { id: `q${randomInt(1e9)}`, from: { id: chat, is_bot: false, first_name: 'Ivan', language_code: 'ru' }, chat_instance: 'ci', data, message: { message_id: 5, date: 1, chat: { id: chat, type: 'private' }, text: 'x' } },
  });
  await deliver(callback(p1.callback_data));
  await deliver(callback(p1.callback_data));
  await waitFor(() => sent().find((c) => /Заявка #\d+ создана/.test(String(c.payload.text))), 'created', 30_000);
  const rows = await t.app.deps.db.ticket.findMany({ where: { title } });
  assert.equal(rows.length, 1);
  assert.equal(rows[0]!.severity, 'P1');
  assert.equal(rows[0]!.source, 'telegram');
});

test('a similar open ticket gets "looks like #N"; joining it makes the reporter follow the original', async () => {
  const first = channel();
  const second = channel();
  const base = `Checkout page returns error 500 for EU customers ${RUN}`;
  await postSlack(slashCommandBody({ command: '/ticket', text: `P1 ${base}`, channel: first }));
  const [a] = await waitFor(async () => { const r = await t.app.deps.db.ticket.findMany({ where: { title: base } }); return r.length ? r : null; }, 'first ticket', 30_000);
  await postSlack(slashCommandBody({ command: '/ticket', text: `P1 ${base} again`, channel: second, user: 'U0777' }));
  const hint = await waitFor(() => posts(second).find((c) => text(c).includes(`looks like #${a!.id}`)), 'duplicate hint', 30_000);
  const joinValue = buttonValue(hint, 'ticket.join');
  const [newId] = joinValue.split(':').map(Number);
  assert.equal(joinValue, `${newId}:${a!.id}`);
  await press(second, 'U0777', 'ticket.join', joinValue);
  await waitFor(async () => (await t.app.deps.db.ticket.findUnique({ where: { id: newId! } }))?.duplicateOfId === a!.id, 'closed as duplicate', 30_000);
  const dup = await t.app.deps.db.ticket.findUniqueOrThrow({ where: { id: newId! } });
  assert.equal(dup.status, 'closed');
  assert.equal(dup.nextSlaCheckAt, null, 'its timers are gone');
  // The second reporter now hears about the original.
  const link = await linkOf(`ticket:${a!.id}:card`, TRIAGE);
  await press(TRIAGE, OPERATOR, 'ticket.ack', String(a!.id), link.platformMessageId);
  await waitFor(() => posts(second).find((c) => text(c).includes(`#${a!.id} was acknowledged`)), 'the joined reporter sees the acknowledgement', 30_000);
});

test('a reply under the reporter confirmation reaches the triage thread; the views answer', async () => {
  const chat = channel();
  const title = `Reports page shows yesterday totals ${RUN}`;
  await postSlack(slashCommandBody({ command: '/ticket', text: `P2 ${title}`, channel: chat }));
  const [row] = await waitFor(async () => { const r = await t.app.deps.db.ticket.findMany({ where: { title } }); return r.length ? r : null; }, 'ticket', 30_000);
  const mine = await linkOf(`ticket:${row!.id}:reporter`, chat);
  const card = await linkOf(`ticket:${row!.id}:card`, TRIAGE);
  const reply = eventCallbackBody({ type: 'message', channel_type: 'channel', user: 'U0001', text: 'It happens only in Firefox', ts: `${Math.floor(Date.now() / 1000)}.${randomInt(100000, 999999)}`, thread_ts: mine.platformMessageId, channel: chat });
  await postSlack(JSON.stringify(reply), 'application/json');
  await waitFor(() => posts(TRIAGE).find((c) => c.args.thread_ts === card.platformMessageId && text(c).includes('It happens only in Firefox')), 'comment in the card thread', 30_000);
  const comments = await t.app.deps.db.ticketEvent.findMany({ where: { ticketId: row!.id, kind: 'comment' } });
  assert.equal(comments.length, 1);
  // Views: the ticket, the lists, the SLA figures.
  await postSlack(slashCommandBody({ command: '/a2d2', text: `ticket ${row!.id}`, channel: chat }));
  await waitFor(() => posts(chat).find((c) => text(c).includes('History:') && text(c).includes('It happens only in Firefox')), 'ticket view with history', 30_000);
  await postSlack(slashCommandBody({ command: '/a2d2', text: 'tickets mine', channel: chat }));
  await waitFor(() => posts(chat).find((c) => text(c).includes('My tickets') && text(c).includes(`#${row!.id} [P2]`)), 'my tickets', 30_000);
  await postSlack(slashCommandBody({ command: '/a2d2', text: 'sla 7', channel: chat }));
  await waitFor(() => posts(chat).find((c) => text(c).includes('SLA, last 7 days') && /P2 \(\d+\)/.test(text(c))), 'sla view', 30_000);
});
