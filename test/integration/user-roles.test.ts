/**
 * Roles follow a2d2.yaml: a person listed under `roles` has that role while listed, and falls
 * back to `defaultRole` once removed and the bot restarted, whatever role was stored when the bot
 * first saw them; each change made at start is one audit row. The one role granted outside the
 * file, the admin that A2D2_API_TOKEN signs in as, is kept. Real app, users service and Postgres.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import type { InboundEvent, OutboundRequest } from '../../services/messaging/types.ts';
import { createSessions } from '../../features/console/session.ts';

const replies: OutboundRequest[] = [];
const alice = `alice-${randomUUID().slice(0, 6)}`;
const bob = `bob-${randomUUID().slice(0, 6)}`;
let t: TestApp | null = null;
after(async () => t?.stop());

async function start(roles: Record<string, string[]>): Promise<TestApp> {
  await t?.stop();
  t = await startTestApp({ yaml: { roles }, direct: { terminal: async (req) => void replies.push(req) } });
  return t;
}

async function whoami(app: TestApp, user: string): Promise<string> {
  const from = replies.length;
  const event = { type: 'message', platform: 'terminal', eventId: randomUUID(), ref: { platform: 'terminal', chatId: `chat-${user}` }, user: { platformUserId: user }, text: 'whoami', addressed: true } as InboundEvent;
  await app.app.deps.pipeline().handle(event);
  const text = replies.slice(from)[0]?.reply.text ?? '';
  return /role: (\w+)/.exec(text)?.[1] ?? `no role in "${text}"`;
}

const tokenUser = (app: TestApp) => createSessions({ users: app.app.deps.users, db: app.app.deps.db, clock: app.app.deps.clock, apiToken: 'token', secure: false }).tokenUser();

async function storedRole(app: TestApp, user: string): Promise<string> {
  const row = await app.app.deps.db.userIdentity.findUniqueOrThrow({ where: { platform_platformUserId: { platform: 'terminal', platformUserId: user } }, include: { user: true } });
  return row.user.role;
}

const syncRows = (app: TestApp) => app.app.deps.db.auditLog.findMany({ where: { action: 'config:role.sync' }, orderBy: { id: 'asc' } });

test('a person removed from roles is demoted at the next start; the API-token admin is kept', async () => {
  let app = await start({ admin: [`terminal:${alice}`], operator: [`terminal:${bob}`] });
  assert.equal(await whoami(app, alice), 'admin', 'admin while listed');
  assert.equal(await whoami(app, bob), 'operator');
  assert.equal(await storedRole(app, alice), 'admin', 'the role stored at first sight');
  const token = await tokenUser(app);
  assert.equal(token.role, 'admin');

  // Alice is taken out of the file, Bob moves up; restart.
  app = await start({ technician: [`terminal:${bob}`] });
  assert.equal(await whoami(app, alice), 'viewer', 'no longer listed: the default role');
  assert.equal(await storedRole(app, alice), 'viewer', 'the stored role is re-synced at start');
  assert.equal(await whoami(app, bob), 'technician');
  assert.equal((await tokenUser(app)).role, 'admin', 'the role granted outside the file stays');

  const rows = await syncRows(app);
  const aliceId = (await app.app.deps.db.userIdentity.findUniqueOrThrow({ where: { platform_platformUserId: { platform: 'terminal', platformUserId: alice } } })).userId;
  const forAlice = rows.filter((r) => r.userId === aliceId);
  assert.equal(forAlice.length, 1, 'one audit row for the change');
  assert.equal(forAlice[0]!.outcome, 'ok');
  assert.deepEqual({ from: (forAlice[0]!.detail as { from: string }).from, to: (forAlice[0]!.detail as { to: string }).to }, { from: 'admin', to: 'viewer' });
  assert.ok(rows.every((r) => r.userId !== token.id), 'the API-token admin is not synced');

  // A restart with the same file changes nothing and writes nothing.
  const before = rows.length;
  app = await start({ technician: [`terminal:${bob}`] });
  assert.equal((await syncRows(app)).length, before);
  assert.equal(await whoami(app, alice), 'viewer');
});

test('a person listed again gets the role back, and the default role is the file\'s', async () => {
  let app = await start({ admin: [`terminal:${alice}`] });
  assert.equal(await whoami(app, alice), 'admin');
  // Everyone unlisted gets defaultRole; lowering it lowers them too.
  app = await startWithDefault('operator');
  assert.equal(await whoami(app, `carol-${randomUUID().slice(0, 6)}`), 'operator');
  assert.equal(await whoami(app, alice), 'operator');
  app = await startWithDefault('viewer');
  assert.equal(await whoami(app, alice), 'viewer', 'a stored default above viewer does not outlive the setting');
});

async function startWithDefault(defaultRole: 'viewer' | 'operator'): Promise<TestApp> {
  await t?.stop();
  t = await startTestApp({ yaml: { roles: {}, defaultRole }, direct: { terminal: async (req) => void replies.push(req) } });
  return t;
}
