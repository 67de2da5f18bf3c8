/**
 * `a2d2 smoke` as an operator runs it: a real child process (node --import tsx bot/main.ts
 * smoke) against a real running app, with the deployment's environment. Healthy: every check
 * passes and it exits 0. Redis gone, no worker, or a Slack token the platform refuses: the
 * check concerned fails and it exits 1.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startTestApp, TEST_DATABASE_URL, TEST_REDIS_URL, type TestApp } from '../helpers/app.ts';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack.ts';
import { startFakeTelegram, type FakeTelegram } from '../helpers/fake-telegram.ts';
import { startPrivateRedis } from '../helpers/redis-server.ts';
import { waitFor } from '../helpers/wait.ts';
import { freePort } from '../helpers/ports.ts';
import { createRedis } from '../../services/redis.ts';

const ROOT = new URL('../..', import.meta.url).pathname;

interface Row {
  check: string;
  result: 'pass' | 'fail' | 'skip';
  ms: number;
  detail: string;
}
interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  report: { url: string; ok: boolean; checks: Row[] } | null;
}

/** The deployment's environment, as the operator's shell would have it. */
function deploymentEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const { SLACK_SIGNING_SECRET: _a, SLACK_BOT_TOKEN: _b, TELEGRAM_BOT_TOKEN: _c, OPENAI_API_KEY: _d, A2D2_CONFIG: _e, ALERTMANAGER_TOKEN: _f, ...rest } = process.env;
  return {
    ...rest,
    DATABASE_URL: TEST_DATABASE_URL,
    REDIS_URL: TEST_REDIS_URL,
    A2D2_DATA_DIR: join(process.env.A2D2_DATA_DIR ?? tmpdir(), `a2d2-smoke-${randomUUID().slice(0, 8)}`),
    ...env,
  };
}

async function smoke(args: string[], env: Record<string, string>): Promise<Run> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bot/main.ts', 'smoke', ...args], { cwd: ROOT, env: deploymentEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  let report: Run['report'] = null;
  if (args.includes('--json')) {
    try {
      report = JSON.parse(stdout) as Run['report'];
    } catch {
      assert.fail(`--json printed something else than JSON:\n${stdout}\n${stderr}`);
    }
  }
  return { code, stdout, stderr, report };
}

const row = (run: Run, name: string): Row => {
  const r = run.report?.checks.find((c) => c.check === name);
  assert.ok(r, `no ${name} check in ${run.stdout}`);
  return r;
};

async function smokeRows(): Promise<number> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    const r = await client.query(`SELECT 1 FROM "WebhookDelivery" WHERE "source" = 'a2d2-smoke'`);
    return r.rowCount ?? 0;
  } finally {
    await client.end();
  }
}

async function smokeJobKeys(prefix: string): Promise<string[]> {
  const redis = createRedis({ url: TEST_REDIS_URL });
  try {
    return (await redis.keys(`${prefix}:smoke:smoke-*`)).filter((k) => !k.endsWith(':events'));
  } finally {
    await redis.quit();
  }
}

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

const SIGNING = 'smoke-signing-secret';
const TG_SECRET = 'smoke-tg_secret-0123456789';
const AM_TOKEN = 'smoke-alertmanager-token-0123456789';

/** A deployment with every platform configured: Slack and Telegram fakes, Alertmanager. */
async function fullDeployment(): Promise<{ t: TestApp; env: Record<string, string>; prefix: string; slack: FakeSlack; telegram: FakeTelegram }> {
  const slack = await startFakeSlack();
  const telegram = await startFakeTelegram();
  cleanups.push(() => slack.close(), () => telegram.close());
  const prefix = `t-smoke-${randomUUID().slice(0, 8)}`;
  const env = {
    A2D2_QUEUE_PREFIX: prefix,
    SLACK_SIGNING_SECRET: SIGNING,
    SLACK_BOT_TOKEN: slack.token,
    SLACK_API_URL: slack.apiUrl,
    TELEGRAM_BOT_TOKEN: telegram.token,
    TELEGRAM_WEBHOOK_SECRET: TG_SECRET,
    TELEGRAM_API_ROOT: telegram.url,
    ALERTMANAGER_TOKEN: AM_TOKEN,
  };
  const t = await startTestApp({ env, queuePrefix: prefix });
  cleanups.push(() => t.stop());
  return { t, env, prefix, slack, telegram };
}

