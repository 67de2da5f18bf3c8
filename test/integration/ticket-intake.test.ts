/**
 * Acceptance for intake and the cross-platform lifecycle, through signed Slack requests and
 * Telegram webhook updates against fake platform APIs:
 * - every intake path creates exactly one ticket, also when Slack redelivers the request;
 * - free text gets a proposal (suggested severity, reason, Confirm / Change / Cancel);
 * - reported in Telegram, handled from the Slack triage channel, the reporter sees each step;
 * - a thread reply under the card becomes a comment the reporter receives.
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

const TRIAGE = `CTRI${randomUUID().replace(/-/g, '').slice(0, 8).toUpperCase()}`;
const OPERATOR = `UOPS${randomUUID().replace(/-/g, '').slice(0, 6).toUpperCase()}`;
let chatApp: ChatTestApp;
let slack: FakeSlack;
let tg: FakeTelegram;
let t: TestApp;

before(async () => {
  chatApp = await startChatTestApp({
    yaml: {
      roles: { operator: [`slack:${OPERATOR}`] },
      tickets: { triage: { platform: 'slack', chatId: TRIAGE }, sweepEvery: '5s' },
    } as unknown as Partial<YamlConfig>,
  });
  ({ t, slack, tg } = chatApp);
});
after(async () => {
  const ids = (await t.app.deps.db.ticket.findMany({ where: { createdAt: { gte: startedAt } }, select: { id: true, title: true } })).filter((r) => r.title.includes(RUN)).map((r) => r.id);
  await t.app.deps.db.ticket.deleteMany({ where: { id: { in: ids } } });
  await chatApp?.stop();
});

const startedAt = new Date();
const RUN = randomUUID().slice(0, 6);
const channel = () => `C${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`;
const FORM = 'application/x-www-form-urlencoded';

const postSlack = (body: string, contentType = FORM, retryNum?: number) =>
  chatApp.postSlack(body, contentType, retryNum ? { 'x-slack-retry-num': String(retryNum), 'x-slack-retry-reason': 'http_timeout' } : {});

/** Delivers the same body three times, as Slack does when the first ack seems late. */
async function postWithRetries(body: string, contentType = FORM) {
  await postSlack(body, contentType);
  await postSlack(body, contentType, 1);
  await postSlack(body, contentType, 2);
}

const posts = (chat: string): FakeSlackCall[] => slack.callsTo('chat.postMessage').filter((c) => c.args.channel === chat);
const text = (c: FakeSlackCall) => `${String(c.args.text ?? '')} ${JSON.stringify(c.args.blocks ?? [])}`;
const cardsFor = (title: string) => posts(TRIAGE).filter((c) => !c.args.thread_ts && text(c).includes(title));

