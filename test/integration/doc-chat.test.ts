/**
 * Documents through the real Slack and Telegram routes, with fake platform APIs serving the
 * file bytes: intake, one progress message edited into the card, duplicates, new versions,
 * commands (docs, docs search, doc, ask), the correction button, and bad input.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt, randomUUID, createHash } from 'node:crypto';
import type { TestApp } from '../helpers/app.ts';
import { startChatTestApp, type ChatTestApp } from '../helpers/chat-app.ts';
import { waitFor } from '../helpers/wait.ts';
import { eventCallbackBody, type FakeSlack } from '../helpers/fake-slack.ts';
import type { FakeTelegram } from '../helpers/fake-telegram.ts';
import { makeCorruptPdf, makeDocx, makePdf, makeTextPng, makeXlsx, sampleLines, render } from '../helpers/docgen.ts';
import type { YamlConfig } from '../../services/config.ts';

const LIMIT = 3 * 1024 * 1024;
let chatApp: ChatTestApp;
let slack: FakeSlack;
let tg: FakeTelegram;
let t: TestApp;

before(async () => {
  chatApp = await startChatTestApp({
    yaml: { defaultRole: 'operator', documents: { uploadLimitBytes: LIMIT } } as unknown as Partial<YamlConfig>,
  });
  ({ t, slack, tg } = chatApp);
});
after(async () => {
  // Corrections are global memory: leave none behind for later runs.
  await t.app.deps.db.documentCorrection.deleteMany({ where: { terms: { array_contains: [vocabulary[0]!.toLowerCase()] } } });
  await chatApp.stop();
});

const db = () => t.app.deps.db;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
// Titles must be unique per run: the test database keeps documents between runs.
const run = randomUUID().slice(0, 6);
/** Template lines plus a per-run reference, so bytes never repeat across runs. */
const lines = (...a: Parameters<typeof sampleLines>) => [...sampleLines(...a), `Reference: ${run}`];
/** Made-up words repeated often enough to lead the document's characteristic terms (unique per run). */
const L = 'абвгдежзиклмнопрстуф';
const vocabulary = Array.from({ length: 20 }, (_, i) => `зорб${run.replace(/\d/g, (d) => L[Number(d)]!)}${L[i]}${L[(i * 7) % 20]}`);

// ---------------------------------------------------------------- Slack

const dmChannel = () => `D${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`;

const slackPost = (body: string, contentType = 'application/json') => chatApp.postSlack(body, contentType);

async function slackFile(channel: string, name: string, bytes: Buffer, mimetype = 'application/octet-stream') {
  const id = `F${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`;
  const url = slack.addFile({ id, name, mimetype, bytes });
  const ts = `${Math.floor(Date.now() / 1000)}.${String(randomInt(0, 999999)).padStart(6, '0')}`;
  const body = eventCallbackBody({
    type: 'message',
    subtype: 'file_share',
    channel_type: 'im',
    user: 'U0DOCS',
    text: '',
    ts,
    channel,
    files: [{ id, name, mimetype, size: bytes.length, url_private_download: url }],
  });
  await slackPost(JSON.stringify(body));
}

async function slackSay(channel: string, text: string) {
  const ts = `${Math.floor(Date.now() / 1000)}.${String(randomInt(0, 999999)).padStart(6, '0')}`;
  await slackPost(JSON.stringify(eventCallbackBody({ type: 'message', channel_type: 'im', user: 'U0DOCS', text, ts, channel })));
}

/** Everything the bot posted or edited in a Slack channel, as text. */
function slackOut(channel: string): string[] {
  return slack.calls.filter((c) => (c.method === 'chat.postMessage' || c.method === 'chat.update') && c.args.channel === channel).map((c) => JSON.stringify(c.args));
}

