import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { computeSlackSignature, verifySlackSignature } from '../../bot/adapters/slack/slack-signature.ts';
import { signSlackRequest } from '../helpers/fake-slack.ts';

const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const NOW_MS = 1_700_000_000_000;
const NOW_S = NOW_MS / 1000;
const BODY = 'token=x&team_id=T1&command=%2Fa2d2&text=help&trigger_id=1.2.3';

function check(body: string, headers: Record<string, string | undefined>, nowMs = NOW_MS) {
  return verifySlackSignature({
    signingSecret: SECRET,
    timestamp: headers['x-slack-request-timestamp'],
    signature: headers['x-slack-signature'],
    rawBody: Buffer.from(body),
    nowMs,
  });
}

test('signature matches the documented v0 scheme', () => {
  const expected = `v0=${createHmac('sha256', SECRET).update(`v0:${NOW_S}:${BODY}`).digest('hex')}`;
  assert.equal(computeSlackSignature(SECRET, NOW_S, BODY), expected);
  assert.equal(computeSlackSignature(SECRET, NOW_S, Buffer.from(BODY)), expected);
});

test('a correctly signed request passes', () => {
  assert.deepEqual(check(BODY, signSlackRequest(SECRET, BODY, NOW_S)), { ok: true });
});

test('a request signed with another secret is refused', () => {
  assert.deepEqual(check(BODY, signSlackRequest('another-secret', BODY, NOW_S)), { ok: false, reason: 'signature mismatch' });
});

test('a body altered after signing is refused', () => {
  const headers = signSlackRequest(SECRET, BODY, NOW_S);
  assert.deepEqual(check(BODY.replace('help', 'hel p'), headers), { ok: false, reason: 'signature mismatch' });
  assert.deepEqual(check(`${BODY}&x=1`, headers), { ok: false, reason: 'signature mismatch' });
});

test('a timestamp changed after signing is refused', () => {
  const headers = signSlackRequest(SECRET, BODY, NOW_S);
  assert.deepEqual(check(BODY, { ...headers, 'x-slack-request-timestamp': String(NOW_S + 1) }), { ok: false, reason: 'signature mismatch' });
});

test('stale timestamps (more than 5 minutes old) are refused even when correctly signed', () => {
  const ts = NOW_S - 301;
  assert.deepEqual(check(BODY, signSlackRequest(SECRET, BODY, ts)), { ok: false, reason: 'stale timestamp' });
  assert.deepEqual(check(BODY, signSlackRequest(SECRET, BODY, NOW_S - 3600)), { ok: false, reason: 'stale timestamp' });
});

test('future timestamps (more than 5 minutes ahead) are refused even when correctly signed', () => {
  assert.deepEqual(check(BODY, signSlackRequest(SECRET, BODY, NOW_S + 301)), { ok: false, reason: 'future timestamp' });
  assert.deepEqual(check(BODY, signSlackRequest(SECRET, BODY, NOW_S + 86_400)), { ok: false, reason: 'future timestamp' });
});

test('timestamps within 5 minutes either way pass', () => {
  assert.deepEqual(check(BODY, signSlackRequest(SECRET, BODY, NOW_S - 299)), { ok: true });
  assert.deepEqual(check(BODY, signSlackRequest(SECRET, BODY, NOW_S + 299)), { ok: true });
});

test('missing or malformed headers are refused with a reason', () => {
  const good = signSlackRequest(SECRET, BODY, NOW_S);
  assert.deepEqual(check(BODY, {}), { ok: false, reason: 'missing signature headers' });
  assert.deepEqual(check(BODY, { 'x-slack-signature': good['x-slack-signature'] }), { ok: false, reason: 'missing signature headers' });
  assert.deepEqual(check(BODY, { ...good, 'x-slack-request-timestamp': '17e8' }), { ok: false, reason: 'malformed timestamp' });
  assert.deepEqual(check(BODY, { ...good, 'x-slack-request-timestamp': '-5' }), { ok: false, reason: 'malformed timestamp' });
  assert.deepEqual(check(BODY, { ...good, 'x-slack-signature': 'v1=abc' }), { ok: false, reason: 'malformed signature' });
  assert.deepEqual(check(BODY, { ...good, 'x-slack-signature': good['x-slack-signature']!.toUpperCase() }), { ok: false, reason: 'malformed signature' });
  assert.deepEqual(check(BODY, { ...good, 'x-slack-signature': `${good['x-slack-signature']}00` }), { ok: false, reason: 'malformed signature' });
});

test('an empty body is verified like any other', () => {
  assert.deepEqual(check('', signSlackRequest(SECRET, '', NOW_S)), { ok: true });
  assert.deepEqual(check('', signSlackRequest(SECRET, 'x', NOW_S)), { ok: false, reason: 'signature mismatch' });
});
