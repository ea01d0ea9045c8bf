import { type SQL, sql } from 'drizzle-orm';
import { persons } from '../db/schema.js';
import { type Db, rowsOf } from '../db/client.js';
import type { Cursor } from './cursor.js';

export interface PersonSummary {
  id: string;
  name: string;
  email: string;
  license: 'read_write' | 'read_only' | 'none';
  isAdmin: boolean;
  invitationState: 'none' | 'invited' | 'accepted';
  lastSignInAt: Date | null;
}

export interface SearchResult {
  /** the page, in (name, id) order */
  rows: PersonSummary[];
  /** how many people match in all; unknown (undefined) only for a search page with a cursor that holds nobody */
  total: number | undefined;
  /** a row beyond the page was read in the reading direction: there is more that way */
  extraRow: boolean;
}

/** Escapes LIKE wildcards so a search for "50%" or "a_b" finds exactly that text. */
export function escapeLike(q: string): string {
  return q.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * The match condition. Statements are prepared and may run on a generic plan, which can't see the pattern, so the
 * pattern's shape picks the statement: with a run of three letters or digits, LIKE through the trigram index
 * (intersected with the account's index); with less, the trigram index has nothing to narrow on and would read
 * the entries of every account in the database, so `strpos` — which that index does not serve — walks the
 * account's own rows instead.
 */
export function contains(needle: string) {
  return /[\p{L}\p{N}]{3}/u.test(needle)
    ? sql`search_text like ${`%${escapeLike(needle)}%`}`
    : sql`strpos(search_text, ${needle}) > 0`;
}

/** The columns a list shows, read from the persons row aliased `p`. */
const COLUMNS = sql.raw(
  'p.id, p.name, p.email, p.license, p.is_admin as "isAdmin", p.invitation_state as "invitationState", p.last_sign_in_at as "lastSignInAt"',
);

/**
 * One page of the account's people, ordered by (name, id), optionally those whose name or email contains `q`
 * (case-insensitive substring), starting right `after` or ending right `before` a boundary (keyset pagination: a
 * deep page reads no row before it). One SQL statement whatever the size of the account, reading `limit + 1` rows
 * of the page (the extra one tells whether there is more in the reading direction; `before` reads backwards):
 * - without `q`, the (account_id, name) index yields the page; the total is the account's people count, kept on the
 *   account row (`accountTotal`), so the page never counts the account;
 * - with `q`, a MATERIALIZED CTE makes PostgreSQL find the matches (`contains`, on search_text =
 *   lower(name || ' ' || email)) first — left to itself it prefers walking the whole account in name order and
 *   filtering, 10× slower at 10,000 people. Only the id and name of each match are kept, the page is sorted
 *   out of them (from the boundary on) and only its rows are read whole (a fifth faster than carrying every
 *   column); a scalar subquery counts the matches (a window over them costs a fifth more).
 */
export async function searchPeople(
  db: Db,
  accountId: string,
  opts: {
    q?: string;
    limit: number;
    after?: Cursor;
    before?: Cursor;
    /** how many people the account has (its counts): the total without a search */
    accountTotal: number;
  },
): Promise<SearchResult> {
  const q = opts.q?.trim() ?? '';
  const { after, before } = opts;
  const backwards = !after && before !== undefined;
  // the rows past the boundary, e.g. `(name, id) > ($2, $3)`: after it, or before it when reading backwards
  const past = (prefix: string, name: SQL, id: SQL) =>
    after
      ? sql`${sql.raw(prefix)} (${name}, ${id}) > (${after.name}, ${after.id})`
      : before
        ? sql`${sql.raw(prefix)} (${name}, ${id}) < (${before.name}, ${before.id})`
        : sql``;
  const order = (name: string, id: string) => sql.raw(backwards ? `order by ${name} desc, ${id} desc` : `order by ${name}, ${id}`);
  const limit = sql`limit ${opts.limit + 1}`;
  const query = q
    ? sql`with matches as materialized (
            select id, name from ${persons}
            where account_id = ${accountId} and ${contains(q.toLowerCase())}),
          page as (select id, name from matches${past(' where', sql`name`, sql`id`)} ${order('name', 'id')} ${limit})
          select ${COLUMNS}, (select count(*) from matches) as total
          from page join ${persons} p on p.id = page.id order by page.name, page.id`
    : sql`select ${COLUMNS} from ${persons} p where p.account_id = ${accountId}${past(' and', sql`p.name`, sql`p.id`)} ${order('p.name', 'p.id')} ${limit}`;
  const read = rowsOf<PersonSummary & { total: number | string; lastSignInAt: Date | string | null }>(await db.execute(query));
  // in (name, id) order; the extra row, if read, is the farthest one in the reading direction
  const ordered = !q && backwards ? read.reverse() : read;
  const extraRow = ordered.length > opts.limit;
  const page = extraRow ? (backwards ? ordered.slice(1) : ordered.slice(0, opts.limit)) : ordered;
  const matches = read[0]?.total;
  return {
    rows: page.map(({ total: _t, lastSignInAt, ...r }) => ({ ...r, lastSignInAt: lastSignInAt === null ? null : new Date(lastSignInAt) })),
    total: !q ? opts.accountTotal : matches !== undefined ? Number(matches) : after || before ? undefined : 0,
    extraRow,
  };
}
