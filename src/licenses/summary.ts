import type { Account } from '../auth/session.js';
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

const counting = new Intl.NumberFormat('en-GB');

/** "1 person", "10,011 people". */
export const peopleCount = (n: number) => `${counting.format(n)} ${n === 1 ? 'person' : 'people'}`;

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

/** What a page of search results says about itself, and the addresses of the pages around it. */
export interface Pager {
  /** "Showing 25 of 640 people", "Showing 3 people", or what to say when nothing is shown */
  text: string;
  /** the page is empty because its cursor points past the people there are: offer the first page */
  firstUrl?: string;
  previousUrl?: string;
  nextUrl?: string;
}

/**
 * The wording of a page of search results (keyset pages have no number): how many are shown of how many match
 * (`total`; unknown only for an empty page reached by a cursor), or why nothing is.
 */
export function pagerText(total: number | undefined, shown: number, q: string, paged: boolean): string {
  if (shown > 0) return shown === total ? `Showing ${peopleCount(shown)}` : `Showing ${counting.format(shown)} of ${peopleCount(total ?? shown)}`;
  if (paged) return 'There are no more results.';
  return q ? `No one matches “${q}”.` : 'There are no people in this account yet.';
}
