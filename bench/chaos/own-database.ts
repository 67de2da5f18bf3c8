/**
 * A database of a scenario's own, for the scenarios that run the app in this process
 * (process-kills, outbound-kills; the others pass startDeployment's `ownDatabase`): created
 * empty next to DATABASE_URL's, migrated, and made this process's DATABASE_URL, so no other
 * install's recovery sweeps on a shared database take its rows. Import the test helpers after
 * it (test/helpers/app.ts reads DATABASE_URL once, when loaded). `drop()` removes it.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createEmptyDatabase, DEFAULT_TEST_DATABASE_URL, dropDatabase, scratchDatabaseUrl } from '../../test/helpers/test-db.ts';

const BIN = fileURLToPath(new URL('../../bin/a2d2.mjs', import.meta.url));

export async function useOwnDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const url = scratchDatabaseUrl(process.env.DATABASE_URL ?? DEFAULT_TEST_DATABASE_URL, 'own');
  await createEmptyDatabase(url);
  const migrated = spawnSync(process.execPath, [BIN, 'migrate'], { env: { ...process.env, DATABASE_URL: url }, stdio: ['ignore', 'ignore', 'inherit'] });
  if (migrated.status !== 0) {
    await dropDatabase(url).catch(() => undefined);
    throw new Error(`migrating the scenario's own database failed (exit ${migrated.status})`);
  }
  process.env.DATABASE_URL = url;
  return { url, drop: () => dropDatabase(url) };
}