test('Slack: a shared PDF invoice is fetched with the bot token, processed, and its progress message ends as the card', async () => {
  const channel = dmChannel();
  const pdf = makePdf(lines('invoice', 'en', 1).join('\n'));
  await slackFile(channel, `invoice-${run}-slack.pdf`, pdf, 'application/pdf');
  const v = await waitFor(
    () => db().documentVersion.findFirst({ where: { sha256: sha(pdf), stage: 'done' }, include: { fields: true, document: true } }),
    'the version to be processed',
    30_000,
  );
  assert.equal(v.category, 'invoice');
  assert.equal(v.language, 'en');
  assert.equal(v.kind, 'pdf');
  assert.equal(v.fields.find((f) => f.name === 'total' && f.primary)?.normalized, '2850.00 USD');
  assert.equal(v.fields.find((f) => f.name === 'number' && f.primary)?.normalized, 'INV-2024-101');
  const card = await waitFor(() => slackOut(channel).find((s) => s.includes(`Document #${v.document.number}`) && s.includes('Ask about it')), 'the card', 20_000);
  assert.match(card, /invoice/);
  // The download carried the bot token.
  const download = slack.calls.length;
  assert.ok(download > 0);
  // One progress message: every later output edits the first post.
  const posts = slack.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === channel);
  assert.equal(posts.length, 1, 'one progress message, edited in place');
  assert.ok(slack.calls.some((c) => c.method === 'chat.update' && c.args.channel === channel));

  // The same bytes again: the existing document, said so; nothing new stored.
  await slackFile(channel, `renamed-${run}.pdf`, pdf, 'application/pdf');
  await waitFor(() => slackOut(channel).find((s) => s.includes('I already have this file') && s.includes(`#${v.document.number}`)), 'the duplicate reply', 20_000);
  assert.equal(await db().documentVersion.count({ where: { sha256: sha(pdf) } }), 1);
  assert.equal(await db().document.count({ where: { titleKey: `renamed-${run}` } }), 0);

  // Asking in the same conversation: the best passage with its location.
  await slackSay(channel, 'ask what is the total due?');
  const answer = await waitFor(() => slackOut(channel).find((s) => s.includes('From document') && s.includes('Total due')), 'the answer', 20_000);
  assert.match(answer, /page 1/);
});

test('Slack: the same title again becomes version 2 of the document; docs lists it and docs search finds it', async () => {
  const channel = dmChannel();
  const name = `report-${run}.docx`;
  const v1 = makeDocx(lines('report', 'en', 0).join('\n'));
  const v2 = makeDocx(lines('report', 'en', 1).join('\n'));
  await slackFile(channel, name, v1);
  await waitFor(() => db().documentVersion.findFirst({ where: { sha256: sha(v1), stage: 'done' } }), 'v1', 30_000);
  await slackFile(channel, name, v2);
  const second = await waitFor(() => db().documentVersion.findFirst({ where: { sha256: sha(v2), stage: 'done' }, include: { document: true } }), 'v2', 30_000);
  assert.equal(second.version, 2);
  assert.equal(second.category, 'report');
  await slackSay(channel, 'docs');
  await waitFor(() => slackOut(channel).find((s) => s.includes(`#${second.document.number} report-${run}`) && s.includes('v2')), 'docs list', 20_000);
  await slackSay(channel, `docs search report-${run} recommendations`);
  await waitFor(() => slackOut(channel).find((s) => s.includes('Documents matching') && s.includes(`#${second.document.number}`)), 'search result', 20_000);
});

// ---------------------------------------------------------------- Telegram

let nextUpdate = randomInt(1_000_000_000, 1_900_000_000);
const newChat = () => randomInt(100_000_000, 900_000_000);

const tgDeliver = (update: unknown) => chatApp.postTelegram(update);

function tgMessage(chatId: number, extra: Record<string, unknown>) {
  return {
    update_id: ++nextUpdate,
    message: {
      message_id: randomInt(1, 1_000_000),
      date: Math.floor(Date.now() / 1000),
      chat: { id: chatId, type: 'private', first_name: 'Tess' },
      from: { id: chatId, is_bot: false, first_name: 'Tess', language_code: 'ru' },
      ...extra,
    },
  };
}

async function tgFile(chatId: number, name: string, bytes: Buffer, opts: { reportedSize?: number; mime?: string } = {}) {
  const fileId = `tgf-${randomUUID()}`;
  tg.addFile(fileId, bytes, { path: `documents/${name}`, ...(opts.reportedSize ? { reportedSize: opts.reportedSize } : {}) });
  await tgDeliver(tgMessage(chatId, { document: { file_id: fileId, file_unique_id: fileId, file_name: name, mime_type: opts.mime ?? 'application/octet-stream', file_size: opts.reportedSize ?? bytes.length } }));
}

function tgOut(chatId: number): string[] {
  return tg.calls
    .filter((c) => (c.method === 'sendMessage' || c.method === 'editMessageText') && String(c.payload.chat_id) === String(chatId))
    .map((c) => JSON.stringify(c.payload));
}

