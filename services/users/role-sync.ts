/**
 * Roles from the configuration. a2d2.yaml is the source of truth for every role it manages
 * (`roleSource` "config"): a person listed under `roles` has the highest role any of their
 * identities is listed under, everyone else `defaultRole`. A role the code granted outside the
 * file (`roleSource` "granted": the admin that A2D2_API_TOKEN signs in as) is kept, and the file
 * can only raise it.
 *
 * `syncRoles` runs at every start and writes the file's roles into the stored ones, so a person
 * removed from `roles` is demoted by the restart. Each change is one conditional update and one
 * audit row (`config:role.sync`, from and to) in one transaction: instances starting together
 * change, and audit, each user once.
 */
import type { Db } from '../db.ts';
import type { YamlConfig } from '../config.ts';
import { ROLES, isRole, type Role } from './roles.ts';

export type RoleSource = 'config' | 'granted';
export type RoleFile = Pick<YamlConfig, 'roles' | 'defaultRole'>;
type Identity = { platform: string; platformUserId: string };

export interface RoleChange {
  userId: string;
  from: string;
  to: Role;
}

/** Highest role the YAML grants to any of these identities, or null. */
export function roleFromFile(file: Pick<YamlConfig, 'roles'>, identities: Identity[]): Role | null {
  let best: Role | null = null;
  for (const role of ROLES) {
    const refs = file.roles[role] ?? [];
    if (identities.some((i) => refs.includes(`${i.platform}:${i.platformUserId}`))) best = role;
  }
  return best;
}

/** The role in effect: the file's (or its default) for "config" roles; a granted role is kept unless the file gives more. */
export function effectiveRole(file: RoleFile, identities: Identity[], stored: string, source: string): Role {
  const listed = roleFromFile(file, identities);
  if (source !== 'granted') return listed ?? file.defaultRole;
  const granted = isRole(stored) ? stored : file.defaultRole;
  return listed && ROLES.indexOf(listed) > ROLES.indexOf(granted) ? listed : granted;
}

/** Brings every stored "config" role in line with the file; returns what changed. */
export async function syncRoles(db: Db, file: RoleFile): Promise<RoleChange[]> {
  const rows = await db.$queryRaw<{ id: string; role: string; identities: Identity[] | null }[]>`
    SELECT u.id::text AS id, u.role,
      (SELECT jsonb_agg(jsonb_build_object('platform', i.platform, 'platformUserId', i."platformUserId")) FROM "UserIdentity" i WHERE i."userId" = u.id) AS identities
    FROM "User" u WHERE u."roleSource" = 'config'`;
  const changes: RoleChange[] = [];
  for (const row of rows) {
    const identities = row.identities ?? [];
    const to = effectiveRole(file, identities, row.role, 'config');
    if (to === row.role) continue;
    const changed = await db.$transaction(async (tx) => {
      // Only if no other instance changed it meanwhile: one update, one audit row.
      const { count } = await tx.user.updateMany({ where: { id: row.id, role: row.role, roleSource: 'config' }, data: { role: to } });
      if (count === 0) return false;
      const refs = identities.map((i) => `${i.platform}:${i.platformUserId}`);
      await tx.auditLog.create({
        data: { userId: row.id, platform: 'config', action: 'config:role.sync', target: `user:${row.id}`, outcome: 'ok', detail: { from: row.role, to, identities: refs } },
      });
      return true;
    });
    if (changed) changes.push({ userId: row.id, from: row.role, to });
  }
  return changes;
}
