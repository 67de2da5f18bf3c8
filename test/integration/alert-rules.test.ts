/**
 * Routing rules through the real routes: Grafana payloads, flapping damping, quiet hours.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { TestApp } from '../helpers/app.ts';
import type { FakeSlack } from '../helpers/fake-slack.ts';
import { amPayload, startAlertmanagerTestApp, type AlertmanagerTestApp } from '../helpers/alert-app.ts';
import { waitFor } from '../helpers/wait.ts';

let am: AlertmanagerTestApp;
let slack: FakeSlack;
let t: TestApp;

before(async () => {
  am = await startAlertmanagerTestApp('CRU');
  ({ t, slack } = am);
});

after(async () => {
  await am?.stop();
});

const post: AlertmanagerTestApp['post'] = (path, body, headers) => am.post(path, body, headers);
const inChannel = (method: string) => am.inChannel(method);

/** Posts a card for a fresh group and waits for it: the sender keeps a chat's order, so anything queued earlier has arrived. */
async function barrier(): Promise<void> {
  const name = `Barrier${randomUUID().slice(0, 6)}`;
  assert.equal((await post('/webhooks/alertmanager', amPayload(`{}:{b="${name}"}`, 'firing', { alertname: name }))).status, 202);
  await waitFor(() => inChannel('chat.postMessage').some((c) => JSON.stringify(c.args).includes(name)), 'the barrier card', 20_000);
}

test('Grafana alerts become a card titled as Grafana titles them', async () => {
  const fixture = JSON.parse(readFileSync(new URL('../fixtures/alerts/grafana.json', import.meta.url), 'utf8')) as Record<string, unknown>;
  const title = `[FIRING:1] DiskFull ${randomUUID().slice(0, 6)}`;
  const r = await post('/webhooks/grafana', { ...fixture, title, groupKey: `{}:{g="${title}"}` });
  assert.equal(r.status, 202, JSON.stringify(r.body));
  const card = await waitFor(() => inChannel('chat.postMessage').find((c) => JSON.stringify(c.args).includes(`WARNING: ${title}`)), 'the Grafana card');
  assert.match(JSON.stringify(card.args), /grafana\.example\/d\/xyz/);
});

test('a flapping group is marked on its card and its later resolution notes are held back', async () => {
  const groupKey = `{}:{flap="${randomUUID()}"}`;
  const over = { alertname: 'Flappy' };
  let groupId = '';
  const steps: Array<'firing' | 'resolved'> = ['firing', 'resolved', 'firing', 'resolved'];
  for (const [i, status] of steps.entries()) {
    const r = await post('/webhooks/alertmanager', amPayload(groupKey, status, over));
    assert.equal(r.status, 202);
    groupId = String(r.body.groupId);
    // Let each state reach the chat before the next one, as a real flapping source would.
    if (i === 1) await waitFor(() => inChannel('chat.postMessage').some((c) => c.args.thread_ts && JSON.stringify(c.args).includes('Resolved: Flappy')), 'the first note');
    else await waitFor(async () => (await t.app.deps.db.alertGroup.findUniqueOrThrow({ where: { id: groupId } })).notifiedAlertId > 0n, 'notified');
  }
  const group = await t.app.deps.db.alertGroup.findUniqueOrThrow({ where: { id: groupId } });
  assert.equal(group.flapping, true);
  // The second occurrence's card shows its last state: posted so when its queued firing and
  // resolved states coalesce, else edited to it.
  const cards = () => [...inChannel('chat.postMessage'), ...inChannel('chat.update')].filter((c) => !c.args.thread_ts);
  await waitFor(() => cards().some((c) => /RESOLVED: Flappy[^]*Flapping/.test(JSON.stringify(c.args))), 'the card marked flapping');
  await barrier();
  const notes = inChannel('chat.postMessage').filter((c) => c.args.thread_ts && JSON.stringify(c.args).includes('Resolved: Flappy'));
  assert.equal(notes.length, 1, 'only the first resolution is noted');
});

test('quiet hours hold back non-critical alerts but store them; critical ones still post', async () => {
  const warnKey = `{}:{quiet="${randomUUID()}"}`;
  const warn = await post('/webhooks/alertmanager', amPayload(warnKey, 'firing', { alertname: 'QuietWarn', service: 'quiet-am', severity: 'warning' }));
  assert.equal(warn.status, 202);
  const crit = await post('/webhooks/alertmanager', amPayload(`{}:{quiet="${randomUUID()}"}`, 'firing', { alertname: 'QuietCrit', service: 'quiet-am', severity: 'critical' }));
  assert.equal(crit.status, 202);
  await waitFor(() => inChannel('chat.postMessage').some((c) => JSON.stringify(c.args).includes('CRITICAL: QuietCrit')), 'the critical card');
  await barrier();
  assert.ok(!slack.calls.some((c) => JSON.stringify(c.args).includes('QuietWarn')), 'the warning was held back');
  assert.equal(await t.app.deps.db.alert.count({ where: { groupId: String(warn.body.groupId) } }), 1, 'but stored');
});
