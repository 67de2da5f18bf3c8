/**
 * The backup archive's ustar writer and reader against GNU tar: each reads what the other
 * wrote (long names in the prefix field, sizes on and off block boundaries, odd chunking),
 * sizes past 8 GiB in base-256, and damaged or cut-off archives are refused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ArchiveError, tarEntries, tarHeader, tarStream, type TarSource } from '../../services/backup/tar.ts';

const LONG = `files/blobs/${'d'.repeat(60)}/${'e'.repeat(64)}`;
const contents: Record<string, Buffer> = {
  'manifest.json': Buffer.from('{"a":1}\n'),
  'exact-block': randomBytes(1024),
  'empty': Buffer.alloc(0),
  [LONG]: randomBytes(70_001),
};

/** A source that hands its bytes out in uneven chunks. */
function chunked(bytes: Buffer): () => AsyncIterable<Buffer> {
  return async function* () {
    for (let i = 0, step = 1; i < bytes.length; i += step, step = (step * 7) % 9973 + 1) yield bytes.subarray(i, i + step);
  };
}

async function readAll(source: AsyncIterable<Buffer>): Promise<Record<string, Buffer>> {
  const out: Record<string, Buffer> = {};
  for await (const entry of tarEntries(source)) {
    const parts: Buffer[] = [];
    for await (const c of entry.body) parts.push(c);
    out[entry.name] = Buffer.concat(parts);
  }
  return out;
}

test('GNU tar reads what the writer wrote, and the reader reads what GNU tar wrote', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'a2d2-tar-'));
  try {
    const sources: TarSource[] = Object.entries(contents).map(([name, bytes]) => ({ name, size: bytes.length, body: chunked(bytes) }));
    const ours = join(dir, 'ours.tar');
    await pipeline(Readable.from(tarStream(sources)), createWriteStream(ours));
    const out = join(dir, 'out');
    await mkdir(out);
    execFileSync('tar', ['-xf', ours, '-C', out]);
    for (const [name, bytes] of Object.entries(contents)) assert.ok((await readFile(join(out, name))).equals(bytes), name);

    const theirs = join(dir, 'theirs.tar');
    execFileSync('tar', ['--format=ustar', '-cf', theirs, '-C', out, ...Object.keys(contents)]);
    const read = await readAll(createReadStream(theirs, { highWaterMark: 777 }));
    assert.deepEqual(Object.keys(read).sort(), Object.keys(contents).sort());
    for (const [name, bytes] of Object.entries(contents)) assert.ok(read[name]!.equals(bytes), name);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a size past 8 GiB is written in base-256 and read back', async () => {
  const size = 9 * 1024 ** 3 + 5;
  const header = tarHeader('big', size);
  assert.equal(header[124], 0x80);
  for await (const entry of tarEntries(Readable.from([header]))) {
    assert.equal(entry.size, size);
    break;
  }
});

test('a cut-off archive, a damaged header and a file that is not an archive are refused', async () => {
  const parts: Buffer[] = [];
  for await (const b of tarStream([{ name: 'a', size: 3000, body: chunked(randomBytes(3000)) }])) parts.push(b);
  const bytes = Buffer.concat(parts);
  await assert.rejects(readAll(Readable.from([bytes.subarray(0, 2000)])), (e) => e instanceof ArchiveError && /stops in the middle of a/.test(e.message));
  await assert.rejects(readAll(Readable.from([bytes.subarray(0, 512 * 7)])), (e) => e instanceof ArchiveError && /before its end/.test(e.message));
  const damaged = Buffer.from(bytes);
  damaged[10] = 0x41;
  await assert.rejects(readAll(Readable.from([damaged])), (e) => e instanceof ArchiveError && /checksum mismatch/.test(e.message));
  await assert.rejects(readAll(Readable.from([randomBytes(4096)])), ArchiveError);
  await assert.rejects(readAll(Readable.from([])), (e) => e instanceof ArchiveError && /empty/.test(e.message));
});
