import { eq } from 'drizzle-orm';
import { lockAccount } from '../account/organization.js';
import type { Account, Auth } from '../auth/session.js';
import { type Actor, recordChanges } from '../history/record.js';
import type { Db } from '../db/client.js';
import { accounts } from '../db/schema.js';
import { boundaryOf, neighbours } from '../people/cursor.js';
import { type ListQuery, pageLinks } from '../people/forms.js';
import { type PersonSummary, searchPeople } from '../people/search.js';
import { emptyForm, type FormState } from '../web/forms.js';
import { keptRender } from '../web/kept-render.js';
import { LICENSES } from './seats.js';
import { usersTabs } from '../permissions/tabs.js';
import { lastSignInText, licenseCounts, PAGE_SIZE, type Pager, pagerText, peopleInAccount, seatSummary } from './summary.js';

/** The page of the license settings, and of its people search. */
const USERS_PATH = '/settings/users';

/** Saves account settings of User management with a history entry of what changed, in one transaction. */
async function updateAccountSettings(db: Db, actor: Actor, kind: 'licenses.automatic' | 'invitations.rules', s: Partial<Account>) {
  await db.transaction(async (tx) => {
    const before = await lockAccount(tx, actor.accountId);
    if (!before) return;
    await tx.update(accounts).set(s).where(eq(accounts.id, actor.accountId));
    await recordChanges(tx, actor, kind, { type: 'account', id: actor.accountId }, before, s);
  });
}

export async function updateAutoLicense(db: Db, actor: Actor, autoLicense: boolean): Promise<void> {
  await updateAccountSettings(db, actor, 'licenses.automatic', { autoLicense });
}

export async function updateInvitationSettings(db: Db, actor: Actor, s: { usersMayInvite: boolean; allowedDomains: string[] }) {
  await updateAccountSettings(db, actor, 'invitations.rules', s);
}

/** The search and list page shown (q, cursor), kept across a license change so the administrator comes back to it. */
export type SearchState = ListQuery;

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
  const found = await searchPeople(db, auth.account.id, {
    q: search.q,
    limit: PAGE_SIZE,
    ...boundaryOf(search),
    accountTotal: peopleInAccount(auth.account),
    version: auth.peopleListVersion,
  });
  const paged = Boolean(search.after || search.before);
  const { firstUrl, previousUrl, nextUrl } = pageLinks(USERS_PATH, search.q, found.rows, neighbours(search, found.extraRow));
  const pager: Pager = {
    text: pagerText(found.total, found.rows.length, search.q, paged),
    firstUrl: found.rows.length === 0 && paged ? firstUrl : undefined,
    previousUrl,
    nextUrl,
  };
  const canEdit = auth.person.license === 'read_write';
  return {
    canEdit,
    search,
    rows: found.rows.map(licenseRow),
    /**
     * the rows' forms (`renderRows(csrfToken, render)`), kept with a cached page of people for each kind of reader
     * and search they were sent from (hidden fields); never with a message
     */
    renderRows: keptRender(found, licenseError ? undefined : JSON.stringify([canEdit, search.q, search.after, search.before])),
    pager,
    licenseOptions: LICENSES,
    licenseError,
  };
}

/** Everything /settings/users shows: one statement (one page of people; the counts come with the session's account row). */
export async function usersPageData(db: Db, auth: Auth, search: SearchState, forms: UsersPageForms = {}) {
  const a = auth.account;
  const results = await usersSearchData(db, auth, search, forms.license);
  const licenseSummary = forms.license ? [{ field: `p-${forms.license.personId}-license`, message: forms.license.message }] : [];
  return {
    title: 'User management',
    tabs: usersTabs(a.edition, 'licenses'),
    summary: seatSummary(licenseCounts(a), a.readWriteLicenses),
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
