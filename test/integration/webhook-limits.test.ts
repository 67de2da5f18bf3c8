import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startChatTestApp } from '../helpers/chat-app.ts';
import { signSlackRequest, slashCommandBody } from '../helpers/fake-slack.ts';

test('an address that keeps failing webhook verification is refused with 429; verified deliveries are never throttled', async () => {
  const chat = await startChatTestApp({ yaml: { http: { webhookAuthFailuresPerMinute: 5, rateLimitPerMinute: 10 } } });
  try {
    const url = `${chat.t.url}/slack/events`;
    const body = slashCommandBody({ command: '/a2d2', text: 'help' });
    // Far more verified deliveries than the REST rate limit allows: none is throttled.
    for (let i = 0; i < 25; i++) {
      const ok = slashCommandBody({ command: '/a2d2', text: 'whoami', triggerId: `trig-${i}-${Date.now()}` });
      const res = await fetch(url, { method: 'POST', headers: { ...signSlackRequest(chat.slackSecret, ok), 'content-type': 'application/x-www-form-urlencoded' }, body: ok });
      assert.equal(res.status, 200, `verified delivery ${i}`);
    }
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await fetch(url, { method: 'POST', headers: { ...signSlackRequest('wrong-secret', body), 'content-type': 'application/x-www-form-urlencoded' }, body });
      statuses.push(res.status);
    }
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429, 429]);
    const ready = await fetch(`${chat.t.url}/readyz`);
    assert.equal(ready.status, 200);
  } finally {
    await chat.stop();
  }
});
