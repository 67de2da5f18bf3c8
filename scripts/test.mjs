#!/usr/bin/env node
// Test runner: migrates a template database once, then runs the test files in parallel with
// node's own runner through tsx; each test process copies the template into a database of
// its own (test/helpers/test-db-preload.ts), so files never see each other's rows.
// Usage: npm test [-- file-or-dir ...]
//   TEST_DATABASE_URL  base name of this run's databases (default .../a2d2_test); runs with
//                      different base names never touch each other's databases
//   TEST_CONCURRENCY   test files run at once (default 3)
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const db = await tsImport('../test/helpers/test-db.ts', import.meta.url);

const baseUrl = process.env.TEST_DATABASE_URL ?? db.DEFAULT_TEST_DATABASE_URL;
const concurrency = process.env.TEST_CONCURRENCY ?? '3';
if (!/^[1-9]\d*$/.test(concurrency)) {
  console.error(`TEST_CONCURRENCY must be a positive whole number, not "${concurrency}"`);
  process.exit(1);
}

function collect(path, out) {
  if (statSync(path).isDirectory()) {
    for (const name of readdirSync(path).sort()) collect(join(path, name), out);
  } else if (path.endsWith('.test.ts')) {
    out.push(path);
  }
  return out;
}

const targets = process.argv.slice(2);
const files = (targets.length ? targets : ['test']).flatMap((t) => collect(t, []));
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}

const { DATABASE_URL: _ignored, ...inherited } = process.env;
const env = {
  ...inherited,
  REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  A2D2_TEST_BASE_URL: baseUrl,
  A2D2_TEST_RUNNER_PID: String(process.pid),
};

// What a killed run with this base left behind (runs still going are left alone).
const leftovers = await db.sweepProcessDatabases(baseUrl);
if (leftovers.length) console.error(`# dropped ${leftovers.length} database(s) left by an earlier run`);

// The template, and the base itself: a test file run without this script
// (`node --import tsx --test file`) and the benches use the base database directly.
for (const [what, databaseUrl] of [['template', db.templateUrl(baseUrl)], ['base', baseUrl]]) {
  const migrate = spawnSync(process.execPath, ['bin/a2d2.mjs', 'migrate'], {
    env: { ...env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' },
    stdio: 'inherit',
  });
  if (migrate.status !== 0) {
    console.error(`test ${what} database migration failed`);
    process.exit(migrate.status ?? 1);
  }
}

// Worker threads (OCR, PDF parsing) inherit these flags, and in a worker a .ts file given to
// --import does not load (tsx's hooks are not in place for it yet). So the flag names a
// small JS module that loads the .ts preload in a process's main thread only.
const preload = pathToFileURL('test/helpers/test-db-preload.ts').href;
const mainThreadPreload = `import { isMainThread } from 'node:worker_threads';
if (isMainThread) await import(${JSON.stringify(preload)});`;

const run = spawn(
  process.execPath,
  [
    '--import', 'tsx',
    '--import', `data:text/javascript,${encodeURIComponent(mainThreadPreload)}`,
    '--test',
    `--test-concurrency=${concurrency}`,
    '--test-timeout=600000',
    ...files,
  ],
  { env, stdio: 'inherit' },
);
// Ctrl-C reaches the whole process group; a signal sent to this process alone (a CI timeout)
// is passed on, and either way the run's databases are dropped before exiting.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => run.kill(signal));
}
const status = await new Promise((resolve) => run.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
await db.sweepProcessDatabases(baseUrl, process.pid);
process.exit(status);
