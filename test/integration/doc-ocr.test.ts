/**
 * Scans through the real Telegram route and document pipeline (fake Telegram API serving the
 * bytes): a Russian scanned PDF invoice and an English certificate photo give their text,
 * category and fields; a three-page scan past the OCR page limit shows "page 2 of 2" progress
 * and a message naming the skipped page, and its card says that a page was not read; a broken
 * image fails only itself.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt, randomUUID, createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { startChatTestApp, type ChatTestApp } from '../helpers/chat-app.ts';
import type { FakeTelegram } from '../helpers/fake-telegram.ts';
import { waitFor } from '../helpers/wait.ts';
import { imagePdf, jpegSize } from '../helpers/image-pdf.ts';
import type { YamlConfig } from '../../services/config.ts';

let chatApp: ChatTestApp;
let tg: FakeTelegram;

before(async () => {
  chatApp = await startChatTestApp({
    yaml: { defaultRole: 'operator', documents: { ocrLanguages: ['eng', 'rus'], ocr: { maxPages: 2, progressEveryMs: 0, dpi: 150 } } } as unknown as Partial<YamlConfig>,
  });
  ({ tg } = chatApp);
});
after(async () => chatApp.stop());

const db = () => chatApp.t.app.deps.db;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const run = randomUUID().slice(0, 6);
const scan = (name: string) => readFileSync(new URL(`../fixtures/scans/${name}`, import.meta.url));
/** The test database keeps documents between runs: trailing bytes (ignored by readers) make each run's file new. */
const fresh = (b: Buffer, kind: 'pdf' | 'image') => Buffer.concat([b, Buffer.from(kind === 'pdf' ? `%${run}\n` : run)]);
let nextUpdate = randomInt(1_000_000_000, 1_900_000_000);
const newChat = () => randomInt(100_000_000, 900_000_000);

async function tgFile(chatId: number, name: string, bytes: Buffer) {
  const fileId = `tgf-${randomUUID()}`;
  tg.addFile(fileId, bytes, { path: `documents/${name}` });
  await chatApp.postTelegram({
    update_id: ++nextUpdate,
    message: {
      message_id: randomInt(1, 1_000_000),
      date: Math.floor(Date.now() / 1000),
      chat: { id: chatId, type: 'private', first_name: 'Tess' },
      from: { id: chatId, is_bot: false, first_name: 'Tess', language_code: 'ru' },
      document: { file_id: fileId, file_unique_id: fileId, file_name: name, mime_type: 'application/octet-stream', file_size: bytes.length },
    },
  });
}

const tgOut = (chatId: number) => tg.calls.filter((c) => (c.method === 'sendMessage' || c.method === 'editMessageText') && String(c.payload.chat_id) === String(chatId)).map((c) => String(c.payload.text ?? ''));

const done = (bytes: Buffer) => waitFor(() => db().documentVersion.findFirst({ where: { sha256: sha(bytes), stage: 'done' }, include: { fields: true } }), 'scan processed', 90_000);
const field = (v: { fields: { name: string; primary: boolean; normalized: string | null }[] }, n: string) => v.fields.find((f) => f.primary && f.name === n)?.normalized;

test('Telegram: a Russian scanned PDF invoice is OCR\'d and gets its category and fields', async () => {
  const chat = newChat();
  const pdf = fresh(scan('ru-invoice.pdf'), 'pdf');
  await tgFile(chat, `счёт-${run}.pdf`, pdf);
  const v = await done(pdf);
  assert.equal(v.ocr, true);
  assert.equal(v.noTextLayer, false);
  assert.match(v.text, /Счёт № 4512/);
  assert.equal(v.language, 'ru');
  assert.equal(v.category, 'invoice');
  assert.equal(field(v, 'number'), '4512');
  assert.equal(field(v, 'date'), '2024-05-17');
});

test('Telegram: an English certificate photo (JPEG) gets its category and fields', async () => {
  const chat = newChat();
  const jpg = fresh(scan('en-certificate.jpg'), 'image');
  await tgFile(chat, `certificate-${run}.jpg`, jpg);
  const v = await done(jpg);
  assert.equal(v.ocr, true);
  assert.match(v.text, /Certificate No\. CRT-7731/);
  assert.equal(v.language, 'en');
  assert.equal(v.category, 'certificate');
  assert.equal(field(v, 'number'), 'CRT-7731');
});

test('Telegram: a three-page scan past the page limit (2) edits "page 2 of 2" into the progress, names the skipped page, and its card says so', async () => {
  const chat = newChat();
  const pages = ['en-certificate.jpg', 'ru-invoice.jpg', 'en-certificate.jpg'].map((n) => ({ jpeg: fresh(scan(n), 'image'), ...jpegSize(scan(n)) }));
  const pdf = imagePdf(pages, 150);
  await tgFile(chat, `pack-${run}.pdf`, pdf);
  const v = await done(pdf);
  assert.match(v.text, /CRT-7731[\s\S]*4512/);
  assert.equal(v.ocrSkippedPages, 1);
  // The card (the progress message's last edit) names the skipped page too, not only the notice.
  await waitFor(() => tgOut(chat).some((s) => s.includes('Не прочитано: ещё 1 стр. скана') && s.includes('Документ №')), 'the card naming the skipped page', 30_000);
  // The skipped-page message is its own message: it reaches the chat after the analysis is done.
  await waitFor(() => tgOut(chat).some((s) => s.includes('до страницы 2') && s.includes('ещё 1 стр.')), 'the skipped-page message', 30_000);
  // The progress edit was made (its row stored); whether the chat shows it before the next
  // edit of the same message replaces it depends on the sender's pace, so the row is what counts.
  const progress = await db().$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM "OutboundMessage" WHERE "chatId" = ${String(chat)} AND reply::text LIKE ${'%страница 2 из 2%'}`;
  assert.ok(progress[0]!.n >= 1, 'a progress edit "страница 2 из 2" was sent');
});

test('Telegram: a broken image is refused as damaged while a good scan sent with it is read', async () => {
  const chat = newChat();
  const broken = Buffer.concat([scan('en-certificate.png').subarray(0, 400), Buffer.from(run), Buffer.alloc(200, 7)]);
  const good = fresh(scan('en-certificate.png'), 'image');
  await tgFile(chat, `broken-${run}.png`, broken);
  await tgFile(chat, `good-${run}.png`, good);
  await waitFor(() => tgOut(chat).find((s) => /повреждён/.test(s) && s.includes(`broken-${run}.png`)), 'refusal of the broken image', 60_000);
  const intake = await waitFor(() => db().documentIntake.findFirst({ where: { chatId: String(chat), status: 'rejected' } }), 'rejected intake');
  assert.equal(intake.error, 'corrupt');
  const v = await done(good);
  assert.match(v.text, /CRT-7731/);
});
