import { and, eq, getTableColumns, sql } from 'drizzle-orm';
import { lockAccount } from '../account/organization.js';
import type { Account } from '../auth/session.js';
import { type LicenseCounts, licenseCounts } from './summary.js';
import type { Db, Tx } from '../db/client.js';
import { persons, sessions } from '../db/schema.js';
import { type Actor, recordHistory } from '../history/record.js';
import { isLastWritingAdmin, type License, needsSeat } from './rules.js';

export { type License, LICENSES } from './rules.js';

export const ALL_SEATS_TAKEN = 'All Read & Write licenses are distributed.';
export const LAST_ADMIN = 'The account needs at least one administrator with a Read & Write license.';

export type Person = typeof persons.$inferSelect;
export type LicenseChange =
  /** counts: how many people hold each license after the change (read under the account lock) */
  | { ok: true; changed: boolean; person: Person; counts: LicenseCounts }
  | { ok: false; reason: 'no-seat' | 'last-admin' | 'not-found' };

/**
 * One person of the account, with how many other administrators keep Read & Write (the account must always
 * keep one): one statement. Inside a transaction holding the account lock, the count can't change underneath.
 */
export async function findPersonWithAdmins(db: Db | Tx, accountId: string, personId: string) {
  const [row] = await db
    .select({
      ...getTableColumns(persons),
      // drizzle leaves columns unqualified in a one-table select, so the outer row is named in full here
      otherWritingAdmins: sql<number>`(select count(*) from persons o
        where o.account_id = persons.account_id and o.is_admin and o.license = 'read_write' and o.id <> persons.id)`.mapWith(Number),
    })
    .from(persons)
    .where(and(eq(persons.id, personId), eq(persons.accountId, accountId)));
  return row;
}

/**
 * Gives a person a license. The seat check and the assignment are one step under the account row lock
 * (SELECT … FOR NO KEY UPDATE), so concurrent requests from any number of app instances never over-distribute.
 * No Access ends the person's sessions at once; the last writing administrator can't lose Read & Write.
 */
export async function updateLicense(db: Db, actor: Actor, personId: string, license: License): Promise<LicenseChange> {
  const { accountId } = actor;
  return db.transaction(async (tx) => {
    const account = await lockAccount(tx, accountId);
    if (!account) return { ok: false, reason: 'not-found' } as const;
    const found = await findPersonWithAdmins(tx, accountId, personId);
    if (!found) return { ok: false, reason: 'not-found' } as const;
    const { otherWritingAdmins, ...person } = found;
    const counts = licenseCounts(account);
    if (person.license === license) return { ok: true, changed: false, person, counts } as const;
    if (needsSeat(person, license) && account.readWriteCount >= account.readWriteLicenses) {
      return { ok: false, reason: 'no-seat' } as const;
    }
    if (isLastWritingAdmin(person, otherWritingAdmins)) {
      return { ok: false, reason: 'last-admin' } as const;
    }
    await tx.update(persons).set({ license }).where(eq(persons.id, personId));
    if (license === 'none') await tx.delete(sessions).where(eq(sessions.userId, personId));
    await recordHistory(tx, actor, { kind: 'person.license', subject: { type: 'person', id: personId }, before: { license: person.license }, after: { license } });
    counts[person.license]--;
    counts[license]++;
    return { ok: true, changed: true, person: { ...person, license }, counts } as const;
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
  return account.readWriteCount < account.readWriteLicenses ? 'read_write' : 'read_only';
}

/** Whether an invitation accepted now would fall back to Read-Only (the inviter is told before sending). */
export function wouldFallBackToReadOnly(account: Pick<Account, 'autoLicense' | 'readWriteCount' | 'readWriteLicenses'>): boolean {
  return account.autoLicense && account.readWriteCount >= account.readWriteLicenses;
}
