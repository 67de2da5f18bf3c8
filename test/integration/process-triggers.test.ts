/**
 * Acceptance: a schedule with a short cron fires runs; events start matching processes (once per
 * event) and wake steps waiting for them; the ticket step opens and reads a real ticket; agent
 * steps without a configured LLM fail with a clear "not available".
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { definitionsDir, startProcApp, type ProcApp } from './process-helpers.ts';
import { waitFor } from '../helpers/wait.ts';
import { emitProcessEvent } from '../../services/processes/events.ts';

let p: ProcApp;
const service = `svc-${randomUUID().slice(0, 6)}`;
const amToken = `am-${randomUUID()}`;
const amFixture = JSON.parse(readFileSync(new URL('../fixtures/alerts/alertmanager-v4.json', import.meta.url), 'utf8')) as Record<string, unknown>;

before(async () => {
  const dir = definitionsDir({
    'cron.yaml': `
name: ptr-cron
triggers:
  schedules:
    - cron: "* * * * * *"
      inputs: { note: "{{ vars.note }}" }
inputs:
  note: { type: string }
steps:
  - { id: tick, kind: wait, duration: 10ms }
`,
    'on-alert.yaml': `
name: ptr-alert
inputs:
  service: { type: string, required: true }
  severity: { type: string }
triggers:
  events:
    - type: alert.firing
      when: event.labels.service == '${service}' and event.labels.severity in ['critical', 'page']
      inputs: { service: "{{ event.labels.service }}", severity: "{{ event.labels.severity }}" }
steps:
  - { id: note, kind: wait, duration: 10ms }
`,
    'wait-event.yaml': `
name: ptr-wait
inputs:
  ticket: { type: number, required: true }
steps:
  - id: resolved
    kind: wait
    event: ticket.resolved
    match: event.ticketId == inputs.ticket
    timeout: 1h
  - { id: after, kind: wait, duration: 10ms }
`,
    'ticket.yaml': `
name: ptr-ticket
inputs:
  title: { type: string, required: true }
steps:
  - id: open
    kind: ticket
    action: open
    title: "{{ inputs.title }}"
    severity: P2
    description: opened by a process
  - id: read
    kind: ticket
    action: get
    ticket: "{{ steps.open.output.id }}"
`,
    'document.yaml': `
name: ptr-document
steps:
  - { id: read, kind: document, document: "999999" }
`,
    'agent.yaml': `
name: ptr-agent
steps:
  - { id: ask, kind: agent, agent: assistant, prompt: "hello" }
`,
  });
  p = await startProcApp(dir, { processes: { vars: { note: 'from-schedule' } }, app: { env: { ALERTMANAGER_TOKEN: amToken } } });
});

after(async () => {
  await p?.t.stop();
});

test('a schedule with a short cron fires runs with its inputs', async () => {
  const db = p.t.app.deps.db;
  const since = new Date(Date.now() - 1000);
  const runs = await waitFor(async () => {
    const rows = await db.processRun.findMany({ where: { processName: 'ptr-cron', trigger: 'schedule', createdAt: { gte: since } } });
    return rows.length >= 2 ? rows : null;
  }, 'two scheduled runs', 30_000);
  assert.deepEqual(runs[0]!.inputs, { note: 'from-schedule' });
  assert.equal(new Set(runs.map((r) => r.triggerKey)).size, runs.length, 'each firing has its own key');
});

test('an alert event starts the matching process once; others start nothing', async () => {
  const db = p.t.app.deps.db;
  const queues = p.t.app.deps.queues;
  const eventId = randomUUID();
  await emitProcessEvent(queues, 'alert.firing', { labels: { service, severity: 'critical' } }, eventId);
  await emitProcessEvent(queues, 'alert.firing', { labels: { service, severity: 'critical' } }, eventId);
  await emitProcessEvent(queues, 'alert.firing', { labels: { service, severity: 'info' } }, randomUUID());
  await emitProcessEvent(queues, 'alert.firing', { labels: { service: 'other', severity: 'critical' } }, randomUUID());
  const run = await waitFor(() => db.processRun.findFirst({ where: { processName: 'ptr-alert', inputs: { equals: { service, severity: 'critical' } } } }), 'the alert run', 30_000);
  assert.equal(run.trigger, 'event');
  await p.waitRun(run.id, 'succeeded');
  // Give the other events their chance to (wrongly) start something, then count.
  await waitFor(async () => ((await queues.queue('processes-events').getJobCounts('completed')).completed ?? 0) >= 3, 'events handled', 30_000);
  const all = await db.processRun.findMany({ where: { processName: 'ptr-alert' } });
  assert.equal(all.filter((r) => (r.inputs as { service: string }).service === service).length, 1);
});

test('a step waiting for an event wakes on the matching one only', async () => {
  const queues = p.t.app.deps.queues;
  const id = await p.start('ptr-wait', { ticket: 41 });
  await p.waitStep(id, 'resolved', 'waiting');
  await emitProcessEvent(queues, 'ticket.resolved', { ticketId: 40 }, randomUUID());
  await emitProcessEvent(queues, 'ticket.resolved', { ticketId: 41 }, randomUUID());
  const run = await p.waitRun(id, 'succeeded');
  assert.deepEqual(run.steps[0]!.output, { timedOut: false, event: { ticketId: 41 } });
});

test('the ticket step opens a real ticket and reads it back', async () => {
  const title = `Process ticket ${randomUUID().slice(0, 6)}`;
  const id = await p.start('ptr-ticket', { title });
  const run = await p.waitRun(id, 'succeeded');
  const opened = run.steps[0]!.output as { id: number; severity: string };
  const read = run.steps[1]!.output as { id: number; title: string; status: string };
  assert.equal(read.id, opened.id);
  assert.equal(read.title, title);
  assert.equal(opened.severity, 'P2');
  const row = await p.t.app.deps.db.ticket.findUnique({ where: { id: opened.id } });
  assert.equal(row?.title, title);
});

test('an agent step without a configured LLM fails with a clear reason', async () => {
  const id = await p.start('ptr-agent');
  const run = await p.waitRun(id, 'failed');
  assert.equal(run.steps[0]!.error, 'agents are not available here');
  assert.equal(run.steps[0]!.attempts, 1);
});

test('an Alertmanager webhook for a firing alert starts the process that listens for it', async () => {
  const db = p.t.app.deps.db;
  const labels = { alertname: 'HighErrorRate', service, severity: 'page', environment: 'production' };
  const body = {
    ...amFixture,
    groupKey: `{}:{alertname="HighErrorRate",run="${randomUUID()}"}`,
    status: 'firing',
    commonLabels: labels,
    alerts: [{ ...(amFixture.alerts as object[])[0], status: 'firing', labels: { ...labels, instance: 'a:1' }, startsAt: new Date().toISOString() }],
  };
  const post = async (b: object) => {
    const res = await fetch(`${p.t.url}/webhooks/alertmanager`, { method: 'POST', headers: { authorization: `Bearer ${amToken}`, 'content-type': 'application/json' }, body: JSON.stringify(b) });
    assert.equal(res.status, 202);
    return ((await res.json()) as { groupId: string }).groupId;
  };
  const runs = () => db.processRun.findMany({ where: { processName: 'ptr-alert', inputs: { equals: { service, severity: 'page' } } }, orderBy: { createdAt: 'asc' } });
  /** The group's notify job done (its mark cleared) and every process event it emitted handled. */
  const settled = async (groupId: string) => {
    await waitFor(async () => (await db.alertGroup.findUnique({ where: { id: groupId } }))?.notifyPendingSince === null, 'the notify job done', 30_000);
    const events = p.t.app.deps.queues.queue('processes-events');
    await waitFor(async () => {
      const c = await events.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      return Object.values(c).every((n) => n === 0);
    }, 'process events handled', 30_000);
  };

  const groupId = await post(body);
  const run = await waitFor(async () => (await runs())[0], 'the run started by the webhook', 30_000);
  assert.equal(run.trigger, 'event');

  // The same occurrence delivered again with one more instance: no second run.
  const second = { ...body.alerts[0], labels: { ...labels, instance: 'b:1' }, startsAt: new Date().toISOString() };
  await post({ ...body, alerts: [...body.alerts, second] });
  await settled(groupId);
  assert.equal((await runs()).length, 1, 'a redelivery of the occurrence starts nothing');

  // Resolved, then firing again: a new occurrence, a new run.
  await post({ ...body, status: 'resolved', alerts: body.alerts.map((x) => ({ ...x, status: 'resolved', endsAt: new Date().toISOString() })) });
  await settled(groupId);
  assert.equal((await runs()).length, 1, 'a resolution starts nothing');
  await post({ ...body, alerts: body.alerts.map((x) => ({ ...x, startsAt: new Date().toISOString() })) });
  await waitFor(async () => ((await runs()).length === 2 ? true : null), 'a second run for the new occurrence', 30_000);
  await settled(groupId);
  assert.equal((await runs()).length, 2);
});

test('a document step for a document that does not exist fails with a clear reason', async () => {
  const id = await p.start('ptr-document');
  const run = await p.waitRun(id, 'failed');
  assert.equal(run.steps[0]!.error, 'document 999999 does not exist');
});
