import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import pg from 'pg';
import {
  applyMigrations,
  ensureDatabase,
  DEFAULT_MIGRATIONS_DIR,
  DEFAULT_SCHEMA_PATH,
  type MigrationLogger,
} from '../../services/db/migrate.ts';

// Fresh, uniquely named databases on the test server; dropped afterwards.
const base = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/a2d2_test';
const suffix = `${process.pid}_${randomUUID().slice(0, 8)}`;
const created: string[] = [];

function urlFor(database: string): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  created.push(database);
  return url.toString();
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
  const url = new URL(base);
  url.pathname = '/postgres';
  for (const name of created) {
    await query(url.toString(), `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
});

void test('a fresh database gets every migration once, then nothing', async () => {
  const databaseUrl = urlFor(`a2d2_migtest_${suffix}`);

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
  const databaseUrl = urlFor(`a2d2_migtest_${suffix}_new`);
  const applied = await applyMigrations({ databaseUrl, logger: quiet });
  assert.deepEqual(applied, await migrationNames());
});
