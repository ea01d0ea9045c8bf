import type { Auth } from '../auth/session.js';
import type { Db } from '../db/client.js';
import { canInvite } from '../invitations/rules.js';
import { peopleCount, peopleInAccount } from '../licenses/summary.js';
import { viewerGrants } from './access.js';
import { boundaryOf, neighbours } from './cursor.js';
import { type ListQuery, pageLinks } from './forms.js';
import { canEditPeople, PAGE_SIZE, personStatus, STATUS_LABELS } from './rules.js';
import { searchPeople } from './search.js';

/** "12 people in your contacts", or while searching "3 people found" (the status announced after each search). */
export function countText(total: number, q: string): string {
  return q ? `${peopleCount(total)} found` : `${peopleCount(total)} in your contacts`;
}

/**
 * Everything /people shows: one page of the account's people from its cursor (one statement; the total is the
 * account's count, or the search's match count) and what the viewer may do. A bounded number of statements
 * whatever the size of the account, and a deep page costs what the first does.
 */
export async function peopleListData(db: Db, auth: Auth, search: ListQuery) {
  const grants = await viewerGrants(db, auth);
  const { q } = search;
  const result = await searchPeople(db, auth.account.id, { q, limit: PAGE_SIZE, ...boundaryOf(search), accountTotal: peopleInAccount(auth.account), version: auth.peopleListVersion });
  const rows = result.rows.map((p) => {
    const status = personStatus(p);
    return { ...p, status, statusLabel: STATUS_LABELS[status] };
  });
  const paged = Boolean(search.after || search.before);
  return {
    title: 'People',
    q,
    rows,
    /** an empty page reached by a cursor (the people after it are gone): it says so and links to the first page */
    pastTheEnd: rows.length === 0 && paged,
    pager: pageLinks('/people', q, rows, neighbours(search, result.extraRow)),
    // a search page past its matches has no row to count them from: say so rather than "0 people found"
    countText: result.total === undefined ? 'No people on this page' : countText(result.total, q),
    mayAddContacts: canEditPeople(auth.person, grants),
    mayInvite: canInvite(auth.person, auth.account).ok,
  };
}
