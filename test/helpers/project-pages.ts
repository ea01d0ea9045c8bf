/**
 * What the route tests of projects and their sections share: a page's text, an account's history of one kind,
 * a role's permissions set outright, and the SQL statements one request sends.
 */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../src/db/client.js';
import { historyEntries, rolePermissions } from '../../src/db/schema.js';
import type { PermissionKey } from '../../src/permissions/catalog.js';
import type { RoleKey } from '../../src/permissions/roles.js';
import { forgetCachedReads } from '../../src/db/versioned-cache.js';

/** The text of a page's `<main>`, tags removed and spaces collapsed (entities left as they are). */
export const mainText = (body: string) =>
  (/<main[^>]*>([\s\S]*)<\/main>/.exec(body)?.[1] ?? '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();

/** The history entries of one kind, oldest first. */
export const historyOf = (db: Db, kind: string) =>
  db.select().from(historyEntries).where(eq(historyEntries.kind, kind)).orderBy(historyEntries.id);

/** Gives a role of the account exactly these permissions (none: an empty list). */
export async function setRolePermissions(db: Db, accountId: string, roleKey: RoleKey, permissions: readonly PermissionKey[]) {
  await db.delete(rolePermissions).where(and(eq(rolePermissions.accountId, accountId), eq(rolePermissions.roleKey, roleKey)));
  if (permissions.length) await db.insert(rolePermissions).values(permissions.map((permission) => ({ accountId, roleKey, permission })));
}

/** SQL statements one request sends (a page read, not a page cached); the request must answer 200. */
export async function statements(stats: { queries: number }, request: () => Promise<{ statusCode: number }>) {
  forgetCachedReads();
  const before = stats.queries;
  const res = await request();
  if (res.statusCode !== 200) throw new Error(`unexpected ${res.statusCode}`);
  return stats.queries - before;
}
