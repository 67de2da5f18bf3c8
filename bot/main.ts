/**
 * CLI: `a2d2 start [--role all|http|worker]`, `a2d2 migrate [--status|--dry-run]`, `a2d2 chat`,
 * `a2d2 backup --out FILE`, `a2d2 restore FILE [--force]`, `a2d2 smoke`, `a2d2 doctor`.
 * `start` applies migrations first, so `npm start` works on a fresh machine.
 */
import { userInfo } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { loadConfig, ConfigError, secretValues, type AppConfig } from '../services/config.ts';
import { durationMs } from '../services/duration.ts';
import { translate } from '../services/i18n/i18n.ts';
import { createLogger, type Logger } from '../services/logger.ts';
import { applyPending, migrateCommand } from './migrate-cli.ts';
import { backupCommand, restoreCommand } from './backup-cli.ts';
import { createApp } from './app.ts';
import type { Role } from '../core/module.ts';
import { createTerminalSession } from './adapters/terminal/terminal.adapter.ts';
import { createIntentEngine } from '../agents/llm-intent.ts';

// Prisma's query compiler is a 3.4 MB Wasm module. Its first query runs enough of it (loading
// the schema) to exhaust V8's default tier-up budget for most functions, whose optimized
// recompilation then leaves about 50 MB of compiler memory in the process for good. A larger
// budget keeps that one-off start-up work on the baseline code; code that stays hot under load
// is still optimized. Set before any Wasm is compiled (the first query comes later).
setFlagsFromString('--wasm-tiering-budget=50000000');

const USAGE = `usage: a2d2 <command>
  start [--role all|http|worker]   run the bot (applies migrations first)
  migrate                          create the database if missing and apply migrations
  migrate --status                 list each migration as applied or pending
  migrate --dry-run                print the SQL of the pending migrations without applying it
  backup --out FILE                write one archive: the database (pg_dump), the stored
                                   document files and a manifest of both
  restore FILE [--force]           restore a backup into an empty database and storage
                                   directory, then check row counts and file checksums;
                                   --force replaces a database or files that are not empty
  chat                             talk to the bot in this terminal
  smoke [--url URL] [--json] [--timeout 10s]
                                   check a running deployment end to end (probes, metrics,
                                   database, a queue job answered by a worker, platform tokens,
                                   webhook routes); exits 1 when any check fails
  doctor [--lang en|ru] [--json] [--timeout 5s] [--public-url URL]
                                   check this site's set-up before going live (config, Postgres
                                   and migrations, Redis settings, Slack scopes, Telegram
                                   webhook, model endpoint, public URL, disk, clock); one line
                                   per check with the fix; exits 1 when any check fails
  support-process [--lang en|ru]   print the support process (P0-P3 times, business hours,
                                   escalation, channels, how to reach support) as Markdown,
                                   from this installation's configuration
  understand [--llm] [--llm-timeout 5s]
                                   JSON lines in ({"text", "lang"}), one JSON line out per input
  understand --export-feedback     the "Did you mean" choices as labelled lines for the corpus
`;

function parseRole(args: string[]): Role {
  const i = args.findIndex((a) => a === '--role' || a.startsWith('--role='));
  if (i < 0) return 'all';
  const value = args[i]!.includes('=') ? args[i]!.split('=')[1] : args[i + 1];
  if (value === 'all' || value === 'http' || value === 'worker') return value;
  throw new ConfigError('--role', translate('en', 'startup.role'));
}

/** Applies pending migrations in this process: a plain pg connection, no schema engine. */
async function migrate(config: AppConfig, logger: Logger): Promise<void> {
  await applyPending({ databaseUrl: config.env.DATABASE_URL, logger, out: process.stdout });
}

async function start(config: AppConfig, logger: Logger, role: Role): Promise<void> {
  await migrate(config, logger);
  // With no model configured the engine is the deterministic one.
  const app = await createApp({ config, role, logger, intent: (services) => createIntentEngine(services) });
  // The listener answers /readyz before the modules have all started: a SIGTERM in that window
  // drains like any other (readiness drops at once; the stop waits for the start to finish).
  const started = app.start();
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // Hard deadline past the drain and the grace: whatever still runs is left to retry elsewhere.
    const deadlineMs = durationMs(config.file.shutdown.drain) + config.file.shutdown.graceMs + 5_000;
    setTimeout(() => {
      logger.warn('shutdown deadline reached, exiting');
      process.exit(1);
    }, deadlineMs).unref();
    app.shutdown().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  const { url } = await started;
  logger.info({ role, url, version: config.version }, 'a2d2 started');
}

