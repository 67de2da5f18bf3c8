import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from '../helpers/wait.ts';
import { freePort } from '../helpers/ports.ts';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from '../helpers/app.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));


// One build for the file, into a temporary directory (dist/ may be in use by other runs). The
// bundle keeps packages external, so the directory gets a node_modules link to resolve them.
const outDir = mkdtempSync(join(tmpdir(), 'a2d2-build-'));
symlinkSync(join(ROOT, 'node_modules'), join(outDir, 'node_modules'), 'dir');
const main = join(outDir, 'main.js');
test.after(() => rmSync(outDir, { recursive: true, force: true }));

test('npm run build writes the bundle and the files it reads by path', () => {
  const r = spawnSync('npm', ['run', 'build', '--', '--outdir', outDir], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
  assert.ok(existsSync(main), 'main.js');
  assert.ok(existsSync(join(outDir, 'package.json')), 'package.json (version, ESM scope)');
  assert.ok(existsSync(join(outDir, 'processes', 'incident.yaml')), 'shipped process definitions');
  assert.ok(existsSync(join(outDir, 'prisma', 'migrations', 'migration_lock.toml')), 'migrations for the offline migrator');
});

test('the compiled CLI prints its usage for --help', () => {
  const r = spawnSync(process.execPath, [main, '--help'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^usage: a2d2 <command>/);
  assert.match(r.stdout, /start \[--role all\|http\|worker\]/);
});

test('the compiled CLI starts with --role http, becomes ready, and exits cleanly on SIGTERM', async () => {
  const port = await freePort();
  const id = randomUUID().slice(0, 8);
  const { SLACK_SIGNING_SECRET: _a, SLACK_BOT_TOKEN: _b, TELEGRAM_BOT_TOKEN: _c, OPENAI_API_KEY: _d, A2D2_CONFIG: _e, ...rest } = process.env;
  const env = {
    ...rest,
    DATABASE_URL: TEST_DATABASE_URL,
    REDIS_URL: TEST_REDIS_URL,
    PORT: String(port),
    A2D2_QUEUE_PREFIX: `build-${id}`,
    A2D2_DATA_DIR: join(outDir, 'data'),
  };
  // Started from elsewhere than the checkout: nothing may depend on the working directory.
  const child = spawn(process.execPath, [main, 'start', '--role', 'http'], { cwd: tmpdir(), env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  try {
    await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null))?.status === 200, 'readiness', 30_000, 100);
    assert.match(output, /"role":"http"/);
    child.kill('SIGTERM');
    assert.equal(await exited, 0, output);
    assert.match(output, /shutting down/);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});
