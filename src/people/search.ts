import { sql } from 'drizzle-orm';
import { persons } from '../db/schema.js';
import { type Db, rowsOf } from '../db/client.js';

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
  rows: PersonSummary[];
  /** how many people match in all (for pagination) */
  total: number;
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
function contains(needle: string) {
  return /[\p{L}\p{N}]{3}/u.test(needle)
    ? sql`search_text like ${`%${escapeLike(needle)}%`}`
    : sql`strpos(search_text, ${needle}) > 0`;
}

/** The columns a list shows, read from the persons row aliased `p`. */
const COLUMNS = sql.raw(
  'p.id, p.name, p.email, p.license, p.is_admin as "isAdmin", p.invitation_state as "invitationState", p.last_sign_in_at as "lastSignInAt"',
);

/**
 * One page of the account's people, ordered by name, optionally those whose name or email contains `q`
 * (case-insensitive substring). One SQL statement whatever the size of the account:
 * - without `q`, the (account_id, name) index yields the page; the total is the account's people count, kept on the
 *   account row (`accountTotal`), so the page never counts the account;
 * - with `q`, a MATERIALIZED CTE makes PostgreSQL find the matches (`contains`, on search_text =
 *   lower(name || ' ' || email)) first — left to itself it prefers walking the whole account in name order and
 *   filtering, 10× slower at 10,000 people. Only the id and name of each match are kept, the page is sorted
 *   out of them and only its 25 rows are read whole (a fifth faster than carrying every column); a scalar
 *   subquery counts the matches (a window over them costs a fifth more).
 */
export async function searchPeople(
  db: Db,
  accountId: string,
  opts: { q?: string; limit: number; offset?: number; /** how many people the account has (its counts): the total without a search */ accountTotal: number },
): Promise<SearchResult> {
  const q = opts.q?.trim() ?? '';
  const limit = sql`limit ${opts.limit} offset ${opts.offset ?? 0}`;
  const query = q
    ? sql`with matches as materialized (
            select id, name from ${persons}
            where account_id = ${accountId} and ${contains(q.toLowerCase())}),
          page as (select id, name from matches order by name, id ${limit})
          select ${COLUMNS}, (select count(*) from matches) as total
          from page join ${persons} p on p.id = page.id order by page.name, page.id`
    : sql`select ${COLUMNS} from ${persons} p where p.account_id = ${accountId} order by p.name, p.id ${limit}`;
  const rows = rowsOf<PersonSummary & { total: number | string; lastSignInAt: Date | string | null }>(await db.execute(query));
  return {
    rows: rows.map(({ total: _t, lastSignInAt, ...r }) => ({ ...r, lastSignInAt: lastSignInAt === null ? null : new Date(lastSignInAt) })),
    total: q ? Number(rows[0]?.total ?? 0) : opts.accountTotal,
  };
}
