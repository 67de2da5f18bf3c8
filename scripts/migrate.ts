/**
 * Applies pending migrations (services/db/migration-runner.ts), creating the database if
 * needed; the same as `a2d2 migrate` without building the bundle. Usage:
 *   node --import tsx scripts/migrate.ts [--status | --dry-run]
 * (DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/a2d2).
 */
import { migrateCommand } from '../bot/migrate-cli.ts';

const databaseUrl = process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/a2d2';
const logger = {
  info: (obj: object | string, msg?: string) => console.log(typeof obj === 'string' ? obj : (msg ?? '')),
  warn: (obj: object | string, msg?: string) => console.warn(`warning: ${typeof obj === 'string' ? obj : (msg ?? '')}`),
};

try {
  await migrateCommand(process.argv.slice(2), { databaseUrl, logger, out: process.stdout });
  process.exit(0);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
