/**
 * REST upload of documents: bearer token, multipart, limits and refusals, then the stored
 * document through the read endpoints.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { waitFor } from '../helpers/wait.ts';
import { makePdf, makeXlsx, sampleLines } from '../helpers/docgen.ts';
import type { YamlConfig } from '../../services/config.ts';

const TOKEN = `api-token-${randomUUID()}`;
const LIMIT = 256 * 1024;
let t: TestApp;
const run = randomUUID().slice(0, 6);

before(async () => {
  t = await startTestApp({ env: { A2D2_API_TOKEN: TOKEN }, yaml: { documents: { uploadLimitBytes: LIMIT } } as unknown as Partial<YamlConfig> });
});
after(async () => {
  await t.stop();
});

async function upload(bytes: Buffer, name: string, token: string | null = TOKEN) {
  const form = new FormData();
  form.append('file', new Blob([bytes]), name);
  return fetch(`${t.url}/api/v1/documents`, { method: 'POST', body: form, headers: token ? { authorization: `Bearer ${token}` } : {} });
}

const auth = { authorization: `Bearer ${TOKEN}` };

test('upload needs the bearer token', async () => {
  const pdf = makePdf('hello');
  assert.equal((await upload(pdf, 'a.pdf', null)).status, 401);
  assert.equal((await upload(pdf, 'a.pdf', 'wrong')).status, 401);
  assert.equal((await fetch(`${t.url}/api/v1/documents`)).status, 401);
});

test('an XLSX invoice uploaded over REST is processed and readable through the API', async () => {
  const rows = [...sampleLines('invoice', 'en', 2), `Reference ${run}`].map((l) => l.split(' | '));
  const res = await upload(makeXlsx(rows, { sheetName: 'Invoice' }), `api-invoice-${run}.xlsx`);
  assert.equal(res.status, 202);
  const { intakeId } = (await res.json()) as { intakeId: string };
  const status = await waitFor(async () => {
    const r = await fetch(`${t.url}/api/v1/documents/intakes/${intakeId}`, { headers: auth });
    const body = (await r.json()) as { status: string; document: { number: number; stage: string } | null };
    return body.document?.stage === 'done' ? body : null;
  }, 'processing', 30_000);
  assert.equal(status.status, 'stored');
  const doc = (await (await fetch(`${t.url}/api/v1/documents/${status.document!.number}`, { headers: auth })).json()) as {
    category: string;
    fields: { name: string; normalized: string; primary: boolean }[];
  };
  assert.equal(doc.category, 'invoice');
  assert.equal(doc.fields.find((f) => f.primary && f.name === 'total')?.normalized, '4050.00 USD');
  assert.equal(doc.fields.find((f) => f.primary && f.name === 'vendor')?.normalized, 'Contoso Hardware LLC');
  const search = (await (await fetch(`${t.url}/api/v1/documents?q=${encodeURIComponent(`api-invoice-${run}`)}`, { headers: auth })).json()) as { documents: { number: number }[] };
  assert.ok(search.documents.some((d) => d.number === status.document!.number));
  assert.equal((await fetch(`${t.url}/api/v1/documents/99999999`, { headers: auth })).status, 404);
});

test('refusals: over the limit 413, unsupported type 415, no file 400; an encrypted PDF is refused by the worker and its blob removed', async () => {
  assert.equal((await upload(Buffer.alloc(LIMIT + 1000, 0x41), 'big.txt')).status, 413);
  const exe = Buffer.concat([Buffer.from([0x4d, 0x5a, 0x90, 0x00]), Buffer.alloc(200, 0x00)]);
  const unsupported = await upload(exe, 'x.exe');
  assert.equal(unsupported.status, 415);
  assert.equal(((await unsupported.json()) as { error: string }).error, 'unsupported');
  const form = new FormData();
  form.append('note', 'no file here');
  assert.equal((await fetch(`${t.url}/api/v1/documents`, { method: 'POST', body: form, headers: auth })).status, 400);
  assert.equal((await fetch(`${t.url}/api/v1/documents`, { method: 'POST', body: '{}', headers: { ...auth, 'content-type': 'application/json' } })).status, 415);

  const res = await upload(makePdf(`secret ${run}`, { encrypted: true }), `locked-${run}.pdf`);
  assert.equal(res.status, 202);
  const { intakeId } = (await res.json()) as { intakeId: string };
  const row = await waitFor(async () => {
    const r = await t.app.deps.db.documentIntake.findUnique({ where: { id: intakeId } });
    return r?.status === 'rejected' ? r : null;
  }, 'refusal', 30_000);
  assert.equal(row.error, 'encrypted');
  const key = (row.file as { storageKey: string }).storageKey;
  assert.equal(existsSync(join(t.app.deps.config.env.A2D2_DATA_DIR, 'documents', key)), false, 'blob removed');
  assert.equal(await t.app.deps.db.document.count({ where: { title: `locked-${run}` } }), 0);
});

test('a viewer cannot hand the bot files: denied, nothing taken in', async () => {
  const chatId = `viewer-${run}`;
  await t.app.deps.ingest({
    type: 'message',
    platform: 'terminal',
    eventId: `ev-${randomUUID()}`,
    ref: { platform: 'terminal', chatId },
    user: { platformUserId: `viewer-${run}` },
    text: '',
    addressed: true,
    files: [{ id: 'f1', name: 'x.pdf' }],
  });
  const denied = await waitFor(() => t.app.deps.db.outboundMessage.findFirst({ where: { chatId } }), 'the reply');
  assert.match(JSON.stringify(denied.reply), /not available to your role \(viewer\)/);
  assert.equal(await t.app.deps.db.documentIntake.count({ where: { chatId } }), 0);
});