async function chat(config: AppConfig, logger: Logger): Promise<void> {
  await migrate(config, logger);
  const locale = Intl.DateTimeFormat().resolvedOptions().locale;
  let session: ReturnType<typeof createTerminalSession> | null = null;
  const app = await createApp({
    config,
    role: 'chat',
    logger,
    intent: (services) => createIntentEngine(services),
    direct: { terminal: (req) => session!.deliver(req) },
  });
  session = createTerminalSession({
    input: process.stdin,
    output: process.stdout,
    userId: userInfo().username || 'local',
    locale,
    handle: (event) => app.deps.pipeline().handle(event),
    ...(process.stdin.isTTY ? { prompt: '> ' } : {}),
  });
  await app.start();
  if (process.stdin.isTTY) process.stdout.write('a2d2 — type "help" (or "помощь"); "exit" to leave.\n');
  await session.run();
  await app.stop();
}

/** `a2d2 understand`: see bot/understand.ts. */
async function understand(config: AppConfig, logger: Logger, args: string[]): Promise<void> {
  const { exportFeedback, offlineRegistry, runUnderstand, understandEngine } = await import('./understand.ts');
  if (args.includes('--export-feedback')) {
    await exportFeedback(config, process.stdout);
    return;
  }
  const t = args.indexOf('--llm-timeout');
  const timeoutMs = t >= 0 ? durationMs((args[t + 1] ?? '') as never) : 15_000;
  const registry = offlineRegistry(config);
  const engine = await understandEngine(config, logger, registry, args.includes('--llm'), timeoutMs);
  await runUnderstand({ input: process.stdin, output: process.stdout }, registry, engine);
}

async function main(argv: string[]): Promise<void> {
  const [command = 'start', ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  if (command === 'doctor') {
    // Before loadConfig: an invalid configuration is the doctor's first finding, not a crash.
    const { doctorCommand } = await import('./doctor-cli.ts');
    process.exitCode = await doctorCommand(rest, process.env, process.stdout);
    process.stdout.write('', () => process.exit());
    return;
  }
  const config = loadConfig();
  // The terminal keeps stdout for the conversation (or the report); logs go to stderr there.
  const ownsStdout = command === 'chat' || command === 'understand' || command === 'smoke';
  const logger = createLogger({
    level: ownsStdout && config.env.LOG_LEVEL === 'info' ? 'warn' : config.env.LOG_LEVEL,
    secrets: secretValues(config.env, config.envSecrets),
    ...(ownsStdout ? { destination: process.stderr as unknown as import('pino').DestinationStream } : {}),
  });
  switch (command) {
    case 'start':
      await start(config, logger, parseRole(rest));
      return;
    case 'migrate':
      await migrateCommand(rest, { databaseUrl: config.env.DATABASE_URL, logger, out: process.stdout });
      process.exit(0);
      return;
    case 'backup':
      await backupCommand(rest, config, { out: process.stdout, err: process.stderr });
      process.exit(0);
      return;
    case 'restore':
      await restoreCommand(rest, config, { out: process.stdout, err: process.stderr });
      process.exit(0);
      return;
    case 'chat':
      await chat(config, logger);
      process.exit(0);
      return;
    case 'understand':
      await understand(config, logger, rest);
      process.exit(0);
      return;
    case 'support-process': {
      const { supportProcessCommand } = await import('./support-process-cli.ts');
      process.exitCode = supportProcessCommand(rest, config, process.stdout);
      process.stdout.write('', () => process.exit());
      return;
    }
    case 'smoke': {
      const { smokeCommand } = await import('./smoke-cli.ts');
      process.exitCode = await smokeCommand(rest, config, logger, process.stdout);
      // Let stdout drain before exiting (a piped report must arrive whole).
      process.stdout.write('', () => process.exit());
      return;
    }
    default:
      process.stderr.write(USAGE);
      process.exit(2);
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`a2d2: ${err.message}\n`);
  } else {
    process.stderr.write(`a2d2: ${err instanceof Error ? err.message : String(err)}\n`);
  }
  process.exit(1);
});
