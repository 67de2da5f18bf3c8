// npm postinstall: generates the Prisma client into generated/prisma (gitignored).
// PRISMA_SCHEMA_ENGINE_BINARY=/bin/false stops the Prisma CLI from downloading the native
// schema engine, which `generate` does not use (and which cannot be downloaded here).
// Works without DATABASE_URL: prisma.config.ts falls back to a default URL.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const prismaCli = join(dirname(createRequire(import.meta.url).resolve('prisma/package.json')), 'build', 'index.js');

const result = spawnSync(process.execPath, [prismaCli, 'generate'], {
  cwd: root,
  stdio: 'inherit',
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY || '/bin/false',
    CHECKPOINT_DISABLE: '1', // no update check / telemetry request
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
  },
});
if (result.error) throw result.error;
process.exit(result.status ?? 1);
