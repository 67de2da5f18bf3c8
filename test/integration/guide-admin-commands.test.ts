/**
 * Every `a2d2 ...` command line shown in the admin guide and the FAQ (docs/guide/admin*.md,
 * docs/faq*.md), in fenced blocks or inline code, runs as shown, in a safe form, through the
 * real bin/a2d2.mjs: --help, migrate (and --status / --dry-run) against this file's database,
 * doctor and support-process as they are, `start` (each role) until it is up and then SIGTERM,
 * smoke against a started instance, backup into a temporary file, restore of that file into a
 * fresh database, chat with `help` on stdin. Placeholders stand for what the test provides:
 * https://a2d2.example.com and https://<host> for the started instance, FILE and /var/backups/...
 * for the temporary backup. A command line of a kind this file cannot run safely fails the test,
 * so a new example has to be given a way to run here before it can be shown.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from '../helpers/app.ts';
import { freePort } from '../helpers/ports.ts';
import { waitFor } from '../helpers/wait.ts';

const ROOT = resolve(new URL('../../', import.meta.url).pathname);
const BIN = join(ROOT, 'bin/a2d2.mjs');
const PAGES = ['docs/guide/admin.md', 'docs/guide/admin.ru.md', 'docs/faq.md', 'docs/faq.ru.md'];
const DIR = mkdtempSync(join(tmpdir(), 'a2d2-guide-'));
const YAML = join(DIR, 'a2d2.yaml');
// A short drain keeps each start-and-stop quick; nothing else differs from the defaults.
writeFileSync(YAML, 'shutdown:\n  drain: 300ms\n');
const PREFIX = `guide-${randomUUID().slice(0, 8)}`;

/** The `a2d2 ...` command lines of a Markdown page: lines of fenced blocks and inline code spans. */
export function commandLines(text: string): string[] {
  const out: string[] = [];
  const fences = /^ {0,3}(```|~~~)[^\n]*\n([\s\S]*?)^ {0,3}\1[^\n]*$/gm;
  for (const m of text.matchAll(fences)) {
    for (const line of m[2]!.split('\n')) {
      const l = line.trim().replace(/^\$\s+/, '');
      if (/^a2d2 \S/.test(l)) out.push(l);
    }
  }
  const prose = text.replace(fences, '');
  for (const m of prose.matchAll(/`(a2d2 [^`]+)`/g)) out.push(m[1]!.trim());
  return out;
}

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { SLACK_SIGNING_SECRET: _a, SLACK_BOT_TOKEN: _b, SLACK_APP_TOKEN: _c, TELEGRAM_BOT_TOKEN: _d, OPENAI_API_KEY: _e, OPENAI_BASE_URL: _f, ...rest } = process.env;
  return { ...rest, DATABASE_URL: TEST_DATABASE_URL, REDIS_URL: TEST_REDIS_URL, A2D2_QUEUE_PREFIX: PREFIX, A2D2_DATA_DIR: join(DIR, 'data'), A2D2_CONFIG: YAML, LOG_LEVEL: 'info', ...extra };
}

interface Ran {
  code: number | null;
  out: string;
  err: string;
}

