/**
 * The Telegram command menu, built from the registry: one list per language (English is the
 * default, Russian for users whose client says 'ru'). Telegram allows only [a-z0-9_], 1-32
 * characters, in a command name, so names are sanitized and the normalizer maps them back.
 */
import type { CommandRegistry } from '../../../core/registry.ts';
import { translator } from '../../../services/i18n/i18n.ts';

/** One BotCommand as setMyCommands takes it. */
export interface TelegramCommand {
  command: string;
  description: string;
}

/** Menus per language plus the sanitized-name -> slash-name map. */
export interface TelegramMenu {
  en: TelegramCommand[];
  ru: TelegramCommand[];
  /** Sanitized name -> the registry's slash name, only where they differ. */
  names: Map<string, string>;
}

/** Telegram accepts at most this many commands per scope and language. */
export const TELEGRAM_MAX_COMMANDS = 100;

/** Lower-cases and replaces what Telegram rejects; '' when nothing usable is left. */
export function sanitizeCommandName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 32);
}

function describe(text: string, fallback: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  // Telegram wants 1-256 characters.
  return (oneLine || fallback).slice(0, 256);
}

function build(registry: CommandRegistry, locale: 'en' | 'ru', names: Map<string, string>): TelegramCommand[] {
  const out: TelegramCommand[] = [];
  const seen = new Set<string>();
  for (const item of registry.menu(translator(locale))) {
    const command = sanitizeCommandName(item.command);
    if (!command || seen.has(command)) continue;
    seen.add(command);
    if (command !== item.command) names.set(command, item.command);
    out.push({ command, description: describe(item.description, command) });
    if (out.length >= TELEGRAM_MAX_COMMANDS) break;
  }
  return out;
}

/** Builds the English and Russian menus from the registry. */
export function buildTelegramMenu(registry: CommandRegistry): TelegramMenu {
  const names = new Map<string, string>();
  const en = build(registry, 'en', names);
  const ru = build(registry, 'ru', names);
  return { en, ru, names };
}
