import { and, count, eq, ne } from 'drizzle-orm';
import { countReadWrite, lockAccount } from '../account/organization.js';
import { findAccount } from '../auth/session.js';
import type { Db, Tx } from '../db/client.js';
import { persons, sessions } from '../db/schema.js';

export const LICENSES = { read_only: 'Read-Only', read_write: 'Read & Write', none: 'No Access' } as const;
export type License = keyof typeof LICENSES;

export const ALL_SEATS_TAKEN = 'All Read & Write licenses are distributed.';
export const LAST_ADMIN = 'The account needs at least one administrator with a Read & Write license.';

export type LicenseChange = { ok: true; changed: boolean } | { ok: false; reason: 'no-seat' | 'last-admin' | 'not-found' };

/** Other administrators who keep Read & Write (the account must always keep one). */
async function countOtherWritingAdmins(tx: Tx, accountId: string, personId: string): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(persons)
    .where(and(eq(persons.accountId, accountId), eq(persons.isAdmin, true), eq(persons.license, 'read_write'), ne(persons.id, personId)));
  return row?.n ?? 0;
}

/**
 * Gives a person a license. The seat check and the assignment are one step under the account row lock
 * (SELECT … FOR UPDATE), so concurrent requests from any number of app instances never over-distribute.
 * No Access ends the person's sessions at once; the last writing administrator can't lose Read & Write.
 */
export async function updateLicense(db: Db, accountId: string, personId: string, license: License): Promise<LicenseChange> {
  return db.transaction(async (tx) => {
    const account = await lockAccount(tx, accountId);
    if (!account) return { ok: false, reason: 'not-found' } as const;
    const [person] = await tx
      .select()
      .from(persons)
      .where(and(eq(persons.id, personId), eq(persons.accountId, accountId)));
    if (!person) return { ok: false, reason: 'not-found' } as const;
    if (person.license === license) return { ok: true, changed: false } as const;
    if (license === 'read_write' && (await countReadWrite(tx, accountId)) >= account.readWriteLicenses) {
      return { ok: false, reason: 'no-seat' } as const;
    }
    if (person.isAdmin && person.license === 'read_write' && (await countOtherWritingAdmins(tx, accountId, personId)) === 0) {
      return { ok: false, reason: 'last-admin' } as const;
    }
    await tx.update(persons).set({ license }).where(eq(persons.id, personId));
    if (license === 'none') await tx.delete(sessions).where(eq(sessions.userId, personId));
    return { ok: true, changed: true } as const;
  });
}

/**
 * The license a person gets on accepting an invitation: Read & Write when automatic distribution is on and a
 * seat is free, otherwise Read-Only. Call inside the accepting transaction; it takes the account lock, and the
 * caller must write the license before that transaction commits.
 */
export async function resolveAcceptanceLicense(tx: Tx, accountId: string): Promise<License> {
  const account = await lockAccount(tx, accountId);
  if (!account) throw new Error('account not found');
  if (!account.autoLicense) return 'read_only';
  return (await countReadWrite(tx, accountId)) < account.readWriteLicenses ? 'read_write' : 'read_only';
}

/** Whether an invitation accepted now would fall back to Read-Only (the inviter is told before sending). */
export async function wouldFallBackToReadOnly(db: Db, accountId: string): Promise<boolean> {
  const account = await findAccount(db, accountId);
  return !!account && account.autoLicense && (await countReadWrite(db, accountId)) >= account.readWriteLicenses;
}
