/**
 * The terminal cannot show a picture: a reply with one prints its text, then the path of a
 * file (readable by this user only) holding the very bytes the reply carried.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { createTerminalSession } from '../../bot/adapters/terminal/terminal.adapter.ts';

test('a reply with a picture prints its text and the path of a file with its bytes', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'a2d2-term-'));
  try {
    let out = '';
    const output = new Writable({ write: (c, _e, cb) => ((out += String(c)), cb()) });
    const session = createTerminalSession({ input: new PassThrough(), output, userId: 'tess', handle: async () => undefined, imageDir: dir });
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    await session.deliver({ ref: { platform: 'terminal', chatId: 'terminal-tess' }, reply: { text: 'SLA chart', image: { name: '../sla chart.png', alt: 'chart', mimeType: 'image/png', dataBase64: bytes.toString('base64') } } });
    const lines = out.trim().split('\n');
    assert.equal(lines[0], 'SLA chart');
    const path = lines[1]!;
    assert.ok(path.startsWith(`${dir}/`), `written inside the directory given (${path})`);
    assert.match(path, /\.png$/);
    assert.doesNotMatch(path.slice(dir.length + 1), /\//, 'the picture name cannot leave the directory');
    assert.deepEqual(await readFile(path), bytes);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
