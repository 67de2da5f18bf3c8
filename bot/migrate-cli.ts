/**
 * `a2d2 migrate [--status | --dry-run]`: applies pending migrations, lists each migration as
 * applied or pending, or prints the SQL of the pending ones without applying them.
 * services/db/migration-runner.ts does the work; this file only words it for the operator.
 */
import type { Writable } from 'node:stream';
import { LocalizedError, translator, type Locale, type Translate } from '../services/i18n/i18n.ts';
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
  /** The operator's language (the YAML's defaultLocale); English when absent. */
  lang?: Locale;
}

function time(date: Date | null): string {
  return date ? date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC') : '';
}

/** One line per migration: the folder's in order, then those only the database knows. */
export function statusLines(plan: MigrationPlan, t: Translate = translator('en')): string[] {
  const words = { applied: t('cli.migrate.state.applied'), pending: t('cli.migrate.state.pending'), failed: t('cli.migrate.state.failed') };
  const width = Math.max(...Object.values(words).map((w) => w.length));
  const line = (state: keyof typeof words, ...rest: string[]) => [words[state].padEnd(width), ...rest].join('  ');
  const lines: string[] = [];
  const edited = new Set(plan.problems.map((p) => p.migration));
  for (const file of plan.files) {
    const row = plan.recorded.get(file.name);
    if (!row) lines.push(line('pending', file.name));
    else if (!row.finishedAt) lines.push(line('failed', file.name, t('cli.migrate.notFinished', { time: time(row.startedAt) })));
    else if (edited.has(file.name)) lines.push(line('applied', file.name, time(row.finishedAt), t('cli.migrate.changedSince')));
    else lines.push(line('applied', file.name, time(row.finishedAt)));
  }
  for (const row of plan.unknown) {
    lines.push(line(row.finishedAt ? 'applied' : 'failed', row.name, time(row.finishedAt ?? row.startedAt), t('cli.migrate.notInVersion')));
  }
  return lines;
}

/** `a2d2 migrate --status`. */
export async function printStatus(opts: MigrateCommandOptions): Promise<void> {
  const t = translator(opts.lang ?? 'en');
  const plan = await migrationPlan(opts);
  const database = databaseName(opts.databaseUrl);
  const applied = plan.files.filter((f) => plan.recorded.get(f.name)?.finishedAt).length;
  const lines = [
    plan.databaseExists ? t('cli.migrate.summary', { database, applied, pending: plan.pending.length }) : t('cli.migrate.noDatabase', { database }),
    ...statusLines(plan, t),
    ...plan.problems.map((p) => t('cli.migrate.cannot', { error: p.in(opts.lang ?? 'en') })),
  ];
  opts.out.write(`${lines.join('\n')}\n`);
}

/** `a2d2 migrate --dry-run`: the SQL that `a2d2 migrate` would run, in order. Refuses as it would. */
export async function printDryRun(opts: MigrateCommandOptions): Promise<void> {
  const t = translator(opts.lang ?? 'en');
  const plan = await migrationPlan(opts);
  const database = databaseName(opts.databaseUrl);
  if (plan.problems[0]) throw plan.problems[0];
  for (const row of plan.unknown) opts.out.write(`${t('cli.migrate.dry.unknown', { name: row.name })}\n`);
  if (!plan.pending.length) {
    opts.out.write(`${t('cli.migrate.dry.upToDate', { database })}\n`);
    return;
  }
  opts.out.write(`${t('cli.migrate.dry.pending', { pending: plan.pending.length, database })}\n`);
  for (const file of plan.pending) {
    opts.out.write(`\n${t('cli.migrate.dry.migration', { name: file.name })}\n${file.sql.endsWith('\n') ? file.sql : `${file.sql}\n`}`);
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
  if (extra.length) throw new LocalizedError('cli.migrate.tooMany', { args: args.join(' ') });
  if (flag === undefined) {
    const applied = await applyPending(opts);
    const t = translator(opts.lang ?? 'en');
    const database = databaseName(opts.databaseUrl);
    opts.out.write(`${applied.length ? t('cli.migrate.applied', { database, count: applied.length, names: applied.join(', ') }) : t('cli.migrate.upToDate', { database })}\n`);
  }
  else if (flag === '--status') await printStatus(opts);
  else if (flag === '--dry-run') await printDryRun(opts);
  else throw new LocalizedError('cli.migrate.unknownOption', { option: flag });
}
