/**
 * Loaded by scripts/test.mjs into the main thread of every test process (through
 * `node --test --import`): before the test file loads, the process gets its own database, copied from the run's migrated
 * template, and its own data directory. Both go into process.env (DATABASE_URL,
 * A2D2_DATA_DIR), so the helpers read them and processes a test spawns inherit them.
 * They are removed when the process is done; a killed process leaves its database to the
 * runner's sweep (test/helpers/test-db.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFromTemplate, dropDatabase, processDatabaseUrl, templateUrl } from './test-db.ts';

const base = process.env.A2D2_TEST_BASE_URL;
const runner = Number(process.env.A2D2_TEST_RUNNER_PID);
// A process started with the same flags by a test (it inherits the environment) shares its
// parent's database rather than making another one.
const inherited = process.env.A2D2_TEST_DB_OWNER !== undefined;

if (base && runner && !inherited) {
  const databaseUrl = processDatabaseUrl(base, runner, process.pid);
  await createFromTemplate(databaseUrl, templateUrl(base));
  const dataDir = mkdtempSync(join(tmpdir(), 'a2d2-test-data-'));
  process.env.DATABASE_URL = databaseUrl;
  process.env.A2D2_DATA_DIR = dataDir;
  process.env.A2D2_TEST_DB_OWNER = String(process.pid);

  // beforeExit comes once the test file is done and nothing is left running; the drop keeps
  // the loop alive until it answers. A failed drop is left to the runner's sweep.
  process.once('beforeExit', () => {
    rmSync(dataDir, { recursive: true, force: true });
    dropDatabase(databaseUrl).catch(() => {});
  });
}
