/**
 * Every a2d2 command line in the fenced blocks of docs/operations/*.md (test/helpers/doc-commands.ts
 * says what a command line is) runs through the real bin/a2d2.mjs, in this mapping:
 * - placeholders: URL and https://<host> are a started `a2d2 start` on a free port; FILE and
 *   a2d2-*.backup are a backup of this file's database made here; a DATABASE_URL or
 *   A2D2_DATA_DIR assignment (and `$(mktemp -d)`) is a scratch database and directory of this
 *   test, so a restore never touches the running instance's database;
 * - a synopsis (`[--json]`, `en|ru`) runs in its shortest form and in its longest, once per
 *   alternative;
 * - smoke runs against the started instance (the `PORT` it reads by default is that instance's);
 *   a session that shows `echo $?` giving 1 for smoke is the "no worker" example: it runs against
 *   an `a2d2 start --role http` instance and must fail its queue check with exit 1;
 * - doctor: exit 0, or 1 for a finding of this machine (no Slack, a Redis without the AOF);
 * - migrate --status: exit 0 and its summary line; backup: exit 0 and an archive; restore: exit 0
 *   into a new scratch database, and with --force into the one a restore just filled.
 * A block after `<!-- commands not run here: <reason> -->` is skipped (the reason is required);
 * any other line with no mapping here fails, so a new example needs a way to run first.
 *
 * The `a2d2 ...` mentions in the pages' inline code (`a2d2 migrate --status` in a sentence) run
 * the same way, once per distinct text, unless a fenced line already runs the same words, plus:
 * - start: the instance above, started by bin/a2d2.mjs (`--role http` the http-only one);
 * - migrate: exit 0 on this test's (already migrated) database; --dry-run: exit 0 and its
 *   "up to date" or "pending" first line;
 * - chat: "help" on its standard input, an answer and exit 0 at the end of the input.
 * What cannot run here is in NOT_RUN_INLINE with its reason; a new mention that is neither fails.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from '../helpers/app.ts';
import { docCommands, inlineMentions, synopsisForms, type DocCommand } from '../helpers/doc-commands.ts';
import { freePort } from '../helpers/ports.ts';
import { waitFor } from '../helpers/wait.ts';

const ROOT = resolve(new URL('../../', import.meta.url).pathname);
const BIN = join(ROOT, 'bin/a2d2.mjs');
const OPS = join(ROOT, 'docs/operations');
const DIR = mkdtempSync(join(tmpdir(), 'a2d2-opsdoc-'));
const YAML = join(DIR, 'a2d2.yaml');
writeFileSync(YAML, 'shutdown:\n  drain: 300ms\n');
const PREFIX = `opsdoc-${randomUUID().slice(0, 8)}`;
const BACKUP = join(DIR, 'a2d2.backup');
const databases: string[] = [];

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { SLACK_SIGNING_SECRET: _a, SLACK_BOT_TOKEN: _b, SLACK_APP_TOKEN: _c, TELEGRAM_BOT_TOKEN: _d, OPENAI_API_KEY: _e, OPENAI_BASE_URL: _f, ALERTMANAGER_TOKEN: _g, ...rest } = process.env;
  return { ...rest, DATABASE_URL: TEST_DATABASE_URL, REDIS_URL: TEST_REDIS_URL, A2D2_QUEUE_PREFIX: PREFIX, A2D2_DATA_DIR: join(DIR, 'data'), A2D2_CONFIG: YAML, LOG_LEVEL: 'warn', ...extra };
}

interface Ran {
  code: number | null;
  out: string;
  err: string;
}

function run(args: string[], extra: Record<string, string> = {}, input?: string): Promise<Ran> {
  const child = spawn(process.execPath, [BIN, ...args], { env: env(extra), stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
  if (input !== undefined) child.stdin!.end(input);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  return new Promise((r) => child.on('exit', (code) => r({ code, out, err })));
}

interface Instance {
  port: number;
  /** Its queue prefix: the http-only one has its own, so no worker of the other answers for it. */
  prefix: string;
  child: ChildProcess;
  exited: Promise<unknown>;
}

async function startInstance(args: string[], prefix: string): Promise<Instance> {
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, 'start', ...args], { env: env({ PORT: String(port), A2D2_QUEUE_PREFIX: prefix }), stdio: 'ignore' });
  const exited = new Promise((r) => child.once('exit', r));
  await waitFor(async () => {
    if (child.exitCode !== null) throw new Error(`a2d2 start ${args.join(' ')} exited ${child.exitCode}`);
    return (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null))?.status === 200;
  }, 'a2d2 start ready', 90_000, 100);
  return { port, prefix, child, exited };
}

const instances = new Map<string, Promise<Instance>>();
const instance = (role: 'all' | 'http') => {
  if (!instances.has(role)) instances.set(role, startInstance(role === 'all' ? [] : ['--role', 'http'], role === 'all' ? PREFIX : `${PREFIX}-http`));
  return instances.get(role)!;
};

