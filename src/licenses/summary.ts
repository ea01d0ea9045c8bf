import type { Account } from '../auth/session.js';
import { PAGE_SIZE, pagination } from '../people/rules.js';
import { type License, LICENSES } from './rules.js';

/** Pure wording for the "Licenses" tab: the seat summary, people counts, last sign-in, result pages. */

export interface LicenseCounts {
  read_write: number;
  read_only: number;
  none: number;
}

/** How many people hold each license: the counts kept on the account row (no count over the account's people). */
export function licenseCounts(account: Pick<Account, 'readWriteCount' | 'readOnlyCount' | 'noAccessCount'>): LicenseCounts {
  return { read_write: account.readWriteCount, read_only: account.readOnlyCount, none: account.noAccessCount };
}

/** How many people the account has (the People list's total): from the same counts. */
export function peopleInAccount(account: Pick<Account, 'readWriteCount' | 'readOnlyCount' | 'noAccessCount'>): number {
  return account.readWriteCount + account.readOnlyCount + account.noAccessCount;
}


/** What the live region says after a license change. */
export function licenseSavedText(name: string, license: License): string {
  if (license === 'none') return `Saved. ${name} has No Access now and is signed out everywhere.`;
  return `Saved. ${name} has a ${LICENSES[license]} license now.`;
}

export const peopleCount = (n: number) => `${n} ${n === 1 ? 'person' : 'people'}`;

/** "3 of 10 Read & Write licenses distributed, 7 available" (never a negative number available). */
export function seatSummaryText(distributed: number, seats: number): string {
  const available = Math.max(0, seats - distributed);
  return `${distributed} of ${seats} Read & Write ${seats === 1 ? 'license' : 'licenses'} distributed, ${available} available`;
}

export interface SeatSummary {
  text: string;
  readOnly: string;
  noAccess: string;
  /** every seat is taken: the page says what happens to new people */
  full: boolean;
}

export function seatSummary(counts: LicenseCounts, seats: number): SeatSummary {
  return {
    text: seatSummaryText(counts.read_write, seats),
    readOnly: `Read-Only: ${peopleCount(counts.read_only)}`,
    noAccess: `No Access: ${peopleCount(counts.none)}`,
    full: counts.read_write >= seats,
  };
}

const dateFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

/** When a person last signed in ("Never" if they have not), so unused seats can be found and reclaimed. */
export function lastSignInText(at: Date | null): string {
  return at ? `${dateFormat.format(at)} UTC` : 'Never';
}

export { PAGE_SIZE } from '../people/rules.js';

export interface Pager {
  page: number;
  pageCount: number;
  /** "Showing 26–50 of 200 people", or what to say when nothing is shown */
  text: string;
  prev?: number;
  next?: number;
}

/** Where a page of search results sits among all matches (the page arithmetic is the People list's). */
export function pager(total: number, page: number, shown: number, q: string, size = PAGE_SIZE): Pager {
  const { pages, hasPrevious, hasNext } = pagination(total, page, size);
  let text: string;
  if (shown > 0) {
    const from = (page - 1) * size + 1;
    text = total === shown && page === 1 ? `Showing ${peopleCount(total)}` : `Showing ${from}–${from + shown - 1} of ${peopleCount(total)}`;
  } else if (page > 1) text = 'There are no more results.';
  else text = q ? `No one matches “${q}”.` : 'There are no people in this account yet.';
  return {
    page,
    pageCount: pages,
    text,
    prev: hasPrevious ? Math.min(page - 1, pages) : undefined,
    next: shown > 0 && hasNext ? page + 1 : undefined,
  };
}