test('Telegram: a Russian contract (DOCX) comes back as a Russian card with its fields; the ticket button files a ticket; correcting the category is stored and used', async () => {
  const chat = newChat();
  const body = [...lines('contract', 'ru', 2), ...Array<string>(4).fill(vocabulary.join(' '))].join('\n');
  const docx = makeDocx(body);
  await tgFile(chat, `договор-${run}.docx`, docx);
  const v = await waitFor(() => db().documentVersion.findFirst({ where: { sha256: sha(docx), stage: 'done' }, include: { fields: true, document: true } }), 'contract processed', 30_000);
  assert.equal(v.category, 'contract');
  assert.equal(v.language, 'ru');
  const get = (n: string) => v.fields.find((f) => f.primary && f.name === n)?.normalized;
  assert.equal(get('number'), '47/2024');
  assert.equal(get('startDate'), '2024-03-03');
  assert.equal(get('endDate'), '2025-03-03');
  assert.equal(get('value'), '1220000.00 RUB');
  assert.equal(v.expiresOn?.toISOString().slice(0, 10), '2025-03-03');
  await waitFor(() => tgOut(chat).find((s) => s.includes(`Документ №${v.document.number}`) && s.includes('договор')), 'Russian card', 20_000);
  // One progress message edited in place.
  assert.equal(tg.calls.filter((c) => c.method === 'sendMessage' && String(c.payload.chat_id) === String(chat)).length, 1);

  // The "Correct the category" button, then "report".
  const press = async (data: string) => {
    // Buttons carry codec-encoded callback data: take it from the rendered keyboard.
    const all = tg.calls.filter((c) => String(c.payload.chat_id) === String(chat) && c.payload.reply_markup);
    const markup = JSON.stringify(all.map((c) => c.payload.reply_markup));
    const buttons: { text: string; callback_data: string }[] = [];
    for (const m of markup.matchAll(/\{[^{}]*"callback_data":"[^"]*"[^{}]*\}/g)) buttons.push(JSON.parse(m[0]) as { text: string; callback_data: string });
    const b = buttons.reverse().find((x) => x.text === data);
    assert.ok(b, `button "${data}" among ${buttons.map((x) => x.text).join(', ')}`);
    await tgDeliver({
      update_id: ++nextUpdate,
      callback_query: {
        id: `cb-${randomUUID()}`,
        from: { id: chat, is_bot: false, first_name: 'Tess', language_code: 'ru' },
        chat_instance: 'ci',
        message: { message_id: 1, date: Math.floor(Date.now() / 1000), chat: { id: chat, type: 'private' } },
        data: b.callback_data,
      },
    });
  };
  await press('Исправить категорию');
  await waitFor(() => tgOut(chat).find((s) => s.includes('К какой категории')), 'category choice', 20_000);
  await press('отчёт');
  await waitFor(() => db().documentCorrection.findFirst({ where: { documentId: v.documentId, toCategory: 'report' } }), 'correction stored', 20_000);
  await waitFor(async () => (await db().documentVersion.findUnique({ where: { id: v.id } }))?.category === 'report', 'category updated');
  // "Open ticket from it" files a ticket that names the document.
  await press('Создать тикет');
  const ticket = await waitFor(
    () => db().ticket.findFirst({ where: { OR: [{ title: { contains: `№${v.document.number}` } }, { description: { contains: `№${v.document.number}` } }] } }),
    'ticket from the document',
    20_000,
  );
  assert.ok(ticket.title.length > 0);
  // Used: a look-alike contract is now classified by the correction.
  const lookAlike = makeDocx(body.replace('47/2024', '99/2024'));
  await tgFile(chat, `договор-копия-${run}.docx`, lookAlike);
  const v2 = await waitFor(() => db().documentVersion.findFirst({ where: { sha256: sha(lookAlike), stage: 'done' } }), 'look-alike processed', 30_000);
  assert.equal(v2.category, 'report');
  assert.equal(v2.categorySource, 'correction');
});

interface BadCase {
  name: string;
  bytes: Buffer;
  reportedSize?: number;
  reply: RegExp;
  code: string;
}

test('Telegram: bad input gets a clear reply, nothing is stored, and the job is not retried', async () => {
  const big = Buffer.alloc(LIMIT + 10, 0x20);
  const cases: BadCase[] = [
    { name: `secret-${run}.pdf`, bytes: makePdf('top secret', { encrypted: true }), reply: /защищён паролем/, code: 'encrypted' },
    { name: `broken-${run}.pdf`, bytes: makeCorruptPdf(), reply: /повреждён/, code: 'corrupt' },
    { name: `bomb-${run}.docx`, bytes: makeDocx('boom', { bombBytes: 30 * 1024 * 1024 }), reply: /распаковывается/, code: 'bomb' },
    { name: `liar-${run}.docx`, bytes: makeDocx('boom', { bombBytes: 20 * 1024 * 1024, lieAboutSize: true }), reply: /распаковывается/, code: 'bomb' },
    { name: `bomb-${run}.xlsx`, bytes: makeXlsx([['a', 1]], { bombBytes: 30 * 1024 * 1024 }), reply: /распаковывается/, code: 'bomb' },
    { name: `program-${run}.exe`, bytes: Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0xff, 0xff, 0x00, 0x00, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0x40, 0, 0, 0]), reply: /не поддерживается/, code: 'unsupported' },
    { name: `huge-${run}.pdf`, bytes: big, reply: /больше лимита/, code: 'tooLarge' },
  ];
  for (const c of cases) {
    const chat = newChat();
    await tgFile(chat, c.name, c.bytes);
    await waitFor(() => tgOut(chat).find((s) => c.reply.test(s) && s.includes(c.name)), `reply for ${c.name}`, 30_000);
    const intake = await waitFor(() => db().documentIntake.findFirst({ where: { chatId: String(chat), status: 'rejected' } }), `rejected intake ${c.name}`);
    assert.equal(intake.error, c.code, c.name);
    assert.equal(await db().documentVersion.count({ where: { sha256: sha(c.bytes) } }), 0, `${c.name}: no version stored`);
    assert.equal(await db().document.count({ where: { title: c.name.replace(/\.\w+$/, '') } }), 0, `${c.name}: no document`);
    const job = await t.app.deps.queues.queue('documents-intake').getJob(`doc-intake-${intake.id}`);
    if (job) {
      // Refused once and for all: failed after one attempt.
      await waitFor(async () => (await job.getState()) === 'failed' || (await job.getState()) === 'unknown', `${c.name}: job failed`);
      const fresh = await t.app.deps.queues.queue('documents-intake').getJob(`doc-intake-${intake.id}`);
      assert.equal(fresh?.attemptsMade ?? 1, 1, `${c.name}: one attempt`);
    }
  }
});

