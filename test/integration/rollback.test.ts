/**
 * Rolling back the application over a newer schema (docs/operations/rollback.md). A "newer
 * version" is this checkout's migrations plus one more, applied by the runner from a copied
 * folder; the "older version" is `a2d2 start` of this checkout, which lacks that migration.
 * After an additive migration the older version warns, starts and stores a ticket; after a
 * contract step (declared in the newer folder's contract-steps.txt, recorded in
 * _a2d2_contract_steps as it is applied) it refuses to start, naming the step, and starts again
 * only once an operator removes that record. Contract steps applied before the record existed
 * are recorded by the next run of the runner.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cp, mkdtemp, mkdir, rm, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { MIGRATIONS_DIR, readMigrationFiles, runMigrations } from '../../services/db/migration-runner.ts';
import { readContractSteps } from '../../services/db/contract-steps.ts';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from '../helpers/app.ts';
import { freePort } from '../helpers/ports.ts';
import { waitFor } from '../helpers/wait.ts';

const BIN = new URL('../../bin/a2d2.mjs', import.meta.url).pathname;
const ADDITIVE = '29990101000000_rollback_additive';
const CONTRACT = '29990102000000_rollback_contract';
const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** The newer version's migrations folder: this one's, its contract list, and `extra` migrations. */
async function newerFolder(extra: Record<string, string>, contracts: string[] = []): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'a2d2-newer-'));
  dirs.push(dir);
  for (const f of await readMigrationFiles(MIGRATIONS_DIR)) await cp(join(MIGRATIONS_DIR, f.name), join(dir, f.name), { recursive: true });
  await cp(join(MIGRATIONS_DIR, 'contract-steps.txt'), join(dir, 'contract-steps.txt'));
  if (contracts.length) await appendFile(join(dir, 'contract-steps.txt'), `${contracts.join('\n')}\n`);
  for (const [name, sql] of Object.entries(extra)) {
    await mkdir(join(dir, name));
    await writeFile(join(dir, name, 'migration.sql'), sql);
  }
  return dir;
}

async function query<R extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return (await client.query<R>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

interface Started {
  code: number | null;
  output: string;
  /** Status of the REST ticket the running process was asked to store (when it started). */
  ticket?: number;
}

/** `a2d2 start` of this checkout: waits for /readyz and stores a ticket, or for its exit. */
async function startOlder(): Promise<Started> {
  const port = await freePort();
  const token = `api-${randomUUID()}`;
  const dir = await mkdtemp(join(tmpdir(), 'a2d2-older-'));
  dirs.push(dir);
  const { SLACK_SIGNING_SECRET: _a, SLACK_BOT_TOKEN: _b, TELEGRAM_BOT_TOKEN: _c, OPENAI_API_KEY: _d, A2D2_CONFIG: _e, ...rest } = process.env;
  const child = spawn(process.execPath, [BIN, 'start'], {
    env: { ...rest, DATABASE_URL: TEST_DATABASE_URL, REDIS_URL: TEST_REDIS_URL, PORT: String(port), LOG_LEVEL: 'warn', A2D2_API_TOKEN: token, A2D2_QUEUE_PREFIX: `rollback-${randomUUID().slice(0, 8)}`, A2D2_DATA_DIR: dir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  let code: number | null | undefined;
  const exited = new Promise<void>((r) => child.once('exit', (c) => ((code = c), r())));
  const url = `http://127.0.0.1:${port}`;
  const ready = async () => (await fetch(`${url}/readyz`).catch(() => null))?.status === 200;
  await waitFor(async () => code !== undefined || (await ready()), 'the older version to start or exit', 90_000, 100);
  if (code !== undefined) return { code, output };
  const res = await fetch(`${url}/api/v1/tickets`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': randomUUID() },
    body: JSON.stringify({ title: 'Stored by the older version', severity: 'P3' }),
  });
  child.kill('SIGTERM');
  await exited;
  return { code: code ?? null, output, ticket: res.status };
}

test('an older version starts over a newer additive migration with a warning, and refuses one past a contract step', async () => {
  const additive = { [ADDITIVE]: 'ALTER TABLE "Ticket" ADD COLUMN "rollbackArea" TEXT;\n' };
  assert.deepEqual(await runMigrations({ databaseUrl: TEST_DATABASE_URL, migrationsDir: await newerFolder(additive) }), [ADDITIVE]);

  const older = await startOlder();
  assert.equal(older.ticket, 201, older.output);
  assert.match(older.output, new RegExp(`migration ${ADDITIVE} is recorded in the database but not in this version's migrations \\(applied by a newer version\\); continuing`));
  assert.equal(older.code, 0, 'a clean exit after SIGTERM');

  // The next release drops what the older one never used: a contract step, recorded as applied.
  const contract = { ...additive, [CONTRACT]: 'ALTER TABLE "Ticket" DROP COLUMN "rollbackArea";\n' };
  assert.deepEqual(await runMigrations({ databaseUrl: TEST_DATABASE_URL, migrationsDir: await newerFolder(contract, [CONTRACT]) }), [CONTRACT]);
  assert.deepEqual(await query(`SELECT migration_name FROM "_a2d2_contract_steps" WHERE migration_name LIKE '2999%'`), [{ migration_name: CONTRACT }]);

  const refused = await startOlder();
  assert.equal(refused.code, 1, refused.output);
  assert.equal(refused.ticket, undefined, 'it never served');
  assert.match(refused.output, new RegExp(`a2d2: Migration ${CONTRACT} is a contract step applied by a newer version .* and is not in this version's migrations: it removed something this version may still use, so it does not start\\.`));
  assert.match(refused.output, new RegExp(`DELETE FROM "_a2d2_contract_steps" WHERE migration_name = '${CONTRACT}'`));
  // The same refusal for the status and doctor's view: the plan lists it as a problem.
  const status = await runMigrations({ databaseUrl: TEST_DATABASE_URL }).catch((err: Error) => err);
  assert.ok(status instanceof Error && status.message.includes(CONTRACT), String(status));

  // The operator's way past it, once the release notes say this version does not need what it removed.
  await query(`DELETE FROM "_a2d2_contract_steps" WHERE migration_name = $1`, [CONTRACT]);
  const again = await startOlder();
  assert.equal(again.ticket, 201, again.output);
  assert.match(again.output, new RegExp(`migration ${CONTRACT} is recorded in the database but not in this version's migrations`));
});

test('a contract step applied before its record existed is recorded by the next run of a version that lists it', async () => {
  const name = '29990103000000_rollback_contract_unrecorded';
  const step = { [name]: 'CREATE TABLE "RollbackScratch" ("id" INTEGER);\nDROP TABLE "RollbackScratch";\n' };
  // Applied while the list did not name it (as by a runner before the record, or the Prisma tools).
  await runMigrations({ databaseUrl: TEST_DATABASE_URL, migrationsDir: await newerFolder(step) });
  assert.deepEqual(await query(`SELECT 1 FROM "_a2d2_contract_steps" WHERE migration_name = $1`, [name]), []);
  const listing = await newerFolder(step, [name]);
  assert.ok((await readContractSteps(listing)).has(name));
  assert.deepEqual(await runMigrations({ databaseUrl: TEST_DATABASE_URL, migrationsDir: listing }), [], 'nothing left to apply');
  assert.deepEqual(await query(`SELECT migration_name FROM "_a2d2_contract_steps" WHERE migration_name = $1`, [name]), [{ migration_name: name }]);
});
