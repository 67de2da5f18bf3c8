/**
 * Acceptance: 2,000 alerts within one minute to one destination (a Slack channel and a
 * Telegram group): every alert is stored, the fake chat APIs see no more than ~1 message/s per
 * Slack channel and 20 messages/min per Telegram group (from their own timestamps), and a
 * digest message, updated in place, shows the count.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt, randomUUID } from 'node:crypto';
import type { TestApp } from '../helpers/app.ts';
import { startChatTestApp, type ChatTestApp } from '../helpers/chat-app.ts';
import type { FakeSlack } from '../helpers/fake-slack.ts';
import type { FakeTelegram } from '../helpers/fake-telegram.ts';
import { sleep, waitFor } from '../helpers/wait.ts';

const AM_TOKEN = `am-${randomUUID()}`;
const run = randomUUID().slice(0, 8);
const service = `storm-${run}`;
const channel = `CST${run.toUpperCase()}`;
const tgChat = `-100${randomInt(1e9, 2e9)}`;
const PAYLOADS = 100;
const PER_PAYLOAD = 20;

let chatApp: ChatTestApp;
let slack: FakeSlack;
let tg: FakeTelegram;
let t: TestApp;

before(async () => {
  chatApp = await startChatTestApp({
    env: { ALERTMANAGER_TOKEN: AM_TOKEN },
    yaml: {
      alerts: {
        routes: [{ match: { service }, destinations: [`slack:${channel}`, `telegram:${tgChat}`] }],
        storm: { thresholdPerMinute: 30, digestIntervalSeconds: 3 },
      },
    } as never,
  });
  ({ t, slack, tg } = chatApp);
});

after(async () => {
  await chatApp?.stop();
});

function payload(i: number) {
  const common = { alertname: `Storm${i}`, service, severity: 'warning', environment: 'production' };
  return {
    version: '4',
    groupKey: `{}:{alertname="Storm${i}",run="${run}"}`,
    status: 'firing',
    commonLabels: common,
    alerts: Array.from({ length: PER_PAYLOAD }, (_, j) => ({
      status: 'firing',
      labels: { ...common, instance: `node-${j}` },
      annotations: { summary: `node-${j} is unhappy` },
      startsAt: new Date().toISOString(),
      fingerprint: `${run}-${i}-${j}`,
    })),
  };
}

/** Largest number of calls inside any window of `windowMs` (by the fake's arrival times). */
function maxInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

test('2,000 alerts in a minute: all stored, chat limits kept, one digest shows the count', async () => {
  // Storm windows are calendar minutes: start early in one so the burst stays inside it.
  const second = new Date().getUTCSeconds();
  if (second > 35) await sleep((61 - second) * 1000);

  const queue = Array.from({ length: PAYLOADS }, (_, i) => i);
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
        const res = await fetch(`${t.url}/webhooks/alertmanager`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${AM_TOKEN}` },
          body: JSON.stringify(payload(i)),
        });
        assert.equal(res.status, 202);
        await res.arrayBuffer();
      }
    }),
  );
  const db = t.app.deps.db;
  const total = PAYLOADS * PER_PAYLOAD;
  assert.equal(await db.alert.count({ where: { group: { service } } }), total, 'every alert is stored');
  assert.equal(await db.alertGroup.count({ where: { service } }), PAYLOADS);

  const digestText = `${total} alerts in ${PAYLOADS} notifications`;
  const slackCalls = () => [...slack.callsTo('chat.postMessage'), ...slack.callsTo('chat.update')].filter((c) => c.args.channel === channel);
  const tgCalls = () => tg.calls.filter((c) => ['sendMessage', 'editMessageText'].includes(c.method) && String(c.payload.chat_id) === tgChat);
  await waitFor(() => slackCalls().some((c) => JSON.stringify(c.args).includes(digestText)), 'the Slack digest to show the count', 60_000);
  await waitFor(() => tgCalls().some((c) => JSON.stringify(c.payload).includes(digestText)), 'the Telegram digest to show the count', 90_000);

  const sTimes = slackCalls().map((c) => c.at);
  const tTimes = tgCalls().map((c) => c.at);
  // ~1 message/s per Slack channel, 20 messages/min per Telegram group. The sender takes its
  // slot before the HTTP call, so arrival times carry the calls' latency jitter: allow 250 ms
  // between two calls, and check the long-run rate over 10 s exactly.
  const gaps = (xs: number[]) => [...xs].sort((a, b) => a - b).map((x, i, a) => (i ? x - a[i - 1]! : 0)).join(',');
  assert.ok(maxInWindow(sTimes, 750) <= 1, `Slack: 2 calls within 750 ms (gaps ${gaps(sTimes)})`);
  assert.ok(maxInWindow(sTimes, 10_000) <= 10, `Slack: ${maxInWindow(sTimes, 10_000)} calls within 10 s`);
  assert.ok(maxInWindow(tTimes, 59_750) <= 20, `Telegram: ${maxInWindow(tTimes, 59_750)} calls within a minute (gaps ${gaps(tTimes)})`);
  assert.ok(maxInWindow(tTimes, 750) <= 1, `Telegram: 2 calls within 750 ms (gaps ${gaps(tTimes)})`);

  // One digest message per destination, edited in place; a handful of cards before the storm began.
  const slackPosts = slack.callsTo('chat.postMessage').filter((c) => c.args.channel === channel);
  const slackDigests = slackPosts.filter((c) => JSON.stringify(c.args).includes('Alert storm'));
  assert.equal(slackDigests.length, 1, 'one digest message in Slack');
  assert.ok(slackPosts.length <= 3, `Slack saw ${slackPosts.length} new messages for ${PAYLOADS} groups`);
  const tgPosts = tg.callsOf('sendMessage').filter((c) => String(c.payload.chat_id) === tgChat);
  assert.equal(tgPosts.filter((c) => JSON.stringify(c.payload).includes('Alert storm')).length, 1, 'one digest message in Telegram');
  assert.ok(tgPosts.length <= 3, `Telegram saw ${tgPosts.length} new messages`);
});
