/**
 * `a2d2 doctor` as an operator runs it: a real child process (node --import tsx bot/main.ts
 * doctor) with the site's environment, against the test database, redis-servers of its own
 * (so CONFIG SET touches nobody else's), a running http role, and the fake Slack, Telegram
 * and OpenAI servers. A site set up right passes (exit 0, warnings allowed); a missing Slack
 * scope, an evicting Redis without persistence, a webhook registered elsewhere, a chat the bot
 * cannot post in fail (exit 1);
 * an invalid config, unreachable stores and a silent Redis fail with the fix.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, TEST_DATABASE_URL, type TestApp } from '../helpers/app.ts';
import { startFakeSlack, FAKE_SLACK_SCOPES, type FakeSlack } from '../helpers/fake-slack.ts';
import { startFakeTelegram, type FakeTelegram } from '../helpers/fake-telegram.ts';
import { startFakeOpenAI } from '../helpers/fake-openai.ts';
import { startPrivateRedis, type PrivateRedis } from '../helpers/redis-server.ts';
import pg from 'pg';
import { dropDatabase, scratchDatabaseUrl } from '../helpers/test-db.ts';
import { runMigrations } from '../../services/db/migration-runner.ts';
import { freePort } from '../helpers/ports.ts';
import { createRedis } from '../../services/redis.ts';

const ROOT = new URL('../..', import.meta.url).pathname;

interface Row {
  check: string;
  level: 'ok' | 'warn' | 'fail' | 'skip';
  ms: number;
  key: string;
  message: string;
  fix?: string;
}
interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  rows: Row[];
}

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

/** The site's environment, as the operator's shell would have it (nothing of the test runner's platforms). */
function siteEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const { SLACK_SIGNING_SECRET: _a, SLACK_BOT_TOKEN: _b, TELEGRAM_BOT_TOKEN: _c, OPENAI_API_KEY: _d, OPENAI_BASE_URL: _e, A2D2_CONFIG: _f, TELEGRAM_WEBHOOK_SECRET: _g, TELEGRAM_WEBHOOK_URL: _h, A2D2_PUBLIC_URL: _i, ...rest } = process.env;
  return { ...rest, DATABASE_URL: TEST_DATABASE_URL, A2D2_DATA_DIR: mkdtempSync(join(process.env.A2D2_DATA_DIR ?? tmpdir(), 'a2d2-doctor-')), ...env };
}

async function doctor(args: string[], env: Record<string, string>): Promise<Run> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bot/main.ts', 'doctor', ...args], { cwd: ROOT, env: siteEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  let rows: Row[] = [];
  if (args.includes('--json')) {
    try {
      rows = (JSON.parse(stdout) as { checks: Row[] }).checks;
    } catch {
      assert.fail(`--json printed something else than JSON:\n${stdout}\n${stderr}`);
    }
  }
  return { code, stdout, stderr, rows };
}

const row = (run: Run, name: string): Row => {
  const r = run.rows.find((c) => c.check === name);
  assert.ok(r, `no ${name} check in ${run.stdout}`);
  return r;
};

const SIGNING = 'doctor-signing-secret';
const TG_SECRET = 'doctor-tg_secret-0123456789';
const WEBHOOK_URL = 'https://bot.example.test/telegram/webhook';

async function privateRedis(args: string[]): Promise<PrivateRedis> {
  const r = await startPrivateRedis(args);
  cleanups.push(() => r.close());
  return r;
}

/** An a2d2.yaml of these lines in a directory of its own; its path. */
function yamlFile(lines: string[]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'a2d2-doctor-yaml-')), 'a2d2.yaml');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

async function fakes(scopes: string[]): Promise<{ env: Record<string, string>; telegram: FakeTelegram; slack: FakeSlack; slackToken: string; models: { models: string[] } }> {
  const slack = await startFakeSlack({ scopes });
  const telegram = await startFakeTelegram();
  const openai = await startFakeOpenAI();
  cleanups.push(() => slack.close(), () => telegram.close(), () => openai.close());
  const env = {
    SLACK_SIGNING_SECRET: SIGNING,
    SLACK_BOT_TOKEN: slack.token,
    SLACK_API_URL: slack.apiUrl,
    TELEGRAM_BOT_TOKEN: telegram.token,
    TELEGRAM_WEBHOOK_SECRET: TG_SECRET,
    TELEGRAM_WEBHOOK_URL: WEBHOOK_URL,
    TELEGRAM_API_ROOT: telegram.url,
    OPENAI_BASE_URL: openai.url,
    OPENAI_API_KEY: 'sk-doctor-test-key-0123456789',
    OPENAI_MODEL: 'gpt-4o-mini',
  };
  return { env, telegram, slack, slackToken: slack.token, models: openai };
}

