/**
 * Acceptance: a health check target (a local HTTP server we flip) alerts after N consecutive
 * failures and resolves after M consecutive successes, through the workers' job scheduler.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestApp } from '../helpers/app.ts';
import { startChatTestApp, type ChatTestApp } from '../helpers/chat-app.ts';
import type { FakeSlack } from '../helpers/fake-slack.ts';
import { callText as text, slackCallsIn } from '../helpers/alert-app.ts';
import { waitFor } from '../helpers/wait.ts';

const run = randomUUID().slice(0, 8);
const checkName = `hc-${run}`;
const channel = `CHC${run.toUpperCase()}`;

let chatApp: ChatTestApp;
let slack: FakeSlack;
let t: TestApp;
let target: Server;
let healthy = true;
let failuresServed = 0;
let successesSinceRecovery = 0;
/** What the alert group looked like just before the Nth failure / Mth success was answered. */
const seen: { beforeThirdFailure?: string | null; beforeSecondSuccess?: string | null } = {};

before(async () => {
  target = createServer((_req, res) => {
    void (async () => {
      const status = async () => (await t?.app.deps.db.alertGroup.findFirst({ where: { source: 'health', groupKey: `health:${checkName}` } }))?.status ?? null;
      if (healthy) {
        if (failuresServed > 0) {
          successesSinceRecovery += 1;
          if (successesSinceRecovery === 2) seen.beforeSecondSuccess = await status();
        }
        res.writeHead(200).end('ok: all good');
      } else {
        failuresServed += 1;
        if (failuresServed === 3) seen.beforeThirdFailure = await status();
        res.writeHead(503).end('down');
      }
    })();
  });
  await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(target.address() as AddressInfo).port}/health`;
  chatApp = await startChatTestApp({
    yaml: {
      alerts: {
        routes: [{ match: { source: 'health', check: checkName }, destinations: [`slack:${channel}`] }],
        healthChecks: [
          { name: checkName, url, expectStatus: 200, expectBody: 'all good', intervalSeconds: 0.3, timeoutMs: 2000, failuresBeforeAlert: 3, successesBeforeRecovery: 2, service: `svc-${run}` },
        ],
      },
    } as never,
  });
  ({ t, slack } = chatApp);
});

after(async () => {
  await chatApp?.stop();
  await new Promise((r) => target?.close(r));
});

const inChannel = (method: string) => slackCallsIn(slack, channel, method);

test('a target that goes down alerts after 3 failures and resolves after 2 successes', async () => {
  const db = t.app.deps.db;
  await waitFor(async () => (await db.healthCheckState.findUnique({ where: { name: checkName } }))?.status === 'up', 'the check to see the target up');
  assert.equal(inChannel('chat.postMessage').length, 0, 'a healthy target posts nothing');

  healthy = false;
  const card = await waitFor(() => inChannel('chat.postMessage').find((c) => text(c).includes(`CRITICAL: HealthCheck ${checkName}`)), 'the health alert', 20_000);
  assert.match(text(card), /status 503, expected 200/);
  assert.equal(seen.beforeThirdFailure, null, 'no alert before the third failure');
  assert.ok(failuresServed >= 3);

  healthy = true;
  await waitFor(() => inChannel('chat.update').some((c) => text(c).includes(`RESOLVED: HealthCheck ${checkName}`)), 'the card edited to resolved', 20_000);
  assert.equal(seen.beforeSecondSuccess, 'firing', 'still firing after only one success');
  await waitFor(() => inChannel('chat.postMessage').some((c) => c.args.thread_ts && text(c).includes('Resolved:')), 'the recovery note in the thread');
  assert.equal(inChannel('chat.postMessage').filter((c) => !c.args.thread_ts).length, 1, 'one message for the whole outage');
  const state = await db.healthCheckState.findUniqueOrThrow({ where: { name: checkName } });
  assert.equal(state.status, 'up');
});
