import { test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { telegramWebhookRoute, invalidUpdateReason } from '../../bot/adapters/telegram/telegram-webhook.route.ts';
import { silentLogger } from '../../services/logger.ts';

const SECRET = 'S3cret_token-for-tests';

async function server(onUpdate: (u: Record<string, unknown>) => Promise<'queued' | 'duplicate' | 'ignored'>) {
  const app = Fastify({ onProtoPoisoning: 'error' });
  await app.register(telegramWebhookRoute({ secret: SECRET, onUpdate, logger: silentLogger(), bodyLimit: 4096 }));
  return app;
}

test('telegram webhook route: missing secret -> 401, wrong secret -> 403, nothing handed on', async () => {
  const seen: unknown[] = [];
  const app = await server(async (u) => {
    seen.push(u);
    return 'queued';
  });
  try {
    const body = { update_id: 1, message: { text: 'hi' } };
    const missing = await app.inject({ method: 'POST', url: '/telegram/webhook', payload: body });
    assert.equal(missing.statusCode, 401);
    assert.match(missing.json().reason, /missing/);
    const wrong = await app.inject({ method: 'POST', url: '/telegram/webhook', payload: body, headers: { 'x-telegram-bot-api-secret-token': `${SECRET}x` } });
    assert.equal(wrong.statusCode, 403);
    const shortWrong = await app.inject({ method: 'POST', url: '/telegram/webhook', payload: body, headers: { 'x-telegram-bot-api-secret-token': 'a' } });
    assert.equal(shortWrong.statusCode, 403);
    assert.equal(seen.length, 0);
  } finally {
    await app.close();
  }
});

test('telegram webhook route: the right secret and a valid update -> 200 and the update is handed on', async () => {
  const seen: Record<string, unknown>[] = [];
  const app = await server(async (u) => {
    seen.push(u);
    return 'queued';
  });
  try {
    const res = await app.inject({ method: 'POST', url: '/telegram/webhook', payload: { update_id: 5, message: { text: 'x' } }, headers: { 'x-telegram-bot-api-secret-token': SECRET } });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().outcome, 'queued');
    assert.deepEqual(seen, [{ update_id: 5, message: { text: 'x' } }]);
  } finally {
    await app.close();
  }
});

test('telegram webhook route: bad bodies get 4xx with a reason and are not handed on', async () => {
  const seen: unknown[] = [];
  const app = await server(async (u) => {
    seen.push(u);
    return 'queued';
  });
  const headers = { 'x-telegram-bot-api-secret-token': SECRET, 'content-type': 'application/json' };
  try {
    const cases: [string, number][] = [
      ['{"update_id":"7"}', 400],
      ['{"update_id":1.5}', 400],
      ['{"update_id":-1}', 400],
      ['{"message":{}}', 400],
      ['[1,2]', 400],
      ['{not json', 400],
      ['{"update_id":1,"__proto__":{"x":1}}', 400],
      [JSON.stringify({ update_id: 1, pad: 'x'.repeat(5000) }), 413],
    ];
    for (const [payload, status] of cases) {
      const res = await app.inject({ method: 'POST', url: '/telegram/webhook', payload, headers });
      assert.equal(res.statusCode, status, payload.slice(0, 40));
    }
    const text = await app.inject({ method: 'POST', url: '/telegram/webhook', payload: 'update_id=1', headers: { ...headers, 'content-type': 'text/plain' } });
    assert.equal(text.statusCode, 415);
    assert.equal(seen.length, 0);
    assert.equal(invalidUpdateReason({ update_id: 'x' }), 'update_id must be a non-negative integer');
  } finally {
    await app.close();
  }
});

test('telegram webhook route: when the update cannot be stored the answer is 503, so Telegram redelivers', async () => {
  const app = await server(async () => {
    throw new Error('redis down');
  });
  try {
    const res = await app.inject({ method: 'POST', url: '/telegram/webhook', payload: { update_id: 9 }, headers: { 'x-telegram-bot-api-secret-token': SECRET } });
    assert.equal(res.statusCode, 503);
    assert.match(res.json().reason, /retry/);
  } finally {
    await app.close();
  }
});
