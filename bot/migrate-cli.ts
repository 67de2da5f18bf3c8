/**
 * `a2d2 migrate [--status | --dry-run]`: applies pending migrations, lists each migration as
 * applied or pending, or prints the SQL of the pending ones without applying them.
 * services/db/migration-runner.ts does the work; this file only words it for the operator.
 */
import type { Writable } from 'node:stream';
import {
  databaseName,
  migrationPlan,
  runMigrations,
  type MigrationPlan,
  type RunnerLogger,
} from '../services/db/migration-runner.ts';

export interface MigrateCommandOptions {
  databaseUrl: string;
  logger: RunnerLogger;
  out: Writable;
  /** Defaults to the repository's `prisma/migrations`. */
  migrationsDir?: string;
}

function time(date: Date | null): string {
  return date ? date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC') : '';
}

/** One line per migration: the folder's in order, then those only the database knows. */
export function statusLines(plan: MigrationPlan): string[] {
  const lines: string[] = [];
  const edited = new Set(plan.problems.map((p) => p.migration));
  for (const file of plan.files) {
    const row = plan.recorded.get(file.name);
    if (!row) lines.push(`pending  ${file.name}`);
    else if (!row.finishedAt) lines.push(`failed   ${file.name}  (started ${time(row.startedAt)}, not finished)`);
    else if (edited.has(file.name)) lines.push(`applied  ${file.name}  ${time(row.finishedAt)}  (the file has changed since)`);
    else lines.push(`applied  ${file.name}  ${time(row.finishedAt)}`);
  }
  for (const row of plan.unknown) {
    const state = row.finishedAt ? 'applied' : 'failed ';
    lines.push(`${state}  ${row.name}  ${time(row.finishedAt ?? row.startedAt)}  (not in this version's migrations)`);
  }
  return lines;
}

/** `a2d2 migrate --status`. */
export async function printStatus(opts: MigrateCommandOptions): Promise<void> {
  const plan = await migrationPlan(opts);
  const database = databaseName(opts.databaseUrl);
  const applied = plan.files.filter((f) => plan.recorded.get(f.name)?.finishedAt).length;
  const lines = [
    plan.databaseExists
      ? `Database ${database}: ${applied} applied, ${plan.pending.length} pending.`
      : `Database ${database} does not exist yet: every migration is pending.`,
    ...statusLines(plan),
    ...plan.problems.map((p) => `Cannot migrate: ${p.message}`),
  ];
  opts.out.write(`${lines.join('\n')}\n`);
}

/** `a2d2 migrate --dry-run`: the SQL that `a2d2 migrate` would run, in order. Refuses as it would. */
export async function printDryRun(opts: MigrateCommandOptions): Promise<void> {
  const plan = await migrationPlan(opts);
  const database = databaseName(opts.databaseUrl);
  if (plan.problems[0]) throw plan.problems[0];
  for (const row of plan.unknown) {
    opts.out.write(`-- Warning: ${row.name} is recorded in the database but not in this version's migrations.\n`);
  }
  if (!plan.pending.length) {
    opts.out.write(`-- Database ${database} is up to date: no pending migrations.\n`);
    return;
  }
  opts.out.write(`-- ${plan.pending.length} pending migration(s) for database ${database}; nothing was applied.\n`);
  for (const file of plan.pending) {
    opts.out.write(`\n-- Migration ${file.name}\n${file.sql.endsWith('\n') ? file.sql : `${file.sql}\n`}`);
  }
}

/** `a2d2 migrate`: creates the database if missing and applies pending migrations. */
export async function applyPending(opts: MigrateCommandOptions): Promise<string[]> {
  const applied = await runMigrations(opts);
  opts.logger.info({ applied: applied.length }, applied.length ? `migrations applied: ${applied.join(', ')}` : 'database is up to date');
  return applied;
}

/** Runs the `migrate` command for its arguments; throws on an unknown one. */
export async function migrateCommand(args: string[], opts: MigrateCommandOptions): Promise<void> {
  const [flag, ...extra] = args;
  if (extra.length) throw new Error(`migrate takes one option at most, not: ${args.join(' ')}`);
  if (flag === undefined) await applyPending(opts);
  else if (flag === '--status') await printStatus(opts);
  else if (flag === '--dry-run') await printDryRun(opts);
  else throw new Error(`unknown option for migrate: ${flag} (use --status or --dry-run)`);
}
