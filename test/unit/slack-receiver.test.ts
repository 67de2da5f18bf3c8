import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import Fastify, { type FastifyInstance } from 'fastify';
import { slackEventsRoute } from '../../bot/adapters/slack/slack-receiver.ts';
import { createSlackDispatcher } from '../../bot/adapters/slack/slack-dispatcher.ts';
import { silentLogger } from '../../services/logger.ts';
import type { InboundEvent } from '../../services/messaging/types.ts';
import { eventCallbackBody, interactivityBody, signSlackRequest, slashCommandBody } from '../helpers/fake-slack.ts';

const SECRET = 'unit-test-signing-secret';
const ingested: InboundEvent[] = [];
let failIngest = false;
let app: FastifyInstance;

before(async () => {
  app = Fastify({ bodyLimit: 1_048_576 });
  const dispatcher = createSlackDispatcher({
    ingest: async (e) => {
      if (failIngest) throw new Error('redis down');
      const dup = ingested.some((x) => x.platform === e.platform && x.eventId === e.eventId);
      if (!dup) ingested.push(e);
      return dup ? 'duplicate' : 'queued';
    },
    logger: silentLogger(),
    botUserId: () => 'UBOT0001',
  });
  await app.register(async (scope) => slackEventsRoute({ signingSecret: SECRET, dispatcher, clock: { now: () => new Date() }, logger: silentLogger(), bodyLimit: 64 * 1024 })(scope));
  // A sibling route with the server's ordinary JSON parser: the Slack parsers must not leak here.
  app.post('/echo', async (req) => ({ got: req.body }));
  await app.ready();
});
after(async () => {
  await app.close();
});

async function post(body: string, contentType: string, headers: Record<string, string> = signSlackRequest(SECRET, body)) {
  return app.inject({ method: 'POST', url: '/slack/events', payload: body, headers: { 'content-type': contentType, ...headers } });
}

const FORM = 'application/x-www-form-urlencoded';
const JSON_CT = 'application/json';

test('a signed slash command is acked with an empty 200 and ingested', async () => {
  const body = slashCommandBody({ command: '/a2d2', text: 'help', triggerId: 'unit-1' });
  const res = await post(body, FORM);
  assert.equal(res.statusCode, 200);
  assert.equal(res.body, '');
  const e = ingested.find((x) => x.eventId === 'cmd:unit-1');
  assert.ok(e && e.type === 'message' && e.command === 'a2d2' && e.text === 'help');
});

test('url_verification answers the challenge; ssl_check answers 200', async () => {
  const body = JSON.stringify({ token: 't', challenge: 'ch-123', type: 'url_verification' });
  const res = await post(body, JSON_CT);
  assert.equal(res.statusCode, 200);
  assert.deepEqual(res.json(), { challenge: 'ch-123' });
  const ssl = await post('ssl_check=1&token=t', FORM);
  assert.equal(ssl.statusCode, 200);
  assert.equal(ssl.body, '');
});

test('unsigned, stale, future, re-signed or altered requests get 401 with a reason and nothing is ingested', async () => {
  const count = ingested.length;
  const body = slashCommandBody({ command: '/a2d2', text: 'help', triggerId: 'unit-bad' });
  const now = Math.floor(Date.now() / 1000);
  const cases: [Record<string, string>, string, string][] = [
    [{}, body, 'missing signature headers'],
    [signSlackRequest('wrong-secret', body), body, 'signature mismatch'],
    [signSlackRequest(SECRET, body, now - 600), body, 'stale timestamp'],
    [signSlackRequest(SECRET, body, now + 600), body, 'future timestamp'],
    [signSlackRequest(SECRET, body), body.replace('help', 'admin'), 'signature mismatch'],
  ];
  for (const [headers, sent, reason] of cases) {
    const res = await post(sent, FORM, headers);
    assert.equal(res.statusCode, 401, reason);
    assert.deepEqual(res.json(), { error: 'invalid_signature', message: reason });
  }
  const challenge = JSON.stringify({ type: 'url_verification', challenge: 'x' });
  assert.equal((await post(challenge, JSON_CT, {})).statusCode, 401);
  assert.equal(ingested.length, count);
});

