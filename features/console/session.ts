/**
 * The console session: a signed (HMAC, A2D2_CONSOLE_SECRET), httpOnly, SameSite=Lax cookie
 * carrying the user id, the role at sign-in and an expiry. Every request checks it on the
 * server: the signature, the expiry, and the user's role as the YAML derives it now (a role
 * that changed since sign-in ends the session, so a demotion takes effect at once). A session
 * opened with A2D2_API_TOKEN also names the token's fingerprint: a rotated token ends it.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { UsersService } from '../../services/users/users.service.ts';
import type { Db } from '../../services/db.ts';
import { isUniqueViolation } from '../../services/db.ts';
import type { Clock } from '../../services/clock.ts';
import { ROLES, type Role } from '../../services/users/roles.ts';
import { normalizeLocale, type Locale } from '../../services/i18n/i18n.ts';
import { PLATFORMS, type Platform } from '../../services/messaging/types.ts';

export const SESSION_COOKIE = 'a2d2_console';
/** How long a session lasts after sign-in. */
export const SESSION_TTL_MS = 8 * 3_600_000;
/** The identity a sign-in with A2D2_API_TOKEN acts as (an admin user of its own). */
const TOKEN_IDENTITY = { platform: 'console', platformUserId: 'api-token' } as const;

const payloadSchema = z.object({ u: z.uuid(), r: z.enum(ROLES), e: z.number().int(), l: z.enum(['en', 'ru']).nullable(), k: z.string().optional() });
type Payload = z.infer<typeof payloadSchema>;

/** Who is signed in, as the server sees them on this request. */
export interface ConsoleUser {
  id: string;
  role: Role;
  name: string;
  /** The stored locale, else the language of the chat that asked for the link. */
  locale: Locale | null;
  /** The identity behind the session, for the context of actions (the token's is the terminal's). */
  platform: Platform;
  platformUserId: string;
}

export interface SessionDeps {
  users: UsersService;
  db: Db;
  clock: Clock;
  apiToken: string | undefined;
  /** Cookies only over https when the public URL is https. */
  secure: boolean;
}

const fingerprint = (token: string) => createHash('sha256').update(`console:${token}`).digest('hex').slice(0, 16);

/** Builds the session helpers. */
export function createSessions(deps: SessionDeps) {
  const { users, clock } = deps;
  const cookieOptions = { path: '/console', httpOnly: true, sameSite: 'lax' as const, secure: deps.secure, signed: true };

  function start(reply: FastifyReply, user: { id: string; role: Role }, locale: Locale | null, viaToken = false): void {
    const payload: Payload = { u: user.id, r: user.role, e: clock.now().getTime() + SESSION_TTL_MS, l: locale, ...(viaToken && deps.apiToken ? { k: fingerprint(deps.apiToken) } : {}) };
    reply.setCookie(SESSION_COOKIE, Buffer.from(JSON.stringify(payload)).toString('base64url'), { ...cookieOptions, maxAge: SESSION_TTL_MS / 1000 });
  }

  function end(reply: FastifyReply): void {
    reply.clearCookie(SESSION_COOKIE, cookieOptions);
  }

  function read(req: FastifyRequest): Payload | null {
    const raw = req.cookies[SESSION_COOKIE];
    if (!raw) return null;
    const unsigned = req.unsignCookie(raw);
    if (!unsigned.valid || !unsigned.value) return null;
    try {
      const parsed = payloadSchema.safeParse(JSON.parse(Buffer.from(unsigned.value, 'base64url').toString('utf8')));
      return parsed.success && parsed.data.e > clock.now().getTime() ? parsed.data : null;
    } catch {
      return null;
    }
  }

  /** The signed-in user, checked against the current roles; null when there is no valid session. */
  async function current(req: FastifyRequest): Promise<ConsoleUser | null> {
    const p = read(req);
    if (!p) return null;
    // One statement: the user, their identities and the role the file derives now.
    const row = await users.byId(p.u);
    if (!row) return null;
    const ids = row.identities;
    const viaToken = ids.some((i) => i.platform === TOKEN_IDENTITY.platform && i.platformUserId === TOKEN_IDENTITY.platformUserId);
    if (viaToken && (!deps.apiToken || p.k !== fingerprint(deps.apiToken))) return null;
    const first = ids[0];
    if (!first) return null;
    if (row.role !== p.r) return null;
    const platform = (PLATFORMS as readonly string[]).includes(first.platform) ? (first.platform as Platform) : 'terminal';
    return {
      id: row.id,
      role: row.role,
      name: row.displayName ?? first.platformUserId,
      locale: (row.locale ? normalizeLocale(row.locale) : null) ?? p.l,
      platform,
      platformUserId: first.platformUserId,
    };
  }

  /** The admin user a sign-in with A2D2_API_TOKEN acts as (created on first use; a role granted outside the file, so the start's sync keeps it). */
  async function tokenUser(): Promise<{ id: string; role: Role }> {
    const found = await deps.db.userIdentity.findUnique({ where: { platform_platformUserId: TOKEN_IDENTITY }, select: { userId: true } });
    if (!found) {
      try {
        await deps.db.user.create({ data: { displayName: 'API', role: 'admin', roleSource: 'granted', identities: { create: { ...TOKEN_IDENTITY, displayName: 'API' } } } });
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
      }
    }
    const row = await users.resolve(TOKEN_IDENTITY.platform, TOKEN_IDENTITY.platformUserId, 'API');
    return { id: row.id, role: row.role };
  }

  return { start, end, current, tokenUser, cookieOptions };
}

export type Sessions = ReturnType<typeof createSessions>;