/** A running http role, started once: what the public URL leads to. */
let httpRole: TestApp | null = null;
async function publicUrl(): Promise<string> {
  if (!httpRole) {
    const t = await startTestApp({ role: 'http' });
    httpRole = t;
    cleanups.push(() => t.stop());
  }
  return httpRole.url;
}

test('a site set up right: every check ok (plain-http public URL a warning), exit 0; no secret printed', async () => {
  const redis = await privateRedis(['--appendonly', 'yes', '--appendfsync', 'everysec', '--maxmemory-policy', 'noeviction']);
  const { env, telegram, slackToken } = await fakes(FAKE_SLACK_SCOPES);
  telegram.webhook.url = WEBHOOK_URL; // as the http role's start registers it
  telegram.webhook.pending_update_count = 3;
  // Chats the configuration posts to: a Slack channel the bot is in, a Telegram supergroup and a
  // channel where it is an administrator that may post.
  telegram.chats.set('-1001', { type: 'supergroup', status: 'member' });
  telegram.chats.set('-1002', { type: 'channel', status: 'administrator', canPostMessages: true });
  env.A2D2_CONFIG = yamlFile([
    'alerts:',
    '  routes:',
    '    - destinations: [slack:C0OPS, telegram:-1001]',
    '  defaultDestinations: [telegram:-1002]',
    'tickets:',
    '  triage: { platform: slack, chatId: C0OPS }',
  ]);
  const url = await publicUrl();
  const run = await doctor(['--json', '--public-url', url], { ...env, REDIS_URL: redis.url });
  assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
  assert.deepEqual(
    run.rows.map((r) => r.check),
    ['config', 'postgres', 'migrations', 'clock', 'redis', 'redis eviction', 'redis persistence', 'slack', 'telegram', 'telegram webhook', 'destinations', 'llm', 'public url', 'disk', 'ocr'],
  );
  for (const r of run.rows.filter((x) => x.check !== 'public url')) assert.equal(r.level, 'ok', `${r.check}: ${r.message} ${r.fix ?? ''}`);
  assert.equal(row(run, 'public url').level, 'warn');
  assert.match(row(run, 'public url').fix ?? '', /TLS/);
  assert.match(row(run, 'migrations').message, /^all \d+ migrations applied\.$/);
  assert.match(row(run, 'redis').message, /^Redis \d+\.\d+/);
  assert.match(row(run, 'slack').message, /bot user UBOT0001/);
  assert.match(row(run, 'telegram webhook').message, new RegExp(`registered at ${WEBHOOK_URL}; 3 update`));
  assert.match(row(run, 'llm').message, /answers: default; 2 model\(s\) listed\./);
  assert.match(row(run, 'destinations').message, /every configured chat \(3\)/);
  // The defaults (eng, rus) with Debian's tesseract-ocr, -rus and -eng installed (.ci/run does).
  assert.match(row(run, 'ocr').message, /^language data found for eng, rus; engine tesseract, scanned PDF pages rendered by pdftoppm\.$/);
  assert.ok(telegram.callsOf('getWebhookInfo').length === 1 && telegram.callsOf('getMe').length === 1);
  for (const secret of [slackToken, telegram.token, env.OPENAI_API_KEY!, SIGNING, TG_SECRET]) assert.ok(!run.stdout.includes(secret), 'a secret was printed');

  // The same as lines, in the config's language unless --lang says otherwise.
  const text = await doctor(['--public-url', url, '--lang', 'ru'], { ...env, REDIS_URL: redis.url });
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /^ок +redis: вытеснение +maxmemory-policy: noeviction, как и нужно\.$/m);
  assert.match(text.stdout, /^внимание +публичный адрес +.*Что сделать: /m);
  assert.match(text.stdout, /в порядке: 14, предупреждений: 1, ошибок: 0, пропущено: 0\. Можно запускать; прочтите предупреждения\./);
});

