/**
 * Contract steps at run time. A migration named in `prisma/migrations/contract-steps.txt`
 * removes something (scripts/migration-check.ts refuses it otherwise). When the runner applies
 * one, it also records its name in `_a2d2_contract_steps`, in the same transaction, and it
 * records the applied contract steps of its own list that a database lacks (a database
 * migrated before the table existed). An older version that finds a recorded contract step it
 * does not know refuses to start: what the step removed may be what it still uses. The list is
 * read from the version that applies the migration, so an older version needs no knowledge of it.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type pg from 'pg';

/** The list beside the migrations (one name a line; `#` starts a comment). */
export const CONTRACT_LIST_FILE = 'contract-steps.txt';
/** The table of applied contract steps. */
export const CONTRACT_TABLE = '_a2d2_contract_steps';

const CREATE_CONTRACT_TABLE = `CREATE TABLE IF NOT EXISTS "${CONTRACT_TABLE}" (
    "migration_name" VARCHAR(255) PRIMARY KEY NOT NULL,
    "recorded_at" TIMESTAMPTZ NOT NULL DEFAULT now()
)`;

/** The migration names declared as contract steps in `migrationsDir` (none when there is no list). */
export async function readContractSteps(migrationsDir: string): Promise<Set<string>> {
  const text = await readFile(join(migrationsDir, CONTRACT_LIST_FILE), 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });
  return new Set(
    text
      .split('\n')
      .map((line) => line.replace(/#.*/, '').trim())
      .filter(Boolean),
  );
}

/** The contract steps recorded in the database (none before the table exists). */
export async function readContractMarks(client: pg.ClientBase): Promise<Set<string>> {
  const exists = await client.query(`SELECT to_regclass('"${CONTRACT_TABLE}"') IS NOT NULL AS ok`);
  if (!exists.rows[0]?.ok) return new Set();
  const { rows } = await client.query<{ name: string }>(`SELECT migration_name AS name FROM "${CONTRACT_TABLE}"`);
  return new Set(rows.map((r) => r.name));
}

export async function ensureContractTable(client: pg.ClientBase): Promise<void> {
  await client.query(CREATE_CONTRACT_TABLE);
}

/** Records `names` as applied contract steps (already recorded ones are left as they are). */
export async function markContractSteps(client: pg.ClientBase, names: string[]): Promise<void> {
  if (!names.length) return;
  await client.query(`INSERT INTO "${CONTRACT_TABLE}" (migration_name) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING`, [names]);
}
