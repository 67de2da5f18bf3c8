import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import type { InboundEvent, OutboundRequest } from '../../services/messaging/types.ts';
import { defineCommand } from '../../core/registry.ts';
import { z } from 'zod';

// The terminal platform delivers in-process, so these tests see every reply the pipeline gives.
let t: TestApp;
const replies: OutboundRequest[] = [];
let adminId = '';
const calls: string[] = [];

const danger = defineCommand({
  id: 'test.danger',
  aliases: { en: ['danger'], ru: ['опасно'] },
  summaryKey: 'core.status.summary',
  args: z.object({ text: z.string() }),
  roles: ['admin'],
  mutates: true,
  async handler(_ctx, args) {
    calls.push(args.text);
    return { text: `done ${args.text}` };
  },
});

before(async () => {
  adminId = `admin-${randomUUID().slice(0, 6)}`;
  t = await startTestApp({
    yaml: { roles: { admin: [`terminal:${adminId}`] } },
    direct: { terminal: async (req) => void replies.push(req) },
    modules: [{ name: 'test', commands: [danger], intents: [{ commandId: 'test.danger', patterns: [/please do the dangerous thing/], toArgs: () => ({ text: 'via-intent' }) }] }],
  });
});
after(async () => t.stop());

function msg(user: string, text: string, extra: Partial<InboundEvent> = {}): InboundEvent {
  return {
    type: 'message',
    platform: 'terminal',
    eventId: randomUUID(),
    ref: { platform: 'terminal', chatId: `chat-${user}` },
    user: { platformUserId: user },
    text,
    addressed: true,
    ...extra,
  } as InboundEvent;
}

async function say(event: InboundEvent): Promise<OutboundRequest[]> {
  const from = replies.length;
  await t.app.deps.pipeline().handle(event);
  return replies.slice(from);
}

test('help answers in English and Russian, generated from the registry', async () => {
  const en = await say(msg('u-help', 'help'));
  assert.equal(en.length, 1);
  assert.equal(en[0]!.reply.title, 'What I can do');
  assert.match(en[0]!.reply.text, /status/);
  assert.doesNotMatch(en[0]!.reply.text, /danger/, 'viewers do not see admin commands');
  const ru = await say(msg('u-help', 'помощь'));
  assert.equal(ru[0]!.reply.title, 'Что я умею');
});

test('the same delivery twice gets one reply', async () => {
  const event = msg('u-dup', 'whoami');
  const first = await say(event);
  const second = await say(event);
  assert.equal(first.length, 1);
  assert.equal(second.length, 0);
  const rows = await t.app.deps.db.inboundDelivery.count({ where: { platform: 'terminal', eventId: event.eventId } });
  assert.equal(rows, 1);
});

test('a command refused by role gets the refusal and an audit row', async () => {
  const user = `viewer-${randomUUID().slice(0, 6)}`;
  const out = await say(msg(user, 'danger now'));
  assert.match(out[0]!.reply.text, /not available to your role \(viewer\)/);
  assert.deepEqual(calls, []);
  const identity = await t.app.deps.db.userIdentity.findUniqueOrThrow({ where: { platform_platformUserId: { platform: 'terminal', platformUserId: user } } });
  const audit = await t.app.deps.db.auditLog.findMany({ where: { userId: identity.userId, action: 'command:test.danger' } });
  assert.equal(audit.length, 1);
  assert.equal(audit[0]!.outcome, 'denied');
});

test('an admin runs it directly; by intent it asks first and runs on Confirm', async () => {
  const direct = await say(msg(adminId, 'danger direct'));
  assert.equal(direct[0]!.reply.text, 'done direct');
  const proposed = await say(msg(adminId, 'could you please do the dangerous thing'));
  assert.equal(calls.filter((c) => c === 'via-intent').length, 0, 'nothing runs before confirmation');
  const confirm = proposed[0]!.reply.buttons?.find((b) => b.actionId === 'core.confirm');
  assert.ok(confirm);
  // Someone else cannot confirm another person's request.
  const other = await say({ type: 'action', platform: 'terminal', eventId: randomUUID(), ref: { platform: 'terminal', chatId: `chat-${adminId}` }, user: { platformUserId: 'intruder' }, actionId: 'core.confirm', value: confirm.value });
  assert.match(other[0]!.reply.text, /not available/);
  const done = await say({ type: 'action', platform: 'terminal', eventId: randomUUID(), ref: { platform: 'terminal', chatId: `chat-${adminId}` }, user: { platformUserId: adminId }, actionId: 'core.confirm', value: confirm.value });
  assert.equal(done[0]!.reply.text, 'done via-intent');
  const again = await say({ type: 'action', platform: 'terminal', eventId: randomUUID(), ref: { platform: 'terminal', chatId: `chat-${adminId}` }, user: { platformUserId: adminId }, actionId: 'core.confirm', value: confirm.value });
  assert.match(again[0]!.reply.text, /expired or was already used/);
  assert.equal(calls.filter((c) => c === 'via-intent').length, 1);
});

