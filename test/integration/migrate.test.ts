import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import pg from 'pg';
import {
  applyMigrations,
  ensureDatabase,
  DEFAULT_MIGRATIONS_DIR,
  DEFAULT_SCHEMA_PATH,
  type MigrationLogger,
} from '../../services/db/migrate.ts';
import { DEFAULT_TEST_DATABASE_URL, dropDatabase, scratchDatabaseUrl } from '../helpers/test-db.ts';

// Fresh, uniquely named databases next to this process's own (so a killed run's are swept
// with it, test/helpers/test-db.ts); dropped afterwards.
const base = process.env.DATABASE_URL ?? DEFAULT_TEST_DATABASE_URL;
const created: string[] = [];

function urlFor(label: string): string {
  const databaseUrl = scratchDatabaseUrl(base, label);
  created.push(databaseUrl);
  return databaseUrl;
}

async function query<R extends pg.QueryResultRow>(databaseUrl: string, sql: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<R>(sql)).rows;
  } finally {
    await client.end();
  }
}

const quiet: MigrationLogger = { info() {}, error() {} };

/** Table names the schema declares (model name, or its @@map). */
async function expectedTables(): Promise<string[]> {
  const schema = await readFile(DEFAULT_SCHEMA_PATH, 'utf8');
  return [...schema.matchAll(/^model\s+(\w+)\s*\{([^}]*)\}/gm)].map(
    ([, name, body]) => /@@map\(\s*"([^"]+)"\s*\)/.exec(body ?? '')?.[1] ?? name!,
  );
}

async function migrationNames(): Promise<string[]> {
  const entries = await readdir(DEFAULT_MIGRATIONS_DIR, { withFileTypes: true });
  return entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
}

after(async () => {
  for (const databaseUrl of created) await dropDatabase(databaseUrl);
});

void test('a fresh database gets every migration once, then nothing', async () => {
  const databaseUrl = urlFor('fresh');

  assert.equal(await ensureDatabase(databaseUrl), true, 'database created');
  assert.equal(await ensureDatabase(databaseUrl), false, 'second call is a no-op');

  const applied = await applyMigrations({ databaseUrl, logger: quiet });
  assert.deepEqual(applied, await migrationNames());

  const tables = (
    await query<{ table_name: string }>(
      databaseUrl,
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
    )
  ).map((r) => r.table_name);
  for (const table of [...(await expectedTables()), '_prisma_migrations']) {
    assert.ok(tables.includes(table), `table ${table} exists`);
  }
  const rows = await query<{ migration_name: string; finished: boolean }>(
    databaseUrl,
    'SELECT migration_name, finished_at IS NOT NULL AS finished FROM _prisma_migrations ORDER BY migration_name',
  );
  assert.deepEqual(
    rows,
    applied.map((name) => ({ migration_name: name, finished: true })),
  );

  assert.deepEqual(await applyMigrations({ databaseUrl, logger: quiet }), [], 'second run applies nothing');
});

void test('applyMigrations creates a missing database', async () => {
  const databaseUrl = urlFor('new');
  const applied = await applyMigrations({ databaseUrl, logger: quiet });
  assert.deepEqual(applied, await migrationNames());
});
