/**
 * The real Alertmanager (Debian's prometheus-alertmanager) in front of a2d2: alerts posted to
 * Alertmanager's own API (POST /api/v2/alerts) reach our webhook with the bearer token and
 * become one card per group at the fake Slack, edited when the group resolves; a silence made
 * through Alertmanager's API (POST /api/v2/silences) shows on the card and in `silences`.
 * Nothing is skipped: without the binary the test fails and names the package to install.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callText, startAlertmanagerTestApp, type AlertmanagerTestApp } from '../helpers/alert-app.ts';
import { eventCallbackBody } from '../helpers/fake-slack.ts';
import { waitFor } from '../helpers/wait.ts';

const BINARY = 'prometheus-alertmanager';
const run = randomUUID().slice(0, 8);
let am: AlertmanagerTestApp;
let child: ChildProcess | undefined;
let amUrl = '';
let dir = '';
const amLog: string[] = [];

/** A port free on 127.0.0.1 right now (Alertmanager needs one before it starts). */
async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

before(async () => {
  const found = spawnSync('sh', ['-c', `command -v ${BINARY}`], { encoding: 'utf8' });
  assert.ok(found.status === 0 && found.stdout.trim(), `${BINARY} not found on PATH: install Debian's package prometheus-alertmanager (apt-get install -y prometheus-alertmanager); .ci/run does`);
  const port = await freePort();
  amUrl = `http://127.0.0.1:${port}`;
  am = await startAlertmanagerTestApp('CRA', { alertmanagerUrl: amUrl });
  dir = mkdtempSync(join(tmpdir(), 'a2d2-am-'));
  writeFileSync(
    join(dir, 'alertmanager.yml'),
    [
      'route:',
      '  receiver: a2d2',
      "  group_by: ['alertname']",
      '  group_wait: 1s',
      '  group_interval: 1s',
      '  repeat_interval: 1h',
      'receivers:',
      '  - name: a2d2',
      '    webhook_configs:',
      `      - url: ${am.t.url}/webhooks/alertmanager`,
      '        send_resolved: true',
      '        http_config:',
      `          authorization: { type: Bearer, credentials: ${am.amToken} }`,
      '',
    ].join('\n'),
  );
  child = spawn(
    BINARY,
    [`--config.file=${join(dir, 'alertmanager.yml')}`, `--storage.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address=', '--log.level=warn'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (d) => amLog.push(String(d)));
  child.stderr?.on('data', (d) => amLog.push(String(d)));
  await waitFor(async () => (await fetch(`${amUrl}/-/ready`).catch(() => null))?.ok, `Alertmanager to be ready (${amLog.join('')})`, 60_000, 100);
});

after(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  await am?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** POSTs JSON to Alertmanager's API and returns the parsed answer. */
async function amApi(path: string, body: unknown): Promise<unknown> {
  const res = await fetch(`${amUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  assert.equal(res.status, 200, `${path}: ${text}`);
  // POST /api/v2/alerts answers with an empty body; /api/v2/silences with {"silenceID": ...}.
  return text ? (JSON.parse(text) as unknown) : null;
}

const labelsOf = (name: string, instance: string) => ({ alertname: name, service: 'checkout-am', severity: 'critical', run, instance });
const topLevel = (title: string) => am.inChannel('chat.postMessage').filter((c) => !c.args.thread_ts && callText(c).includes(`CRITICAL: ${title}`));

test('alerts posted to the real Alertmanager become one card per group, edited to resolved', async () => {
  const a = `RealAmA${run}`;
  const b = `RealAmB${run}`;
  const startsAt = new Date().toISOString();
  await amApi('/api/v2/alerts', [
    { labels: labelsOf(a, 'a-1:9100'), annotations: { summary: 'first group' }, startsAt },
    { labels: labelsOf(a, 'a-2:9100'), annotations: { summary: 'first group' }, startsAt },
    { labels: labelsOf(b, 'b-1:9100'), annotations: { summary: 'second group' }, startsAt },
  ]);
  const cardA = await waitFor(() => topLevel(a)[0], 'the card of group A', 60_000);
  await waitFor(() => topLevel(b)[0], 'the card of group B', 60_000);
  assert.match(callText(cardA), /a-1:9100, a-2:9100/);
  assert.match(callText(cardA), /#\/silences\/new\?filter=/, "Alertmanager's externalURL is linked");

  await amApi('/api/v2/alerts', [
    { labels: labelsOf(a, 'a-1:9100'), annotations: { summary: 'first group' }, startsAt, endsAt: new Date().toISOString() },
    { labels: labelsOf(a, 'a-2:9100'), annotations: { summary: 'first group' }, startsAt, endsAt: new Date().toISOString() },
  ]);
  const link = await waitFor(async () => {
    const g = await am.t.app.deps.db.alertGroup.findFirst({ where: { title: a } });
    return g ? am.t.app.deps.db.messageLink.findFirst({ where: { messageKey: `alert:${g.id}`, chatId: am.channel } }) : null;
  }, 'the card link of group A');
  await waitFor(() => am.inChannel('chat.update').some((c) => c.args.ts === link.platformMessageId && callText(c).includes(`RESOLVED: ${a}`)), 'the card of A edited to resolved', 60_000);
  assert.equal(topLevel(a).length, 1, 'one card for group A');
  assert.equal(topLevel(b).length, 1, 'one card for group B');
});

test('a silence created through Alertmanager\'s API shows on the card and in `silences`', async () => {
  const c = `RealAmC${run}`;
  await amApi('/api/v2/alerts', [{ labels: labelsOf(c, 'c-1:9100'), annotations: { summary: 'third group' }, startsAt: new Date().toISOString() }]);
  await waitFor(() => topLevel(c)[0], 'the card of group C', 60_000);
  const endsAt = new Date(Date.now() + 2 * 3_600_000).toISOString();
  const created = (await amApi('/api/v2/silences', {
    matchers: [
      { name: 'alertname', value: c, isRegex: false, isEqual: true },
      { name: 'instance', value: 'c-.*', isRegex: true, isEqual: true },
    ],
    startsAt: new Date().toISOString(),
    endsAt,
    createdBy: 'oncall-maria',
    comment: 'maintenance window',
  })) as { silenceID?: string };
  assert.ok(created.silenceID, 'Alertmanager answers with the silence id');

  // Alertmanager sends nothing for a silenced group: the card is refreshed the way every operator action refreshes it.
  const g = await am.t.app.deps.db.alertGroup.findFirstOrThrow({ where: { title: c } });
  await am.t.app.deps.alerts.enqueueGroup(g.id, `test-${randomUUID()}`);
  await waitFor(
    () => am.inChannel('chat.update').some((u) => callText(u).includes(`CRITICAL: ${c}`) && callText(u).includes('Silenced in Alertmanager') && callText(u).includes('oncall-maria')),
    'the card to show the Alertmanager silence',
    60_000,
  );

  const viewChat = `CSV${run.toUpperCase()}`;
  await am.postSlack(
    JSON.stringify(eventCallbackBody({ type: 'app_mention', user: 'UVIEW2', text: `<@${am.slack.botUserId}> silences`, ts: `${Date.now() / 1000}`, channel: viewChat })),
    'application/json',
  );
  const view = callText(await waitFor(() => am.slack.callsTo('chat.postMessage').find((m) => m.args.channel === viewChat), 'the silences view'));
  assert.ok(view.includes(`alertname=\\"${c}\\"`), view);
  assert.match(view, /instance=~\\"c-\.\*\\"/);
  assert.match(view, /by oncall-maria, in Alertmanager/);
});