after(async () => {
  for (const p of instances.values()) {
    const i = await p.catch(() => null);
    if (i && i.child.exitCode === null) {
      i.child.kill('SIGTERM');
      await i.exited;
    }
  }
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  for (const name of databases) await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await client.end();
  rmSync(DIR, { recursive: true, force: true });
});

/** A new scratch database on the test server (not created: restore creates it). */
function scratchDatabase(): string {
  const name = `${new URL(TEST_DATABASE_URL).pathname.slice(1)}_opsdoc_${randomUUID().slice(0, 6)}`;
  databases.push(name);
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function ensureBackup(): Promise<void> {
  if (statSync(BACKUP, { throwIfNoEntry: false })) return;
  const r = await run(['backup', '--out', BACKUP]);
  assert.equal(r.code, 0, r.err);
}

/** The words with the placeholders replaced by what this test provides. */
async function substitute(args: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const w of args) {
    if (w === 'URL' || /^https:\/\/<[^>]+>\/?$/.test(w)) out.push(`http://127.0.0.1:${(await instance('all')).port}`);
    else if (w === 'FILE' || /^a2d2-[\w-]+\.backup$/.test(w)) out.push(BACKUP);
    else out.push(w);
  }
  return out;
}

/** The environment a line's assignments map to: scratch database and directory. */
function envOf(c: DocCommand, target: { db?: string }): Record<string, string> {
  const extra: Record<string, string> = {};
  for (const k of Object.keys(c.env)) {
    if (k === 'DATABASE_URL') extra.DATABASE_URL = (target.db ??= scratchDatabase());
    else if (k === 'A2D2_DATA_DIR') extra.A2D2_DATA_DIR = mkdtempSync(join(DIR, 'data-'));
    else assert.fail(`no mapping for the assignment ${k} in "${c.line}"`);
  }
  return extra;
}

async function smoke(c: DocCommand, args: string[]): Promise<void> {
  const noWorker = c.exitShown === 1;
  const target = await instance(noWorker ? 'http' : 'all');
  const r = await run(args, { PORT: String(target.port), A2D2_QUEUE_PREFIX: target.prefix });
  if (noWorker) {
    assert.equal(r.code, 1, r.out);
    assert.match(r.out, /^queue +fail +\d+ +no worker answered within/m);
    return;
  }
  assert.equal(r.code, 0, `${r.out}\n${r.err}`);
  if (args.includes('--json')) assert.equal((JSON.parse(r.out) as { ok: boolean }).ok, true);
  else assert.match(r.out, /The deployment is healthy\./);
}

async function restore(c: DocCommand, args: string[], target: { db?: string }): Promise<void> {
  await ensureBackup();
  const extra = envOf(c, target);
  // Without assignments the target is still a scratch database, never the instance's own.
  extra.DATABASE_URL ??= (target.db ??= scratchDatabase());
  extra.A2D2_DATA_DIR ??= mkdtempSync(join(DIR, 'data-'));
  const r = await run(args, extra);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /restored/i);
}

/** Runs one form of a command line and checks what it must do. */
async function runForm(c: DocCommand, form: string[], target: { db?: string }): Promise<void> {
  const args = await substitute(form);
  const [cmd, ...rest] = args;
  if (cmd === 'smoke') return smoke(c, args);
  if (cmd === 'restore') return restore(c, args, target);
  const extra = envOf(c, target);
  if (cmd === 'doctor') {
    const r = await run(args, extra);
    assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.err}`);
    if (rest.includes('--json')) assert.ok(JSON.parse(r.out));
    else assert.match(r.out, /postgres/);
  } else if (cmd === 'start' && (rest.length === 0 || rest.join(' ') === '--role http')) {
    const started = await instance(rest.length ? 'http' : 'all');
    assert.equal((await fetch(`http://127.0.0.1:${started.port}/readyz`)).status, 200);
  } else if (cmd === 'migrate' && rest.length === 0) {
    const r = await run(args, extra);
    assert.equal(r.code, 0, r.err);
  } else if (cmd === 'migrate' && rest.join(' ') === '--dry-run') {
    const r = await run(args, extra);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^-- (Database \S+ is up to date|\d+ pending migration)/m);
  } else if (cmd === 'chat' && rest.length === 0) {
    const r = await run(args, extra, 'help\n');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /\S{3,}/, 'an answer to "help"');
  } else if (cmd === 'migrate' && rest.join(' ') === '--status') {
    const r = await run(args, extra);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^Database \S+: \d+ applied, \d+ pending\./m);
  } else if (cmd === 'backup') {
    rmSync(BACKUP, { force: true });
    const r = await run(args, extra);
    assert.equal(r.code, 0, r.err);
    assert.ok(statSync(BACKUP).size > 0, 'the archive was written');
  } else {
    assert.fail(`no safe way to run "${c.line}" here: give it a mapping in this test, or mark its block "commands not run here"`);
  }
}

