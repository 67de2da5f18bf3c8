import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import {
  MIGRATIONS_DIR,
  MigrationRefused,
  checksumOf,
  readMigrationFiles,
  runMigrations,
  type RunnerLogger,
} from '../../services/db/migration-runner.ts';
import { applyMigrations } from '../../services/db/migrate.ts';
import { dropDatabase, withDatabase, DEFAULT_TEST_DATABASE_URL } from '../helpers/test-db.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const BIN = join(ROOT, 'bin/a2d2.mjs');
const base = process.env.DATABASE_URL ?? DEFAULT_TEST_DATABASE_URL;
const created: string[] = [];
const dirs: string[] = [];

/** A database of this file's own (a2d2_mig_*), dropped at the end; not created here. */
function urlFor(label: string): string {
  const databaseUrl = withDatabase(base, `a2d2_mig_${label}_${randomBytes(4).toString('hex')}`);
  created.push(databaseUrl);
  return databaseUrl;
}

/** A copy of the repository's migrations, keeping the first `keep` (all by default). */
async function copyMigrations(keep?: number): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'a2d2-migrations-'));
  dirs.push(dir);
  const files = await readMigrationFiles(MIGRATIONS_DIR);
  for (const file of files.slice(0, keep ?? files.length)) await cp(join(MIGRATIONS_DIR, file.name), join(dir, file.name), { recursive: true });
  return dir;
}

async function query<R extends pg.QueryResultRow>(databaseUrl: string, sql: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<R>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

function recording(): RunnerLogger & { lines: string[] } {
  const lines: string[] = [];
  const log = (obj: object | string, msg?: string) => void lines.push(typeof obj === 'string' ? obj : (msg ?? ''));
  return { lines, info: log, warn: (obj, msg) => log(obj, `warn: ${msg ?? obj}`) };
}

function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  const { SLACK_SIGNING_SECRET: _a, SLACK_BOT_TOKEN: _b, TELEGRAM_BOT_TOKEN: _c, OPENAI_API_KEY: _d, A2D2_CONFIG: _e, ...rest } = process.env;
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...rest, LOG_LEVEL: 'warn', A2D2_QUEUE_PREFIX: `mig-${randomBytes(4).toString('hex')}`, ...env } });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out, err })));
}

const rows = (databaseUrl: string) =>
  query<{ migration_name: string; checksum: string; finished: boolean; steps: number; logs: string | null }>(
    databaseUrl,
    `SELECT migration_name, checksum, finished_at IS NOT NULL AS finished, applied_steps_count AS steps, logs
       FROM _prisma_migrations ORDER BY migration_name, started_at`,
  );

