/**
 * CLI: `a2d2 start [--role all|http|worker]`, `a2d2 migrate [--status|--dry-run]`, `a2d2 chat`,
 * `a2d2 backup --out FILE`, `a2d2 restore FILE [--force]`, `a2d2 smoke`, `a2d2 doctor`.
 * `start` applies migrations first, so `npm start` works on a fresh machine.
 */
import { userInfo } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { loadConfig, ConfigError, secretValues, type AppConfig } from '../services/config.ts';
import { durationMs } from '../services/duration.ts';
import { LocalizedError, translate, type Locale } from '../services/i18n/i18n.ts';
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

/** The operator's language: the YAML's defaultLocale, set once the configuration is loaded. */
let lang: Locale = 'en';

/** The language when the configuration is not loaded yet (help, doctor): English if it does not load. */
function configuredLocale(): Locale {
  try {
    return loadConfig().file.defaultLocale;
  } catch {
    return 'en';
  }
}

function parseRole(args: string[]): Role {
  const i = args.findIndex((a) => a === '--role' || a.startsWith('--role='));
  if (i < 0) return 'all';
  const value = args[i]!.includes('=') ? args[i]!.split('=')[1] : args[i + 1];
  if (value === 'all' || value === 'http' || value === 'worker') return value;
  throw new ConfigError('--role', translate('en', 'startup.role'));
}

/** Applies pending migrations in this process: a plain pg connection, no schema engine. */
async function migrate(config: AppConfig, logger: Logger): Promise<void> {
  await applyPending({ databaseUrl: config.env.DATABASE_URL, logger, out: process.stdout, lang });
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
  if (process.stdin.isTTY) process.stdout.write(`${translate(lang, 'cli.chat.banner')}\n`);
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
    process.stdout.write(translate(configuredLocale(), 'cli.usage'));
    return;
  }
  if (command === 'doctor') {
    // Before loadConfig: an invalid configuration is the doctor's first finding, not a crash.
    lang = configuredLocale();
    const { doctorCommand } = await import('./doctor-cli.ts');
    process.exitCode = await doctorCommand(rest, process.env, process.stdout);
    process.stdout.write('', () => process.exit());
    return;
  }
  const config = loadConfig();
  lang = config.file.defaultLocale;
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
      await migrateCommand(rest, { databaseUrl: config.env.DATABASE_URL, logger, out: process.stdout, lang });
      process.exit(0);
      return;
    case 'backup':
      await backupCommand(rest, config, { out: process.stdout, err: process.stderr, lang });
      process.exit(0);
      return;
    case 'restore':
      await restoreCommand(rest, config, { out: process.stdout, err: process.stderr, lang });
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
      process.stderr.write(translate(lang, 'cli.usage'));
      process.exit(2);
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  const text = err instanceof LocalizedError ? err.in(lang) : err instanceof Error ? err.message : String(err);
  process.stderr.write(`a2d2: ${text}\n`);
  process.exit(1);
});