test('a healthy deployment: every check passes, in a table and as JSON, exit 0; a refused Slack token fails its check', async () => {
  const { t, env, prefix, slack } = await fullDeployment();
  const run = await smoke(['--url', t.url, '--json'], env);
  assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
  assert.equal(run.report?.ok, true);
  assert.deepEqual(
    run.report?.checks.map((c) => c.check),
    ['liveness', 'readiness', 'metrics', 'database', 'queue', 'slack token', 'telegram token', 'slack webhook', 'telegram webhook', 'alertmanager webhook'],
  );
  for (const c of run.report!.checks) {
    assert.equal(c.result, 'pass', `${c.check}: ${c.detail}`);
    assert.ok(Number.isInteger(c.ms) && c.ms >= 0, `${c.check} is timed`);
  }
  assert.match(row(run, 'queue').detail, /a worker answered in \d+ ms/);
  assert.match(row(run, 'slack token').detail, new RegExp(`bot user ${slack.botUserId}`));
  assert.match(row(run, 'telegram token').detail, /@a2d2_test_bot/);
  assert.match(row(run, 'slack webhook').detail, /401/);
  assert.match(row(run, 'telegram webhook').detail, /401/);
  assert.ok(slack.callsTo('auth.test').length >= 2, 'the app and the smoke check both asked Slack');
  // Nothing left behind: no smoke row, no smoke job.
  assert.equal(await smokeRows(), 0);
  assert.deepEqual(await smokeJobKeys(prefix), []);

  const table = await smoke(['--url', t.url], env);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /^check +result +time ms +detail$/m);
  assert.match(table.stdout, /^queue +pass +\d+ +a worker answered/m);
  assert.match(table.stdout, /10 passed, 0 failed, 0 skipped\. The deployment is healthy\./);
  assert.equal(table.stderr, '', 'nothing logged on a healthy run');

  const refused = await smoke(['--url', t.url, '--json'], { ...env, SLACK_BOT_TOKEN: 'xoxb-revoked-token' });
  assert.equal(refused.code, 1, refused.stdout);
  assert.equal(refused.report?.ok, false);
  assert.equal(row(refused, 'slack token').result, 'fail');
  assert.match(row(refused, 'slack token').detail, /Slack refused the token: invalid_auth/);
  assert.equal(refused.report?.checks.filter((c) => c.result === 'fail').length, 1, 'only the Slack token check fails');
  assert.doesNotMatch(refused.stdout, /xoxb-revoked-token/);
});

/** `a2d2 start` as its own process (its connections to a Redis killed later are its own). */
async function startDeployment(env: Record<string, string>): Promise<{ url: string; kill(): Promise<void> }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['bin/a2d2.mjs', 'start'], { cwd: ROOT, env: deploymentEnv({ ...env, PORT: String(port), LOG_LEVEL: 'warn' }), stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = `http://127.0.0.1:${port}`;
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  cleanups.push(kill);
  await waitFor(async () => (await fetch(`${url}/readyz`)).status === 200, 'a2d2 start ready', 30_000, 100);
  return { url, kill };
}

test('Redis stopped under a running deployment: the queue check fails and smoke exits 1', async () => {
  const redis = await startPrivateRedis([]);
  cleanups.push(() => redis.close());
  const env = { A2D2_QUEUE_PREFIX: `t-smoke-${randomUUID().slice(0, 8)}`, REDIS_URL: redis.url };
  const app = await startDeployment(env);
  const healthy = await smoke(['--url', app.url, '--json', '--timeout', '5s'], env);
  assert.equal(healthy.code, 0, healthy.stdout);
  assert.equal(row(healthy, 'queue').result, 'pass');
  await redis.kill9();
  const run = await smoke(['--url', app.url, '--json', '--timeout', '3s'], env);
  assert.equal(run.code, 1, run.stdout);
  const queue = row(run, 'queue');
  assert.equal(queue.result, 'fail');
  assert.match(queue.detail, /connect to Redis failed|no answer within/);
  assert.ok(queue.ms < 3_000 + 2_500, `the queue check keeps to its deadline (${queue.ms} ms)`);
  assert.equal(row(run, 'readiness').result, 'fail');
  assert.match(row(run, 'readiness').detail, /503, not ready: redis down/);
  assert.equal(row(run, 'liveness').result, 'pass');
  assert.equal(row(run, 'database').result, 'pass');
  assert.equal(row(run, 'slack token').result, 'skip');
  await app.kill();
});