after(async () => {
  for (const databaseUrl of created) await dropDatabase(databaseUrl);
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

void test('a fresh database gets every migration once, recorded as the Prisma CLI does; a second run is a no-op', async () => {
  const databaseUrl = urlFor('fresh');
  const files = await readMigrationFiles(MIGRATIONS_DIR);
  assert.ok(files.length > 0);
  const applied = await runMigrations({ databaseUrl });
  assert.deepEqual(applied, files.map((f) => f.name), 'in name order');
  const sha = await Promise.all(files.map(async (f) => createHash('sha256').update(await readFile(join(MIGRATIONS_DIR, f.name, 'migration.sql'))).digest('hex')));
  assert.deepEqual(
    await rows(databaseUrl),
    files.map((f, i) => ({ migration_name: f.name, checksum: sha[i], finished: true, steps: 1, logs: null })),
  );
  const tables = await query<{ n: number }>(databaseUrl, `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'Ticket'`);
  assert.equal(tables[0]?.n, 1);

  assert.deepEqual(await runMigrations({ databaseUrl }), [], 'second run applies nothing');
  assert.equal((await rows(databaseUrl)).length, files.length, 'and records nothing');
});

void test('a database migrated by the Prisma schema engine is up to date for the runner, and the other way round', async () => {
  const quiet = { info() {}, error() {} };
  const byEngine = urlFor('engine');
  await applyMigrations({ databaseUrl: byEngine, logger: quiet });
  assert.deepEqual(await runMigrations({ databaseUrl: byEngine }), [], 'same names, same checksums');

  const byRunner = urlFor('runner');
  await runMigrations({ databaseUrl: byRunner });
  assert.deepEqual(await applyMigrations({ databaseUrl: byRunner, logger: quiet }), [], 'the engine reads our rows');
  const strip = (r: Awaited<ReturnType<typeof rows>>) => r.map(({ migration_name, checksum, finished, steps, logs }) => ({ migration_name, checksum, finished, steps, logs }));
  assert.deepEqual(strip(await rows(byRunner)), strip(await rows(byEngine)));
});

void test('two concurrent runs on a fresh database both succeed, and each migration is applied once', async () => {
  const databaseUrl = urlFor('race');
  const files = await readMigrationFiles(MIGRATIONS_DIR);
  const [a, b] = await Promise.all([runMigrations({ databaseUrl }), runMigrations({ databaseUrl })]);
  assert.deepEqual([...a!, ...b!].sort(), files.map((f) => f.name), `one run applied all: ${a!.length} + ${b!.length}`);
  const recorded = await rows(databaseUrl);
  assert.deepEqual(recorded.map((r) => r.migration_name), files.map((f) => f.name), 'one row per migration');
  assert.ok(recorded.every((r) => r.finished));
});

void test('an applied migration edited afterwards stops the runner and a2d2 start, naming it; nothing else is applied', async () => {
  const dir = await copyMigrations();
  const databaseUrl = urlFor('edited');
  await runMigrations({ databaseUrl, migrationsDir: dir });
  const [first] = await readMigrationFiles(dir);
  await appendFile(join(dir, first!.name, 'migration.sql'), '\n-- edited after it was applied\n');
  await mkdir(join(dir, '29990101000000_later'));
  await writeFile(join(dir, '29990101000000_later', 'migration.sql'), 'CREATE TABLE "Later" ("id" INTEGER);\n');

  await assert.rejects(runMigrations({ databaseUrl, migrationsDir: dir }), (error: Error) => {
    assert.ok(error instanceof MigrationRefused);
    assert.match(error.message, new RegExp(`Migration ${first!.name} was changed after it was applied`));
    return true;
  });
  const later = await query(databaseUrl, `SELECT to_regclass('"Later"') AS t`);
  assert.equal(later[0]?.t, null, 'the pending migration was not applied');

  // The same for a2d2 start on the repository's migrations: the recorded checksum differs.
  await query(databaseUrl, `UPDATE _prisma_migrations SET checksum = $1 WHERE migration_name = $2`, [checksumOf('other'), first!.name]);
  const start = await run([BIN, 'start'], { DATABASE_URL: databaseUrl });
  assert.equal(start.code, 1, start.out + start.err);
  assert.match(start.err, new RegExp(`a2d2: Migration ${first!.name} was changed after it was applied`));
});

void test('a failed migration is rolled back whole and recorded; later runs refuse until it is marked rolled back', async () => {
  const dir = await copyMigrations();
  const databaseUrl = urlFor('failed');
  await runMigrations({ databaseUrl, migrationsDir: dir });
  const name = '29990101000000_broken';
  await mkdir(join(dir, name));
  const sql = join(dir, name, 'migration.sql');
  await writeFile(sql, 'CREATE TABLE "Half" ("id" INTEGER);\nALTER TABLE "Missing" ADD COLUMN "x" INTEGER;\n');

  await assert.rejects(runMigrations({ databaseUrl, migrationsDir: dir }), new RegExp(`Migration ${name} failed and was rolled back: .*Missing`));
  assert.equal((await query(databaseUrl, `SELECT to_regclass('"Half"') AS t`))[0]?.t, null, 'its first statement was undone');
  const row = (await rows(databaseUrl)).find((r) => r.migration_name === name);
  assert.equal(row?.finished, false);
  assert.match(row?.logs ?? '', /42P01/);

  await writeFile(sql, 'CREATE TABLE "Half" ("id" INTEGER);\n');
  await assert.rejects(runMigrations({ databaseUrl, migrationsDir: dir }), new RegExp(`Migration ${name} failed .*rolled_back_at`));
  await query(databaseUrl, `UPDATE _prisma_migrations SET rolled_back_at = now() WHERE migration_name = $1 AND finished_at IS NULL`, [name]);
  assert.deepEqual(await runMigrations({ databaseUrl, migrationsDir: dir }), [name]);
});

void test('an older version against a database with a newer migration warns and runs', async () => {
  const dir = await copyMigrations();
  const databaseUrl = urlFor('older');
  await mkdir(join(dir, '29990101000000_newer'));
  await writeFile(join(dir, '29990101000000_newer', 'migration.sql'), 'ALTER TABLE "Ticket" ADD COLUMN "newer" TEXT;\n');
  await runMigrations({ databaseUrl, migrationsDir: dir });
  await rm(join(dir, '29990101000000_newer'), { recursive: true });
  const logger = recording();
  assert.deepEqual(await runMigrations({ databaseUrl, migrationsDir: dir, logger }), []);
  assert.ok(
    logger.lines.some((l) => /warn: migration 29990101000000_newer is recorded in the database but not in this version's migrations/.test(l)),
    logger.lines.join('\n'),
  );
});

void test('a2d2 migrate --status lists applied and pending; --dry-run prints the pending SQL and applies nothing', async () => {
  const files = await readMigrationFiles(MIGRATIONS_DIR);
  const last = files.at(-1)!;
  const databaseUrl = urlFor('status');
  await runMigrations({ databaseUrl, migrationsDir: await copyMigrations(files.length - 1) });
  const env = { DATABASE_URL: databaseUrl };

  const status = await run([BIN, 'migrate', '--status'], env);
  assert.equal(status.code, 0, status.err);
  const lines = status.out.trim().split('\n');
  assert.equal(lines[0], `Database ${new URL(databaseUrl).pathname.slice(1)}: ${files.length - 1} applied, 1 pending.`);
  for (const file of files.slice(0, -1)) assert.ok(lines.some((l) => l.startsWith(`applied  ${file.name}  `)), file.name);
  assert.ok(lines.includes(`pending  ${last.name}`), status.out);

  const dry = await run([BIN, 'migrate', '--dry-run'], env);
  assert.equal(dry.code, 0, dry.err);
  assert.match(dry.out, /^-- 1 pending migration\(s\) for database a2d2_mig_status_\w+; nothing was applied\./);
  assert.ok(dry.out.includes(`-- Migration ${last.name}\n${last.sql}`), dry.out);
  assert.equal((await rows(databaseUrl)).length, files.length - 1, 'dry run applied nothing');

  const migrate = await run([BIN, 'migrate'], env);
  assert.equal(migrate.code, 0, migrate.err);
  const database = new URL(databaseUrl).pathname.slice(1);
  assert.ok(migrate.out.split('\n').includes(`Database ${database}: 1 migration applied: ${last.name}.`), migrate.out);
  const again = await run([BIN, 'migrate'], env);
  assert.ok(again.out.split('\n').includes(`Database ${database} is up to date: nothing to apply.`), again.out);
  const after = await run([BIN, 'migrate', '--status'], env);
  assert.ok(after.out.split('\n').some((l) => l.startsWith(`applied  ${last.name}  `)), after.out);
  const upToDate = await run([BIN, 'migrate', '--dry-run'], env);
  assert.match(upToDate.out, /is up to date: no pending migrations/);

  const missing = await run([BIN, 'migrate', '--status'], { DATABASE_URL: urlFor('none') });
  assert.equal(missing.code, 0, missing.err);
  assert.match(missing.out, /does not exist yet: every migration is pending/);
});

void test('with defaultLocale: ru the migrate tool answers in Russian: status, refusal, option error', async () => {
  const files = await readMigrationFiles(MIGRATIONS_DIR);
  const [first, last] = [files[0]!, files.at(-1)!];
  const databaseUrl = urlFor('ru');
  const dir = await copyMigrations(files.length - 1);
  await runMigrations({ databaseUrl, migrationsDir: dir });
  const yaml = join(dir, 'a2d2.yaml');
  await writeFile(yaml, 'defaultLocale: ru\n');
  const env = { DATABASE_URL: databaseUrl, A2D2_CONFIG: yaml };
  const database = new URL(databaseUrl).pathname.slice(1);

  const status = await run([BIN, 'migrate', '--status'], env);
  assert.equal(status.code, 0, status.err);
  const lines = status.out.trim().split('\n');
  assert.equal(lines[0], `База данных ${database}: применено ${files.length - 1}, ожидает 1.`);
  assert.ok(lines.some((l) => l.startsWith(`применена  ${first.name}  `)), status.out);
  assert.ok(lines.includes(`ожидает    ${last.name}`), status.out);

  const bad = await run([BIN, 'migrate', '--bogus'], env);
  assert.equal(bad.code, 1);
  assert.equal(bad.err.trim(), 'a2d2: неизвестный параметр migrate: --bogus (используйте --status или --dry-run)');

  // The refusal at start-up, in the same language (the repository's migrations, one of them edited).
  await query(databaseUrl, `UPDATE "_prisma_migrations" SET checksum = $1 WHERE migration_name = $2`, ['0'.repeat(64), first.name]);
  const refused = await run([BIN, 'migrate'], env);
  assert.equal(refused.code, 1, refused.out);
  assert.match(refused.err, new RegExp(`^a2d2: Миграция ${first.name} изменена после применения \\(контрольная сумма применённой 0{64}, файла [0-9a-f]{64}\\)\\.`, 'm'));
});

void test('the contract check passes the repository and refuses an undeclared drop, rename or retype', async () => {
  const check = (dir?: string) => run(['--import', 'tsx', join(ROOT, 'scripts/migration-check.ts'), ...(dir ? [dir] : [])], {});
  const repo = await check();
  assert.equal(repo.code, 0, repo.err);

  const dir = await copyMigrations();
  const name = '29990101000000_drop_title';
  await mkdir(join(dir, name));
  await writeFile(join(dir, name, 'migration.sql'), '-- AlterTable\nALTER TABLE "Ticket" DROP COLUMN "title";\n');
  const bad = await check(dir);
  assert.equal(bad.code, 1);
  assert.match(bad.err, new RegExp(`${name} is a contract step \\(drops a column: ALTER TABLE "Ticket" DROP COLUMN "title"\\)`));

  await writeFile(join(dir, 'contract-steps.txt'), `# reviewed\n${name}\n`);
  const declared = await check(dir);
  assert.equal(declared.code, 0, declared.err);

  await writeFile(join(dir, name, 'migration.sql'), '-- not DROP TABLE "Ticket"\nALTER TABLE "Ticket" RENAME COLUMN "title" TO "subject";\nALTER TABLE "Ticket" ALTER COLUMN "x" DROP DEFAULT;\n');
  await writeFile(join(dir, 'contract-steps.txt'), '29990101000000_typo\n');
  const renamed = await check(dir);
  assert.equal(renamed.code, 1);
  assert.match(renamed.err, /renames a column or table: ALTER TABLE "Ticket" RENAME COLUMN/);
  assert.doesNotMatch(renamed.err, /DROP DEFAULT/, 'dropping a default is not a contract step');
  assert.doesNotMatch(renamed.err, /drops a table/, 'comments are not statements');
  assert.match(renamed.err, /contract-steps.txt names 29990101000000_typo, which is not a migration/);
});
