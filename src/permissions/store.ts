/**
 * Writing the permission model's rows that every account has from its first day: the ten roles (SPEC §6 defaults).
 * Reading it is in load.ts.
 */
import type { Tx } from '../db/client.js';
import { rolePermissions, roles } from '../db/schema.js';
import { defaultRoles } from './roles.js';

/** A new account's roles: default names, the five default roles visible, More 1–5 hidden, the recommended permissions. */
export async function insertDefaultRoles(tx: Tx, accountId: string): Promise<void> {
  const defaults = defaultRoles();
  await tx.insert(roles).values(defaults.map((r) => ({ accountId, key: r.key, name: r.name, visible: r.visible })));
  const grants = defaults.flatMap((r) => r.permissions.map((permission) => ({ accountId, roleKey: r.key, permission })));
  if (grants.length) await tx.insert(rolePermissions).values(grants);
}
