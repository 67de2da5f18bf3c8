/**
 * PostgreSQL's data exceptions (SQLSTATE class 22: an invalid byte sequence, a value too long
 * for its column, a number out of range): the values themselves are refused, so retrying the
 * same request can never succeed. Told apart here so an HTTP edge answers 400, not 500.
 */

// Class 22 codes are five characters: "22" and three digits or capitals (22001, 22P05, 22021).
const DATA_EXCEPTION = /^22[0-9A-Z]{3}$/;

/**
 * The database's message when `err` (or an error it wraps: Prisma's `meta` and `cause`, the
 * driver's original code) is a data exception, else null. Only the first line is returned:
 * the rest of a driver message may quote the query.
 */
export function dataExceptionMessage(err: unknown, depth = 0): string | null {
  if (depth > 4 || typeof err !== 'object' || err === null) return null;
  const e = err as { code?: unknown; originalCode?: unknown; meta?: unknown; cause?: unknown; message?: unknown };
  for (const c of [e.code, e.originalCode]) {
    if (typeof c === 'string' && DATA_EXCEPTION.test(c)) return (typeof e.message === 'string' && e.message ? e.message : c).split('\n')[0]!;
  }
  return dataExceptionMessage(e.meta, depth + 1) ?? dataExceptionMessage(e.cause, depth + 1);
}
