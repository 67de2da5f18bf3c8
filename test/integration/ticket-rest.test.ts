/**
 * REST /api/v1/tickets: bearer auth, JSON schemas whose 400s name the field, idempotent
 * create, read, and lifecycle changes through PATCH.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from '../helpers/app.ts';

const TOKEN = `api-${randomUUID()}`;
let t: TestApp;
const created: number[] = [];

before(async () => {
  t = await startTestApp({ env: { A2D2_API_TOKEN: TOKEN } });
});
after(async () => {
  await t.app.deps.db.ticket.deleteMany({ where: { id: { in: created } } });
  await t?.stop();
});

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${t.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  return { status: res.status, json: (await res.json()) as Record<string, any> };
}

test('a bad severity, a missing title or an unknown field get a 400 naming the field, and nothing is written', async () => {
  const p9 = await call('POST', '/api/v1/tickets', { title: 'Checkout is slow', severity: 'P9' });
  assert.equal(p9.status, 400);
  assert.equal(p9.json.field, 'severity');
  assert.match(p9.json.message, /severity.*P0, P1, P2, P3/);
  const noTitle = await call('POST', '/api/v1/tickets', { severity: 'P1' });
  assert.equal(noTitle.status, 400);
  assert.equal(noTitle.json.field, 'title');
  assert.match(noTitle.json.message, /missing required field "title"/);
  const unknown = await call('POST', '/api/v1/tickets', { title: 'Checkout is slow', priority: 'high' });
  assert.equal(unknown.status, 400);
  assert.equal(unknown.json.field, 'priority');
  assert.match(unknown.json.message, /unknown field "priority"/);
  const wrongType = await call('POST', '/api/v1/tickets', { title: 42 });
  assert.equal(wrongType.status, 400);
  assert.equal(wrongType.json.field, 'title');
  const patchUnknown = await call('PATCH', '/api/v1/tickets/1', { state: 'resolved' });
  assert.equal(patchUnknown.status, 400);
  assert.equal(patchUnknown.json.field, 'state');
  const badJson = await call('POST', '/api/v1/tickets', '{"title": ');
  assert.equal(badJson.status, 400);
  const rows = await t.app.deps.db.ticket.findMany({ where: { title: 'Checkout is slow', createdAt: { gte: new Date(Date.now() - 60_000) } } });
  assert.equal(rows.length, 0);
});

test('without the bearer token every route is 401', async () => {
  for (const [method, path] of [['GET', '/api/v1/tickets'], ['POST', '/api/v1/tickets'], ['GET', '/api/v1/tickets/1'], ['PATCH', '/api/v1/tickets/1']] as const) {
    const res = await fetch(`${t.url}${path}`, { method, headers: { authorization: 'Bearer wrong', 'content-type': 'application/json' }, ...(method === 'GET' ? {} : { body: '{}' }) });
    assert.equal(res.status, 401, `${method} ${path}`);
  }
});

test('create (triage suggests and explains), idempotent retry, read, and lifecycle through PATCH', async () => {
  const key = randomUUID();
  const title = `Payments ${randomUUID().slice(0, 6)}: prod is down, nothing loads`;
  const a = await call('POST', '/api/v1/tickets', { title, description: 'since 10:00', component: 'checkout' }, { 'idempotency-key': key });
  assert.equal(a.status, 201);
  created.push(a.json.ticket.id);
  assert.equal(a.json.ticket.severity, 'P0');
  assert.equal(a.json.ticket.severityConfirmed, false, 'a suggested P0 waits for a person');
  assert.match(a.json.triage.reason, /outage/);
  const again = await call('POST', '/api/v1/tickets', { title, description: 'since 10:00', component: 'checkout' }, { 'idempotency-key': key });
  assert.equal(again.status, 200);
  assert.equal(again.json.created, false);
  assert.equal(again.json.ticket.id, a.json.ticket.id);
  assert.equal(await t.app.deps.db.ticket.count({ where: { title } }), 1);
  const id = a.json.ticket.id as number;
  const got = await call('GET', `/api/v1/tickets/${id}`);
  assert.equal(got.status, 200);
  assert.equal(got.json.ticket.component, 'checkout');
  assert.equal(got.json.events[0].kind, 'created');
  assert.equal((await call('GET', '/api/v1/tickets/999999999')).status, 404);
  const sev = await call('PATCH', `/api/v1/tickets/${id}`, { severity: 'P1', assignee: 'Dana' });
  assert.equal(sev.status, 200);
  assert.equal(sev.json.ticket.severity, 'P1');
  assert.equal(sev.json.ticket.severityConfirmed, true);
  assert.equal(sev.json.ticket.assignee, 'Dana');
  assert.equal(sev.json.ticket.status, 'in_progress');
  assert.ok(sev.json.ticket.acknowledgedAt);
  const res = await call('PATCH', `/api/v1/tickets/${id}`, { status: 'resolved', note: 'rolled back' });
  assert.equal(res.json.ticket.status, 'resolved');
  const twice = await call('PATCH', `/api/v1/tickets/${id}`, { status: 'resolved' });
  assert.equal(twice.status, 409);
  assert.match(twice.json.message, /already resolved/);
  const list = await call('GET', '/api/v1/tickets?view=all&severity=P1&limit=200');
  assert.ok(list.json.tickets.some((x: { id: number }) => x.id === id));
  const badQuery = await call('GET', '/api/v1/tickets?sort=id');
  assert.equal(badQuery.status, 400);
  assert.equal(badQuery.json.field, 'sort');
});
