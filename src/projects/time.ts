/**
 * The Time tracking section's queries (SPEC §8): a project's time entries, newest day first and paged by keyset
 * (the index time_entries_project_idx reads one page), adding, changing and deleting an entry. Every write records
 * its history entry in the same transaction; every query is scoped to the account and the project, so another
 * project's or account's entry ids find nothing. Who may do what is decided by the routes (src/projects/time-routes.ts).
 */
import { and, eq, ne, sql } from 'drizzle-orm';
import type { Auth } from '../auth/session.js';
import { type Db, preparedRows } from '../db/client.js';
import { joinVersions, VersionedCache } from '../db/versioned-cache.js';
import { persons, timeEntries } from '../db/schema.js';
import { type Actor, recordChanges, recordHistory } from '../history/record.js';
import { holdProject, type ProjectHold } from './section-rows.js';
import type { TimeCursor, TimePageQuery } from './time-forms.js';

export const TIME_PAGE_SIZE = 50;

export interface TimeEntry {
  id: number;
  /** the day worked, 'YYYY-MM-DD' */
  date: string;
  /** as numeric(4,2) holds it: '1.50' */
  hours: string;
  personId: string | null;
  /** the person's current name; null once the person is deleted */
  personName: string | null;
}

type Row = Omit<TimeEntry, 'id'> & { id: string };
const entryOf = (r: Row): TimeEntry => ({ ...r, id: Number(r.id) });

const COLUMNS = sql`e.id::text as id, e.worked_on::text as date, e.hours::text as hours, e.person_id as "personId", p.name as "personName"
  from time_entries e left join persons p on p.id = e.person_id and p.account_id = e.account_id`;

type Direction = 'first' | 'older' | 'newer';

/** One page's statement: the newest entries, or those older or newer than the cursor, in reading order. */
function pageStatement(direction: Direction) {
  const account = sql.placeholder('account');
  const project = sql.placeholder('project');
  const boundary = sql`(e.worked_on, e.id) ${sql.raw(direction === 'newer' ? '>' : '<')} (${sql.placeholder('date')}::date, ${sql.placeholder('id')}::bigint)`;
  const order = sql.raw(direction === 'newer' ? 'asc' : 'desc');
  // the limit is written into the statement: a generic plan that can't see it may plan for the whole table
  return sql`select ${COLUMNS}
    where e.account_id = ${account} and e.project_id = ${project}${direction === 'first' ? sql`` : sql` and ${boundary}`}
    order by e.worked_on ${order}, e.id ${order} limit ${sql.raw(String(TIME_PAGE_SIZE + 1))}`;
}

export interface TimePage {
  /** newest first */
  rows: TimeEntry[];
  hasOlder: boolean;
  hasNewer: boolean;
}

/** One page of the project's entries, newest day first (then newest entry first): one statement. */
export async function listTimeEntries(db: Db, accountId: string, projectId: string, at: TimePageQuery): Promise<TimePage> {
  const direction: Direction = at.older ? 'older' : at.newer ? 'newer' : 'first';
  const boundary: TimeCursor | undefined = at.older ?? at.newer;
  const run = preparedRows<Row>(db, `time_entries_${direction}`, () => pageStatement(direction));
  const read = await run({ account: accountId, project: projectId, ...(boundary && { date: boundary.date, id: boundary.id }) });
  const extraRow = read.length > TIME_PAGE_SIZE;
  const page = read.slice(0, TIME_PAGE_SIZE).map(entryOf);
  if (direction === 'newer') return { rows: page.reverse(), hasOlder: true, hasNewer: extraRow };
  return { rows: page, hasOlder: extraRow, hasNewer: direction === 'older' };
}

/** One entry of the project, or undefined: one statement. */
export async function findTimeEntry(db: Db, accountId: string, projectId: string, id: number): Promise<TimeEntry | undefined> {
  const run = preparedRows<Row>(db, 'time_entry_one', () => sql`select ${COLUMNS}
    where e.account_id = ${sql.placeholder('account')} and e.project_id = ${sql.placeholder('project')} and e.id = ${sql.placeholder('id')}::bigint`);
  const [row] = await run({ account: accountId, project: projectId, id });
  return row && entryOf(row);
}

/**
 * The people "Person" offers: those with a license who hold a role in the project, directly or through a group, and
 * the person asking. Read from the project's role assignments (one prepared statement, none when kept), so the
 * page's cost follows the project's size, not the account's: an account of 10,000 people would otherwise put 10,000
 * options on every Time tracking page. Each group's members are read through the group's own index (the lateral
 * subquery, kept from being flattened by `offset 0`), never by scanning every membership of the account. Adding
 * time for another licensed person of the account is still accepted (the POST checks the license only).
 */
export async function listProjectPeople(db: Db, auth: Auth, projectId: string): Promise<readonly { id: string; name: string }[]> {
  const accountId = auth.account.id;
  const selfId = auth.person.id;
  // kept under both versions read with the session: role assignments and group members stamp the access version,
  // a person's name or license the people-list version; either unread (undefined), the people are read afresh
  const versions = joinVersions(auth.accessVersion, auth.peopleListVersion);
  const { people } = await projectPeople.get(db, accountId, versions, `${projectId}\u0000${selfId}`, async () => ({
    people: await readProjectPeople(db, accountId, projectId, selfId),
  }));
  return people;
}

