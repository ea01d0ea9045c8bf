import { sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../db/client.js';
import type { FormState } from '../web/forms.js';
import { describeFields, type Names, referencedIds } from './describe.js';
import { type HistoryFilter, historyUrl } from './forms.js';
import { HISTORY_KINDS } from './kinds.js';
import { type HistoryPage, type HistoryRow, listHistory } from './list.js';
import type { SubjectType } from './record.js';

const cursorOf = (c: { at: Date; id: number }) => `${c.at.getTime()}-${c.id}`;

export const HISTORY_PATH = '/settings/history';
export const EXPORT_PATH = '/settings/history/export';

export const DELETED_PERSON = 'Deleted person';
export const SYSTEM = 'System';

/** What a subject that no longer exists is called (a role always exists: its key is its id). */
const DELETED_SUBJECT: Record<SubjectType, string> = {
  account: 'Organization',
  person: DELETED_PERSON,
  role: 'Role',
  division: 'Deleted division',
  group: 'Deleted group',
  project: 'Deleted project',
  project_request: 'Deleted project request',
};

/** 2025-03-31 14:05 UTC (the page has no time zone of the reader; the <time> element carries the exact instant). */
export const whenText = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** Who acted and what about, by their current names: "Deleted person" once erased, "System" with no actor. */
export function entryView(r: HistoryRow, names?: Names) {
  const subject = r.subjectType === 'account' ? 'Organization' : (r.subjectName ?? DELETED_SUBJECT[r.subjectType]);
  return {
    id: r.id,
    datetime: r.createdAt.toISOString(),
    when: whenText(r.createdAt),
    who: r.actorId === null ? SYSTEM : (r.actorName ?? DELETED_PERSON),
    whoId: r.actorName ? r.actorId : null,
    what: HISTORY_KINDS[r.kind] ?? r.kind,
    subject,
    subjectId: r.subjectType === 'person' && r.subjectName ? r.subjectId : null,
    before: describeFields(r.before, names),
    after: describeFields(r.after, names),
  };
}
export type EntryView = ReturnType<typeof entryView>;

type Filter = Pick<HistoryFilter, 'person' | 'kind' | 'from' | 'to'>;

const isFiltered = (f: Filter) => !!(f.person || f.kind || f.from || f.to);

function statusText(page: HistoryPage, f: Filter, first: boolean): string {
  if (page.rows.length === 0) return isFiltered(f) ? 'No changes match this filter.' : first ? 'There are no changes in the history yet.' : 'There are no changes on this page.';
  const n = `${page.rows.length} ${page.rows.length === 1 ? 'change' : 'changes'}`;
  return `${n}${isFiltered(f) ? ' matching the filter' : ''} on this page, newest first.`;
}

/** The filter form's fields (values as typed, errors next to them) and the kind choices. */
function filterForm(form: FormState) {
  return { form, kinds: HISTORY_KINDS };
}

/**
 * The current names of the people, groups, divisions and roles the entries' Before and After refer to: one
 * statement for a page (or a batch of the export), none when nothing is referred to.
 */
export async function namesOf(db: Db, accountId: string, rows: readonly HistoryRow[]): Promise<Names> {
  const ids = referencedIds(rows.flatMap((r) => [r.before, r.after]));
  if (ids.length === 0) return new Map();
  const list = sql.join(ids.map((id) => sql`${id}`), sql`, `);
  const found = rowsOf<{ id: string; name: string }>(
    await db.execute(sql`select id, name from persons where account_id = ${accountId} and id in (${list})
      union all select id, name from user_groups where account_id = ${accountId} and id in (${list})
      union all select id, name from divisions where account_id = ${accountId} and id in (${list})
      union all select key, name from roles where account_id = ${accountId} and key in (${list})`),
  );
  return new Map(found.map((r) => [r.id, r.name]));
}

/** Everything /settings/history shows for a valid filter: one page of entries (one statement, and one for names). */
export async function historyPageData(db: Db, accountId: string, f: HistoryFilter, retentionDays: number, form: FormState) {
  const page = await listHistory(db, accountId, f);
  const names = await namesOf(db, accountId, page.rows);
  const link = (cursor: { older?: string; newer?: string }) => historyUrl(HISTORY_PATH, f, cursor);
  return {
    title: 'History',
    retentionDays,
    ...filterForm(form),
    rows: page.rows.map((r) => entryView(r, names)),
    newerUrl: page.newer ? link({ newer: page.newer }) : undefined,
    olderUrl: page.older ? link({ older: page.older }) : undefined,
    exportUrl: historyUrl(EXPORT_PATH, f),
    filtered: isFiltered(f),
    status: statusText(page, f, !f.older && !f.newer),
    /** the address of this page (htmx keeps the address bar in step): the newest page has no cursor */
    url: page.newer ? link(f.older ? { older: cursorOf(f.older) } : f.newer ? { newer: cursorOf(f.newer) } : {}) : link({}),
  };
}

/** The page after a bad filter: the form with its errors, and no entries until it is corrected. */
export function invalidFilterData(retentionDays: number, form: FormState) {
  return {
    title: 'History',
    retentionDays,
    ...filterForm(form),
    invalid: true,
    rows: [] as EntryView[],
    status: 'Correct the filter to see the history.',
  };
}