test('a missing Slack scope, an evicting Redis without persistence, a webhook registered elsewhere, chats the bot cannot post in: fail lines with the fix, exit 1', async () => {
  const redis = await privateRedis([]); // no AOF, no snapshots (--save '')
  const admin = createRedis({ url: redis.url });
  await admin.config('SET', 'maxmemory-policy', 'allkeys-lru');
  await admin.quit();
  const { env, telegram, slack, models } = await fakes(FAKE_SLACK_SCOPES.filter((s) => s !== 'groups:history' && s !== 'files:read'));
  telegram.webhook.url = 'https://other.example.test/telegram/webhook';
  models.models = ['some-other-model'];
  // Russian OCR configured without its language data: no native command, no system data (English ships as a package).
  // Chats the bot cannot post in: a Slack channel it is not in, a Telegram channel where it is
  // only a member, a chat that does not exist.
  slack.refuseChannel('C0NOTIN', 'not_in_channel');
  telegram.chats.set('-1002', { type: 'channel', status: 'member' });
  env.A2D2_CONFIG = yamlFile([
    'documents:',
    '  ocrLanguages: [eng, rus]',
    `  ocrLangPath: ${tmpdir()}/a2d2-doctor-no-ocr-data`,
    `  ocr: { command: ${tmpdir()}/a2d2-doctor-no-tesseract, tessdataRoots: [${tmpdir()}/a2d2-doctor-no-tessdata] }`,
    'alerts:',
    '  routes:',
    '    - destinations: [slack:C0OPS, slack:C0NOTIN]',
    'tickets:',
    '  escalation:',
    '    P1: [{ after: 1h, to: { platform: telegram, chatId: "-1002" } }, { after: 2h, to: { platform: telegram, chatId: "-1009" } }]',
  ]);
  const run = await doctor(['--json', '--public-url', await publicUrl()], { ...env, REDIS_URL: redis.url });
  assert.equal(run.code, 1, run.stdout);
  const scopes = row(run, 'slack');
  assert.equal(scopes.level, 'fail');
  assert.match(scopes.message, /lacks scopes: groups:history, files:read\.$/);
  assert.match(scopes.fix ?? '', /add groups:history, files:read under OAuth & Permissions/);
  const eviction = row(run, 'redis eviction');
  assert.equal(eviction.level, 'fail');
  assert.match(eviction.message, /allkeys-lru/);
  assert.match(eviction.fix ?? '', /noeviction/);
  assert.equal(row(run, 'redis persistence').level, 'fail');
  assert.match(row(run, 'redis persistence').fix ?? '', /appendonly yes/);
  assert.equal(row(run, 'redis').level, 'ok');
  const webhook = row(run, 'telegram webhook');
  assert.equal(webhook.level, 'fail');
  assert.match(webhook.message, new RegExp(`other\\.example\\.test.*not at ${WEBHOOK_URL}`));
  assert.equal(row(run, 'llm').level, 'warn');
  assert.match(row(run, 'llm').message, /gpt-4o-mini/);
  const dest = row(run, 'destinations');
  assert.equal(dest.level, 'fail');
  assert.match(dest.message, /slack:C0NOTIN \(alerts\.routes\[0\]\.destinations\[1\]\): not_in_channel/);
  assert.match(dest.message, /telegram:-1002 \(tickets\.escalation\.P1\[0\]\.to\): not_admin/);
  assert.match(dest.message, /telegram:-1009 \(tickets\.escalation\.P1\[1\]\.to\): Bad Request: chat not found/);
  assert.doesNotMatch(dest.message, /C0OPS/);
  assert.match(dest.fix ?? '', /\/invite/);
  const ocr = row(run, 'ocr');
  assert.equal(ocr.level, 'warn');
  assert.match(ocr.message, /^no language data for rus \(of eng, rus\).* Engine tesseract\.js \(.*@tesseract\.js-data.*\) reads eng;/);
  assert.match(ocr.fix ?? '', /apt-get install tesseract-ocr tesseract-ocr-rus\)/);
  assert.match(ocr.fix ?? '', /documents\.ocrLangPath/);
  for (const name of ['config', 'postgres', 'migrations', 'clock', 'telegram', 'disk']) assert.equal(row(run, name).level, 'ok', name);

  const text = await doctor(['--public-url', await publicUrl()], { ...env, REDIS_URL: redis.url });
  assert.equal(text.code, 1);
  assert.match(text.stdout, /^fail +slack +the token \(team Fake, bot user UBOT0001\) lacks scopes: groups:history, files:read\. Fix: add groups:history, files:read/m);
  assert.match(text.stdout, /^fail +redis eviction +maxmemory-policy is allkeys-lru/m);
  assert.match(text.stdout, /Not ready: fix the failed checks first\.\n$/);
});

/** A TCP server that takes connections and never answers (a hung Redis). */
async function silentServer(): Promise<number> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  });
  return (server.address() as { port: number }).port;
}