/** The value of the first button with this action id in a posted message. */
function buttonValue(call: FakeSlackCall, actionId: string): string {
  for (const block of (call.args.blocks ?? []) as { type: string; elements?: { action_id?: string; value?: string }[] }[]) {
    for (const el of block.elements ?? []) if (el.action_id?.replace(/#\d+$/, '') === actionId) return el.value ?? '';
  }
  throw new Error(`no ${actionId} button in ${JSON.stringify(call.args.blocks)}`);
}

async function ticketsTitled(fragment: string) {
  return t.app.deps.db.ticket.findMany({ where: { title: { contains: fragment } } });
}

async function exactlyOneTicket(fragment: string) {
  const [row] = await waitFor(async () => {
    const rows = await ticketsTitled(fragment);
    return rows.length ? rows : null;
  }, `ticket "${fragment}"`, 30_000);
  await waitFor(() => cardsFor(fragment).length > 0, `triage card for "${fragment}"`, 30_000);
  // The redeliveries had every chance to be processed by now: the card is the last step of intake.
  await waitFor(async () => {
    const d = await t.app.deps.queues.depths();
    return (d.inbound?.waiting ?? 0) + (d.inbound?.active ?? 0) === 0;
  }, 'inbound drained');
  assert.equal((await ticketsTitled(fragment)).length, 1, `exactly one ticket for "${fragment}"`);
  assert.equal(cardsFor(fragment).length, 1, `exactly one card for "${fragment}"`);
  return row!;
}

test('slash /ticket with severity, redelivered three times, creates one ticket and one triage card', async () => {
  const chat = channel();
  const title = `Checkout returns 500 for EU users ${RUN}a`;
  await postWithRetries(slashCommandBody({ command: '/ticket', text: `P1 ${title}`, channel: chat }));
  const row = await exactlyOneTicket(title);
  assert.equal(row.severity, 'P1');
  assert.equal(row.severityConfirmed, true);
  // The reporter hears back in their channel.
  await waitFor(() => posts(chat).some((c) => text(c).includes(`Ticket #${row.id} created`)), 'confirmation to the reporter');
  const card = cardsFor(title)[0]!;
  assert.equal(buttonValue(card, 'ticket.ack'), String(row.id));
  assert.equal(buttonValue(card, 'ticket.assign_me'), String(row.id));
  assert.equal(buttonValue(card, 'ticket.severity_menu'), String(row.id));
  assert.equal(buttonValue(card, 'ticket.resolve'), String(row.id));
});

test('/a2d2 ticket without severity gets a triage suggestion with its reason', async () => {
  const title = `Please add dark mode to the dashboard ${RUN}b`;
  await postWithRetries(slashCommandBody({ command: '/a2d2', text: `ticket ${title}`, channel: channel() }));
  const row = await exactlyOneTicket(title);
  assert.equal(row.severity, 'P3');
  assert.match(row.triageReason ?? '', /request or improvement \("please add"\)/i);
});

test('free text gets a proposal; Confirm pressed twice creates one ticket with the suggested severity', async () => {
  const chat = channel();
  const ts = `${Math.floor(Date.now() / 1000)}.${randomInt(100000, 999999)}`;
  const phrase = `у нас упал прод, ничего не открывается ${RUN}c`;
  const event = eventCallbackBody({ type: 'app_mention', user: 'U0001', text: `<@UBOT0001> ${phrase}`, ts, channel: chat });
  await postSlack(JSON.stringify(event), 'application/json');
  await postSlack(JSON.stringify(event), 'application/json', 1);
  const proposal = await waitFor(() => posts(chat).find((c) => text(c).includes('ticket.proposal_confirm')), 'the proposal', 30_000);
  assert.match(text(proposal), /P0/);
  assert.match(text(proposal), /упал/);
  assert.ok(buttonValue(proposal, 'ticket.proposal_change'));
  assert.ok(buttonValue(proposal, 'ticket.proposal_cancel'));
  assert.equal(posts(chat).filter((c) => text(c).includes('ticket.proposal_confirm')).length, 1, 'one proposal despite the redelivery');
  const confirm = (trigger: string) =>
    interactivityBody({
      type: 'block_actions',
      trigger_id: trigger,
      user: { id: 'U0001', name: 'alice' },
      team: { id: 'T0001' },
      channel: { id: chat },
      message: { ts: proposal.args.ts ?? '1700000000.000001', thread_ts: ts },
      container: { type: 'message', channel_id: chat, message_ts: '1700000000.000001', thread_ts: ts },
      actions: [{ action_id: 'ticket.proposal_confirm', value: buttonValue(proposal, 'ticket.proposal_confirm'), type: 'button', action_ts: '1' }],
    });
  const trigger = `${Date.now()}.${randomInt(1e6)}`;
  await postWithRetries(confirm(trigger));
  await postSlack(confirm(`${Date.now()}.${randomInt(1e6)}`));
  const row = await exactlyOneTicket(`ничего не открывается ${RUN}c`);
  assert.equal(row.severity, 'P0');
  assert.equal(row.severityConfirmed, true, 'the reporter confirmed the suggested severity');
  await waitFor(() => posts(chat).some((c) => /This proposal has expired|was already created for this request/.test(text(c))), 'second press told the proposal is used');
});

test('the message shortcut makes the message and its permalink the description, once', async () => {
  const chat = channel();
  const msg = `Invoices PDF export hangs forever ${RUN}d`;
  const body = interactivityBody({
    type: 'message_action',
    callback_id: 'ticket.from_message',
    trigger_id: `${Date.now()}.${randomInt(1e6)}`,
    user: { id: 'U0002', name: 'bob' },
    team: { id: 'T0001' },
    channel: { id: chat },
    message: { type: 'message', user: 'U0003', text: msg, ts: '1700000001.000100', permalink: `https://fake.slack.com/archives/${chat}/p1700000001000100` },
  });
  await postWithRetries(body);
  const row = await exactlyOneTicket(msg);
  assert.match(row.description, /https:\/\/fake\.slack\.com\/archives\//);
});

test('a modal submission creates one ticket with its fields', async () => {
  const chat = channel();
  const title = `Search results are empty for Cyrillic ${RUN}e`;
  const body = interactivityBody({
    type: 'view_submission',
    trigger_id: `${Date.now()}.${randomInt(1e6)}`,
    user: { id: 'U0004', name: 'carol' },
    team: { id: 'T0001' },
    view: {
      id: `V${randomInt(1e9)}`,
      callback_id: 'ticket.modal',
      private_metadata: chat,
      state: {
        values: {
          t: { title: { type: 'plain_text_input', value: title } },
          d: { description: { type: 'plain_text_input', value: 'since the last deploy' } },
          s: { severity: { type: 'static_select', selected_option: { value: 'P2' } } },
          c: { component: { type: 'plain_text_input', value: 'search' } },
        },
      },
    },
  });
  await postWithRetries(body);
  const row = await exactlyOneTicket(title);
  assert.equal(row.severity, 'P2');
  assert.equal(row.component, 'search');
});

test('reported in Telegram, handled from the Slack triage channel: the reporter sees each step', async () => {
  const chat = randomInt(100_000_000, 900_000_000);
  const title = `Mobile app login fails with SMS code ${RUN}f`;
  await chatApp.postTelegram(privateTextUpdate(chat, `/ticket P1 ${title}`));
  const row = await exactlyOneTicket(title);
  const toReporter = () => tg.callsOf('sendMessage').filter((c) => String(c.payload.chat_id) === String(chat));
  const created = await waitFor(() => toReporter().find((c) => String(c.payload.text).includes(`Заявка #${row.id} создана`)), 'confirmation in Russian');
  const createdId = (created.response.result as { message_id: number }).message_id;
  const link = await waitFor(() => t.app.deps.db.messageLink.findFirst({ where: { messageKey: `ticket:${row.id}:card`, platform: 'slack', chatId: TRIAGE } }), 'card link');
  const cardTs = link.platformMessageId;

  const press = (actionId: string, value: string, user = OPERATOR) =>
    postSlack(
      interactivityBody({
        type: 'block_actions',
        trigger_id: `${Date.now()}.${randomInt(1e9)}`,
        user: { id: user, name: 'ops' },
        team: { id: 'T0001' },
        channel: { id: TRIAGE },
        message: { ts: cardTs },
        container: { type: 'message', channel_id: TRIAGE },
        actions: [{ action_id: actionId, value, type: 'button', action_ts: String(Date.now()) }],
      }),
    );
  const reporterSees = (re: RegExp, what: string) =>
    waitFor(() => toReporter().find((c) => re.test(String(c.payload.text))), what, 30_000);

  // A viewer may not handle tickets: refused, nothing changes.
  await press('ticket.resolve', String(row.id), 'UVIEWER1');
  await waitFor(() => posts(TRIAGE).some((c) => /Only the support team|not available to your role/.test(text(c))), 'refusal');
  assert.equal((await t.app.deps.db.ticket.findUniqueOrThrow({ where: { id: row.id } })).status, 'new');

  await press('ticket.ack', String(row.id));
  const ack = await reporterSees(new RegExp(`#${row.id} принята`), 'acknowledged, in Russian');
  // Updates thread under the reporter's confirmation.
  assert.equal((ack.payload.reply_parameters as { message_id?: number } | undefined)?.message_id, createdId);
  await press('ticket.assign_me', String(row.id));
  await reporterSees(new RegExp(`#${row.id} назначена`), 'assigned');
  await press('ticket.set_severity', `${row.id}:P0`);
  await reporterSees(new RegExp(`уровень #${row.id}: P1 → P0`), 'severity change');
  // A reply in the card's thread becomes a comment the reporter receives.
  const threadTs = cardTs;
  const comment = eventCallbackBody({ type: 'message', channel_type: 'channel', user: OPERATOR, text: 'Rolling back the SMS gateway now', ts: `${Math.floor(Date.now() / 1000)}.${randomInt(100000, 999999)}`, thread_ts: threadTs, channel: TRIAGE });
  await postSlack(JSON.stringify(comment), 'application/json');
  await reporterSees(/Rolling back the SMS gateway now/, 'the comment');
  await press('ticket.resolve', String(row.id));
  await reporterSees(new RegExp(`#${row.id} решена`), 'resolved');
  const final = await t.app.deps.db.ticket.findUniqueOrThrow({ where: { id: row.id } });
  assert.equal(final.status, 'resolved');
  assert.equal(final.severity, 'P0');
  assert.ok(final.acknowledgedAt && final.resolvedAt);
  const kinds = (await t.app.deps.db.ticketEvent.findMany({ where: { ticketId: row.id }, orderBy: { id: 'asc' } })).map((e) => e.kind);
  assert.deepEqual(kinds, ['created', 'acknowledged', 'assigned', 'severity', 'comment', 'resolved']);
  // The card was edited in place along the way, ending resolved with a Reopen button (states
  // that were still queued behind the channel's pace go out folded into a newer one).
  const edits = () => slack.callsTo('chat.update').filter((c) => c.args.channel === TRIAGE && c.args.ts === cardTs);
  const last = await waitFor(() => edits().find((c) => /Resolved/.test(text(c))), 'the card edited to resolved', 30_000);
  assert.match(text(last), /ticket\.reopen/);
  assert.doesNotMatch(text(last), /ticket\.ack/);
});
