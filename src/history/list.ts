import { type SQL, sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../db/client.js';
import { contains } from '../people/search.js';
import type { HistoryFilter } from './forms.js';
import type { HistoryKind } from './kinds.js';
import type { SubjectType } from './record.js';

export const HISTORY_PAGE_SIZE = 25;

/** Up to this many people matching the person filter, each one's entries are read through its own index. */
const FEW_PEOPLE = 50;

export interface Cursor {
  at: Date;
  id: number;
}

export interface HistoryRow {
  id: number;
  createdAt: Date;
  kind: HistoryKind;
  actorId: string | null;
  /** the actor's current name; null once the person is deleted (or for the system) */
  actorName: string | null;
  subjectType: SubjectType;
  subjectId: string;
  subjectName: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** What to read: the filter, and where the page starts (older or newer than an entry; neither: the newest). */
export type HistoryQuery = Pick<HistoryFilter, 'person' | 'kind' | 'from' | 'to'> & { older?: Cursor; newer?: Cursor };

export const cursorText = (c: { createdAt: Date; id: number }) => `${c.createdAt.getTime()}-${c.id}`;

const DAY = 86_400_000;
const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;

/** The filter's conditions on `h` (an entry of the account): kind, whole UTC days from … to. */
function filterConditions(accountId: string, q: HistoryQuery): SQL {
  const parts = [sql`h.account_id = ${accountId}`];
  if (q.kind) parts.push(sql`h.kind = ${q.kind}`);
  if (q.from) parts.push(sql`h.created_at >= ${ts(new Date(`${q.from}T00:00:00Z`))}`);
  if (q.to) parts.push(sql`h.created_at < ${ts(new Date(new Date(`${q.to}T00:00:00Z`).getTime() + DAY))}`);
  return sql.join(parts, sql` and `);
}

/** Keyset: entries before (older) or after (newer) the cursor, in the order the page reads them. */
function keyset(q: HistoryQuery): { where: SQL; order: SQL; outerOrder: SQL } {
  const c = q.older ?? q.newer;
  const newer = !q.older && !!q.newer;
  // the cursor's values as one-time subqueries: the planner estimates the condition the same way with or without
  // the values, so the prepared statement settles on its generic plan instead of being planned on every request
  const where = c ? sql` and (h.created_at, h.id) ${sql.raw(newer ? '>' : '<')} ((select ${ts(c.at)}), (select ${c.id}::bigint))` : sql``;
  const dir = sql.raw(newer ? 'asc' : 'desc');
  return { where, order: sql`h.created_at ${dir}, h.id ${dir}`, outerOrder: sql`created_at ${dir}, id ${dir}` };
}

/** The people the person filter names: their ids when few, 'many' when more than FEW_PEOPLE. */
type People = string[] | 'many';

/**
 * Who the person filter's text names: one statement over the account's people (name or email contains it, the
 * same match as "Search people").
 */
async function findPeople(db: Db, accountId: string, text: string): Promise<People> {
  const rows = rowsOf<{ id: string }>(
    await db.execute(sql`select id from persons where account_id = ${accountId} and ${contains(text.toLowerCase())} limit ${sql.raw(String(FEW_PEOPLE + 1))}`),
  );
  return rows.length > FEW_PEOPLE ? 'many' : rows.map((r) => r.id);
}

/**
 * The (id, created_at) of one page of entries, in reading order, `rows` of them. Without a person filter one
 * index walk gives them (the account's, or the account's of one kind, newest first). With a few people, each
 * one's entries as actor and as subject come from their own index, a bounded ordered read each, merged; the ids
 * are parameters, so the statement's generic plan is the right one for any of them. With many people, the
 * account's entries are walked newest first and kept when either person matches (dense then, so the walk is short).
 */
function pageIds(accountId: string, q: HistoryQuery, rows: number, people?: People): SQL {
  // written into the statement, not a parameter: a generic plan that can't see the limit plans for 10,000 rows
  // (hash joins over the whole table) instead of a short index walk
  const limit = sql.raw(String(Math.trunc(rows)));
  const where = filterConditions(accountId, q);
  const { where: after, order, outerOrder } = keyset(q);
  if (!people) return sql`select h.id, h.created_at from history_entries h where ${where}${after} order by ${order} limit ${limit}`;
  if (people === 'many') {
    const matched = sql`(select p.id from persons p where p.account_id = ${accountId} and ${contains(q.person.toLowerCase())})`;
    return sql`select h.id, h.created_at from history_entries h
      where ${where}${after} and (h.actor_id in ${matched} or h.subject_id in ${matched}) order by ${order} limit ${limit}`;
  }
  const branches = people.flatMap((id) =>
    [sql`h.actor_id`, sql`h.subject_id`].map(
      (column) => sql`(select h.id, h.created_at from history_entries h where ${where} and ${column} = ${id}${after} order by ${order} limit ${limit})`,
    ),
  );
  return sql`select id, created_at from (${sql.join(branches, sql` union `)}) u order by ${outerOrder} limit ${limit}`;
}

/** One statement: the page's entries with the current names of actor and subject. */
async function readPage(db: Db, accountId: string, q: HistoryQuery, limit: number, people?: People): Promise<HistoryRow[]> {
  if (Array.isArray(people) && people.length === 0) return [];
  const { order } = keyset(q);
  const rows = rowsOf<Omit<HistoryRow, 'createdAt' | 'id'> & { id: number | string; createdAt: Date | string }>(
    await db.execute(sql`with page as (${pageIds(accountId, q, limit, people)})
      select h.id, h.created_at as "createdAt", h.kind, h.actor_id as "actorId", a.name as "actorName",
        h.subject_type as "subjectType", h.subject_id as "subjectId",
        coalesce(s.name, ro.name, dv.name, ug.name, pr.name, rq.name) as "subjectName", h.before, h.after
      from page join history_entries h on h.id = page.id
        left join persons a on a.id = h.actor_id and a.account_id = h.account_id
        left join persons s on h.subject_type = 'person' and s.id = h.subject_id and s.account_id = h.account_id
        left join roles ro on h.subject_type = 'role' and ro.key = h.subject_id and ro.account_id = h.account_id
        left join divisions dv on h.subject_type = 'division' and dv.id = h.subject_id and dv.account_id = h.account_id
        left join user_groups ug on h.subject_type = 'group' and ug.id = h.subject_id and ug.account_id = h.account_id
        left join projects pr on h.subject_type = 'project' and pr.id = h.subject_id and pr.account_id = h.account_id
        left join project_requests rq on h.subject_type = 'project_request' and rq.id = h.subject_id and rq.account_id = h.account_id
      order by ${order}`),
  );
  return rows.map((r) => ({ ...r, id: Number(r.id), createdAt: new Date(r.createdAt) }));
}

export interface HistoryPage {
  rows: HistoryRow[];
  /** cursors for the "Newer" and "Older" links (absent: there is nothing that way) */
  newer?: string;
  older?: string;
}

/**
 * One page of the account's history, newest first: one statement, plus one to find the people a person filter
 * names, plus one when a "Newer" page turns out to be the newest (then read whole) — whatever the number of
 * entries: keyset pages, never OFFSET.
 */
export async function listHistory(db: Db, accountId: string, q: HistoryQuery, size = HISTORY_PAGE_SIZE, found?: People): Promise<HistoryPage> {
  const people = found ?? (q.person ? await findPeople(db, accountId, q.person) : undefined);
  if (q.newer && !q.older) {
    const rows = await readPage(db, accountId, q, size + 1, people);
    if (rows.length > size) {
      const page = rows.slice(0, size).reverse();
      return { rows: page, newer: cursorText(page[0]!), older: cursorText(page.at(-1)!) };
    }
    return listHistory(db, accountId, { ...q, newer: undefined }, size, people);
  }
  const rows = await readPage(db, accountId, q, size + 1, people);
  const page = rows.slice(0, size);
  return {
    rows: page,
    newer: q.older && page.length ? cursorText(page[0]!) : undefined,
    older: rows.length > size ? cursorText(page.at(-1)!) : undefined,
  };
}

/** Every entry the filter selects, newest first, in batches of keyset pages (the CSV export streams these). */
export async function* allHistory(db: Db, accountId: string, q: HistoryQuery, batch = 1000): AsyncGenerator<HistoryRow[]> {
  const people = q.person ? await findPeople(db, accountId, q.person) : undefined;
  let older: Cursor | undefined;
  for (;;) {
    const rows = await readPage(db, accountId, { ...q, newer: undefined, older }, batch, people);
    if (rows.length) yield rows;
    if (rows.length < batch) return;
    const last = rows.at(-1)!;
    older = { at: last.createdAt, id: last.id };
  }
}
