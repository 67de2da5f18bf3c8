/**
 * A webhook route whose secret is unset is not registered: 404, and one "off" line each in the log.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;

before(async () => {
  t = await startTestApp({ role: 'http', env: { ALERTMANAGER_TOKEN: undefined, GITHUB_WEBHOOK_SECRET: undefined, A2D2_API_TOKEN: undefined } });
});

after(async () => {
  await t?.stop();
});

test('routes without their secret are off', async () => {
  for (const path of ['/webhooks/alertmanager', '/webhooks/grafana', '/webhooks/github', '/webhooks/deploy']) {
    const res = await fetch(`${t.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer x' }, body: '{}' });
    assert.equal(res.status, 404, path);
    await res.arrayBuffer();
    assert.equal(t.logs.filter((l) => l.includes(`${path} off (`)).length, 1, `one log line for ${path}`);
  }
});
