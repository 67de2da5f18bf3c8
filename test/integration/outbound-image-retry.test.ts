/**
 * A chart upload whose worker was SIGKILLed after Slack shared the file but before the answer
 * came back (the row still queued, its in-flight marker left in Redis) is not uploaded or
 * shared again by the retry: the retry finds the share in the history by the row id in the
 * file name and records the row as sent with that file's id.
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
import { renderBarChartSvg } from '../../services/charts/bar-chart-svg.ts';
import { createPngRenderer } from '../../services/charts/png-renderer.ts';
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

test('a chart shared on Slack whose worker died before the answer is recorded from the history, not uploaded again', async () => {
  const run = randomUUID().slice(0, 8);
  const env = { A2D2_QUEUE_PREFIX: `t-img-${run}`, SLACK_BOT_TOKEN: slack.token, SLACK_API_URL: slack.apiUrl, SLACK_SIGNING_SECRET: 'img-secret' };
  const queues = new Queues({ redisUrl: TEST_REDIS_URL, prefix: env.A2D2_QUEUE_PREFIX, logger: silentLogger() });
  await queues.connect();
  queues.register({ name: OUTBOUND_QUEUE, schema: outboundQueueJobSchema });
  const port = createOutbound({ db, queues });
  const chatId = `CIMG${run}`.toUpperCase();
  const png = await createPngRenderer({ logger: silentLogger() }).render(renderBarChartSvg({ title: 'SLA', categories: ['W1'], panels: [{ title: 'Response', max: 100, unit: '%', series: [{ name: 'P1', color: '#c00', values: [80] }] }], noData: '-' }).svg);
  assert.ok(png);
  const shares = () => slack.callsTo('files.completeUploadExternal').filter((c) => c.args.channel_id === chatId);
  let last: Awaited<ReturnType<typeof startTestApp>> | null = null;
  try {
    slack.hang('files.completeUploadExternal', 1);
    const id = await port.send({ ref: { platform: 'slack', chatId }, reply: { text: `chart-${run}`, image: { name: 'sla.png', alt: 'chart', mimeType: 'image/png', dataBase64: png.toString('base64') } } });
    const worker = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../helpers/outbound-kill-worker.ts', import.meta.url))], {
      env: { ...process.env, OUT_KILL_ENV: JSON.stringify(env), OUT_KILL_YAML: '{}' },
      stdio: 'ignore',
    });
    await waitFor(() => shares().length === 1, 'the share reaching Slack', 60_000);
    const exited = new Promise((r) => worker.once('exit', r));
    worker.kill('SIGKILL');
    await exited;
    assert.equal((await db.outboundMessage.findUniqueOrThrow({ where: { id } })).status, 'queued', 'the dead worker never recorded it');
    const uploadsBefore = slack.uploads.filter((u) => u.filename.includes(id)).length;
    assert.equal(uploadsBefore, 1);

    const lookupsBefore = slack.callsTo('conversations.history').length;
    last = await startTestApp({ env, yaml: {}, role: 'worker' });
    await waitFor(async () => (await db.outboundMessage.findUniqueOrThrow({ where: { id } })).status !== 'queued', 'the retry', 120_000);
    const row = await db.outboundMessage.findUniqueOrThrow({ where: { id } });
    assert.equal(row.status, 'sent');
    assert.equal(shares().length, 1, 'not shared a second time');
    assert.equal(slack.uploads.filter((u) => u.filename.includes(id)).length, 1, 'not uploaded a second time');
    assert.equal(slack.callsTo('files.getUploadURLExternal').filter((c) => String(c.args.filename).includes(id)).length, 1, 'no second upload URL asked for');
    assert.ok(slack.callsTo('conversations.history').slice(lookupsBefore).some((c) => c.args.channel === chatId), 'the retry looked the share up');
    const files = shares()[0]!.args.files as Array<{ id: string }>;
    assert.equal(row.platformMessageId, files[0]!.id, 'recorded with the shared file id');
  } finally {
    await last?.stop();
    await queues.close();
  }
});
