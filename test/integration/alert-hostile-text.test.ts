/**
 * Hostile text in an Alertmanager delivery: NUL characters (PostgreSQL refuses them in text
 * and jsonb) and lone UTF-16 surrogates are cleaned at the boundary, so the group is stored
 * and shown instead of answered 503 on every retry; what can never be stored gets 400 naming
 * the field.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { callText, startAlertmanagerTestApp, type AlertmanagerTestApp } from '../helpers/alert-app.ts';
import { waitFor } from '../helpers/wait.ts';

let am: AlertmanagerTestApp;

before(async () => {
  am = await startAlertmanagerTestApp('CHT');
});

after(async () => {
  await am?.stop();
});

test('NUL in a label, annotation, alertname and groupKey, and a lone surrogate in a label: stored and shown', async () => {
  const run = randomUUID().slice(0, 8);
  const labels = { alertname: 'Hostile\u0000Name', service: 'checkout-am', severity: 'critical', pod: `web\uD800-${run}`, team: 'a\u0000b' };
  const body = {
    version: '4',
    groupKey: `{}:{alertname="Hostile",run="${run}"}\u0000`,
    status: 'firing',
    commonLabels: labels,
    commonAnnotations: { summary: 'disk\u0000 full' },
    alerts: [{ status: 'firing', labels: { ...labels, 'x\u0000': 'y' }, annotations: { summary: 'disk\u0000 full', description: 'lone \uDC00 half' }, startsAt: new Date().toISOString() }],
  };
  const r = await am.post('/webhooks/alertmanager', body);
  assert.equal(r.status, 202, JSON.stringify(r.body));
  const g = await am.t.app.deps.db.alertGroup.findUniqueOrThrow({ where: { id: String(r.body.groupId) } });
  assert.equal(g.groupKey, `{}:{alertname="Hostile",run="${run}"}`);
  assert.equal(g.title, 'HostileName');
  assert.equal(g.summary, 'disk full');
  assert.equal((g.labels as Record<string, string>).pod, `web\uFFFD-${run}`);
  const card = await waitFor(() => am.inChannel('chat.postMessage').find((c) => callText(c).includes('HostileName')), 'the card');
  assert.match(callText(card), /disk full/);
});

test('a groupKey of nothing but control characters gets 400 naming groupKey and stores nothing', async () => {
  const r = await am.post('/webhooks/alertmanager', {
    version: '4',
    groupKey: '\u0000\u0001',
    status: 'firing',
    alerts: [{ status: 'firing', labels: { alertname: 'Never' } }],
  });
  assert.equal(r.status, 400);
  assert.match(String(r.body.message), /groupKey/);
  assert.equal(await am.t.app.deps.db.alertGroup.count({ where: { title: 'Never' } }), 0);
});
