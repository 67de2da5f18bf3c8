/**
 * Acceptance for SLA clocks, with windows of seconds: at-risk and breach notices reach the
 * card's thread and the escalation destination on time and once; a severity change re-plans;
 * resolving cancels; pausing stops the clock; a worker stopped and restarted between creation
 * and breach still escalates; a lost timer job is caught by the sweep.
 * Tickets enter through the real REST route; chat output is observed at a recording sender.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startTestApp, testConfig, type TestApp } from '../helpers/app.ts';
import { waitFor, sleep } from '../helpers/wait.ts';
import { FakePlatformSender, type FakeSendCall } from '../helpers/outbound-fake-sender.ts';
import type { YamlConfig } from '../../services/config.ts';
import { createDb } from '../../services/db.ts';

const API_TOKEN = `api-${randomUUID()}`;
const TRIAGE = `triage-${randomUUID().slice(0, 8)}`;
const ESCALATE = `oncall-${randomUUID().slice(0, 8)}`;
const MANAGERS = `managers-${randomUUID().slice(0, 8)}`;
const created: number[] = [];

function ticketsYaml(extra: Record<string, unknown> = {}): Partial<YamlConfig> {
  // The sweep is global to the database; extra settings per app keep apps of this file from racing.
  return {
    tickets: {
      sla: {
        P0: { firstResponse: '5s', resolution: '120s' },
        P1: { firstResponse: '10s', resolution: '120s' },
        P3: { firstResponse: '1h', resolution: null },
      },
      sweepEvery: '1s',
      sweepGrace: '12s',
      triage: { platform: 'terminal', chatId: TRIAGE },
      escalation: {
        P0: [{ to: { platform: 'terminal', chatId: ESCALATE }, mention: '@oncall' }],
        P1: [
          { to: { platform: 'terminal', chatId: ESCALATE }, mention: '@oncall' },
          { after: '3s', to: { platform: 'terminal', chatId: MANAGERS }, mention: '@support-leads' },
        ],
      },
      ...extra,
    },
  } as unknown as Partial<YamlConfig>;
}

let sender: FakePlatformSender;
let t: TestApp;

before(async () => {
  sender = new FakePlatformSender('terminal');
  t = await startTestApp({ env: { A2D2_API_TOKEN: API_TOKEN }, yaml: ticketsYaml(), modules: [{ name: 'recorder', sender }] });
  // Warm the database client so the first ticket's clock is not spent on start-up.
  assert.equal((await api(t.url, 'GET', '/api/v1/tickets?limit=1')).status, 200);
});

after(async () => {
  await t?.stop();
  // Leave no open ticket behind for other files' sweeps.
  const db = createDb(testConfig().env.DATABASE_URL);
  await db.ticket.deleteMany({ where: { id: { in: created } } });
  await db.$disconnect();
});

async function api(base: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, any> }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${API_TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, json: (await res.json()) as Record<string, any> };
}

async function createTicket(base: string, severity: string, title = `SLA probe ${randomUUID()}`): Promise<{ id: number; ticket: Record<string, any>; at: number }> {
  const at = Date.now();
  const r = await api(base, 'POST', '/api/v1/tickets', { title, severity });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  created.push(r.json.ticket.id);
  return { id: r.json.ticket.id, ticket: r.json.ticket, at };
}

const card = (s: FakePlatformSender, id: number) => s.delivered.find((c) => c.op === 'post' && c.ref.chatId === TRIAGE && c.reply.title?.startsWith(`#${id} `));
const inThread = (s: FakePlatformSender, id: number, re: RegExp): FakeSendCall[] => {
  const c = card(s, id);
  return s.delivered.filter((x) => x.op === 'post' && x.ref.chatId === TRIAGE && c && x.replyToMessageId === c.messageId && re.test(x.reply.text));
};
const at = (s: FakePlatformSender, chat: string, id: number, re: RegExp) =>
  s.delivered.filter((x) => x.op === 'post' && x.ref.chatId === chat && x.reply.text.includes(`#${id} `) && re.test(x.reply.text));

test('at-risk and breach notices arrive on time in the card thread and at the escalation destinations, once each', async () => {
  const { id, ticket } = await createTicket(t.url, 'P1');
  const due = Date.parse(ticket.sla.responseDueAt);
  const createdAt = Date.parse(ticket.createdAt);
  // One timer per ticket, due at its next check point (the response clock's at-risk mark).
  const timers = (await t.app.deps.queues.queue('tickets-sla').getDelayed()).filter((j) => j.data.ticketId === id);
  assert.equal(timers.length, 1, 'a new ticket holds one timer job');
  assert.ok(Math.abs(timers[0]!.timestamp + timers[0]!.delay - (createdAt + 0.8 * 10_000)) < 1000, 'due at 80% of the response window');
  await waitFor(() => card(sender, id), 'triage card');
  const [breach] = await waitFor(() => (inThread(sender, id, /SLA breached/).length ? inThread(sender, id, /SLA breached/) : null), 'breach notice in the thread', 30_000);
  const [risk] = inThread(sender, id, /SLA at risk/);
  assert.ok(risk, 'an at-risk notice came before the breach');
  // On time: not before 80% of the window, not before the deadline.
  assert.ok(risk!.at >= createdAt + 0.8 * 10_000 - 50, `at risk at ${risk!.at - createdAt} ms`);
  assert.ok(breach!.at >= due - 50, `breach ${due - breach!.at} ms early`);
  assert.ok(risk!.at <= breach!.at);
  assert.match(breach!.reply.text, /^@oncall /);
  // The escalation destination hears both, with the mention; the second step follows 2 s later.
  await waitFor(() => at(sender, ESCALATE, id, /SLA breached/).length === 1, 'breach at the escalation destination');
  assert.equal(at(sender, ESCALATE, id, /SLA at risk/).length, 1);
  const [step2] = await waitFor(() => (at(sender, MANAGERS, id, /Escalation step 2/).length ? at(sender, MANAGERS, id, /Escalation step 2/) : null), 'second escalation step', 30_000);
  assert.match(step2!.reply.text, /^@support-leads /);
  assert.ok(step2!.at >= due + 3000 - 50);
  await waitFor(() => inThread(sender, id, /Escalation step 2/).length === 1, 'each step posted in the ticket thread too', 30_000);
  // Several sweeps later, nothing was sent twice.
  await sleep(3500);
  assert.equal(inThread(sender, id, /Escalation step 2/).length, 1);
  assert.equal(inThread(sender, id, /SLA at risk/).length, 1);
  assert.equal(inThread(sender, id, /SLA breached/).length, 1);
  assert.equal(at(sender, ESCALATE, id, /SLA breached/).length, 1);
  assert.equal(at(sender, MANAGERS, id, /Escalation step/).length, 1);
  // The card was edited in place to show the breach.
  await waitFor(() => sender.delivered.some((c) => c.op === 'edit' && c.messageId === card(sender, id)!.messageId && /SLA breached/.test(c.reply.context ?? '')), 'card edited to breached', 30_000);
  const row = await t.app.deps.db.ticket.findUniqueOrThrow({ where: { id } });
  assert.ok(row.responseBreachedAt);
  assert.equal(row.responseStage, 3);
  // Every stage fired through one job at a time: what is left is the resolution clock's timer.
  const left = (await t.app.deps.queues.queue('tickets-sla').getDelayed()).filter((j) => j.data.ticketId === id);
  assert.equal(left.length, 1);
  assert.equal(left[0]!.id, `sla-${id}-v${row.slaVersion}-${row.responseStage}-${row.resolutionStage}`);
});

test('a severity change re-plans the timers: raised to P0 breaches on the P0 window, lowered to P3 never breaches', async () => {
  const up = await createTicket(t.url, 'P3');
  const down = await createTicket(t.url, 'P0');
  assert.ok(Date.parse(up.ticket.sla.responseDueAt) - Date.parse(up.ticket.createdAt) >= 3_500_000);
  const [r1, r2] = await Promise.all([api(t.url, 'PATCH', `/api/v1/tickets/${up.id}`, { severity: 'P0' }), api(t.url, 'PATCH', `/api/v1/tickets/${down.id}`, { severity: 'P3' })]);
  assert.equal(r1.status, 200);
  assert.equal(r2.status, 200);
  const newDue = Date.parse(r1.json.ticket.sla.responseDueAt);
  assert.ok(newDue - Date.parse(up.ticket.createdAt) < 30_000, 'the P0 window applies');
  const [breach] = await waitFor(() => (inThread(sender, up.id, /SLA breached/).length ? inThread(sender, up.id, /SLA breached/) : null), 'breach after raising to P0', 30_000);
  assert.ok(breach!.at >= newDue - 50);
  assert.ok(inThread(sender, up.id, /changed the severity of #\d+: P3 → P0/).length === 1, 'the change is posted in the thread');
  // The lowered one: well past its old P0 deadline and a few sweeps, still no notice.
  await sleep(Math.max(0, Date.parse(down.ticket.sla.responseDueAt) + 3000 - Date.now()));
  assert.equal(inThread(sender, down.id, /SLA (at risk|breached)/).length, 0);
  assert.equal(at(sender, ESCALATE, down.id, /SLA/).length, 0);
});

test('resolving cancels the timers; waiting on the reporter pauses them and resuming re-plans', async () => {
  const resolved = await createTicket(t.url, 'P1');
  const paused = await createTicket(t.url, 'P1');
  assert.equal((await api(t.url, 'PATCH', `/api/v1/tickets/${resolved.id}`, { status: 'resolved', note: 'fixed by restart' })).status, 200);
  const w = await api(t.url, 'PATCH', `/api/v1/tickets/${paused.id}`, { status: 'waiting_on_reporter', note: 'which browser?' });
  assert.equal(w.status, 200);
  assert.equal(w.json.ticket.sla.paused, true);
  assert.equal(w.json.ticket.sla.resolutionDueAt, null);
  // No delayed job is left for the resolved ticket.
  const delayed = await t.app.deps.queues.queue('tickets-sla').getDelayed();
  assert.equal(delayed.filter((j) => j.data.ticketId === resolved.id).length, 0);
  await sleep(11_000);
  assert.equal(inThread(sender, resolved.id, /SLA (at risk|breached)/).length, 0, 'a resolved ticket never escalates');
  assert.equal(inThread(sender, paused.id, /SLA (at risk|breached)/).length, 0, 'a paused clock does not run');
  // Waiting counted as the first response: only the resolution clock runs on after resuming.
  const r = await api(t.url, 'PATCH', `/api/v1/tickets/${paused.id}`, { status: 'in_progress' });
  assert.equal(r.status, 200);
  const due = Date.parse(r.json.ticket.sla.resolutionDueAt);
  assert.ok(due - Date.now() > 100_000, 'the time spent paused does not count');
  assert.equal(inThread(sender, resolved.id, /was resolved by API: fixed by restart/).length, 1);
});

test('a worker stopped between creation and breach, and a new one started on the same queues, still escalates once', async () => {
  const prefix = `t-${randomUUID().slice(0, 8)}`;
  // This file's main app shares the database under another queue prefix: its sweep would find
  // the ticket's timer missing from its own queues and fire it itself. One deployment is one
  // prefix; pause that sweep while two deployments share the database here.
  const sweepQueue = t.app.deps.queues.queue('tickets-sweep');
  await sweepQueue.pause();
  const s1 = new FakePlatformSender('terminal');
  const a = await startTestApp({ env: { A2D2_API_TOKEN: API_TOKEN, A2D2_QUEUE_PREFIX: prefix }, yaml: ticketsYaml(), modules: [{ name: 'recorder', sender: s1 }] });
  const { id, ticket } = await createTicket(a.url, 'P0');
  await waitFor(() => card(s1, id), 'card from the first process');
  // Stop without clearing Redis: the delayed jobs stay for the next worker.
  await a.app.stop();
  await sleep(Math.max(0, Date.parse(ticket.sla.responseDueAt) - Date.now() + 500));
  const s2 = new FakePlatformSender('terminal');
  const b = await startTestApp({ env: { A2D2_API_TOKEN: API_TOKEN, A2D2_QUEUE_PREFIX: prefix }, yaml: ticketsYaml(), modules: [{ name: 'recorder', sender: s2 }] });
  try {
    await waitFor(() => at(s2, ESCALATE, id, /SLA breached/).length === 1, 'breach escalated by the restarted worker', 30_000);
    const thread = s2.delivered.filter((x) => x.ref.chatId === TRIAGE && /SLA breached/.test(x.reply.text) && x.reply.text.includes(`#${id} `));
    assert.equal(thread.length, 1);
    // It threads under the card the first process posted.
    assert.equal(thread[0]!.replyToMessageId, card(s1, id)!.messageId);
    await sleep(3000);
    assert.equal(at(s2, ESCALATE, id, /SLA breached/).length, 1, 'not twice');
    assert.equal(s1.delivered.filter((x) => /SLA breached/.test(x.reply.text) && x.reply.text.includes(`#${id} `)).length, 0);
  } finally {
    await b.stop();
    await sweepQueue.resume();
  }
});

test('a repeated intake whose first run died after the row queues the missing card and timer again, and only those', async () => {
  const key = `idem-${randomUUID()}`;
  const post = () =>
    fetch(`${t.url}/api/v1/tickets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify({ title: `Resumed intake ${randomUUID()}`, severity: 'P3' }),
    });
  const first = await post();
  assert.equal(first.status, 201);
  const id = ((await first.json()) as { ticket: { id: number } }).ticket.id;
  created.push(id);
  await waitFor(() => card(sender, id), 'first card');
  // A second press of the same intake while everything is in place stores nothing new.
  const db = t.app.deps.db;
  const cardRows = () => db.outboundMessage.count({ where: { messageKey: `ticket:${id}:card` } });
  assert.equal((await post()).status, 200);
  assert.equal(await cardRows(), 1);
  // Now leave the row as a worker killed right after the insert would: no card, no timer.
  const q = t.app.deps.queues.queue('tickets-sla');
  for (const j of await q.getDelayed()) if (j.data.ticketId === id) await j.remove();
  await db.outboundMessage.deleteMany({ where: { messageKey: `ticket:${id}:card` } });
  const posts = sender.delivered.filter((c) => c.ref.chatId === TRIAGE && c.reply.title?.startsWith(`#${id} `)).length;
  const again = await post();
  assert.equal(again.status, 200);
  assert.equal(((await again.json()) as { created: boolean }).created, false);
  assert.equal(await cardRows(), 1, 'the card is stored again');
  assert.equal((await q.getDelayed()).filter((j) => j.data.ticketId === id).length, 1, 'the timer is queued again');
  await waitFor(() => sender.delivered.filter((c) => c.ref.chatId === TRIAGE && c.reply.title?.startsWith(`#${id} `)).length > posts, 'card delivered again (an edit of the posted one)');
  assert.equal(await db.ticket.count({ where: { sourceKey: `api:${key}` } }), 1);
});

test('a lost timer job is caught by the sweep', async () => {
  const { id } = await createTicket(t.url, 'P0');
  // Lose every delayed job of this ticket, as if Redis had dropped them.
  const q = t.app.deps.queues.queue('tickets-sla');
  for (const j of await q.getDelayed()) if (j.data.ticketId === id) await j.remove();
  const [breach] = await waitFor(() => (at(sender, ESCALATE, id, /SLA breached/).length ? at(sender, ESCALATE, id, /SLA breached/) : null), 'breach found by the sweep', 45_000);
  assert.ok(breach);
  await sleep(2500);
  assert.equal(at(sender, ESCALATE, id, /SLA breached/).length, 1);
});

test('the SLA figures are on /metrics', async () => {
  const res = await fetch(`${t.url}/metrics`);
  const body = await res.text();
  assert.equal(res.status, 200);
  assert.match(body, /a2d2_tickets_open\{severity="P1"\} \d+/);
  assert.match(body, /a2d2_tickets_breached\{severity="P0"\} [1-9]/);
  assert.match(body, /a2d2_tickets_sla_compliance_ratio\{severity="P1",clock="response"\} [0-9.]+/);
});

test('a P0 suggested by triage pages nobody until a person confirms it; confirming pages what was held back', async () => {
  const r = await api(t.url, 'POST', '/api/v1/tickets', { title: `Production is down, nothing loads ${randomUUID()}` });
  assert.equal(r.status, 201);
  const id = r.json.ticket.id as number;
  created.push(id);
  assert.equal(r.json.ticket.severity, 'P0');
  assert.equal(r.json.ticket.severityConfirmed, false);
  const [breach] = await waitFor(() => (inThread(sender, id, /SLA breached/).length ? inThread(sender, id, /SLA breached/) : null), 'breach in the triage thread', 30_000);
  assert.doesNotMatch(breach!.reply.text, /@oncall/);
  assert.match(breach!.reply.context ?? '', /nobody was paged/);
  await sleep(1500);
  assert.equal(at(sender, ESCALATE, id, /SLA/).length, 0, 'the on-call destination was not paged');
  const c = await api(t.url, 'PATCH', `/api/v1/tickets/${id}`, { severity: 'P0' });
  assert.equal(c.status, 200);
  assert.equal(c.json.ticket.severityConfirmed, true);
  const [paged] = await waitFor(() => (at(sender, ESCALATE, id, /SLA breached/).length ? at(sender, ESCALATE, id, /SLA breached/) : null), 'paged after confirmation', 30_000);
  assert.match(paged!.reply.text, /^@oncall /);
  await sleep(2000);
  assert.equal(at(sender, ESCALATE, id, /SLA breached/).length, 1);
  assert.equal(inThread(sender, id, /SLA breached/).length, 1, 'the thread is not told twice');
});
