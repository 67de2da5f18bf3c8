import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startFakeTelegram, type FakeTelegram } from '../helpers/fake-telegram.ts';
import { createTelegramClient, type TelegramClient } from '../../bot/adapters/telegram/telegram-client.ts';
import { createTelegramFileFetcher, fetchTelegramFile, TelegramFileError, TELEGRAM_FILE_MAX_BYTES } from '../../bot/adapters/telegram/telegram-files.ts';

let fake: FakeTelegram;
let client: TelegramClient;

before(async () => {
  fake = await startFakeTelegram();
  client = createTelegramClient({ token: fake.token, apiRoot: fake.url });
});
after(async () => {
  await fake.close();
});

test('telegram files: getFile then download returns the exact bytes', async () => {
  const bytes = randomBytes(300_000);
  fake.addFile('DOC-1', bytes, { path: 'documents/file_7.pdf' });
  const f = await fetchTelegramFile(client, 'DOC-1');
  assert.ok(f.bytes.equals(bytes));
  assert.equal(f.size, bytes.length);
  assert.equal(f.name, 'file_7.pdf');
  assert.equal(fake.callsOf('getFile').at(-1)!.payload.file_id, 'DOC-1');
});

test('telegram files: a file reported over 20 MB is refused before downloading', async () => {
  fake.addFile('BIG', Buffer.from('tiny'), { reportedSize: TELEGRAM_FILE_MAX_BYTES + 1 });
  await assert.rejects(fetchTelegramFile(client, 'BIG'), (err: unknown) => err instanceof TelegramFileError && err.code === 'file_too_big');
});

test('telegram files: a body larger than the limit is cut off while streaming', async () => {
  // Reported small, served larger and without content-length: only the stream check can catch it.
  fake.addFile('LIAR', randomBytes(64 * 1024), { reportedSize: 10, chunked: true });
  await assert.rejects(fetchTelegramFile(client, 'LIAR', { maxBytes: 1024 }), (err: unknown) => err instanceof TelegramFileError && err.code === 'file_too_big');
});

test('telegram files: a declared content-length over the limit is refused without reading the body', async () => {
  fake.addFile('HEADER', randomBytes(4096), { reportedSize: 10 });
  await assert.rejects(fetchTelegramFile(client, 'HEADER', { maxBytes: 1024 }), (err: unknown) => err instanceof TelegramFileError && err.code === 'file_too_big');
});

test('telegram files: an unknown file_id is file_not_found and the error does not carry the token', async () => {
  await assert.rejects(fetchTelegramFile(client, 'NOPE'), (err: unknown) => {
    assert.ok(err instanceof TelegramFileError);
    assert.equal(err.code, 'file_not_found');
    assert.ok(!err.message.includes(fake.token));
    return true;
  });
});

test('telegram files: the neutral fetcher returns the bytes and caps the limit at 20 MB', async () => {
  const bytes = randomBytes(2048);
  fake.addFile('NEUTRAL', bytes);
  const fetcher = createTelegramFileFetcher(client);
  assert.equal(fetcher.platform, 'telegram');
  assert.ok((await fetcher.fetch({ id: 'NEUTRAL' }, { maxBytes: 100 * 1024 * 1024 })).equals(bytes));
  fake.addFile('HUGE', Buffer.from('x'), { reportedSize: TELEGRAM_FILE_MAX_BYTES + 10 });
  await assert.rejects(fetcher.fetch({ id: 'HUGE' }, { maxBytes: 100 * 1024 * 1024 }), (err: unknown) => (err as { code?: string }).code === 'file_too_big');
});
