/**
 * Applies pending migrations (`prisma migrate deploy` on the Wasm schema engine), creating the
 * database if needed. Usage: `node --import tsx scripts/migrate.ts` (DATABASE_URL, default
 * postgresql://postgres@127.0.0.1:5432/a2d2). Exits when done: the engine's runtime must not
 * keep the process alive.
 */
import { applyMigrations } from '../services/db/migrate.ts';

const databaseUrl = process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/a2d2';

try {
  await applyMigrations({ databaseUrl });
  process.exit(0);
} catch {
  process.exit(1); // already logged
}
