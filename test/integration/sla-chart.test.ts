/**
 * `sla` answers with its figures and a PNG chart, through the real routes and the outbound
 * worker: a signed Slack slash command makes the fake Slack receive the figures
 * (chat.postMessage) and the chart as an uploaded file shared into the chat
 * (files.getUploadURLExternal, the upload, files.completeUploadExternal); a Telegram update
 * with the secret header makes the fake Telegram receive the figures and a multipart
 * sendPhoto. The weekly report schedule posts both to its configured chat, once per firing.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt, randomUUID } from 'node:crypto';
import type { YamlConfig } from '../../services/config.ts';
import { startChatTestApp, type ChatTestApp } from '../helpers/chat-app.ts';
import { slashCommandBody } from '../helpers/fake-slack.ts';
import { privateTextUpdate } from '../helpers/telegram-updates.ts';
import { waitFor } from '../helpers/wait.ts';
import { SLA_REPORT_SCHEDULE, TICKETS_SLA_REPORT_QUEUE } from '../../features/tickets/sla-report.ts';

const REPORT_CHAT = randomInt(100_000_000, 900_000_000);
let chat: ChatTestApp;

before(async () => {
  chat = await startChatTestApp({
    yaml: { tickets: { slaReport: { cron: '*/4 * * * * *', days: 14, chats: [{ platform: 'telegram', chatId: String(REPORT_CHAT), locale: 'ru' }] } } } as unknown as Partial<YamlConfig>,
  });
  // Figures to draw: tickets of this week, one acknowledged in time.
  const tickets = chat.t.app.deps.tickets;
  const a = await tickets.create({ title: `Disk full ${randomUUID().slice(0, 6)}`, severity: 'P1', source: 'api' });
  await tickets.create({ title: `Login slow ${randomUUID().slice(0, 6)}`, severity: 'P2', source: 'api' });
  await tickets.acknowledge(a.ticket.id, { userId: null, name: 'Operator' });
});
after(async () => {
  await chat?.stop();
});