test('an invalid config is the only check; unreachable stores and refused tokens fail and their dependents skip; a silent Redis times out', async () => {
  const bad = await doctor(['--json'], { A2D2_CONFIG: yamlFile(['defaultLocale: ru', 'http:', '  bodyLimitBytes: -1']) });
  assert.equal(bad.code, 1, bad.stdout);
  assert.deepEqual(bad.rows.map((r) => [r.check, r.level]), [['config', 'fail']]);
  assert.match(bad.rows[0]!.message, /http\.bodyLimitBytes/);
  assert.match(bad.rows[0]!.fix ?? '', /docs\/configuration\.md/);

  // Stores down, and tokens the platforms refuse.
  const { env } = await fakes(FAKE_SLACK_SCOPES);
  const pgPort = await freePort();
  const down = await doctor(['--json', '--timeout', '3s'], {
    ...env,
    SLACK_BOT_TOKEN: 'xoxb-not-the-fakes-token',
    TELEGRAM_BOT_TOKEN: '999:not-the-fakes-token',
    DATABASE_URL: `postgresql://postgres@127.0.0.1:${pgPort}/a2d2`,
    REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
  });
  assert.equal(row(down, 'slack').level, 'fail');
  assert.match(row(down, 'slack').message, /refused the token: invalid_auth/);
  assert.match(row(down, 'slack').fix ?? '', /SLACK_BOT_TOKEN/);
  assert.equal(row(down, 'telegram').level, 'fail');
  assert.match(row(down, 'telegram').message, /refused getMe: 401 Unauthorized/);
  assert.ok(!down.stdout.includes('not-the-fakes-token'), 'a token was printed');
  assert.equal(down.code, 1);
  assert.equal(row(down, 'postgres').level, 'fail');
  assert.match(row(down, 'postgres').message, /ECONNREFUSED/);
  assert.match(row(down, 'postgres').fix ?? '', /DATABASE_URL/);
  assert.deepEqual([row(down, 'migrations').level, row(down, 'clock').level], ['skip', 'skip']);
  assert.equal(row(down, 'redis').level, 'fail');
  assert.match(row(down, 'redis').fix ?? '', /REDIS_URL/);
  assert.deepEqual([row(down, 'redis eviction').level, row(down, 'redis persistence').level], ['skip', 'skip']);
  assert.equal(row(down, 'config').level, 'ok');

  // A database that does not exist yet: a warning with `a2d2 migrate` as the fix, not a failure.
  const fresh = await doctor(['--json', '--timeout', '2s'], {
    DATABASE_URL: scratchDatabaseUrl(TEST_DATABASE_URL, 'doctor'),
    REDIS_URL: `redis://127.0.0.1:${await silentServer()}`,
  });
  assert.equal(row(fresh, 'postgres').level, 'warn');
  assert.equal(row(fresh, 'migrations').level, 'warn');
  assert.match(row(fresh, 'migrations').fix ?? '', /a2d2 migrate/);
  const silent = row(fresh, 'redis');
  assert.equal(silent.level, 'fail');
  assert.match(silent.message, /no answer within 2000 ms/);
  assert.ok(silent.ms < 4_000, `the deadline held (${silent.ms} ms)`);
  assert.equal(fresh.code, 1);

  // Several hosts (the first one down): the writable one is found, as the roles find it.
  const multi = TEST_DATABASE_URL.replace('@127.0.0.1:5432/', `@127.0.0.1:${await freePort()},127.0.0.1:5432/`);
  assert.notEqual(multi, TEST_DATABASE_URL, 'the test database is on 127.0.0.1:5432');
  const hosts = await doctor(['--json'], { DATABASE_URL: `${multi}${multi.includes('?') ? '&' : '?'}target_session_attrs=read-write` });
  assert.deepEqual([row(hosts, 'postgres').level, row(hosts, 'migrations').level, row(hosts, 'clock').level], ['ok', 'ok', 'ok'], hosts.stdout);

  const usage = await doctor(['--lang', 'de'], {});
  assert.equal(usage.code, 1);
  assert.match(usage.stderr, /--lang takes en or ru/);
});

test('an applied migration edited since: the migrations check fails with the refusal, in the operator language', async () => {
  const databaseUrl = scratchDatabaseUrl(TEST_DATABASE_URL, 'docedit');
  cleanups.push(() => dropDatabase(databaseUrl));
  await runMigrations({ databaseUrl });
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const edited = await client.query<{ name: string }>(
    `UPDATE "_prisma_migrations" SET checksum = repeat('0', 64) WHERE migration_name = (SELECT min(migration_name) FROM "_prisma_migrations") RETURNING migration_name AS name`,
  );
  await client.end();
  const name = edited.rows[0]!.name;

  const run = await doctor(['--json', '--timeout', '5s'], { DATABASE_URL: databaseUrl });
  const migrations = row(run, 'migrations');
  assert.equal(migrations.level, 'fail');
  assert.equal(migrations.key, 'cli.migrate.refused.edited');
  assert.match(migrations.message, new RegExp(`^Migration ${name} was changed after it was applied \\(applied checksum 0{64}, file checksum [0-9a-f]{64}\\)`));
  assert.equal(run.code, 1);

  const ru = await doctor(['--lang', 'ru', '--timeout', '5s'], { DATABASE_URL: databaseUrl });
  assert.equal(ru.code, 1);
  const line = ru.stdout.split('\n').find((l) => l.includes(name)) ?? '';
  assert.match(line, new RegExp(`Миграция ${name} изменена после применения`), ru.stdout);
  assert.doesNotMatch(line, /was changed|cannot run/);
});
