/**
 * Triage's guess pages nobody: a ticket auto-triaged P0 (no severity given) starts no
 * incident run, so on-call is neither paged nor assigned, until a person confirms the
 * severity; then exactly one incident run starts for the ticket. Also: a variable behind an
 * earlier alternative that is given (`{{ inputs.url ?? vars.appUrl }}` with url=...) is not
 * required at start.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { definitionsDir, startProcApp, startTarget, type ProcApp, type Target } from './process-helpers.ts';
import { waitFor } from '../helpers/wait.ts';
import { PROCESS_EVENT_QUEUE } from '../../services/processes/events.ts';

let target: Target;
let p: ProcApp;

before(async () => {
  target = await startTarget();
  p = await startProcApp(definitionsDir({}), {
    processes: { includeShipped: true, vars: { opsChannel: 'terminal:ops', oncallName: 'Olga', reminderInterval: '1h' } },
  });
});

after(async () => {
  await p?.t.stop();
  await target?.close();
});

/** Waits until the process event of `eventId` was handled (its job completed). */
async function handled(type: string, eventId: string): Promise<void> {
  const jobId = `pe-${createHash('sha256').update(`${type}\0${eventId}`).digest('hex').slice(0, 40)}`;
  const q = p.t.app.deps.queues.queue(PROCESS_EVENT_QUEUE);
  await waitFor(async () => (await (await q.getJob(jobId))?.getState()) === 'completed', `event ${eventId} handled`, 30_000);
}

test('triage: an auto-triaged P0 pages and assigns nobody until a person confirms it; then one incident run starts', async () => {
  const db = p.t.app.deps.db;
  const title = `🔥 prod down ${randomUUID().slice(0, 6)}`;
  await p.say(p.admin, `ticket ${title}`);
  const ticket = await waitFor(() => db.ticket.findFirst({ where: { title } }), 'the ticket', 30_000);
  assert.equal(ticket.severity, 'P0', 'triage guessed P0');
  assert.equal(ticket.severityConfirmed, false);
  await handled('ticket.created', `ticket-${ticket.id}`);
  const incident = { processName: 'incident', inputs: { path: ['ticket'], equals: ticket.id } };
  assert.equal(await db.processRun.count({ where: incident }), 0, 'no incident run on a guessed P0');
  assert.ok(!p.replies.some((r) => r.ref.chatId === 'ops' && /you are paged/.test(r.reply.text)), 'nobody paged');
  assert.equal((await db.ticket.findUnique({ where: { id: ticket.id } }))!.assigneeName, null, 'nobody assigned');

  const confirmed = await p.t.app.deps.tickets.confirmSeverity(ticket.id, { userId: null, name: 'Lead' });
  const run = await waitFor(() => db.processRun.findFirst({ where: incident }), 'the incident run after confirmation', 30_000);
  assert.equal(run.startedBy, 'ticket.severity_confirmed');
  await p.waitStep(run.id, 'wait_resolved', 'waiting');
  assert.ok(p.replies.some((r) => r.ref.chatId === 'ops' && r.reply.title === `P0 incident: ticket #${ticket.id}`), 'paged once confirmed');
  // Setting the severity again later starts no second run for the same ticket.
  const later = await p.t.app.deps.tickets.setSeverity(ticket.id, { userId: null, name: 'Lead' }, 'P1');
  const again = await p.t.app.deps.tickets.setSeverity(ticket.id, { userId: null, name: 'Lead' }, 'P0');
  await handled('ticket.severity_confirmed', `ticket-${ticket.id}-severity-${again.updatedAt.getTime()}`);
  assert.ok(confirmed && later);
  assert.equal(await db.processRun.count({ where: incident }), 1, 'one incident run per ticket');
});

test('required variables: a variable behind a given earlier alternative is not required (smoke-test url=...)', async () => {
  // No processes.vars.appUrl here: the url input stands in for it.
  const ok = await p.api('POST', '/api/v1/processes/smoke-test/runs', { inputs: { url: `${target.url}/x` } });
  assert.equal(ok.status, 201, JSON.stringify(ok.body));
  const out = await p.say(p.admin, `run smoke-test url=${target.url}/y`);
  assert.ok(!out.some((r) => /needs configuration/.test(r.reply.text)), JSON.stringify(out.map((r) => r.reply.text)));
  // Without the input the variable is read, and its absence is still refused at start.
  const refused = await p.api('POST', '/api/v1/processes/smoke-test/runs', { inputs: {} });
  assert.notEqual(refused.status, 201);
  assert.match(JSON.stringify(refused.body), /processes\.vars\.appUrl/);
});
