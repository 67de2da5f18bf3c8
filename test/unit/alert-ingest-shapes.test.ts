import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createHmac } from 'node:crypto';
import { normalizeAlertmanager, groupFingerprint, type AlertmanagerPayload } from '../../services/alerts/alert.service.ts';
import { githubToDeploy, githubSignatureOk } from '../../features/alerts/routes.ts';
import { bearerOk } from '../../services/http/bearer-auth.ts';
import { githubDeploymentState, githubWorkflowState } from '../../services/alerts/deploy.service.ts';
import { renderAlertCard, renderDeployCard, type CardGroup } from '../../services/alerts/alert-render.ts';
import { translator } from '../../services/i18n/i18n.ts';

const fixture = <T>(name: string): T => JSON.parse(readFileSync(new URL(`../fixtures/alerts/${name}`, import.meta.url), 'utf8')) as T;

test('Alertmanager v4 payload normalizes; the zero end time means "no end"', () => {
  const g = normalizeAlertmanager(fixture<AlertmanagerPayload>('alertmanager-v4.json'));
  assert.equal(g.source, 'alertmanager');
  assert.equal(g.status, 'firing');
  assert.equal(g.commonLabels.service, 'checkout');
  assert.equal(g.alerts.length, 1);
  assert.equal(g.alerts[0]!.endsAt, undefined);
  assert.equal(g.alerts[0]!.startsAt, '2026-11-26T16:00:00.000Z');
  assert.equal(g.alerts[0]!.fingerprint, 'a1b2c3d4e5f60718');
  assert.match(g.alerts[0]!.url!, /prometheus/);
});

test('Grafana payload normalizes with its title and dashboard link', () => {
  const g = normalizeAlertmanager(fixture<AlertmanagerPayload>('grafana.json'), 'grafana');
  assert.equal(g.source, 'grafana');
  assert.equal(g.title, '[FIRING:1] DiskFull (db)');
  assert.equal(g.alerts[0]!.url, 'http://grafana.example/d/xyz');
  assert.notEqual(groupFingerprint('grafana', g.groupKey), groupFingerprint('alertmanager', g.groupKey));
});

test('GitHub deployment_status and workflow_run map onto deploy events', () => {
  const ds = fixture<Record<string, unknown>>('github-deployment-status.json');
  assert.deepEqual(githubToDeploy('deployment_status', ds), {
    source: 'github',
    externalId: 'deployment:1234567',
    service: 'checkout',
    environment: 'production',
    version: 'v2.4.1',
    status: 'success',
    url: 'https://github.com/acme/checkout/actions/runs/42',
    actor: 'alice',
  });
  const created = githubToDeploy('deployment', { deployment: (ds as { deployment: unknown }).deployment, repository: ds.repository });
  assert.equal((created as { status: string }).status, 'queued');
  const wf = githubToDeploy('workflow_run', fixture('github-workflow-run.json'));
  assert.equal((wf as { status: string }).status, 'failure');
  assert.equal((wf as { externalId: string }).externalId, 'workflow_run:987654321');
  assert.equal(githubToDeploy('workflow_run', { action: 'completed', workflow_run: { id: 1, name: 'CI tests' } }), null);
  assert.equal(githubToDeploy('issues', {}), null);
  assert.equal(typeof githubToDeploy('deployment_status', { repository: {} }), 'string');
  assert.equal(githubDeploymentState('error'), 'failure');
  assert.equal(githubDeploymentState('inactive'), null);
  assert.equal(githubWorkflowState('completed', 'completed', 'cancelled'), null);
});

test('signatures and bearer tokens are checked exactly', () => {
  const body = Buffer.from('{"a":1}');
  const sig = `sha256=${createHmac('sha256', 's3cret').update(body).digest('hex')}`;
  assert.equal(githubSignatureOk(body, sig, 's3cret'), true);
  assert.equal(githubSignatureOk(body, sig, 'other'), false);
  assert.equal(githubSignatureOk(Buffer.from('{"a":2}'), sig, 's3cret'), false);
  assert.equal(githubSignatureOk(body, undefined, 's3cret'), false);
  assert.equal(githubSignatureOk(body, 'sha1=abc', 's3cret'), false);
  assert.equal(bearerOk('Bearer tok-123', 'tok-123'), true);
  assert.equal(bearerOk('Bearer tok-1234', 'tok-123'), false);
  assert.equal(bearerOk('Basic tok-123', 'tok-123'), false);
  assert.equal(bearerOk(undefined, 'tok-123'), false);
});

const group: CardGroup = {
  id: '00000000-0000-4000-8000-000000000001',
  source: 'alertmanager',
  fingerprint: 'abc123',
  status: 'firing',
  severity: 'critical',
  service: 'checkout',
  environment: 'production',
  title: 'HighErrorRate',
  summary: '5xx above 5%',
  url: 'http://prom',
  firstSeenAt: new Date('2026-11-26T16:00:00Z'),
  lastSeenAt: new Date('2026-11-26T16:04:00Z'),
  fireCount: 3,
  flapping: false,
  ackBy: null,
  ackAt: null,
  resolvedAt: null,
  resolvedBy: null,
  ticketId: null,
  silencedUntil: null,
};

test('a firing card has the buttons; acknowledgement and the deploy show on it', () => {
  const t = translator('en');
  const card = renderAlertCard(group, { version: 'v2.4.1', actor: 'alice', url: null, runbook: 'https://runbooks/checkout' }, t, { ticketsAvailable: true });
  assert.deepEqual(card.buttons!.map((b) => b.label), ['Acknowledge', 'Silence 1h', 'Silence 4h', 'Silence 24h', 'Resolve', 'Open ticket']);
  assert.match(card.text, /Since deploy v2\.4\.1 by alice/);
  assert.deepEqual(card.links!.map((l) => l.label), ['Source', 'Rollback runbook']);
  assert.match(card.fields!.find((f) => f.label === 'Notifications')!.value, /^3,/);
  const acked = renderAlertCard({ ...group, ackBy: 'Ann', ackAt: new Date('2026-11-26T16:05:00Z') }, null, t, { ticketsAvailable: false });
  assert.equal(acked.fields!.find((f) => f.label === 'Acknowledged')!.value, 'by Ann at 2026-11-26 16:05 UTC');
  assert.ok(!acked.buttons!.some((b) => b.label === 'Acknowledge' || b.label === 'Open ticket'));
  const resolved = renderAlertCard({ ...group, status: 'resolved', resolvedAt: new Date() }, null, translator('ru'), { ticketsAvailable: false });
  assert.match(resolved.title!, /^РЕШЕНО/);
  assert.equal(resolved.buttons, undefined);
});

test('a deploy card shows its state history', () => {
  const card = renderDeployCard(
    {
      service: 'checkout',
      environment: 'production',
      version: 'v2',
      status: 'failure',
      url: 'https://ci/1',
      actor: 'bob',
      history: [
        { status: 'queued', at: '2026-11-26T16:00:00Z' },
        { status: 'failure', at: '2026-11-26T16:03:00Z' },
      ],
      createdAt: new Date(),
    },
    translator('en'),
  );
  assert.equal(card.title, 'Deploy checkout v2 to production: failed');
  assert.equal(card.text, 'queued 2026-11-26 16:00 UTC\nfailed 2026-11-26 16:03 UTC');
});
