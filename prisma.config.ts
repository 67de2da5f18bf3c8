/**
 * Prisma CLI configuration (Prisma 7: the datasource URL lives here, not in schema.prisma).
 * Never throws when DATABASE_URL is unset: `prisma generate` runs at `npm install` time.
 * Migrations are applied by the plain runner (services/db/migration-runner.ts, `a2d2 migrate`)
 * and created in development on the Wasm schema engine (scripts/migrate-create.ts); both use
 * the CLI's files and `_prisma_migrations` rows, so this file keeps the CLI's own
 * `prisma migrate deploy` usable wherever the native schema engine is available.
 */
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: {
    url: process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/a2d2',
  },
});
