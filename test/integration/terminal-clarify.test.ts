/**
 * "Did you mean" in the terminal: `a2d2 chat` (a real process) prints the likeliest commands as
 * numbered choices; typing a number runs that command, and the choice is stored as feedback.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { waitFor } from '../helpers/wait.ts';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from '../helpers/app.ts';
import { CLARIFY_AUDIT } from '../../core/clarify.ts';

const BIN = new URL('../../bin/a2d2.mjs', import.meta.url).pathname;
// The same unsure message as understand-clarify.test.ts checks is still unsure.
const UNSURE = 'numbers please';

function env(): NodeJS.ProcessEnv {
  const { SLACK_SIGNING_SECRET: _a, SLACK_BOT_TOKEN: _b, TELEGRAM_BOT_TOKEN: _c, OPENAI_API_KEY: _d, A2D2_CONFIG: _e, ...rest } = process.env;
  const id = randomUUID().slice(0, 8);
  return { ...rest, DATABASE_URL: TEST_DATABASE_URL, REDIS_URL: TEST_REDIS_URL, A2D2_QUEUE_PREFIX: `term-${id}`, A2D2_DATA_DIR: join(tmpdir(), `a2d2-term-${id}`), LANG: 'en_US.UTF-8' };
}

test('a2d2 chat: an unsure message gets numbered choices; a number runs that command and is stored', async () => {
  const since = new Date();
  const child = spawn(process.execPath, [BIN, 'chat'], { env: env(), stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  try {
    child.stdin.write(`${UNSURE}\n`);
    const asked = await waitFor(() => (/Did you mean/.test(out) && /\[2\]/.test(out) ? out : null), 'the numbered choices', 60_000, 50);
    const choices = [...asked.matchAll(/^ {2}\[(\d+)\] (.+)$/gm)].map((m) => ({ n: m[1]!, label: m[2]! }));
    assert.ok(choices.length >= 2 && choices.length <= 3, asked);
    const help = choices.find((c) => c.label.startsWith('help:'));
    assert.ok(help, `a help choice among ${choices.map((c) => c.label).join(' | ')}`);
    const before = out.length;
    child.stdin.write(`${help.n}\n`);
    await waitFor(() => (/== What I can do ==/.test(out.slice(before)) ? true : null), 'the help the choice ran', 30_000, 50);
    child.stdin.end();
    assert.equal(await exited, 0, err);
  } finally {
    child.kill('SIGKILL');
  }
  const db = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await db.connect();
  try {
    const { rows } = await db.query<{ detail: { text: string; chosen: string; offered: string[] }; chatId: string }>(
      `SELECT detail, "chatId" FROM "AuditLog" WHERE action = $1 AND at >= $2 AND platform = 'terminal' AND detail->>'text' = $3`,
      [CLARIFY_AUDIT, since, UNSURE],
    );
    assert.equal(rows.length, 1, JSON.stringify(rows));
    assert.equal(rows[0]!.detail.chosen, 'core.help');
    assert.ok(rows[0]!.detail.offered.includes('core.help'));
    assert.match(rows[0]!.chatId, /^terminal-/);
  } finally {
    await db.end();
  }
});
