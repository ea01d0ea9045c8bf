import { count, eq } from 'drizzle-orm';
import type { Auth } from '../auth/session.js';
import type { Db } from '../db/client.js';
import { accounts, persons } from '../db/schema.js';
import { type PersonSummary, searchPeople } from '../people/search.js';
import { emptyForm, type FormState } from '../web/forms.js';
import { LICENSES } from './seats.js';
import { lastSignInText, type LicenseCounts, PAGE_SIZE, pager, seatSummary } from './summary.js';

/** How many people hold each license: one grouped statement whatever the size of the account. */
export async function countLicenses(db: Db, accountId: string): Promise<LicenseCounts> {
  const rows = await db
    .select({ license: persons.license, n: count() })
    .from(persons)
    .where(eq(persons.accountId, accountId))
    .groupBy(persons.license);
  const counts: LicenseCounts = { read_write: 0, read_only: 0, none: 0 };
  for (const r of rows) counts[r.license] = r.n;
  return counts;
}

export async function updateAutoLicense(db: Db, accountId: string, autoLicense: boolean): Promise<void> {
  await db.update(accounts).set({ autoLicense }).where(eq(accounts.id, accountId));
}

export async function updateInvitationSettings(db: Db, accountId: string, s: { usersMayInvite: boolean; allowedDomains: string[] }) {
  await db.update(accounts).set(s).where(eq(accounts.id, accountId));
}

/** The search the page shows, kept across a license change so the administrator comes back to it. */
export interface SearchState {
  q: string;
  page: number;
}

/** What one license radio group shows: legend = the person's name; the hint says who they are and when they last signed in. */
export function licenseRow(p: Pick<PersonSummary, 'id' | 'name' | 'email' | 'license' | 'isAdmin' | 'lastSignInAt'>) {
  const hint = [p.email, p.isAdmin ? 'Administrator' : '', `Last sign-in: ${lastSignInText(p.lastSignInAt)}`].filter(Boolean).join(' · ');
  return { id: p.id, name: p.name, license: p.license, hint };
}
export type LicenseRow = ReturnType<typeof licenseRow>;

export interface UsersPageForms {
  autoLicense?: FormState;
  invitations?: FormState;
  /** a refused license change: the message shown next to that person's radio group */
  license?: { personId: string; message: string };
}

/** What the "Search people" results show (the htmx answer to a search needs only this): one statement. */
export async function usersSearchData(db: Db, auth: Auth, search: SearchState, licenseError?: UsersPageForms['license']) {
  const found = await searchPeople(db, auth.account.id, { q: search.q, limit: PAGE_SIZE, offset: (search.page - 1) * PAGE_SIZE });
  return {
    canEdit: auth.person.license === 'read_write',
    search,
    rows: found.rows.map(licenseRow),
    pager: pager(found.total, search.page, found.rows.length, search.q),
    licenseOptions: LICENSES,
    licenseError,
  };
}

/** Everything /settings/users shows: two statements (license counts, one page of people) whatever the number of people. */
export async function usersPageData(db: Db, auth: Auth, search: SearchState, forms: UsersPageForms = {}) {
  const a = auth.account;
  const [counts, results] = await Promise.all([countLicenses(db, a.id), usersSearchData(db, auth, search, forms.license)]);
  const licenseSummary = forms.license ? [{ field: `p-${forms.license.personId}-license`, message: forms.license.message }] : [];
  return {
    title: 'User management',
    summary: seatSummary(counts, a.readWriteLicenses),
    autoLicense: forms.autoLicense ?? emptyForm({ autoLicense: a.autoLicense }),
    invitations: forms.invitations ?? emptyForm({ usersMayInvite: a.usersMayInvite, allowedDomains: a.allowedDomains.join('\n') }),
    ...results,
    form: {
      values: {},
      errors: {},
      summary: [...(forms.autoLicense?.summary ?? []), ...(forms.invitations?.summary ?? []), ...licenseSummary],
    },
  };
}
