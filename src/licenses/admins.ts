import { and, eq } from 'drizzle-orm';
import { lockAccount } from '../account/organization.js';
import type { Db } from '../db/client.js';
import { persons } from '../db/schema.js';
import { type Actor, recordHistory } from '../history/record.js';
import { isLastWritingAdmin } from './rules.js';
import { findPersonWithAdmins, type Person } from './seats.js';

export type AdminChange = { ok: true; person: Person } | { ok: false; reason: 'last-admin' | 'not-found' };

/**
 * Makes a person an administrator or takes that away. Under the account row lock, like every license change,
 * so two administrators demoting each other at the same moment can't leave the account without one.
 */
export async function updateAdmin(db: Db, actor: Actor, personId: string, admin: boolean): Promise<AdminChange> {
  const { accountId } = actor;
  return db.transaction(async (tx) => {
    if (!(await lockAccount(tx, accountId))) return { ok: false, reason: 'not-found' } as const;
    const found = await findPersonWithAdmins(tx, accountId, personId);
    if (!found) return { ok: false, reason: 'not-found' } as const;
    const { otherWritingAdmins, ...person } = found;
    if (!admin && isLastWritingAdmin(person, otherWritingAdmins)) return { ok: false, reason: 'last-admin' } as const;
    if (person.isAdmin !== admin) {
      await tx.update(persons).set({ isAdmin: admin }).where(eq(persons.id, personId));
      const subject = { type: 'person', id: personId } as const;
      await recordHistory(tx, actor, { kind: 'person.admin', subject, before: { isAdmin: person.isAdmin }, after: { isAdmin: admin } });
    }
    return { ok: true, person: { ...person, isAdmin: admin } } as const;
  });
}

/**
 * Deletes a person: the row goes, and with it (by foreign-key cascade) their sessions, grants, invitations and
 * reset links; invitations they sent keep existing without a sender. The last writing administrator stays.
 */
export async function deletePerson(db: Db, actor: Actor, personId: string): Promise<AdminChange> {
  const { accountId } = actor;
  return db.transaction(async (tx) => {
    if (!(await lockAccount(tx, accountId))) return { ok: false, reason: 'not-found' } as const;
    const found = await findPersonWithAdmins(tx, accountId, personId);
    if (!found) return { ok: false, reason: 'not-found' } as const;
    const { otherWritingAdmins, ...person } = found;
    if (isLastWritingAdmin(person, otherWritingAdmins)) return { ok: false, reason: 'last-admin' } as const;
    await tx.delete(persons).where(and(eq(persons.id, personId), eq(persons.accountId, accountId)));
    // the entry keeps the id only: from now on the page shows "Deleted person"
    const before = { license: person.license, isAdmin: person.isAdmin };
    await recordHistory(tx, actor, { kind: 'person.deleted', subject: { type: 'person', id: personId }, before });
    return { ok: true, person } as const;
  });
}
