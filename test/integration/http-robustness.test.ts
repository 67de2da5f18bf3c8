import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import type { TestApp } from '../helpers/app.ts';
import { type FakeSlack, signSlackRequest } from '../helpers/fake-slack.ts';
import type { FakeTelegram } from '../helpers/fake-telegram.ts';
import { startChatTestApp, type ChatTestApp } from '../helpers/chat-app.ts';

// 1,000 malformed requests spread over every POST route: each must get a 4xx with a reason,
// never a 5xx, and the process must stay ready and keep working.
let chat: ChatTestApp;
let t: TestApp;
let slack: FakeSlack;
let tg: FakeTelegram;
let SECRET = '';
let TG_SECRET = '';

before(async () => {
  chat = await startChatTestApp({
    env: { GITHUB_WEBHOOK_SECRET: 'gh-secret-robustness', ALERTMANAGER_TOKEN: 'am-token-robustness', A2D2_API_TOKEN: 'api-token-robustness' },
    // The global rate limit would turn this flood into 429s; here we test parsing, not limiting.
    yaml: { http: { rateLimitPerMinute: 100_000, webhookAuthFailuresPerMinute: 1_000_000 } },
  });
  ({ t, slack, tg, slackSecret: SECRET, tgSecret: TG_SECRET } = chat);
});
after(async () => chat.stop());

function send(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = request({ host: u.hostname, port: u.port, path: u.pathname, method: opts.method ?? 'POST', headers: opts.headers ?? {} }, (res) => {
      let data = '';
      res.on('data', (c) => (data += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
    });
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
const big = Buffer.alloc(3 * 1024 * 1024, 'a');

/** Malformed bodies, each with the headers that make it reach the route's parser. */
function malformed(route: string, i: number): { headers: Record<string, string>; body: string | Buffer } {
  const authed: Record<string, string> = {
    authorization: route.startsWith('/webhooks/alertmanager') ? 'Bearer am-token-robustness' : 'Bearer api-token-robustness',
    'x-telegram-bot-api-secret-token': TG_SECRET,
  };
  const slackSigned = (body: string, type: string) => ({ ...signSlackRequest(SECRET, body), 'content-type': type });
  const cases: (() => { headers: Record<string, string>; body: string | Buffer })[] = [
    () => ({ headers: { ...authed, 'content-type': 'application/json' }, body: '{"broken": ' }),
    () => ({ headers: { ...authed, 'content-type': 'text/plain' }, body: 'hello' }),
    () => ({ headers: { ...authed, 'content-type': 'application/json' }, body: big }),
    () => ({ headers: { ...authed, 'content-type': 'application/json' }, body: deep(5000) }),
    () => ({ headers: { ...authed, 'content-type': 'application/json' }, body: '{"__proto__": {"admin": true}, "update_id": 1}' }),
    () => ({ headers: { ...authed, 'content-type': 'application/json' }, body: '{"constructor": {"prototype": {"x": 1}}}' }),
    () => ({ headers: { ...authed, 'content-type': 'application/json' }, body: '' }),
    () => ({ headers: { ...authed, 'content-type': 'application/json' }, body: 'null' }),
    () => ({ headers: { ...authed, 'content-type': 'application/json' }, body: '[1,2,3]' }),
    () => ({ headers: { ...authed, 'content-type': 'application/x-www-form-urlencoded' }, body: '%%%=&&=' }),
    // Signed but malformed, so the Slack route's parser is reached too.
    () => ({ headers: slackSigned('{"type": ', 'application/json'), body: '{"type": ' }),
    () => ({ headers: slackSigned('payload=%7Bnot-json', 'application/x-www-form-urlencoded'), body: 'payload=%7Bnot-json' }),
    () => ({ headers: slackSigned('{"__proto__":{"x":1},"type":"event_callback"}', 'application/json'), body: '{"__proto__":{"x":1},"type":"event_callback"}' }),
  ];
  return cases[i % cases.length]!();
}

test('1,000 malformed requests across the POST routes: 4xx, never 5xx, still ready', async () => {
  const server = t.app.server!;
  const candidates = [
    '/slack/events',
    '/telegram/webhook',
    '/webhooks/alertmanager',
    '/webhooks/grafana',
    '/webhooks/github',
    '/webhooks/deploy',
    '/api/v1/tickets',
    '/api/v1/documents',
    '/api/v1/processes/smoke-test/runs',
  ];
  const routes = candidates.filter((url) => server.hasRoute({ method: 'POST', url: url.replace('/smoke-test/', '/:name/') }));
  assert.ok(routes.includes('/slack/events') && routes.includes('/telegram/webhook'), `routes: ${routes.join(', ')}`);
  const statuses = new Map<number, number>();
  const fivexx: string[] = [];
  const N = 1000;
  let next = 0;
  async function worker() {
    while (next < N) {
      const i = next++;
      const route = routes[i % routes.length]!;
      const { headers, body } = malformed(route, Math.floor(i / routes.length));
      const res = await send(`${t.url}${route}`, { headers, body });
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status >= 500 || res.status < 400) fivexx.push(`${route} #${i} -> ${res.status} ${res.body.slice(0, 120)}`);
    }
  }
  await Promise.all(Array.from({ length: 16 }, worker));
  console.log(`# statuses over ${N} malformed requests to ${routes.length} routes: ${JSON.stringify(Object.fromEntries(statuses))}`);
  assert.deepEqual(fivexx.slice(0, 10), [], 'every malformed request gets a 4xx');
  const ready = await send(`${t.url}/readyz`, { method: 'GET' });
  assert.equal(ready.status, 200);
  // Nothing malformed reached the chats.
  assert.equal(slack.callsTo('chat.postMessage').length, 0);
  assert.equal(tg.callsOf('sendMessage').length, 0);
  assert.equal(({} as Record<string, unknown>).admin, undefined, 'no prototype pollution');
});