test('signed but malformed bodies get 400, never 5xx', async () => {
  const bad: [string, string][] = [
    ['{"type":', JSON_CT],
    ['[1,2,3]', JSON_CT],
    ['null', JSON_CT],
    ['payload=%7Bnot-json', FORM],
    ['payload=%5B%5D', FORM],
    ['', JSON_CT],
    [`${'['.repeat(30_000)}${']'.repeat(30_000)}`, JSON_CT],
    [`payload=${encodeURIComponent(`${'['.repeat(8_000)}${']'.repeat(8_000)}`)}`, FORM],
  ];
  for (const [body, ct] of bad) {
    const res = await post(body, ct);
    assert.equal(res.statusCode, 400, `${ct} ${body.slice(0, 20)}`);
  }
});

test('other content types get 415 and over-limit bodies 413, before any processing', async () => {
  const count = ingested.length;
  const res = await post('hello', 'text/plain');
  assert.equal(res.statusCode, 415);
  const big = `text=${'x'.repeat(70 * 1024)}`;
  const tooBig = await post(big, FORM);
  assert.equal(tooBig.statusCode, 413);
  assert.equal(ingested.length, count);
});

test('__proto__ keys in a signed payload do not reach any prototype', async () => {
  const payload = JSON.parse(
    '{"type":"block_actions","__proto__":{"polluted":1},"user":{"id":"U1","name":"a"},"channel":{"id":"C1"},"container":{"message_ts":"1.1"},"message":{"ts":"1.1"},"trigger_id":"proto-1","actions":[{"action_id":"x","value":"v","constructor":{"prototype":{"polluted":2}}}]}',
  ) as Record<string, unknown>;
  const res = await post(interactivityBody(payload), FORM);
  assert.equal(res.statusCode, 200);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.ok(ingested.some((e) => e.eventId === 'act:proto-1'));
});

test('an interactivity payload is unwrapped from the form and acked empty (closes a modal)', async () => {
  const payload = { type: 'view_submission', user: { id: 'U1' }, team: { id: 'T1' }, trigger_id: 'view-1', view: { id: 'V1', callback_id: 'cb', state: { values: {} } } };
  const res = await post(interactivityBody(payload), FORM);
  assert.equal(res.statusCode, 200);
  assert.equal(res.body, '');
  assert.ok(ingested.some((e) => e.eventId === 'view:view-1' && e.type === 'action' && e.actionId === 'cb'));
});

test('a redelivered event (retry headers) is acked and ingested once', async () => {
  const body = JSON.stringify(eventCallbackBody({ type: 'app_mention', user: 'U1', text: '<@UBOT0001> help', ts: '1.1', channel: 'C1' }, { eventId: 'EvUnitRetry' }));
  for (let i = 0; i < 3; i++) {
    const headers = { ...signSlackRequest(SECRET, body), ...(i > 0 ? { 'x-slack-retry-num': String(i), 'x-slack-retry-reason': 'http_timeout' } : {}) };
    const res = await post(body, JSON_CT, headers);
    assert.equal(res.statusCode, 200);
  }
  assert.equal(ingested.filter((e) => e.eventId === 'EvUnitRetry').length, 1);
});

test('ignored payloads (bot messages) are acked without ingesting', async () => {
  const count = ingested.length;
  const body = JSON.stringify(eventCallbackBody({ type: 'message', channel_type: 'im', user: 'U1', bot_id: 'B1', text: 'x', ts: '1.1', channel: 'D1' }));
  const res = await post(body, JSON_CT);
  assert.equal(res.statusCode, 200);
  assert.equal(ingested.length, count);
});

test('when ingest fails the delivery is not acked (503) so Slack redelivers', async () => {
  failIngest = true;
  try {
    const res = await post(slashCommandBody({ command: '/a2d2', text: 'help' }), FORM);
    assert.equal(res.statusCode, 503);
  } finally {
    failIngest = false;
  }
});

test('the Slack parsers stay inside their plugin', async () => {
  const res = await app.inject({ method: 'POST', url: '/echo', payload: { a: 1 } });
  assert.deepEqual(res.json(), { got: { a: 1 } });
  const form = await app.inject({ method: 'POST', url: '/echo', payload: 'a=1', headers: { 'content-type': FORM } });
  assert.equal(form.statusCode, 415);
});
