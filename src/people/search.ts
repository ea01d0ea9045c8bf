import { type SQL, sql } from 'drizzle-orm';
import { persons } from '../db/schema.js';
import { type Db, preparedRows } from '../db/client.js';
import type { Cursor } from './cursor.js';
import { cachedPage } from './list-cache.js';

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

/** How a search matches (see `matchMode`); `all` is the list without a search. */
type Match = 'all' | 'like' | 'strpos';
type Direction = 'first' | 'after' | 'before';

/**
 * The match condition. Statements are prepared and may run on a generic plan, which can't see the pattern, so the
 * pattern's shape picks the statement: with a run of three letters or digits, LIKE through the trigram index
 * (intersected with the account's index); with less, the trigram index has nothing to narrow on and would read
 * the entries of every account in the database, so `strpos` — which that index does not serve — walks the
 * account's own rows instead.
 */
export function matchMode(needle: string): Exclude<Match, 'all'> {
  return /[\p{L}\p{N}]{3}/u.test(needle) ? 'like' : 'strpos';
}

/** The value the match condition's placeholder takes: the LIKE pattern, or the text itself for strpos. */
function needleValue(mode: Exclude<Match, 'all'>, needle: string): string {
  return mode === 'like' ? `%${escapeLike(needle)}%` : needle;
}

/** The match condition with its value inline (for statements built per request, such as the history's filter). */
export function contains(needle: string): SQL {
  const mode = matchMode(needle);
  const value = needleValue(mode, needle);
  return mode === 'like' ? sql`search_text like ${value}` : sql`strpos(search_text, ${value}) > 0`;
}

/** The columns a list shows, read from the persons row aliased `p`. */
const COLUMNS = sql.raw(
  'p.id, p.name, p.email, p.license, p.is_admin as "isAdmin", p.invitation_state as "invitationState", p.last_sign_in_at as "lastSignInAt"',
);

/**
 * The statement of one (match, direction) pair, its values as placeholders: account, limit, needle (searches),
 * name and id (the boundary). Nine statements in all, each built once.
 */
function pageStatement(match: Match, direction: Direction): SQL {
  const account = sql.placeholder('account');
  const limit = sql`limit ${sql.placeholder('limit')}`;
  // the rows past the boundary, e.g. `(name, id) > ($2, $3)`: after it, or before it when reading backwards
  const past = (prefix: string, name: SQL, id: SQL) =>
    direction === 'first'
      ? sql``
      : sql`${sql.raw(prefix)} (${name}, ${id}) ${sql.raw(direction === 'after' ? '>' : '<')} (${sql.placeholder('name')}, ${sql.placeholder('id')})`;
  const order = (name: string, id: string) => sql.raw(direction === 'before' ? `order by ${name} desc, ${id} desc` : `order by ${name}, ${id}`);
  if (match === 'all') {
    return sql`select ${COLUMNS} from ${persons} p where p.account_id = ${account}${past(' and', sql`p.name`, sql`p.id`)} ${order('p.name', 'p.id')} ${limit}`;
  }
  const condition = match === 'like' ? sql`search_text like ${sql.placeholder('needle')}` : sql`strpos(search_text, ${sql.placeholder('needle')}) > 0`;
  return sql`with matches as materialized (
            select id, name from ${persons}
            where account_id = ${account} and ${condition}),
          page as (select id, name from matches${past(' where', sql`name`, sql`id`)} ${order('name', 'id')} ${limit})
          select ${COLUMNS}, (select count(*) from matches) as total
          from page join ${persons} p on p.id = page.id order by page.name, page.id`;
}

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
    /** the account's people-list version read with the session: the page may come from the cache (list-cache.ts) */
    version?: string | null;
  },
): Promise<SearchResult> {
  const { version, ...page } = opts;
  return cachedPage(db, accountId, version, JSON.stringify([page.q?.trim() ?? '', page.limit, page.after, page.before, page.accountTotal]), () =>
    readPeople(db, accountId, page),
  );
}

async function readPeople(
  db: Db,
  accountId: string,
  opts: { q?: string; limit: number; after?: Cursor; before?: Cursor; accountTotal: number },
): Promise<SearchResult> {
  const q = opts.q?.trim() ?? '';
  const { after, before } = opts;
  const backwards = !after && before !== undefined;
  const needle = q.toLowerCase();
  const match: Match = q ? matchMode(needle) : 'all';
  const direction: Direction = after ? 'after' : before ? 'before' : 'first';
  const boundary = after ?? before;
  const run = preparedRows<PersonSummary & { total?: number | string; lastSignInAt: Date | string | null }>(db, `people_${match}_${direction}`, () =>
    pageStatement(match, direction),
  );
  const read = await run({
    account: accountId,
    limit: opts.limit + 1,
    ...(match !== 'all' && { needle: needleValue(match, needle) }),
    ...(boundary && { name: boundary.name, id: boundary.id }),
  });
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
