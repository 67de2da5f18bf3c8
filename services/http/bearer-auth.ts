/**
 * The one bearer-token check of every route that takes `Authorization: Bearer <token>` (the
 * REST API, the alert and deploy webhooks). Comparison is constant-time; a refusal is a 401
 * with `WWW-Authenticate: Bearer` and a reason, and one log line that names the route and
 * the variable to check, never the token.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

const sha = (s: string | Buffer) => createHash('sha256').update(s).digest();

/** Constant-time string comparison (hashing first makes the lengths equal). */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(sha(a), sha(b));
}

/** The token of an `Authorization: Bearer <token>` header, or null when the header is not of that form. */
export function bearerToken(header: string | undefined): string | null {
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
  return m ? m[1]! : null;
}

/** True when the header carries exactly `token`. */
export function bearerOk(header: string | undefined, token: string): boolean {
  const given = bearerToken(header);
  return given !== null && safeEqual(given, token);
}

export interface BearerAuthOptions {
  token: string;
  /** The variable that holds the token, named in the refusal (e.g. A2D2_API_TOKEN). */
  name: string;
  /** Where a refusal is logged (a pino or Fastify logger). */
  logger?: { warn(obj: object, msg: string): void };
}

/** An onRequest/preHandler hook that refuses requests without the token. */
export function bearerAuth(opts: BearerAuthOptions) {
  return async function checkBearer(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const header = req.headers.authorization;
    if (bearerOk(header, opts.token)) return;
    const reason = header ? 'invalid bearer token' : `missing Authorization: Bearer <${opts.name}>`;
    opts.logger?.warn({ route: req.routeOptions.url ?? req.url, ip: req.ip, reason }, `request refused: check ${opts.name}`);
    await reply.status(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized', message: reason });
  };
}