/** Checks the PNG signature and IHDR; returns the image size. */
function assertPng(bytes: Buffer): { width: number; height: number } {
  assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  assert.equal(bytes.subarray(12, 16).toString('latin1'), 'IHDR', 'IHDR first');
  const size = { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  assert.ok(size.width >= 600 && size.width <= 4000 && size.height >= 300 && size.height <= 3000, `plausible size ${size.width}x${size.height}`);
  assert.ok(bytes.length > 2048, `more than 2 KB (${bytes.length})`);
  return size;
}

test('Slack: sla posts the figures and uploads the chart into the chat', async () => {
  const channel = `CSLA${randomUUID().slice(0, 6).toUpperCase()}`;
  await chat.postSlack(slashCommandBody({ command: '/a2d2', text: 'sla 14', channel }), 'application/x-www-form-urlencoded');
  const share = await waitFor(() => chat.slack.callsTo('files.completeUploadExternal').find((c) => c.args.channel_id === channel), 'the chart shared into the chat', 30_000);
  const figures = chat.slack.callsTo('chat.postMessage').find((c) => c.args.channel === channel);
  assert.ok(figures, 'the figures were posted');
  const figuresText = `${String(figures.args.text)} ${JSON.stringify(figures.args.blocks)}`;
  assert.match(figuresText, /SLA, last 14 days/);
  assert.match(figuresText, /P1 \(\d+\)/);
  assert.ok(figures.at <= share.at, 'figures first, then the chart');

  const files = share.args.files as Array<{ id: string; title: string }>;
  assert.equal(files.length, 1);
  assert.match(String(share.args.initial_comment), /SLA compliance per week and severity, last 14 days/);
  const upload = chat.slack.uploads.find((u) => u.fileId === files[0]!.id);
  assert.ok(upload, 'the bytes went to the upload URL of that file');
  assertPng(upload.bytes);
  const announce = chat.slack.callsTo('files.getUploadURLExternal').find((c) => String(c.args.filename) === upload.filename)!;
  assert.equal(Number(announce.args.length), upload.bytes.length, 'announced length is the real one');
  assert.match(String(announce.args.alt_text), /Bar chart/);

  // The row names the outbound row in the file name and records the file id once the worker
  // has read Slack's answer (the fake sees the share a moment before the row is updated).
  const row = await waitFor(
    () => chat.t.app.deps.db.outboundMessage.findFirst({ where: { chatId: channel, platformMessageId: files[0]!.id } }),
    'the outbound row records the file id',
    15_000,
  );
  assert.equal(row.status, 'sent');
  assert.ok(upload.filename.includes(row.id), `file name ${upload.filename} carries the row id`);
});

test('Telegram: sla sends the figures and the chart as a multipart photo, in Russian', async () => {
  const chatId = randomInt(100_000_000, 900_000_000);
  await chat.postTelegram(privateTextUpdate(chatId, '/sla 14', { languageCode: 'ru' }));
  const photo = await chat.tg.waitForCall('sendPhoto', (c) => String(c.payload.chat_id) === String(chatId), 30_000);
  const figures = chat.tg.callsOf('sendMessage').find((c) => String(c.payload.chat_id) === String(chatId));
  assert.ok(figures, 'the figures were sent');
  assert.match(String(figures.payload.text), /SLA за 14 дн\./);
  assert.match(String(figures.payload.text), /P1 \(\d+\)/);
  assert.ok(figures.at <= photo.at);
  assert.ok(photo.files?.photo, 'the photo came as a multipart file');
  assertPng(photo.files.photo.bytes);
  assert.match(photo.files.photo.filename, /\.png$/);
  assert.match(String(photo.payload.caption), /Соблюдение SLA по неделям и уровням за 14 дн\./);
  assert.equal(photo.payload.parse_mode, 'HTML');
});

test('the weekly report schedule posts the figures and the chart to its chat, once per firing', async () => {
  const scheduler = await chat.t.app.deps.queues.queue(TICKETS_SLA_REPORT_QUEUE).getJobScheduler(SLA_REPORT_SCHEDULE);
  assert.equal(scheduler?.pattern, '*/4 * * * * *');
  assert.equal(scheduler?.tz, 'Europe/Moscow');
  // The schedule fires by itself.
  const photo = await chat.tg.waitForCall('sendPhoto', (c) => String(c.payload.chat_id) === String(REPORT_CHAT), 45_000);
  assertPng(photo.files!.photo!.bytes);
  const figures = chat.tg.callsOf('sendMessage').find((c) => String(c.payload.chat_id) === String(REPORT_CHAT));
  assert.match(String(figures?.payload.text), /Еженедельный отчёт SLA за 14 дн\./);

  // One firing run twice (a retried job) posts once.
  const queue = chat.t.app.deps.queues.queue(TICKETS_SLA_REPORT_QUEUE);
  const jobId = `report-again-${randomUUID().slice(0, 8)}`;
  const first = await queue.add('sla-report', {}, { jobId });
  const done = await waitFor(async () => ((await queue.getJob(jobId))?.returnvalue as Record<string, string> | undefined) ?? null, 'the first run', 30_000);
  assert.equal(done[`telegram:${REPORT_CHAT}`], 'posted');
  await first.remove();
  await queue.add('sla-report', {}, { jobId });
  const again = await waitFor(async () => ((await queue.getJob(jobId))?.returnvalue as Record<string, string> | undefined) ?? null, 'the second run', 30_000);
  assert.equal(again[`telegram:${REPORT_CHAT}`], 'already');
  const key = `tickets:sla-report:${jobId}`;
  assert.equal(await chat.t.app.deps.db.outboundMessage.count({ where: { chatId: String(REPORT_CHAT), messageKey: key } }), 1, 'one figures row for the firing');
});
