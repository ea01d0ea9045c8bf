import { and, eq } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.js';
import { globalGrants } from '../db/schema.js';

/** Every permission key of the catalog (SPEC §6): a closed vocabulary, so a typo is a type error. */
export const PERMISSION_KEYS = [
  'projects.create',
  'projectRequests.create',
  'projectRequests.edit',
  'people.edit',
  'reports.edit',
  'reports.generate',
  'project.read',
  'comments.read',
  'lists.read',
  'mindmaps.read',
  'tasks.read',
  'planning.read',
  'time.read',
  'documents.read',
  'financials.read',
  'manage.read',
  'comments.add',
  'comments.deleteOwn',
  'comments.delete',
  'lists.edit',
  'mindmaps.edit',
  'tasks.edit',
  'planning.edit',
  'time.editOwn',
  'time.edit',
  'time.backdate',
  'documents.edit',
  'financials.edit',
  'manage.edit',
  'project.lock',
  'project.delete',
] as const;

export type PermissionKey = (typeof PERMISSION_KEYS)[number];

/** The project read permissions — the catalog's `.read` keys: what "Read all projects" grants globally (SPEC §4, §6). */
export const PROJECT_READ_PERMISSIONS: readonly PermissionKey[] = PERMISSION_KEYS.filter((key) => key.endsWith('.read'));

export function isPermissionKey(key: string): key is PermissionKey {
  return (PERMISSION_KEYS as readonly string[]).includes(key);
}

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
