/**
 * The card's buttons through the real Slack route: role checks, Acknowledge (who and when on
 * the card), Silence (stored but quiet), Open ticket (priority from severity: critical -> P1),
 * Resolve (edit + thread note).
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { TestApp } from '../helpers/app.ts';
import { startChatTestApp, type ChatTestApp } from '../helpers/chat-app.ts';
import { eventCallbackBody, interactivityBody, type FakeSlack } from '../helpers/fake-slack.ts';
import { callText as text, slackCallsIn } from '../helpers/alert-app.ts';
import { waitFor } from '../helpers/wait.ts';

const AM_TOKEN = `am-${randomUUID()}`;
const run = randomUUID().slice(0, 8);
const service = `btn-${run}`;
const channel = `CBT${run.toUpperCase()}`;
const OPERATOR = `UOP${run.toUpperCase()}`;
const VIEWER = `UVW${run.toUpperCase()}`;

let chatApp: ChatTestApp;
let silencedGroupId = '';
let slack: FakeSlack;
let t: TestApp;

before(async () => {
  chatApp = await startChatTestApp({
    env: { ALERTMANAGER_TOKEN: AM_TOKEN },
    yaml: {
      roles: { operator: [`slack:${OPERATOR}`] },
      alerts: { routes: [{ match: { service }, destinations: [`slack:${channel}`] }] },
    } as never,
  });
  ({ t, slack } = chatApp);
});

after(async () => {
  // Silences are listed up to a cap: leave none of this run's behind for later runs' views.
  if (t && silencedGroupId) await t.app.deps.db.silence.deleteMany({ where: { groupId: silencedGroupId } });
  await chatApp?.stop();
});

const callsIn = (chat: string, method: string) => slackCallsIn(slack, chat, method);
const slackPost = (body: string, contentType: string) => chatApp.postSlack(body, contentType);

async function press(user: string, actionId: string, value: string, messageTs: string) {
  await slackPost(
    interactivityBody({
      type: 'block_actions',
      user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: 'T0001' },
      team: { id: 'T0001' },
      channel: { id: channel },
      container: { type: 'message', message_ts: messageTs, channel_id: channel },
      message: { ts: messageTs },
      trigger_id: `trg-${randomUUID()}`,
      actions: [{ type: 'button', action_id: actionId, block_id: 'b', value, action_ts: String(Date.now() / 1000) }],
    }),
    'application/x-www-form-urlencoded',
  );
}

/** Sends one notification; each has its own startsAt, so a repeat is a new one and not a sender's retry. */
async function fire(groupKey: string, alertname: string, status: 'firing' | 'resolved' = 'firing') {
  const labels = { alertname, service, severity: 'critical', environment: 'production' };
  const res = await fetch(`${t.url}/webhooks/alertmanager`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${AM_TOKEN}` },
    body: JSON.stringify({ version: '4', groupKey, status, commonLabels: labels, alerts: [{ status, labels, annotations: { summary: `${alertname} summary` }, startsAt: new Date().toISOString() }] }),
  });
  assert.equal(res.status, 202);
  return (await res.json()) as { groupId: string };
}

test('buttons: role check, acknowledge, silence, open ticket, resolve', async () => {
  const { groupId } = await fire(`{}:{alertname="Btn",run="${run}"}`, 'Btn');
  const card = await waitFor(() => callsIn(channel, 'chat.postMessage').find((c) => text(c).includes('CRITICAL: Btn')), 'the card');
  const ts = String((await waitFor(() => t.app.deps.db.messageLink.findFirst({ where: { messageKey: `alert:${groupId}` } }), 'link')).platformMessageId);
  assert.match(text(card), /Acknowledge/);
  const db = t.app.deps.db;

  // A viewer may not acknowledge.
  await press(VIEWER, 'alert.ack', groupId, ts);
  await waitFor(() => db.auditLog.findFirst({ where: { action: 'action:alert.ack', outcome: 'denied', chatId: channel } }), 'the denial');
  assert.equal((await db.alertGroup.findUniqueOrThrow({ where: { id: groupId } })).ackAt, null);

  await press(OPERATOR, 'alert.ack', groupId, ts);
  await waitFor(() => callsIn(channel, 'chat.update').some((c) => c.args.ts === ts && /Acknowledged[^]*by uop/i.test(text(c))), 'the card to show who acknowledged');

  await press(OPERATOR, 'alert.ticket', groupId, ts);
  const withTicket = await waitFor(async () => (await db.alertGroup.findUniqueOrThrow({ where: { id: groupId } })).ticketId, 'the ticket link');
  const ticket = await db.ticket.findUniqueOrThrow({ where: { id: Number(withTicket.slice(1)) } });
  assert.equal(ticket.severity, 'P1', 'critical alerts open P1 tickets');
  await waitFor(() => callsIn(channel, 'chat.update').some((c) => c.args.ts === ts && text(c).includes(withTicket)), 'the card to show the ticket');

  await press(OPERATOR, 'alert.silence', `${groupId}:4`, ts);
  await waitFor(() => callsIn(channel, 'chat.update').some((c) => c.args.ts === ts && text(c).includes('Silenced until')), 'the card to show the silence');
  const silence = await db.silence.findFirstOrThrow({ where: { groupId } });
  silencedGroupId = groupId;
  assert.equal(Math.round((silence.endsAt.getTime() - silence.startsAt.getTime()) / 3_600_000), 4);
  // The silences view lists it (asked in another chat, so this chat's calls stay as counted below).
  const viewChat = `CSV${run.toUpperCase()}`;
  await slackPost(JSON.stringify(eventCallbackBody({ type: 'app_mention', user: VIEWER, text: `<@${slack.botUserId}> silences`, ts: `${Date.now() / 1000}`, channel: viewChat })), 'application/json');
  const line = `Btn until ${silence.endsAt.toISOString().slice(0, 16).replace('T', ' ')} UTC (by ${silence.createdBy})`;
  const view = await waitFor(() => callsIn(viewChat, 'chat.postMessage').find((c) => text(c).includes('Silences')), 'the silences view');
  assert.ok(text(view).includes(line), text(view));

  // Silenced: the repeat is stored, the chat hears nothing (a later group acts as a barrier, since the sender keeps a chat's order).
  // First let the card work of the presses above finish (under load a job of theirs may still run).
  const notifyQueue = t.app.deps.queues.queue('alerts.notify');
  await waitFor(async () => {
    const counts = await notifyQueue.getJobCounts('active', 'waiting', 'delayed', 'prioritized');
    const queued = await db.outboundMessage.count({ where: { chatId: channel, status: 'queued' } });
    return Object.values(counts).every((n) => n === 0) && queued === 0;
  }, 'the card work of the presses to settle', 30_000);
  const before = slack.calls.length;
  await fire(`{}:{alertname="Btn",run="${run}"}`, 'Btn');
  await fire(`{}:{alertname="Barrier",run="${run}"}`, 'Barrier');
  await waitFor(() => callsIn(channel, 'chat.postMessage').some((c) => text(c).includes('CRITICAL: Barrier')), 'the barrier card');
  assert.deepEqual(
    slack.calls.slice(before).filter((c) => c.args.channel === channel).map((c) => c.method),
    ['chat.postMessage'],
    `nothing about the silenced group: ${JSON.stringify(slack.calls.slice(before).filter((c) => c.args.channel === channel).map((c) => `${c.method} ${String(c.args.text).slice(0, 60)} ${JSON.stringify(c.args.blocks ?? '').slice(-160)}`))}`,
  );
  assert.equal(await db.alert.count({ where: { groupId } }), 2, 'the silenced repeat is stored');

  await press(OPERATOR, 'alert.resolve', groupId, ts);
  await waitFor(() => callsIn(channel, 'chat.update').some((c) => c.args.ts === ts && text(c).includes('RESOLVED: Btn')), 'the card edited to resolved');
  await waitFor(() => callsIn(channel, 'chat.postMessage').some((c) => c.args.thread_ts === ts && /Resolved by uop/i.test(text(c))), 'the note in the thread');
});
