/**
 * `a2d2 backup` and `a2d2 restore` as real child processes: a database filled through the
 * app's routes (tickets with events, an Alertmanager alert, an uploaded document with its
 * stored file) is backed up, restored into a fresh database and storage directory, and
 * compared table by table and byte by byte. Then the refusals: a non-empty database, a
 * truncated archive, no pg_dump on the PATH.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { chmod, mkdtemp, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestApp, TEST_DATABASE_URL, TEST_REDIS_URL, type TestApp } from '../helpers/app.ts';
import { amPayload } from '../helpers/alert-app.ts';
import { makePdf } from '../helpers/docgen.ts';
import { waitFor } from '../helpers/wait.ts';
import { dropDatabase, withDatabase } from '../helpers/test-db.ts';
import { runMigrations } from '../../services/db/migration-runner.ts';
import { countRows } from '../../services/backup/backup.ts';
import { listStoredFiles, MANIFEST_ENTRY, type Manifest } from '../../services/backup/manifest.ts';
import { tarEntries, tarStream, type TarSource } from '../../services/backup/tar.ts';
import { withPg } from '../../services/backup/pg-tools.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const id = randomUUID().slice(0, 8);
const SRC = withDatabase(TEST_DATABASE_URL, `a2d2_bk_src_${id}`);
const DST = withDatabase(TEST_DATABASE_URL, `a2d2_bk_dst_${id}`);
const NEVER = withDatabase(TEST_DATABASE_URL, `a2d2_bk_never_${id}`);
const NEWER = withDatabase(TEST_DATABASE_URL, `a2d2_bk_newer_${id}`);
const API = `api-${randomUUID()}`;
const AM = `am-${randomUUID()}`;
let work = '';
let archive = '';
const srcData = () => join(work, 'src-data');
const dstData = () => join(work, 'dst-data');

function cli(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  const { SLACK_SIGNING_SECRET: _a, SLACK_BOT_TOKEN: _b, TELEGRAM_BOT_TOKEN: _c, OPENAI_API_KEY: _d, A2D2_CONFIG: _e, ...rest } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'bot/main.ts', ...args], {
    cwd: ROOT,
    env: { ...rest, REDIS_URL: TEST_REDIS_URL, A2D2_QUEUE_PREFIX: `bk-${id}`, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out, err })));
}

async function fill(t: TestApp): Promise<void> {
  const api = { authorization: `Bearer ${API}`, 'content-type': 'application/json' };
  for (const severity of ['P1', 'P2', 'P3']) {
    const res = await fetch(`${t.url}/api/v1/tickets`, { method: 'POST', headers: api, body: JSON.stringify({ title: `Backup check ${severity} ${id}`, severity }) });
    const text = await res.text();
    assert.equal(res.status, 201, text);
    const { ticket } = JSON.parse(text) as { ticket: { id: number } };
    const patch = await fetch(`${t.url}/api/v1/tickets/${ticket.id}`, { method: 'PATCH', headers: api, body: JSON.stringify({ comment: `Looked at it (${severity})` }) });
    assert.equal(patch.status, 200, await patch.text());
  }
  const am = await fetch(`${t.url}/webhooks/alertmanager`, {
    method: 'POST',
    headers: { authorization: `Bearer ${AM}`, 'content-type': 'application/json' },
    body: JSON.stringify(amPayload(`{}:{alertname="HighErrorRate",run="${id}"}`, 'firing')),
  });
  assert.equal(am.status, 202, await am.text());
  const form = new FormData();
  form.append('file', new Blob([makePdf(`Invoice ${id} total 120.00 USD`)]), `invoice-${id}.pdf`);
  const up = await fetch(`${t.url}/api/v1/documents`, { method: 'POST', body: form, headers: { authorization: `Bearer ${API}` } });
  const upText = await up.text();
  assert.equal(up.status, 202, upText);
  const { intakeId } = JSON.parse(upText) as { intakeId: string };
  await waitFor(async () => {
    const r = await fetch(`${t.url}/api/v1/documents/intakes/${intakeId}`, { headers: { authorization: `Bearer ${API}` } });
    const body = (await r.json()) as { document: { stage: string } | null };
    return body.document?.stage === 'done';
  }, 'the document to be processed', 30_000);
  await waitFor(async () => (await t.app.deps.db.alert.count()) > 0, 'the alert to be stored');
}

before(async () => {
  work = await mkdtemp(join(process.env.A2D2_DATA_DIR ?? tmpdir(), 'a2d2-bk-'));
  archive = join(work, 'a2d2.backup');
  await runMigrations({ databaseUrl: SRC });
  const t = await startTestApp({ env: { DATABASE_URL: SRC, A2D2_DATA_DIR: srcData(), A2D2_API_TOKEN: API, ALERTMANAGER_TOKEN: AM } });
  try {
    await fill(t);
  } finally {
    await t.stop();
  }
});

after(async () => {
  for (const url of [SRC, DST, NEVER, NEWER]) await dropDatabase(url);
  await rm(work, { recursive: true, force: true });
});

test('a backup restored into a fresh database and storage directory has the same rows and file bytes', async () => {
  const backup = await cli(['backup', '--out', archive], { DATABASE_URL: SRC, A2D2_DATA_DIR: srcData() });
  assert.equal(backup.code, 0, backup.err);
  assert.match(backup.out, /Backup written to .*a2d2\.backup/);
  assert.match(backup.out, /Stored files: [1-9]/);
  const restore = await cli(['restore', archive], { DATABASE_URL: DST, A2D2_DATA_DIR: dstData() });
  assert.equal(restore.code, 0, restore.err);
  assert.match(restore.out, /into database a2d2_bk_dst_\w+ \(created\)/);
  assert.match(restore.out, /row counts match the backup/);
  assert.match(restore.out, /every checksum matches/);

  const before = await withPg(SRC, countRows);
  const restored = await withPg(DST, countRows);
  assert.deepEqual(restored, before);
  assert.equal(before.Ticket, 3);
  assert.ok(before.TicketEvent! >= 6, `ticket events: ${before.TicketEvent}`);
  assert.ok(before.Alert! >= 1 && before.Document! >= 1, JSON.stringify(before));

  const srcFiles = await listStoredFiles(join(srcData(), 'documents'));
  assert.ok(srcFiles.length >= 1, 'the uploaded document left a stored file');
  assert.deepEqual(await listStoredFiles(join(dstData(), 'documents')), srcFiles);
  for (const key of srcFiles) {
    assert.ok((await readFile(join(dstData(), 'documents', key))).equals(await readFile(join(srcData(), 'documents', key))), key);
  }
});

test('a second restore into the now non-empty database is refused, naming it', async () => {
  const again = await cli(['restore', archive], { DATABASE_URL: DST, A2D2_DATA_DIR: join(work, 'other-data') });
  assert.equal(again.code, 1);
  assert.equal(again.err.trim().split('\n').length, 1, again.err);
  assert.match(again.err, /Database a2d2_bk_dst_\w+ is not empty.*--force/);
});

test('a truncated archive and a missing file are refused in one line, before any database is created', async () => {
  const size = (await stat(archive)).size;
  const cut = join(work, 'cut.backup');
  const handle = await open(archive);
  const head = Buffer.alloc(Math.floor(size * 0.6));
  await handle.read(head, 0, head.length, 0);
  await handle.close();
  await writeFile(cut, head);
  const truncated = await cli(['restore', cut], { DATABASE_URL: NEVER, A2D2_DATA_DIR: join(work, 'never-data') });
  assert.equal(truncated.code, 1);
  assert.equal(truncated.err.trim().split('\n').length, 1, truncated.err);
  assert.match(truncated.err, /cut\.backup is damaged or incomplete: the archive stops/);
  const missing = await cli(['restore', join(work, 'nothing.backup')], { DATABASE_URL: NEVER, A2D2_DATA_DIR: join(work, 'never-data') });
  assert.equal(missing.code, 1);
  assert.match(missing.err, /^a2d2: The backup file .*nothing\.backup does not exist\.\n$/);
  const found = await withPg(TEST_DATABASE_URL, (c) => c.query('SELECT 1 FROM pg_database WHERE datname = $1', [`a2d2_bk_never_${id}`]));
  assert.equal(found.rowCount, 0);
});

test('without pg_dump on the PATH the backup says which package to install', async () => {
  const emptyPath = await mkdtemp(join(work, 'path-'));
  const res = await cli(['backup', '--out', join(work, 'nopath.backup')], { DATABASE_URL: SRC, A2D2_DATA_DIR: srcData(), PATH: emptyPath });
  assert.equal(res.code, 1);
  assert.equal(res.err.trim().split('\n').length, 1, res.err);
  assert.match(res.err, /pg_dump was not found on the PATH: install postgresql-client-\d+/);
  await assert.rejects(stat(join(work, 'nopath.backup')));
});

test('pg_dump older than the server is refused, naming the package', async () => {
  const bin = await mkdtemp(join(work, 'old-'));
  await writeFile(join(bin, 'pg_dump'), '#!/bin/sh\necho "pg_dump (PostgreSQL) 11.22"\n');
  await chmod(join(bin, 'pg_dump'), 0o755);
  const res = await cli(['backup', '--out', join(work, 'old.backup')], { DATABASE_URL: SRC, A2D2_DATA_DIR: srcData(), PATH: `${bin}:${process.env.PATH ?? ''}` });
  assert.equal(res.code, 1);
  assert.equal(res.err.trim().split('\n').length, 1, res.err);
  assert.match(res.err, /pg_dump is version 11, older than the PostgreSQL \d+ server: install postgresql-client-\d+/);
});

test('a backup with migrations this version does not know is restored with a warning', async () => {
  // The same (small) archive, its manifest listing one more (future) migration.
  const entries: TarSource[] = [];
  for await (const entry of tarEntries(createReadStream(archive))) {
    const chunks: Buffer[] = [];
    for await (const c of entry.body) chunks.push(c);
    let bytes = Buffer.concat(chunks);
    if (entry.name === MANIFEST_ENTRY) {
      const manifest = JSON.parse(bytes.toString()) as Manifest;
      manifest.migrations.push('29991231000000_from_the_future');
      bytes = Buffer.from(JSON.stringify(manifest));
    }
    entries.push({ name: entry.name, size: bytes.length, body: () => Readable.from([bytes]) });
  }
  const newer = join(work, 'newer.backup');
  await pipeline(Readable.from(tarStream(entries)), createWriteStream(newer));
  const res = await cli(['restore', newer], { DATABASE_URL: NEWER, A2D2_DATA_DIR: join(work, 'newer-data') });
  assert.equal(res.code, 0, res.err);
  assert.match(res.err, /Warning: the backup was made by a2d2 .* 1 migration\(s\) this version does not know \(first 29991231000000_from_the_future\)/);
  assert.match(res.out, /row counts match the backup/);
});