const pages = readdirSync(OPS).filter((f) => f.endsWith('.md')).sort();
const shown = pages.flatMap((p) => docCommands(readFileSync(join(OPS, p), 'utf8')).map((c) => ({ page: p, c })));

test('the extraction finds command lines, sessions, exit codes and marks', () => {
  const sample = '```\n$ a2d2 smoke --timeout 2s\nqueue fail\n$ echo $?\n1\n```\n<!-- commands not run here: the target host -->\n```\n0 2 * * * . /etc/env && /opt/a2d2/bin/a2d2.mjs backup --out /x\n```\n```\nDATABASE_URL=postgresql://h/db a2d2 restore FILE\na2d2 doctor: output\n```\n';
  const got = docCommands(sample);
  assert.deepEqual(got.map((c) => [c.args.join(' '), c.exitShown, c.notRunHere]), [
    ['smoke --timeout 2s', 1, undefined],
    ['backup --out /x', undefined, 'the target host'],
    ['restore FILE', undefined, undefined],
    ['doctor: output', undefined, undefined],
  ]);
  assert.deepEqual(synopsisForms(['doctor', '[--lang', 'en|ru]', '[--json]']), [['doctor'], ['doctor', '--lang', 'en', '--json'], ['doctor', '--lang', 'ru', '--json']]);
  assert.ok(shown.length >= 10, `command lines shown: ${shown.length}`);
});

for (const { page, c } of shown) {
  const name = `${page}: ${c.line}`;
  if (c.notRunHere !== undefined) {
    test(`not run here (${c.notRunHere}): ${name}`, () => assert.ok(c.notRunHere!.length >= 10, 'a mark gives its reason'));
    continue;
  }
  test(`runs as shown: ${name}`, { timeout: 180_000 }, async () => {
    const target: { db?: string } = {};
    for (const form of synopsisForms(c.args)) await runForm(c, form, target);
  });
}

/** Inline mentions that cannot run here, by their text, with the reason. */
const NOT_RUN_INLINE: Record<string, string> = {
  'docker run a2d2 doctor': 'needs Docker and the image built from deploy/Dockerfile; its doctor runs here as `a2d2 doctor`',
  'a2d2 start --role': 'names the option, not a command line; its values run here as `a2d2 start` and `a2d2 start --role http`',
  'a2d2 restore': 'names the command, not a command line (no FILE); the restore lines of the fenced blocks run here',
};

const mentioned = new Map<string, { pages: Set<string>; m: ReturnType<typeof inlineMentions>[number] }>();
for (const p of pages) {
  for (const m of inlineMentions(readFileSync(join(OPS, p), 'utf8'))) {
    const seen = mentioned.get(m.text) ?? { pages: new Set<string>(), m };
    seen.pages.add(p);
    mentioned.set(m.text, seen);
  }
}
/** The word lists the fenced lines above run (every synopsis form). */
const fencedRuns = new Set(shown.filter(({ c }) => c.notRunHere === undefined).flatMap(({ c }) => synopsisForms(c.args).map((f) => f.join(' '))));

test('the inline extraction finds mentions and leaves fenced blocks and the chat command out', () => {
  const sample = 'Run `a2d2 migrate --status` first.\n```\na2d2 smoke\n```\nSay `/a2d2 ticket P3 x`, then `docker run a2d2 doctor` and `a2d2.yaml`.\n';
  assert.deepEqual(inlineMentions(sample).map((m) => [m.text, m.command?.args.join(' ') ?? null]), [
    ['a2d2 migrate --status', 'migrate --status'],
    ['docker run a2d2 doctor', null],
  ]);
  assert.ok(mentioned.size >= 8, `inline mentions: ${mentioned.size}`);
  const stale = Object.keys(NOT_RUN_INLINE).filter((text) => !mentioned.has(text));
  assert.deepEqual(stale, [], 'NOT_RUN_INLINE lists only mentions the pages still make');
});

for (const [text, { pages: on, m }] of mentioned) {
  const name = `${[...on].join(', ')}: \`${text}\``;
  const reason = NOT_RUN_INLINE[text];
  if (reason !== undefined) {
    test(`inline, not run here (${reason}): ${name}`, () => assert.ok(reason.length >= 10, 'an entry gives its reason'));
    continue;
  }
  const c = m.command;
  if (c && fencedRuns.has(c.args.join(' '))) continue; // a fenced line's test runs the same words
  test(`inline, runs as shown: ${name}`, { timeout: 180_000 }, async () => {
    assert.ok(c, `"${text}" is not read as a command line: write it as one, or list it in NOT_RUN_INLINE with the reason`);
    const target: { db?: string } = {};
    for (const form of synopsisForms(c.args)) await runForm({ ...c }, form, target);
  });
}
