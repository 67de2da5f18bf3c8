/**
 * Routes the Slack SDK's log calls into our logger, so its lines get the same redaction and
 * format as ours instead of going to the console.
 */
import type { LogLevel, Logger as SlackLogger } from '@slack/bolt';
import type { Logger } from '../../../services/logger.ts';

// The SDK's LogLevel values; spelled out so this file does not load the SDK.
const DEBUG = 'debug' as LogLevel;
const INFO = 'info' as LogLevel;
const WARN = 'warn' as LogLevel;
const ERROR = 'error' as LogLevel;
const LEVELS: Record<string, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function show(part: unknown): string {
  if (typeof part === 'string') return part;
  if (part instanceof Error) return part.message;
  try {
    return JSON.stringify(part) ?? String(part);
  } catch {
    return String(part);
  }
}

function line(parts: unknown[]): string {
  return parts.map(show).join(' ');
}

/** Adapts a pino logger to the Slack SDK's logger interface. */
export function toSlackLogger(logger: Logger): SlackLogger {
  // The SDK logs every request at debug; keep it quiet unless asked for.
  let level: LogLevel = WARN;
  const on = (l: LogLevel) => (LEVELS[l] ?? 0) >= (LEVELS[level] ?? 0);
  return {
    debug: (...msg: unknown[]) => void (on(DEBUG) && logger.debug(line(msg))),
    info: (...msg: unknown[]) => void (on(INFO) && logger.info(line(msg))),
    warn: (...msg: unknown[]) => void (on(WARN) && logger.warn(line(msg))),
    error: (...msg: unknown[]) => void (on(ERROR) && logger.error(line(msg))),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
