import { and, eq } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.js';
import { globalGrants } from '../db/schema.js';
import { isPermissionKey, type PermissionKey } from './catalog.js';

/** The vocabulary lives in catalog.ts; re-exported here for the code that imports it with the queries. */
export { isPermissionKey, PERMISSION_KEYS, type PermissionKey, PROJECT_READ_PERMISSIONS } from './catalog.js';

/** A person's global permissions, in one query (load once per request and pass the set around). */
export async function listGlobalPermissions(db: Db | Tx, accountId: string, personId: string): Promise<Set<PermissionKey>> {
  const rows = await db
    .select({ permission: globalGrants.permission })
    .from(globalGrants)
    .where(and(eq(globalGrants.accountId, accountId), eq(globalGrants.personId, personId)));
  return new Set(rows.map((r) => r.permission).filter(isPermissionKey));
}

export async function hasGlobalPermission(db: Db | Tx, accountId: string, personId: string, key: PermissionKey): Promise<boolean> {
  const rows = await db
    .select({ permission: globalGrants.permission })
    .from(globalGrants)
    .where(and(eq(globalGrants.accountId, accountId), eq(globalGrants.personId, personId), eq(globalGrants.permission, key)))
    .limit(1);
  return rows.length > 0;
}

/** Grants global permissions; grants the person already holds are left as they are. */
export async function insertGlobalGrants(db: Db | Tx, accountId: string, personId: string, keys: readonly PermissionKey[]) {
  if (keys.length === 0) return;
  await db
    .insert(globalGrants)
    .values(keys.map((permission) => ({ accountId, personId, permission })))
    .onConflictDoNothing();
}
