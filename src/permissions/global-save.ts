/**
 * Saving the "Global" tab: the decided permissions for every selected person in one transaction, with one history
 * entry ('permissions.global', before/after permissions) per person whose grants changed. Permissions that are not
 * decided (the untouched "Differs" ones) stay as each person has them.
 */
import { and, asc, eq, inArray, ne } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { globalGrants, persons } from '../db/schema.js';
import { type Actor, recordHistory } from '../history/record.js';
import { PERMISSION_KEYS, type PermissionKey } from './catalog.js';

export type SaveResult =
  | { ok: true; changed: { id: string; name: string }[]; people: { id: string; name: string }[] }
  | { ok: false; reason: 'people' };

const inCatalogOrder = (keys: Iterable<string>) => {
  const set = new Set(keys);
  return PERMISSION_KEYS.filter((k) => set.has(k));
};

export async function saveGlobalPermissions(db: Db, actor: Actor, personIds: readonly string[], decide: ReadonlyMap<PermissionKey, boolean>): Promise<SaveResult> {
  const grant = [...decide].filter(([, on]) => on).map(([k]) => k);
  const revoke = [...decide].filter(([, on]) => !on).map(([k]) => k);
  return db.transaction(async (tx) => {
    // the people rows are locked: a concurrent save for the same person (or a license change) waits, so `before` is true
    const people = await tx
      .select({ id: persons.id, name: persons.name })
      .from(persons)
      .where(and(eq(persons.accountId, actor.accountId), inArray(persons.id, [...personIds]), ne(persons.license, 'none')))
      .orderBy(asc(persons.name), asc(persons.id))
      .for('no key update');
    if (people.length !== new Set(personIds).size) return { ok: false, reason: 'people' };
    const ids = people.map((p) => p.id);
    const rows = await tx
      .select({ personId: globalGrants.personId, permission: globalGrants.permission })
      .from(globalGrants)
      .where(and(eq(globalGrants.accountId, actor.accountId), inArray(globalGrants.personId, ids)));
    if (revoke.length) {
      await tx
        .delete(globalGrants)
        .where(and(eq(globalGrants.accountId, actor.accountId), inArray(globalGrants.personId, ids), inArray(globalGrants.permission, revoke)));
    }
    if (grant.length) {
      await tx
        .insert(globalGrants)
        .values(ids.flatMap((personId) => grant.map((permission) => ({ accountId: actor.accountId, personId, permission }))))
        .onConflictDoNothing();
    }
    const changed: { id: string; name: string }[] = [];
    for (const p of people) {
      const before = inCatalogOrder(rows.filter((r) => r.personId === p.id).map((r) => r.permission));
      const after = new Set<string>(before);
      for (const k of grant) after.add(k);
      for (const k of revoke) after.delete(k);
      const afterList = inCatalogOrder(after);
      if (afterList.length === before.length && afterList.every((k, i) => k === before[i])) continue;
      changed.push(p);
      await recordHistory(tx, actor, {
        kind: 'permissions.global',
        subject: { type: 'person', id: p.id },
        before: { permissions: before },
        after: { permissions: afterList },
      });
    }
    return { ok: true, changed, people };
  });
}
