/**
 * Development tooling on the Wasm schema engine (a development dependency): `prisma migrate
 * dev --create-only` (scripts/migrate-create.ts) and `prisma migrate deploy` (kept to check
 * that both paths read each other's records). Running migrations is
 * services/db/migration-runner.ts, which needs no engine.
 *
 * Files and tables are the standard ones (`prisma/migrations/<timestamp>_<name>/migration.sql`,
 * `migration_lock.toml`, `_prisma_migrations`), so the Prisma CLI can take over wherever the
 * native engine is available. The engine leaves nothing running once a call returns, but
 * command-line scripts should still exit explicitly when done.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MigrationList, SchemaFilter } from '@prisma/schema-engine-wasm';
import { databaseName, ensureDatabase } from './migration-runner.ts';
import { withSchemaEngine } from './schema-engine.ts';

export { ensureDatabase };

/** Minimal logger shape; a pino logger fits. */
export interface MigrationLogger {
  info(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
}

/** Logs to the console: the message first, then any fields. */
export const consoleLogger: MigrationLogger = {
  info: (obj, msg) => (typeof obj === 'string' ? console.log(obj) : console.log(msg ?? '', obj)),
  error: (obj, msg) => (typeof obj === 'string' ? console.error(obj) : console.error(msg ?? '', obj)),
};

/** The repository's `prisma/migrations` directory. */
export const DEFAULT_MIGRATIONS_DIR = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));
/** The repository's `prisma/schema.prisma`. */
export const DEFAULT_SCHEMA_PATH = fileURLToPath(new URL('../../prisma/schema.prisma', import.meta.url));

const NO_FILTER: SchemaFilter = { externalTables: [], externalEnums: [] };
const LOCKFILE = 'migration_lock.toml';
const MIGRATION_FILE = 'migration.sql';

/** Reads a migrations directory the way the Prisma CLI does (missing directory: no migrations). */
export async function readMigrationsList(migrationsDir: string): Promise<MigrationList> {
  const lockContent = await readFile(join(migrationsDir, LOCKFILE), 'utf8').catch(() => null);
  let entries: Array<{ name: string; isDirectory(): boolean }> = [];
  try {
    entries = await readdir(migrationsDir, { withFileTypes: true });
  } catch (error) {
    if ((error as { code?: string }).code !== 'ENOENT') throw error;
  }
  const migrationDirectories = await Promise.all(
    entries
      .filter((e) => e.isDirectory())
      .map(async (e) => ({
        path: e.name,
        migrationFile: {
          path: MIGRATION_FILE,
          content: await readFile(join(migrationsDir, e.name, MIGRATION_FILE), 'utf8').then(
            (value) => ({ tag: 'ok' as const, value }),
            (error: Error) => ({ tag: 'error' as const, value: error.message }),
          ),
        },
      })),
  );
  migrationDirectories.sort((a, b) => a.path.localeCompare(b.path));
  return {
    baseDir: migrationsDir,
    lockfile: { path: LOCKFILE, content: lockContent },
    shadowDbInitScript: '',
    migrationDirectories,
  };
}

/** Options for {@link applyMigrations}. */
export interface ApplyMigrationsOptions {
  databaseUrl: string;
  logger?: MigrationLogger;
  /** Defaults to the repository's `prisma/migrations`. */
  migrationsDir?: string;
}

/**
 * `prisma migrate deploy`: creates the database if missing, then applies every migration
 * not yet recorded in `_prisma_migrations`, each in its own transaction. Fails on a
 * previously failed migration (resolve it first, as with the CLI). Failures are logged, then
 * rethrown.
 * @returns the names of the migrations applied by this call (empty when up to date).
 */
export async function applyMigrations(opts: ApplyMigrationsOptions): Promise<string[]> {
  const logger = opts.logger ?? consoleLogger;
  const migrationsDir = opts.migrationsDir ?? DEFAULT_MIGRATIONS_DIR;
  const database = databaseName(opts.databaseUrl);
  try {
    if (await ensureDatabase(opts.databaseUrl)) logger.info({ database }, 'database created');
    const migrationsList = await readMigrationsList(migrationsDir);
    logger.info({ database, found: migrationsList.migrationDirectories.length }, 'applying migrations');
    const { appliedMigrationNames } = await withSchemaEngine({ databaseUrl: opts.databaseUrl }, (engine) =>
      engine.applyMigrations({ migrationsList, filters: NO_FILTER }),
    );
    logger.info(
      { database, applied: appliedMigrationNames },
      appliedMigrationNames.length ? 'migrations applied' : 'no pending migrations',
    );
    return appliedMigrationNames;
  } catch (error) {
    logger.error({ database, err: error }, 'applying migrations failed');
    throw error;
  }
}