test('no worker role running: the queue round trip fails within --timeout, exit 1, and the job is taken back', async () => {
  const prefix = `t-smoke-${randomUUID().slice(0, 8)}`;
  const env = { A2D2_QUEUE_PREFIX: prefix };
  const t = await startTestApp({ env, queuePrefix: prefix, role: 'http' });
  cleanups.push(() => t.stop());
  const run = await smoke(['--url', t.url, '--json', '--timeout', '2s'], env);
  assert.equal(run.code, 1, run.stdout);
  const queue = row(run, 'queue');
  assert.equal(queue.result, 'fail');
  assert.match(queue.detail, /no worker answered within 2000 ms \(the job was waiting; is a worker role running\?\)/);
  assert.ok(queue.ms >= 2_000, `${queue.ms} ms: the check waited its whole --timeout`);
  for (const name of ['liveness', 'readiness', 'metrics', 'database']) assert.equal(row(run, name).result, 'pass', name);
  assert.deepEqual(await smokeJobKeys(prefix), [], 'the unanswered job was removed');

  // With defaultLocale: ru the table, its details and skip reasons are Russian; JSON stays English.
  const yaml = join(process.env.A2D2_DATA_DIR ?? tmpdir(), `a2d2-smoke-ru-${randomUUID().slice(0, 8)}.yaml`);
  await writeFile(yaml, 'defaultLocale: ru\n');
  const ru = await smoke(['--url', t.url, '--timeout', '2s'], { ...env, A2D2_CONFIG: yaml });
  assert.equal(ru.code, 1, ru.stdout);
  assert.match(ru.stdout, /^проверка +итог +время мс +подробности$/m);
  assert.match(ru.stdout, /^queue +ошибка +\d+ +ни один воркер не ответил за 2000 мс \(задание было в состоянии waiting; запущена ли роль worker\?\)$/m);
  assert.match(ru.stdout, /^database +ок +\d+ +строка записана, прочитана и удалена$/m);
  assert.match(ru.stdout, /^slack token +пропуск +- +Slack не настроен$/m);
  assert.doesNotMatch(ru.stdout, /worker answered|not configured|wrote, read back/);
});

test('a DATABASE_URL listing several hosts, the first one down: the database check writes on the writable host', async () => {
  const prefix = `t-smoke-${randomUUID().slice(0, 8)}`;
  const t = await startTestApp({ env: { A2D2_QUEUE_PREFIX: prefix }, queuePrefix: prefix });
  cleanups.push(() => t.stop());
  const multi = TEST_DATABASE_URL.replace('@127.0.0.1:5432/', `@127.0.0.1:${await freePort()},127.0.0.1:5432/`);
  assert.notEqual(multi, TEST_DATABASE_URL, 'the test database is on 127.0.0.1:5432');
  const env = { A2D2_QUEUE_PREFIX: prefix, DATABASE_URL: `${multi}${multi.includes('?') ? '&' : '?'}target_session_attrs=read-write` };
  const run = await smoke(['--url', t.url, '--json', '--timeout', '5s'], env);
  assert.equal(row(run, 'database').result, 'pass', row(run, 'database').detail);
  assert.equal(row(run, 'database').detail, 'wrote, read back and deleted a row');
  assert.equal(run.code, 0, run.stdout);
  assert.equal(await smokeRows(), 0, 'the row was deleted');
});

test('smoke refuses a bad option with one line, before checking anything', async () => {
  const run = await smoke(['--timeout', '10'], { A2D2_QUEUE_PREFIX: 'unused' });
  assert.equal(run.code, 1);
  assert.match(run.stderr, /^a2d2: --timeout takes a duration with a unit, such as 10s or 500ms, not "10"\n$/);
  assert.equal(run.stdout, '');
});
