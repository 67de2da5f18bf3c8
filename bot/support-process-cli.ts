/**
 * `a2d2 support-process [--lang en|ru]`: prints the support-process page (Markdown) written
 * from this installation's configuration: the severities' target times, business hours,
 * escalation chains, where tickets and alerts go, and how to reach support. The page itself
 * is in services/ops/support-process.ts; docs/support-process.md is its output with the
 * defaults (test/integration/support-process.test.ts keeps the two equal).
 */
import type { Writable } from 'node:stream';
import type { AppConfig } from '../services/config.ts';
import { LocalizedError, type Locale } from '../services/i18n/i18n.ts';
import { supportProcessPage } from '../services/ops/support-process.ts';

/** The page's language: `--lang en|ru` (or `--lang=ru`), else the file's defaultLocale. */
export function parseSupportArgs(args: string[], fallback: Locale): Locale {
  let lang: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--lang') lang = args[++i];
    else if (a.startsWith('--lang=')) lang = a.slice('--lang='.length);
    else throw new LocalizedError('cli.support.unknownOption', { option: a });
    if (lang !== 'en' && lang !== 'ru') throw new LocalizedError('cli.option.lang', { value: lang ?? '' });
  }
  return (lang as Locale | undefined) ?? fallback;
}

/** Writes the page; returns the exit code. */
export function supportProcessCommand(args: string[], config: AppConfig, out: Writable): number {
  const locale = parseSupportArgs(args, config.file.defaultLocale);
  const consoleOn = Boolean(config.env.A2D2_PUBLIC_URL && config.env.A2D2_CONSOLE_SECRET);
  out.write(
    supportProcessPage(
      {
        tickets: config.file.tickets,
        alerts: config.file.alerts,
        configPath: config.configPath,
        consoleUrl: consoleOn ? config.env.A2D2_PUBLIC_URL! : null,
      },
      locale,
    ),
  );
  return 0;
}