const projectPeople = new VersionedCache<{ people: readonly { id: string; name: string }[] }>(1000);

function readProjectPeople(db: Db, accountId: string, projectId: string, selfId: string): Promise<{ id: string; name: string }[]> {
  const run = preparedRows<{ id: string; name: string }>(db, 'time_project_people', () => {
    const account = sql.placeholder('account');
    const project = sql.placeholder('project');
    return sql`with ids as (
        select r.person_id as id from project_roles r where r.account_id = ${account} and r.project_id = ${project} and r.person_id is not null
        union select m.person_id from project_roles r
          cross join lateral (select m.person_id from group_members m where m.group_id = r.group_id and m.account_id = r.account_id offset 0) m
          where r.account_id = ${account} and r.project_id = ${project} and r.group_id is not null
        union select ${sql.placeholder('self')}::text)
      select p.id, p.name from ids join persons p on p.id = ids.id and p.account_id = ${account}
      where p.license <> 'none' order by p.name, p.id limit 500`;
  });
  return run({ account: accountId, project: projectId, self: selfId });
}

/** A person's current name (time may be added for a licensed person who holds no role in the project). */
export async function personName(db: Db, accountId: string, personId: string): Promise<string | undefined> {
  const [row] = await db.select({ name: persons.name }).from(persons).where(and(eq(persons.accountId, accountId), eq(persons.id, personId)));
  return row?.name;
}

/** Hours as people read them: '1.50' → '1.5', '8.00' → '8'. */
export const hoursText = (hours: string) => (hours.includes('.') ? hours.replace(/0+$/, '').replace(/\.$/, '') : hours);

/** What history keeps of an entry: the person's id, the day and the hours. */
const recorded = (e: { personId: string | null; date: string; hours: string }) => ({ person: e.personId, date: e.date, hours: hoursText(e.hours) });

/** The project went away or got locked after the guard let the change through (see holdProject). */
export type Unavailable = Exclude<ProjectHold, 'open'>;

export type AddResult = 'added' | 'unlicensed' | Unavailable;

/**
 * Adds an entry for a person of the account with a license (checked in the transaction); 'time.added'. Every write
 * here holds the project's row first, so nothing lands in a project after it was locked or deleted.
 */
export async function addTimeEntry(db: Db, actor: Actor, projectId: string, entry: { personId: string; date: string; hours: string }): Promise<AddResult> {
  return db.transaction(async (tx) => {
    const hold = await holdProject(tx, actor.accountId, projectId);
    if (hold !== 'open') return hold;
    const [licensed] = await tx
      .select({ id: persons.id })
      .from(persons)
      .where(and(eq(persons.accountId, actor.accountId), eq(persons.id, entry.personId), ne(persons.license, 'none')));
    if (!licensed) return 'unlicensed';
    await tx.insert(timeEntries).values({ accountId: actor.accountId, projectId, personId: entry.personId, workedOn: entry.date, hours: entry.hours });
    await recordHistory(tx, actor, { kind: 'time.added', subject: { type: 'project', id: projectId }, after: recorded(entry) });
    return 'added';
  });
}

export type ChangeResult = 'saved' | 'unchanged' | 'no-entry' | Unavailable;

/** Changes an entry's day and hours; 'time.changed' with the fields that changed, nothing when none did. */
export async function changeTimeEntry(db: Db, actor: Actor, projectId: string, id: number, next: { date: string; hours: string }): Promise<ChangeResult> {
  return db.transaction(async (tx) => {
    const hold = await holdProject(tx, actor.accountId, projectId);
    if (hold !== 'open') return hold;
    const where = and(eq(timeEntries.accountId, actor.accountId), eq(timeEntries.projectId, projectId), eq(timeEntries.id, id));
    const [before] = await tx.select({ date: timeEntries.workedOn, hours: timeEntries.hours }).from(timeEntries).where(where).for('update');
    if (!before) return 'no-entry';
    const subject = { type: 'project' as const, id: projectId };
    const was = { date: before.date, hours: hoursText(before.hours) };
    if (!(await recordChanges(tx, actor, 'time.changed', subject, was, { date: next.date, hours: hoursText(next.hours) }))) return 'unchanged';
    await tx.update(timeEntries).set({ workedOn: next.date, hours: next.hours }).where(where);
    return 'saved';
  });
}

export type DeleteResult = 'deleted' | 'no-entry' | Unavailable;

/** Deletes an entry; 'time.deleted' with what it was. */
export async function deleteTimeEntry(db: Db, actor: Actor, projectId: string, id: number): Promise<DeleteResult> {
  return db.transaction(async (tx) => {
    const hold = await holdProject(tx, actor.accountId, projectId);
    if (hold !== 'open') return hold;
    const [gone] = await tx
      .delete(timeEntries)
      .where(and(eq(timeEntries.accountId, actor.accountId), eq(timeEntries.projectId, projectId), eq(timeEntries.id, id)))
      .returning({ personId: timeEntries.personId, date: timeEntries.workedOn, hours: timeEntries.hours });
    if (!gone) return 'no-entry';
    await recordHistory(tx, actor, { kind: 'time.deleted', subject: { type: 'project', id: projectId }, before: recorded(gone) });
    return 'deleted';
  });
}
