/**
 * Tells a store or queue that is unreachable for now (PostgreSQL refusing or dropping
 * connections, Redis down or not accepting commands) from every other failure. Such a request
 * is answered 503 with Retry-After, so senders retry — with their idempotency key or delivery
 * id, safely — instead of a 500 that says the request itself was wrong.
 */

/** Node's network error codes that mean the peer cannot be reached. */
const NET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND']);

/** Prisma's codes for a database it cannot reach or that dropped the connection. */
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);

/**
 * PostgreSQL SQLSTATE classes 08 (connection), 53 (resources), 57P (shutting down, cannot
 * connect now), and 25006 (a write on a read-only host: a standby, or a primary being switched).
 */
const PG_STATE = /^(08|53|57P0[1-4]|25006)/;

/** Messages of ioredis and BullMQ when Redis is down or the client is not connected. */
const REDIS_MESSAGES = /Connection is closed|enableOfflineQueue options is false|Stream isn't writeable|Reached the max retries per request limit|connect ECONNREFUSED|Redis is not connected|Socket closed unexpectedly/i;

/** Prisma and pg driver messages for a database that cannot be reached. */
const DB_MESSAGES = /Can't reach database server|database host \S+ is not|Connection terminated|terminating connection|the database system is (starting up|shutting down)|Timed out fetching a new connection|connection refused|Server has closed the connection/i;

/** A thrown value that means "a store or queue is unavailable now; retry later". */
export class UnavailableError extends Error {
  readonly statusCode = 503;
  constructor(
    readonly dependency: 'database' | 'queue',
    options?: { cause?: unknown },
  ) {
    super(`${dependency} unavailable`, options);
    this.name = 'UnavailableError';
  }
}

function props(err: unknown): { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown } {
  return typeof err === 'object' && err !== null ? (err as Record<string, unknown>) : {};
}

/** Which dependency `err` says is unreachable, or null for any other failure. */
export function unavailableDependency(err: unknown, depth = 0): 'database' | 'queue' | null {
  if (depth > 4 || err === null || err === undefined) return null;
  if (err instanceof UnavailableError) return err.dependency;
  const { code, message, cause, errors } = props(err);
  const text = typeof message === 'string' ? message : '';
  if (typeof code === 'string' && PRISMA_CODES.has(code)) return 'database';
  if (typeof code === 'string' && PG_STATE.test(code) && code.length === 5) return 'database';
  if (DB_MESSAGES.test(text)) return 'database';
  if (REDIS_MESSAGES.test(text)) return 'queue';
  if (typeof code === 'string' && NET_CODES.has(code)) return /6379|redis/i.test(text) ? 'queue' : 'database';
  // Aggregate errors (several connection attempts) and wrapped causes.
  for (const inner of [...(Array.isArray(errors) ? errors : []), cause]) {
    const found = unavailableDependency(inner, depth + 1);
    if (found) return found;
  }
  return null;
}

/** True when `err` means a store or queue is unavailable (see {@link unavailableDependency}). */
export function isUnavailable(err: unknown): boolean {
  return unavailableDependency(err) !== null;
}

/** Seconds a client is told to wait before retrying a 503. */
export const RETRY_AFTER_SECONDS = 5;
