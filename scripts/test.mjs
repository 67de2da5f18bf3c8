#!/usr/bin/env node
// Test runner: prepares the test database (created and migrated offline), then runs every
// test file with node's own runner through tsx. Usage: npm test [-- file-or-dir ...]
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const env = {
  ...process.env,
  DATABASE_URL: process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/a2d2_test',
  REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
};

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

const migrate = spawnSync(process.execPath, ['bin/a2d2.mjs', 'migrate'], { env: { ...env, LOG_LEVEL: 'warn' }, stdio: 'inherit' });
if (migrate.status !== 0) {
  console.error('test database migration failed');
  process.exit(migrate.status ?? 1);
}

const run = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-timeout=600000', ...files],
  { env, stdio: 'inherit' },
);
process.exit(run.status ?? 1);
