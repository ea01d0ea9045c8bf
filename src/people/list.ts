import type { Auth } from '../auth/session.js';
import type { Db } from '../db/client.js';
import { canInvite } from '../invitations/rules.js';
import { viewerGrants } from './access.js';
import { canEditPeople, PAGE_SIZE, pagination, personStatus, STATUS_LABELS } from './rules.js';
import { searchPeople } from './search.js';
import { peopleInAccount } from '../licenses/summary.js';

/** "12 people", or while searching "3 people found" (the status announced after each search). */
export function countText(total: number, q: string): string {
  const people = `${total} ${total === 1 ? 'person' : 'people'}`;
  return q ? `${people} found` : `${people} in your contacts`;
}

/**
 * Everything /people shows: one page of the account's people (one statement, with the total from a window) and
 * what the viewer may do. A bounded number of statements whatever the size of the account.
 */
export async function peopleListData(db: Db, auth: Auth, q: string, page: number) {
  const grants = await viewerGrants(db, auth);
  const { offset } = pagination(0, page);
  const result = await searchPeople(db, auth.account.id, { q, limit: PAGE_SIZE, offset, accountTotal: peopleInAccount(auth.account) });
  const rows = result.rows.map((p) => {
    const status = personStatus(p);
    return { ...p, status, statusLabel: STATUS_LABELS[status] };
  });
  // An empty page past the end has no window row to count from: say so rather than "0 people".
  const total = rows.length === 0 && page > 1 ? undefined : result.total;
  return {
    title: 'People',
    q,
    rows,
    pager: pagination(total ?? 0, page),
    countText: total === undefined ? 'No people on this page' : countText(total, q),
    mayAddContacts: canEditPeople(auth.person, grants),
    mayInvite: canInvite(auth.person, auth.account).ok,
  };
}
