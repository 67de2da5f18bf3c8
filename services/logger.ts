/**
 * Logging (pino). Secrets are redacted twice: by field path (authorization headers, tokens)
 * and by value (every configured secret string is replaced wherever it appears in a line).
 */
import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger };

const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["x-slack-signature"]',
  'req.headers["x-telegram-bot-api-secret-token"]',
  'req.headers["x-hub-signature-256"]',
  'headers.authorization',
  'token',
  'botToken',
  'apiKey',
  'secret',
  '*.token',
  '*.botToken',
  '*.apiKey',
  '*.secret',
  '*.password',
];

/** Wraps a destination so that any secret value in a serialized line becomes [REDACTED]. */
function redactingStream(secrets: string[], dest: DestinationStream): DestinationStream {
  if (secrets.length === 0) return dest;
  const escaped = secrets.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp(escaped.join('|'), 'g');
  return { write: (line: string) => dest.write(line.replace(pattern, '[REDACTED]')) };
}

export interface LoggerOptions {
  level?: string;
  secrets?: string[];
  /** Where lines go; stdout by default. Tests pass a collector. */
  destination?: DestinationStream;
  name?: string;
}

/** Creates the root logger. Children inherit redaction. */
export function createLogger(opts: LoggerOptions = {}): Logger {
  const dest = opts.destination ?? pino.destination({ fd: 1, sync: false });
  return pino(
    {
      name: opts.name ?? 'a2d2',
      level: opts.level ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      base: undefined,
    },
    redactingStream(opts.secrets ?? [], dest),
  );
}

/** A logger that drops everything (unit tests). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
