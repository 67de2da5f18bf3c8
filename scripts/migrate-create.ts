/**
 * Creates a migration from the changes in prisma/schema.prisma (`prisma migrate dev
 * --create-only` on the Wasm schema engine). Usage, after editing the schema:
 *   node --import tsx scripts/migrate-create.ts <name>
 * Uses DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/a2d2) as the development
 * database: pending migrations are applied to it first; the new one is not. Review the
 * generated migration.sql, then apply it with `a2d2 migrate` (or scripts/migrate.ts).
 */
import { createMigration } from '../services/db/migrate.ts';

const name = process.argv.slice(2).join(' ').trim();
if (!name || name.startsWith('-')) {
  console.error('usage: node --import tsx scripts/migrate-create.ts <name>');
  process.exit(2);
}
const databaseUrl = process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/a2d2';

try {
  await createMigration({ databaseUrl, name });
  process.exit(0);
} catch {
  process.exit(1); // already logged
}