/** Runs bin/a2d2.mjs with `args` to its end. */
function run(args: string[], extra: Record<string, string> = {}, stdin = ''): Promise<Ran> {
  const child = spawn(process.execPath, [BIN, ...args], { env: env(extra), stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  child.stdin.end(stdin);
  return new Promise((r) => child.on('exit', (code) => r({ code, out, err })));
}

interface Started {
  child: ChildProcess;
  port: number;
  output: () => string;
  stop: () => Promise<number | null>;
}

/** Starts `a2d2 <args>` and waits until it is up: /readyz 200, or the worker's start line. */
async function start(args: string[]): Promise<Started> {
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, ...args], { env: env({ PORT: String(port) }), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const worker = args.includes('worker');
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`exited ${child.exitCode}: ${output}`);
      if (worker) return /a2d2 started/.test(output);
      return (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null))?.status === 200;
    },
    `${args.join(' ')} up`,
    60_000,
    100,
  );
  return {
    child,
    port,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

let instance: Promise<Started> | null = null;
const backupFile = join(DIR, 'a2d2.backup');
const databases: string[] = [];

after(async () => {
  if (instance) await (await instance).stop();
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  for (const name of databases) await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await client.end();
  rmSync(DIR, { recursive: true, force: true });
});

/** The words of a command line with the placeholders replaced by what this test provides. */
async function argsOf(line: string): Promise<string[]> {
  const words = line.split(/\s+/).slice(1);
  const out: string[] = [];
  for (const w of words) {
    if (/^https:\/\/(a2d2\.example\.com|<[^>]+>)\/?$/.test(w)) {
      instance ??= start(['start']);
      out.push(`http://127.0.0.1:${(await instance).port}`);
    } else if (w === 'FILE' || w.startsWith('/var/backups/')) out.push(backupFile);
    else out.push(w);
  }
  return out;
}

async function backup(args: string[]): Promise<void> {
  rmSync(backupFile, { force: true });
  const r = await run(args);
  assert.equal(r.code, 0, r.err);
  assert.ok(statSync(backupFile).size > 0, 'the archive was written');
}

/** Runs one command line in its safe form and checks what it must do. */
async function check(line: string): Promise<void> {
  const args = await argsOf(line);
  const [cmd, ...rest] = args;
  if (cmd === '--help') {
    const r = await run(args);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^usage: a2d2 <command>/);
  } else if (cmd === 'migrate') {
    const r = await run(args);
    assert.equal(r.code, 0, r.err);
  } else if (cmd === 'doctor') {
    // Exit 1 is a finding (no Slack here, a Redis without the AOF), not a broken command.
    const r = await run(args);
    assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.err}`);
    if (rest.includes('--json')) assert.ok(JSON.parse(r.out), 'JSON out');
    else assert.match(r.out, rest.includes('ru') ? /^(ок|ошибка) /m : /^(ok|warn|fail) /m);
    assert.match(r.out, /postgres/i);
  } else if (cmd === 'support-process') {
    const r = await run(args);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, rest.includes('ru') ? /^# Процесс поддержки/m : /^# Support process/m);
  } else if (cmd === 'start') {
    const s = await start(args);
    assert.equal(await s.stop(), 0, s.output());
  } else if (cmd === 'smoke') {
    const url = rest.includes('--url') ? [] : ['--url', `http://127.0.0.1:${(await (instance ??= start(['start']))).port}`];
    const r = await run([...args, ...url]);
    assert.equal(r.code, 0, `${r.out}\n${r.err}`);
    if (rest.includes('--json')) assert.ok(JSON.parse(r.out), 'JSON out');
  } else if (cmd === 'backup') {
    await backup(args);
  } else if (cmd === 'restore') {
    if (!statSync(backupFile, { throwIfNoEntry: false })) await backup(['backup', '--out', backupFile]);
    const name = `${new URL(TEST_DATABASE_URL).pathname.slice(1)}_restore_${randomUUID().slice(0, 6)}`;
    databases.push(name);
    const target = new URL(TEST_DATABASE_URL);
    target.pathname = `/${name}`;
    const r = await run(args, { DATABASE_URL: target.toString(), A2D2_DATA_DIR: join(DIR, `restored-${name}`) });
    assert.equal(r.code, 0, r.err);
  } else if (cmd === 'chat') {
    const r = await run(args, {}, 'help\n');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /== What I can do ==/);
  } else {
    assert.fail(`no safe way to run "${line}" here: give its kind a branch in this test before showing it`);
  }
}

const ORDER = ['--help', 'migrate', 'doctor', 'support-process', 'start', 'smoke', 'backup', 'restore', 'chat'];
const shown = [...new Set(PAGES.flatMap((p) => commandLines(readFileSync(join(ROOT, p), 'utf8'))))];
const lines = shown.sort((a, b) => ORDER.indexOf(a.split(' ')[1]!) - ORDER.indexOf(b.split(' ')[1]!));

test('the pages show command lines, and the extraction finds them in blocks and inline code', () => {
  assert.deepEqual(commandLines('run `a2d2 doctor` first\n```sh\n$ a2d2 migrate --status\nnpm start\n```\n`a2d2.yaml` is not one\n'), ['a2d2 migrate --status', 'a2d2 doctor']);
  assert.ok(lines.length >= 15, `command lines shown: ${lines.length}`);
  for (const p of PAGES) assert.ok(commandLines(readFileSync(join(ROOT, p), 'utf8')).length > 0, `${p} shows command lines`);
});

for (const line of lines) {
  test(`runs as shown: ${line}`, { timeout: 120_000 }, () => check(line));
}

test('the Slack manifest in the admin guide asks for exactly the scopes the adapter uses', async () => {
  const { slackBotScopes } = await import('../../bot/adapters/slack/slack-scopes.ts');
  for (const page of ['docs/guide/admin.md', 'docs/guide/admin.ru.md']) {
    const text = readFileSync(join(ROOT, page), 'utf8');
    const block = /bot:\n((?:\s+- [a-z:_]+\n)+)/.exec(text);
    assert.ok(block, `${page} has the manifest's bot scopes`);
    const scopes = [...block[1]!.matchAll(/- ([a-z:_]+)/g)].map((m) => m[1]);
    assert.deepEqual(scopes.sort(), slackBotScopes().sort(), page);
  }
});
