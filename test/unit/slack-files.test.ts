import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createSlackFileFetcher, SlackFileError } from '../../bot/adapters/slack/slack-files.ts';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack.ts';

let fake: FakeSlack;
before(async () => {
  fake = await startFakeSlack();
});
after(async () => {
  await fake.close();
});

const pdf = Buffer.from('%PDF-1.4 fake invoice bytes');

function fetcher(maxBytes = 1024, token = fake.token) {
  return createSlackFileFetcher({ token, apiUrl: fake.apiUrl, maxBytes });
}

function isCode(code: string) {
  return (err: unknown) => err instanceof SlackFileError && err.code === code;
}

test('downloads url_private_download with the bot token', async () => {
  const url = fake.addFile({ id: 'F1', name: 'inv.pdf', mimetype: 'application/pdf', bytes: pdf });
  const got = await fetcher()({ id: 'F1', name: 'inv.pdf', mimeType: 'application/pdf', size: pdf.length, url });
  assert.deepEqual(got.bytes, pdf);
  assert.equal(got.name, 'inv.pdf');
});

test('without a URL it asks files.info first', async () => {
  fake.addFile({ id: 'F2', name: 'c.pdf', mimetype: 'application/pdf', bytes: pdf });
  const got = await fetcher()({ id: 'F2' });
  assert.deepEqual(got.bytes, pdf);
  assert.equal(got.mimeType, 'application/pdf');
  assert.equal(fake.callsTo('files.info').at(-1)!.args.file, 'F2');
});

test('files over the limit are refused before download when the size is known', async () => {
  const url = fake.addFile({ id: 'F3', name: 'big.bin', mimetype: 'application/octet-stream', bytes: Buffer.alloc(2048) });
  const downloads = fake.downloads;
  await assert.rejects(() => fetcher(1024)({ id: 'F3', size: 2048, url }), isCode('too_large'));
  assert.equal(fake.downloads, downloads);
});

test('files over the limit are refused while reading when the size was not reported', async () => {
  const url = fake.addFile({ id: 'F4', name: 'big.bin', mimetype: 'application/octet-stream', bytes: Buffer.alloc(4096) });
  await assert.rejects(() => fetcher(1024)({ id: 'F4', url }), isCode('too_large'));
});

test('the token is never sent to a host other than Slack or the configured API', async () => {
  await assert.rejects(() => fetcher()({ id: 'F5', url: 'https://attacker.example/steal' }), isCode('untrusted_host'));
  await assert.rejects(() => fetcher()({ id: 'F5', url: 'http://files.slack.com/x' }), isCode('untrusted_host'));
});

test('a login page instead of the file (bad token or missing scope) is an error, not the file', async () => {
  const url = fake.addFile({ id: 'F6', name: 'a.pdf', mimetype: 'application/pdf', bytes: pdf });
  await assert.rejects(() => fetcher(1024, 'xoxb-wrong')({ id: 'F6', url, mimeType: 'application/pdf' }), isCode('not_authorized'));
});

test('a missing file is an http error', async () => {
  await assert.rejects(() => fetcher()({ id: 'F404', url: `${fake.origin}/files-pri/T0001-F404/download/x` }), isCode('http_error'));
});
