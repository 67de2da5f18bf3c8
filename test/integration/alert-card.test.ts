/**
 * The card an on-call engineer expects: the summary of the firing alerts (not of alerts[0],
 * which may have resolved), "7 firing, 2 resolved", the first instances and "+N more", the
 * runbook_url annotation and Alertmanager's silence page linked, "(after 25s)" for short
 * durations, a new message when a resolved group fires again, and silences made in
 * Alertmanager itself (its API v2, faked here) on the card and in `silences`.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { amPayload, callText, startAlertmanagerTestApp, type AlertmanagerTestApp } from '../helpers/alert-app.ts';
import { eventCallbackBody } from '../helpers/fake-slack.ts';
import { waitFor } from '../helpers/wait.ts';

let am: AlertmanagerTestApp;
let amApi: Server;
const run = randomUUID().slice(0, 8);
const inAnHour = new Date(Date.now() + 3_600_000).toISOString();

/** Alertmanager's GET /api/v2/silences: one active silence for SilencedInAm, one expired that matches everything. */
const silences = [
  {
    id: randomUUID(),
    status: { state: 'active' },
    matchers: [
      { name: 'alertname', value: 'SilencedIn.*', isRegex: true, isEqual: true },
      { name: 'run', value: run, isRegex: false, isEqual: true },
      { name: 'severity', value: 'info', isRegex: false, isEqual: false },
    ],
    startsAt: new Date(Date.now() - 60_000).toISOString(),
    endsAt: inAnHour,
    updatedAt: new Date().toISOString(),
    createdBy: 'maria',
    comment: 'maintenance',
  },
  {
    id: randomUUID(),
    status: { state: 'expired' },
    matchers: [{ name: 'alertname', value: '.+', isRegex: true, isEqual: true }],
    startsAt: '2026-01-01T00:00:00Z',
    endsAt: '2026-01-01T01:00:00Z',
    updatedAt: '2026-01-01T01:00:00Z',
    createdBy: 'old',
    comment: 'expired',
  },
];

before(async () => {
  amApi = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/api/v2/silences') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(silences));
    } else res.writeHead(404).end();
  });
  await new Promise<void>((r) => amApi.listen(0, '127.0.0.1', r));
  const port = (amApi.address() as AddressInfo).port;
  am = await startAlertmanagerTestApp('CCD', { alertmanagerUrl: `http://127.0.0.1:${port}` });
});

after(async () => {
  await am?.stop();
  await new Promise((r) => amApi?.close(r));
});

const topLevel = (title: string) => am.inChannel('chat.postMessage').filter((c) => !c.args.thread_ts && callText(c).includes(title));

test('the card speaks for the firing alerts: counts, instances with +N more, runbook and Alertmanager links', async () => {
  const title = `CardDetails${run}`;
  const labels = { alertname: title, service: 'checkout-am', severity: 'critical' };
  const alert = (i: number, status: 'firing' | 'resolved') => ({
    status,
    labels: { ...labels, instance: `web-${i}:9100` },
    annotations: {
      summary: status === 'firing' ? 'p99 latency above 2 s' : 'OLD summary of a resolved alert',
      runbook_url: 'https://runbooks.example/latency',
    },
    startsAt: '2026-11-26T16:00:00Z',
    ...(status === 'resolved' ? { endsAt: '2026-11-26T16:05:00Z' } : {}),
  });
  const body = {
    version: '4',
    groupKey: `{}:{alertname="${title}"}`,
    status: 'firing',
    externalURL: 'http://am.example:9093',
    groupLabels: { alertname: title },
    commonLabels: labels,
    commonAnnotations: { runbook_url: 'https://runbooks.example/latency' },
    alerts: [alert(0, 'resolved'), alert(1, 'resolved'), ...[2, 3, 4, 5, 6, 7, 8].map((i) => alert(i, 'firing'))],
  };
  const r = await am.post('/webhooks/alertmanager', body);
  assert.equal(r.status, 202, JSON.stringify(r.body));
  const card = callText(await waitFor(() => topLevel(title)[0], 'the card'));
  assert.match(card, /p99 latency above 2 s/);
  assert.doesNotMatch(card, /OLD summary/);
  assert.match(card, /7 firing, 2 resolved/);
  assert.match(card, /web-2:9100, web-3:9100, web-4:9100, web-5:9100, web-6:9100 \+2 more/);
  assert.doesNotMatch(card, /web-0:9100/, 'resolved instances are not listed while others fire');
  assert.match(card, /https:\/\/runbooks\.example\/latency/);
  assert.match(card, /http:\/\/am\.example:9093\/#\/silences\/new\?filter=/);
});

test('a short incident resolves "after Ns", and firing again after resolving is a new message', async () => {
  const title = `Refire${run}`;
  const key = `{}:{alertname="${title}"}`;
  const fire = (startsAt: string) => am.post('/webhooks/alertmanager', amPayload(key, 'firing', { alertname: title }, startsAt));
  assert.equal((await fire(new Date().toISOString())).status, 202);
  await waitFor(() => topLevel(title)[0], 'the first card');
  assert.equal((await am.post('/webhooks/alertmanager', amPayload(key, 'resolved', { alertname: title }))).status, 202);
  const note = await waitFor(() => am.inChannel('chat.postMessage').find((c) => c.args.thread_ts && callText(c).includes(`Resolved: ${title}`)), 'the note');
  assert.match(callText(note), /\(after (\d+ ms|\d+(\.\d)?s)\)/);
  assert.doesNotMatch(callText(note), /after 0m/);

  assert.equal((await fire(new Date().toISOString())).status, 202);
  await waitFor(() => topLevel(title).length === 2, 'a second top-level card for the new occurrence');
  assert.match(callText(topLevel(title)[1]!), new RegExp(`CRITICAL: ${title}`));
});

test('a silence made in Alertmanager shows on the matching card and in `silences`', async () => {
  const title = `SilencedInAm${run}`;
  const r = await am.post('/webhooks/alertmanager', amPayload(`{}:{alertname="${title}"}`, 'firing', { alertname: title, run }));
  assert.equal(r.status, 202);
  const card = callText(await waitFor(() => topLevel(title)[0], 'the card'));
  assert.match(card, /Silenced in Alertmanager/);
  assert.match(card, new RegExp(`until ${inAnHour.slice(0, 16).replace('T', ' ')} UTC \\(by maria\\)`));

  // Another group: the regex matches its name, but not its run label.
  const other = `SilencedInAmOther${run}`;
  await am.post('/webhooks/alertmanager', amPayload(`{}:{alertname="${other}"}`, 'firing', { alertname: other, run: 'different' }));
  assert.doesNotMatch(callText(await waitFor(() => topLevel(other)[0], 'the other card')), /Silenced in Alertmanager/);

  const viewChat = `CSV${run.toUpperCase()}`;
  await am.postSlack(
    JSON.stringify(eventCallbackBody({ type: 'app_mention', user: 'UVIEW1', text: `<@${am.slack.botUserId}> silences`, ts: `${Date.now() / 1000}`, channel: viewChat })),
    'application/json',
  );
  const view = callText(await waitFor(() => am.slack.callsTo('chat.postMessage').find((c) => c.args.channel === viewChat), 'the silences view'));
  assert.match(view, /alertname=~\\"SilencedIn\.\*\\"/);
  assert.match(view, /severity!=\\"info\\"/);
  assert.match(view, /by maria, in Alertmanager/);
  assert.doesNotMatch(view, /expired|by old/);
});
