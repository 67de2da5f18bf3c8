/**
 * Acceptance: a worker SIGKILLed after Slack stored its post but before the answer came back
 * (so the row is still queued) does not make the card appear twice. The retry finds the post
 * by the delivery id in its message metadata, records it as sent with Slack's ts, and posts
 * nothing. A post never marked in flight is not looked up at all.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createDb, type Db } from '../../services/db.ts';
import { silentLogger } from '../../services/logger.ts';
import { createOutbound, OUTBOUND_QUEUE } from '../../services/messaging/outbound.service.ts';
import { Queues } from '../../services/queues.ts';
import { outboundQueueJobSchema } from '../../bot/outbound/sender.processor.ts';
import { startTestApp, TEST_DATABASE_URL, TEST_REDIS_URL } from '../helpers/app.ts';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack.ts';
import { waitFor } from '../helpers/wait.ts';

let db: Db;
let slack: FakeSlack;
before(async () => {
  db = createDb(TEST_DATABASE_URL, { max: 5 });
  slack = await startFakeSlack();
});
after(async () => {
  await slack.close();
  await db.$disconnect();
});

test('a post Slack stored whose worker died before the answer is recorded from the history, not posted again', async () => {
  const run = randomUUID().slice(0, 8);
  const env = { A2D2_QUEUE_PREFIX: `t-lost-${run}`, SLACK_BOT_TOKEN: slack.token, SLACK_API_URL: slack.apiUrl, SLACK_SIGNING_SECRET: 'lost-secret' };
  const queues = new Queues({ redisUrl: TEST_REDIS_URL, prefix: env.A2D2_QUEUE_PREFIX, logger: silentLogger() });
  await queues.connect();
  queues.register({ name: OUTBOUND_QUEUE, schema: outboundQueueJobSchema });
  const port = createOutbound({ db, queues });
  const chatId = `CLOST${run}`.toUpperCase();
  const posts = (text: string) => slack.callsTo('chat.postMessage').filter((c) => c.args.text === text);
  let last: Awaited<ReturnType<typeof startTestApp>> | null = null;
  try {
    slack.hang('chat.postMessage', 1);
    const text = `lost-answer-${run}`;
    const id = await port.send({ ref: { platform: 'slack', chatId }, reply: { text }, messageKey: `card:${run}` });
    const worker = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../helpers/outbound-kill-worker.ts', import.meta.url))], {
      env: { ...process.env, OUT_KILL_ENV: JSON.stringify(env), OUT_KILL_YAML: '{}' },
      stdio: 'ignore',
    });
    await waitFor(() => posts(text).length === 1, 'the post reaching Slack', 60_000);
    const exited = new Promise((r) => worker.once('exit', r));
    worker.kill('SIGKILL');
    await exited;
    const stored = await db.outboundMessage.findUniqueOrThrow({ where: { id } });
    assert.equal(stored.status, 'queued', 'the dead worker never recorded it');

    // A second message to the same chat, never in flight: it is posted without a lookup.
    const next = `after-${run}`;
    await port.send({ ref: { platform: 'slack', chatId }, reply: { text: next } });
    const lookupsBefore = slack.callsTo('conversations.history').length;
    last = await startTestApp({ env, yaml: {}, role: 'worker' });
    await waitFor(async () => (await db.outboundMessage.count({ where: { chatId, status: 'queued' } })) === 0, 'both rows done', 120_000);
    const row = await db.outboundMessage.findUniqueOrThrow({ where: { id } });
    assert.equal(row.status, 'sent');
    assert.equal(posts(text).length, 1, 'not posted a second time');
    const history = slack.callsTo('conversations.history').slice(lookupsBefore);
    assert.equal(history.length, 1, 'one lookup, for the row that was in flight only');
    assert.equal(history[0]!.args.channel, chatId);
    // The row and the message key point at the message Slack stored on the first attempt.
    const posted = (await (await fetch(`${slack.apiUrl}conversations.history`, { method: 'POST', headers: { authorization: `Bearer ${slack.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ channel: chatId, include_all_metadata: true }) })).json()) as { messages: Array<{ ts: string; text: string; metadata?: { event_payload: { id: string } } }> };
    const first = posted.messages.find((m) => m.text === text)!;
    assert.equal(first.metadata?.event_payload.id, id, 'the post carries its delivery id');
    assert.equal(row.platformMessageId, first.ts);
    const link = await db.messageLink.findUniqueOrThrow({ where: { messageKey_platform_chatId: { messageKey: `card:${run}`, platform: 'slack', chatId } } });
    assert.equal(link.platformMessageId, first.ts);
    assert.equal(posts(next).length, 1);
  } finally {
    await last?.stop();
    await queues.close();
  }
});
