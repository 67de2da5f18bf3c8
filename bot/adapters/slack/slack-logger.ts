/**
 * Routes the Slack SDK's log calls into our logger, so its lines get the same redaction and
 * format as ours instead of going to the console.
 */
import { LogLevel, type Logger as SlackLogger } from '@slack/bolt';
import type { Logger } from '../../../services/logger.ts';

const LEVELS: Record<LogLevel, number> = {
  [LogLevel.DEBUG]: 10,
  [LogLevel.INFO]: 20,
  [LogLevel.WARN]: 30,
  [LogLevel.ERROR]: 40,
};

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
  let level: LogLevel = LogLevel.WARN;
  const on = (l: LogLevel) => LEVELS[l] >= LEVELS[level];
  return {
    debug: (...msg: unknown[]) => void (on(LogLevel.DEBUG) && logger.debug(line(msg))),
    info: (...msg: unknown[]) => void (on(LogLevel.INFO) && logger.info(line(msg))),
    warn: (...msg: unknown[]) => void (on(LogLevel.WARN) && logger.warn(line(msg))),
    error: (...msg: unknown[]) => void (on(LogLevel.ERROR) && logger.error(line(msg))),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
