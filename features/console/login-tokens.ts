/**
 * One-time sign-in links. A link carries 32 random bytes; Postgres keeps only their sha256,
 * whose user, the language of the chat that asked, and until when (10 minutes). Redeeming
 * marks the row used in one statement, so two openings of one link sign in once; a row that
 * is still there tells a reused link from an expired one (Redis GETDEL could not: both would
 * be gone), and the rows live with the rest of the state (backups, no second store to lose).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../services/db.ts';
import type { Clock } from '../../services/clock.ts';

/** How long a sign-in link works. */
export const LINK_TTL_MS = 10 * 60_000;
/** Rows this long past their expiry are removed when a new link is issued. */
const KEEP_EXPIRED_MS = 24 * 3_600_000;

export type Redeemed = { ok: true; userId: string; locale: string | null } | { ok: false; reason: 'used' | 'expired' | 'invalid'; locale: string | null };

export interface LoginTokens {
  /** A new token for `userId`; only its hash is stored. */
  issue(userId: string, locale: string | null): Promise<string>;
  /** Uses the token once. */
  redeem(token: string): Promise<Redeemed>;
}

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');
/** base64url of 32 bytes: exactly 43 characters of A-Z a-z 0-9 - _. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** Builds the link store over Postgres. */
export function createLoginTokens(db: Db, clock: Clock): LoginTokens {
  return {
    async issue(userId, locale) {
      const token = randomBytes(32).toString('base64url');
      const now = clock.now();
      await db.$executeRaw`DELETE FROM "ConsoleLoginToken" WHERE "expiresAt" < ${new Date(now.getTime() - KEEP_EXPIRED_MS)}`;
      await db.$executeRaw`
        INSERT INTO "ConsoleLoginToken" ("tokenHash", "userId", locale, "expiresAt", "createdAt")
        VALUES (${hashOf(token)}, ${userId}::uuid, ${locale}, ${new Date(now.getTime() + LINK_TTL_MS)}, ${now})`;
      return token;
    },

    async redeem(token) {
      if (!TOKEN_PATTERN.test(token)) return { ok: false, reason: 'invalid', locale: null };
      const hash = hashOf(token);
      const now = clock.now();
      const [used] = await db.$queryRaw<{ userId: string; locale: string | null }[]>`
        UPDATE "ConsoleLoginToken" SET "usedAt" = ${now}
        WHERE "tokenHash" = ${hash} AND "usedAt" IS NULL AND "expiresAt" > ${now}
        RETURNING "userId"::text AS "userId", locale`;
      if (used) return { ok: true, userId: used.userId, locale: used.locale };
      const [row] = await db.$queryRaw<{ usedAt: Date | null; locale: string | null }[]>`
        SELECT "usedAt", locale FROM "ConsoleLoginToken" WHERE "tokenHash" = ${hash}`;
      if (!row) return { ok: false, reason: 'invalid', locale: null };
      return { ok: false, reason: row.usedAt ? 'used' : 'expired', locale: row.locale };
    },
  };
}