/** Options for {@link createMigration}. */
export interface CreateMigrationOptions {
  /** The development database: brought up to date with the existing migrations first. */
  databaseUrl: string;
  /** Free text; turned into snake_case for the directory name (`add user email` -> `add_user_email`). */
  name: string;
  logger?: MigrationLogger;
  /** Defaults to the repository's `prisma/schema.prisma`. */
  schemaPath?: string;
  /** Defaults to the repository's `prisma/migrations`. */
  migrationsDir?: string;
}

/**
 * `prisma migrate dev --create-only`: writes `<migrationsDir>/<timestamp>_<name>/migration.sql`
 * (and `migration_lock.toml`) with the SQL that takes the existing migrations to the schema,
 * computed on a temporary shadow database that is dropped afterwards. Like the CLI, it first
 * applies pending migrations to the development database, and refuses to continue when that
 * database has drifted from the migration history. The new migration is not applied.
 * Failures are logged, then rethrown.
 * @returns the new migration's directory name, or null when the schema has no changes.
 */
export async function createMigration(opts: CreateMigrationOptions): Promise<string | null> {
  const logger = opts.logger ?? consoleLogger;
  try {
    return await writeNextMigration(opts, logger);
  } catch (error) {
    logger.error({ err: error }, 'creating the migration failed');
    throw error;
  }
}

async function writeNextMigration(opts: CreateMigrationOptions, logger: MigrationLogger): Promise<string | null> {
  const schemaPath = opts.schemaPath ?? DEFAULT_SCHEMA_PATH;
  const migrationsDir = opts.migrationsDir ?? DEFAULT_MIGRATIONS_DIR;
  const migrationName = toMigrationName(opts.name);
  if (!migrationName) throw new Error(`Invalid migration name: ${JSON.stringify(opts.name)}`);

  const schemaContent = await readFile(schemaPath, 'utf8');
  const schemaFile = relative(process.cwd(), schemaPath) || schemaPath;
  if (await ensureDatabase(opts.databaseUrl)) logger.info({ database: databaseName(opts.databaseUrl) }, 'database created');

  const result = await withSchemaEngine(
    { databaseUrl: opts.databaseUrl, datamodels: [[schemaFile, schemaContent]] },
    async (engine) => {
      // evaluateDataLoss and createMigration read the schema of the migration history from a
      // cache that only devDiagnostic fills (on a shadow database), for the migrations applied
      // to the development database at that moment. Hence: diagnose, apply pending, and
      // diagnose again when anything was applied.
      const diagnose = async () => {
        const { action } = await engine.devDiagnostic({
          migrationsList: await readMigrationsList(migrationsDir),
          filters: NO_FILTER,
        });
        if (action.tag === 'reset') {
          throw new Error(`The development database must be reset before a migration can be created: ${action.reason}`);
        }
      };
      await diagnose();
      const { appliedMigrationNames } = await engine.applyMigrations({
        migrationsList: await readMigrationsList(migrationsDir),
        filters: NO_FILTER,
      });
      if (appliedMigrationNames.length) {
        logger.info({ applied: appliedMigrationNames }, 'pending migrations applied');
        await diagnose();
      }

      const migrationsList = await readMigrationsList(migrationsDir);
      const schema = { files: [{ path: schemaFile, content: schemaContent }] };
      const loss = await engine.evaluateDataLoss({ migrationsList, schema, filters: NO_FILTER });
      for (const step of loss.unexecutableSteps) {
        logger.error({ step: step.stepIndex }, `cannot be executed as generated, edit the migration: ${step.message}`);
      }
      for (const warning of loss.warnings) logger.info({ step: warning.stepIndex }, `warning: ${warning.message}`);

      const created = await engine.createMigration({ draft: false, migrationName, migrationsList, schema, filters: NO_FILTER });
      return { created, lockfile: migrationsList.lockfile };
    },
  );

  const { created, lockfile } = result;
  if (created.migrationScript === null) {
    logger.info('no schema changes: no migration created');
    return null;
  }
  const dir = join(migrationsDir, created.generatedMigrationName);
  await mkdir(migrationsDir, { recursive: true });
  await mkdir(dir); // fails if it already exists, as the CLI does
  await writeFile(join(dir, `migration.${created.extension}`), created.migrationScript, 'utf8');
  await writeFile(
    join(migrationsDir, lockfile.path),
    '# Please do not edit this file manually\n' +
      '# It should be added in your version-control system (e.g., Git)\n' +
      `provider = "${created.connectorType}"\n`,
    'utf8',
  );
  logger.info({ migration: created.generatedMigrationName, path: dir }, 'migration created (not applied)');
  return created.generatedMigrationName;
}

/** snake_case like the Prisma CLI: `addUserEmail` / `add user-email` -> `add_user_email`. */
function toMigrationName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/([a-z\d])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z\d]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 200);
}