test('Slack: an image-only ("scanned") PDF is stored and said to have no text layer', async () => {
  const channel = dmChannel();
  const scan = makePdf(`x\n${run}`, { imageOnly: true });
  await slackFile(channel, `scan-${run}.pdf`, scan, 'application/pdf');
  const v = await waitFor(() => db().documentVersion.findFirst({ where: { sha256: sha(scan), stage: 'done' } }), 'scan processed', 30_000);
  assert.equal(v.noTextLayer, true);
  await waitFor(() => slackOut(channel).find((s) => s.includes('No text layer was found')), 'no-text-layer card', 20_000);
});

test('CSV, HTML and XLSX through Telegram come out with the right category', async () => {
  const items: [string, Buffer, string][] = [
    // The run id in the content keeps the bytes unique: earlier runs' documents stay in the database.
    [`menu-${run}.csv`, render([...lines('other', 'en', 2), `ref ${run}`], 'csv', 'menu'), 'other'],
    [`manual-${run}.html`, render([...lines('manual', 'ru', 1), `ref ${run}`], 'html', 'manual'), 'manual'],
    [`cert-${run}.xlsx`, render([...lines('certificate', 'en', 2), `ref ${run}`], 'xlsx', 'cert'), 'certificate'],
  ];
  const chat = newChat();
  for (const [name, bytes] of items) await tgFile(chat, name, bytes);
  for (const [name, bytes, category] of items) {
    const v = await waitFor(() => db().documentVersion.findFirst({ where: { sha256: sha(bytes), stage: 'done' } }), `${name} processed`, 30_000);
    assert.equal(v.category, category, name);
  }
});

test('Telegram: a photo of an invoice is read by OCR and classified', async () => {
  const chat = newChat();
  const png = makeTextPng(['INVOICE 2024', 'TOTAL DUE 1500 EUR', `PAYMENT TERMS ${String(chat).slice(0, 4).replace(/[6-9]/g, '1')}`]);
  const fileId = `tgp-${randomUUID()}`;
  tg.addFile(fileId, png, { path: `photos/${fileId}.jpg` });
  await tgDeliver(tgMessage(chat, { photo: [{ file_id: fileId, file_unique_id: fileId, width: 400, height: 120, file_size: png.length }] }));
  const v = await waitFor(() => db().documentVersion.findFirst({ where: { sha256: sha(png), stage: 'done' }, include: { document: true } }), 'photo processed', 60_000);
  assert.equal(v.ocr, true);
  assert.equal(v.kind, 'png');
  assert.equal(v.category, 'invoice');
  assert.match(v.text, /INVOICE/);
  await waitFor(() => tgOut(chat).find((s) => s.includes(`Документ №${v.document.number}`) && s.includes('распознано OCR')), 'OCR card', 20_000);
});
