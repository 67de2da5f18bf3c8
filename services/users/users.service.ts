/**
 * Users, their platform identities and roles. Roles come from the YAML (platform:user-id
 * lists); unknown users get the configured default. A user's role is re-derived from the
 * file on every resolve, and the stored roles are re-synced with it at every start
 * (role-sync.ts), so editing the file and restarting changes access. Only a role the code
 * granted outside the file (`roleSource` "granted") is kept.
 */
import { randomInt } from 'node:crypto';
import type { Db } from '../db.ts';
import { isUniqueViolation } from '../db.ts';
import type { YamlConfig } from '../config.ts';
import type { Role } from './roles.ts';
import type { Clock } from '../clock.ts';
import { effectiveRole, roleFromFile, syncRoles, type RoleChange } from './role-sync.ts';

export { roleFromFile, type RoleChange };

export interface UserRow {
  id: string;
  role: Role;
  locale: string | null;
  displayName: string | null;
}

export interface UsersService {
  /** Finds or creates the user behind a platform identity. */
  resolve(platform: string, platformUserId: string, displayName?: string): Promise<UserRow>;
  setLocale(userId: string, locale: string | null): Promise<void>;
  /** Issues a one-time link code (10 minutes). */
  createLinkCode(userId: string): Promise<string>;
  /** Joins the identity of `userId` with the user who issued `code`. Returns the surviving user id or an error key. */
  redeemLinkCode(userId: string, code: string): Promise<{ ok: true; userId: string } | { ok: false; reason: 'invalid' | 'expired' | 'self' }>;
  identities(userId: string): Promise<{ platform: string; platformUserId: string }[]>;
  /** A known user by id with their identities (oldest first) and the role the file derives now, in one round trip; null when unknown. */
  byId(userId: string): Promise<(UserRow & { identities: { platform: string; platformUserId: string }[] }) | null>;
  /** Writes the file's roles into the stored ones (at start); each change is audited. */
  syncRoles(): Promise<RoleChange[]>;
}

export function createUsersService(deps: { db: Db; file: Pick<YamlConfig, 'roles' | 'defaultRole'>; clock: Clock }): UsersService {
  const { db, file, clock } = deps;

  return {
    async resolve(platform, platformUserId, displayName) {
      // Every inbound event resolves its user: the user and all their identities (the role may
      // come from any of them) in one round trip.
      const [found] = await db.$queryRaw<{ id: string; role: string; roleSource: string; locale: string | null; displayName: string | null; identities: { platform: string; platformUserId: string }[] }[]>`
        SELECT u.id::text AS id, u.role, u."roleSource", u.locale, u."displayName",
          (SELECT jsonb_agg(jsonb_build_object('platform', o.platform, 'platformUserId', o."platformUserId")) FROM "UserIdentity" o WHERE o."userId" = u.id) AS identities
        FROM "UserIdentity" i JOIN "User" u ON u.id = i."userId"
        WHERE i.platform = ${platform} AND i."platformUserId" = ${platformUserId}`;
      if (found) {
        const role = effectiveRole(file, found.identities ?? [], found.role, found.roleSource);
        return { id: found.id, role, locale: found.locale, displayName: found.displayName ?? displayName ?? null };
      }
      const role = roleFromFile(file, [{ platform, platformUserId }]) ?? file.defaultRole;
      try {
        const user = await db.user.create({
          data: { displayName: displayName ?? null, role, identities: { create: { platform, platformUserId, displayName: displayName ?? null } } },
        });
        return { id: user.id, role, locale: null, displayName: user.displayName };
      } catch (err) {
        // Two deliveries from a new user at once: the other one created it.
        if (!isUniqueViolation(err)) throw err;
        return this.resolve(platform, platformUserId, displayName);
      }
    },

    async setLocale(userId, locale) {
      await db.user.update({ where: { id: userId }, data: { locale } });
    },

    async createLinkCode(userId) {
      const code = String(randomInt(100000, 1000000));
      await db.linkCode.create({ data: { code: `${code}`, userId, expiresAt: new Date(clock.now().getTime() + 10 * 60_000) } });
      return code;
    },

    async redeemLinkCode(userId, code) {
      return db.$transaction(async (tx) => {
        const row = await tx.linkCode.findUnique({ where: { code } });
        if (!row || row.usedAt) return { ok: false as const, reason: 'invalid' as const };
        if (row.expiresAt < clock.now()) return { ok: false as const, reason: 'expired' as const };
        if (row.userId === userId) return { ok: false as const, reason: 'self' as const };
        await tx.linkCode.update({ where: { code }, data: { usedAt: clock.now() } });
        // The issuer survives; the redeemer's identities move to it.
        await tx.userIdentity.updateMany({ where: { userId }, data: { userId: row.userId } });
        await tx.user.delete({ where: { id: userId } });
        return { ok: true as const, userId: row.userId };
      });
    },

    async identities(userId) {
      return db.userIdentity.findMany({ where: { userId }, select: { platform: true, platformUserId: true } });
    },

    async byId(userId) {
      const [found] = await db.$queryRaw<{ id: string; role: string; roleSource: string; locale: string | null; displayName: string | null; identities: { platform: string; platformUserId: string }[] | null }[]>`
        SELECT u.id::text AS id, u.role, u."roleSource", u.locale, u."displayName",
          (SELECT jsonb_agg(jsonb_build_object('platform', o.platform, 'platformUserId', o."platformUserId") ORDER BY o."createdAt", o.id) FROM "UserIdentity" o WHERE o."userId" = u.id) AS identities
        FROM "User" u WHERE u.id = ${userId}::uuid`;
      if (!found) return null;
      const identities = found.identities ?? [];
      return { id: found.id, role: effectiveRole(file, identities, found.role, found.roleSource), locale: found.locale, displayName: found.displayName, identities };
    },

    syncRoles() {
      return syncRoles(db, file);
    },
  };
}
