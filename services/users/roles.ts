/** The platform's roles, lowest to highest. */
export const ROLES = ['viewer', 'operator', 'technician', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Everyone from `min` up. */
export function atLeast(min: Role): Role[] {
  return ROLES.slice(ROLES.indexOf(min));
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