test('bad arguments get a clear reply naming the problem', async () => {
  const out = await say(msg('u-lang', 'lang fr'));
  assert.match(out[0]!.reply.text, /could not read "locale"/);
  assert.match(out[0]!.reply.text, /lang en\|ru\|auto/);
});

test('lang switches the language for later replies', async () => {
  const user = `u-${randomUUID().slice(0, 6)}`;
  await say(msg(user, 'lang ru'));
  const out = await say(msg(user, 'whoami'));
  assert.match(out[0]!.reply.text, /^Вы — /);
  await say(msg(user, 'язык en'));
  const back = await say(msg(user, 'whoami'));
  assert.match(back[0]!.reply.text, /^You are /);
});

test('lang auto answers in the language in effect after the reset, not the one chosen before', async () => {
  const user = `u-${randomUUID().slice(0, 6)}`;
  await say(msg(user, 'lang en'));
  // Cyrillic text, choice forgotten: Russian from now on, and already in this answer.
  const ru = await say(msg(user, 'язык auto'));
  assert.equal(ru[0]!.reply.text, 'Хорошо, буду говорить по-русски.');
  // Chosen Russian, reset from Latin text on a platform that says English.
  await say(msg(user, 'lang ru'));
  const en = await say(msg(user, 'language auto', { user: { platformUserId: user, locale: 'en-US' } }));
  assert.equal(en[0]!.reply.text, 'OK, I will speak English.');
  // Latin text on a platform that says Russian: Russian.
  await say(msg(user, 'lang en'));
  const platformRu = await say(msg(user, 'lang auto', { user: { platformUserId: user, locale: 'ru' } }));
  assert.equal(platformRu[0]!.reply.text, 'Хорошо, буду говорить по-русски.');
});

test('link joins two platform identities into one user', async () => {
  const slackUser = `U${randomUUID().slice(0, 6)}`;
  const tgUser = `${Math.floor(Math.random() * 1e9)}`;
  const slackEvent = (text: string): InboundEvent => ({ ...msg(slackUser, text), platform: 'slack', ref: { platform: 'slack', chatId: 'D1' } }) as InboundEvent;
  // Slack replies go through the outbound queue; read the code from the stored outbound row.
  await t.app.deps.pipeline().handle(slackEvent('link'));
  const identity = await t.app.deps.db.userIdentity.findUniqueOrThrow({ where: { platform_platformUserId: { platform: 'slack', platformUserId: slackUser } } });
  const code = await t.app.deps.db.linkCode.findFirstOrThrow({ where: { userId: identity.userId } });
  const tgEvent = { ...msg(tgUser, `link ${code.code}`), platform: 'telegram', ref: { platform: 'telegram', chatId: tgUser } } as InboundEvent;
  await t.app.deps.pipeline().handle(tgEvent);
  const joined = await t.app.deps.db.userIdentity.findMany({ where: { userId: identity.userId } });
  assert.deepEqual(joined.map((i) => i.platform).sort(), ['slack', 'telegram']);
  // A used code cannot be used again.
  const reuse = { ...msg(`x${tgUser}`, `link ${code.code}`), platform: 'telegram', ref: { platform: 'telegram', chatId: 'x' } } as InboundEvent;
  await t.app.deps.pipeline().handle(reuse);
  const rows = await t.app.deps.db.outboundMessage.findMany({ where: { platform: 'telegram', chatId: 'x' } });
  assert.match(JSON.stringify(rows.at(-1)?.reply), /not valid/);
});

test('a retry of the same queue job after its worker died handles the event; any other delivery of it is a duplicate', async () => {
  const event = msg(adminId, 'danger after the kill');
  // The killed attempt claimed the delivery and died before its handlers ran.
  await t.app.deps.db.inboundDelivery.create({ data: { platform: event.platform, eventId: event.eventId, claimToken: 'in-terminal-1:1700000000000' } });
  const before = calls.length;
  const from = replies.length;
  assert.equal(await t.app.deps.pipeline().handle(event, { claimToken: 'in-terminal-1:1700000000000' }), 'handled');
  assert.deepEqual(calls.slice(before), ['after the kill']);
  assert.equal(replies.length - from, 1);
  // A new job for the same event (a platform redelivery after the first job was removed), or no job at all: duplicates.
  assert.equal(await t.app.deps.pipeline().handle(event, { claimToken: 'in-terminal-1:1700000009999' }), 'duplicate');
  assert.equal(await t.app.deps.pipeline().handle(event), 'duplicate');
  assert.equal(calls.length - before, 1);
  // A delivery claimed without a job (in-process) is never claimed again.
  const direct = msg(adminId, 'danger in process');
  assert.equal(await t.app.deps.pipeline().handle(direct), 'handled');
  assert.equal(await t.app.deps.pipeline().handle(direct, { claimToken: 'x:1' }), 'duplicate');
});
