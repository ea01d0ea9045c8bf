/**
 * A project's tasks (SPEC §8): pages of 25 in the order they were added, read through the (account_id,
 * project_id, id) index with keyset paging; adding, renaming and marking done, each with its history entry in the
 * same transaction (none when nothing changed). Every statement is scoped to the account and the project, so
 * another project's or account's task is never found.
 */
import { type SQL, sql } from 'drizzle-orm';
import { type Db, preparedRows, rowsOf, type Tx } from '../db/client.js';
import { type Actor, recordChanges, recordHistory } from '../history/record.js';
import { holdProject, type ProjectHold } from './section-rows.js';

/**
 * 25 rows a page, as the people lists: a row carries two forms (about 1.4 KB), so the page's cost is mostly its
 * length. 100 rows made a page of 151 KB; 50, 74 KB (over 64 K characters, a string V8 allocates in its
 * large-object space: about 0.6 ms more a page here to build and to write; a page is tested below 64 K); 40, 60 KB
 * and 18-20% of the bare route's req/s; 25, 39 KB and 28% (npm run bench). 25 rows of two forms each are also
 * 100 controls to tab through, not 160.
 */
export const TASKS_PAGE_SIZE = 25;

export interface Task {
  id: number;
  title: string;
  done: boolean;
}

type Direction = 'first' | 'after' | 'before';

/** One page in reading order (by id, backwards for "before"), limit + 1 rows. */
function pageStatement(direction: Direction): SQL {
  const past = direction === 'first' ? sql`` : sql` and t.id ${sql.raw(direction === 'after' ? '>' : '<')} ${sql.placeholder('id')}::bigint`;
  // the limit is written into the statement: the generic plan then knows it reads a few rows of one index range
  return sql`select t.id::text as id, t.title, t.done from project_tasks t
    where t.account_id = ${sql.placeholder('account')} and t.project_id = ${sql.placeholder('project')}${past}
    order by t.id ${sql.raw(direction === 'before' ? 'desc' : 'asc')} limit ${sql.raw(String(TASKS_PAGE_SIZE + 1))}`;
}

async function readPage(db: Db, accountId: string, projectId: string, direction: Direction, id?: number): Promise<Task[]> {
  const run = preparedRows<{ id: string; title: string; done: boolean }>(db, `project_tasks_${direction}`, () => pageStatement(direction));
  const rows = await run({ account: accountId, project: projectId, ...(id !== undefined && { id }) });
  return rows.map((r) => ({ id: Number(r.id), title: r.title, done: r.done }));
}

/** Where a page of tasks starts: right after, or ends right before, a task's id (neither: the first page). */
export interface TasksPosition {
  after?: number;
  before?: number;
}

export interface TasksPage {
  /** in the order they were added */
  tasks: Task[];
  /** the page before this one ends before this id; absent when this is the first page */
  previous?: number;
  /** the page after this one starts after this id; absent when this is the last page */
  next?: number;
}

/**
 * One page of the project's tasks: one statement (plus one when a "before" page turns out to be the first, which
 * is then read from the start), whatever the number of tasks.
 */
export async function listTasks(db: Db, accountId: string, projectId: string, at: TasksPosition): Promise<TasksPage> {
  const size = TASKS_PAGE_SIZE;
  if (at.before !== undefined && at.after === undefined) {
    const rows = await readPage(db, accountId, projectId, 'before', at.before);
    if (rows.length <= size) return listTasks(db, accountId, projectId, {});
    const page = rows.slice(0, size).reverse();
    return { tasks: page, previous: page[0]!.id, next: page.at(-1)!.id };
  }
  const rows = await readPage(db, accountId, projectId, at.after !== undefined ? 'after' : 'first', at.after);
  const page = rows.slice(0, size);
  return {
    tasks: page,
    previous: at.after !== undefined && page.length ? page[0]!.id : undefined,
    next: rows.length > size ? page.at(-1)!.id : undefined,
  };
}

/** One task of the project, or undefined. */
export async function findTask(db: Db | Tx, accountId: string, projectId: string, id: number): Promise<Task | undefined> {
  const [row] = rowsOf<{ title: string; done: boolean }>(
    await db.execute(sql`select title, done from project_tasks where account_id = ${accountId} and project_id = ${projectId} and id = ${id}`),
  );
  return row && { id, title: row.title, done: row.done };
}

const subject = (projectId: string) => ({ type: 'project' as const, id: projectId });

export type AddTaskResult = { ok: true; id: number } | { ok: false; reason: Exclude<ProjectHold, 'open'> };

/** Adds a task (not done) with its 'task.added' entry. */
export async function addTask(db: Db, actor: Actor, projectId: string, title: string): Promise<AddTaskResult> {
  return db.transaction(async (tx) => {
    const hold = await holdProject(tx, actor.accountId, projectId);
    if (hold !== 'open') return { ok: false, reason: hold };
    const [row] = rowsOf<{ id: string | number }>(
      await tx.execute(sql`insert into project_tasks (account_id, project_id, title, created_by)
        values (${actor.accountId}, ${projectId}, ${title}, ${actor.personId}) returning id`),
    );
    await recordHistory(tx, actor, { kind: 'task.added', subject: subject(projectId), after: { title } });
    return { ok: true, id: Number(row!.id) };
  });
}

export type TaskChange = { result: 'changed' | 'unchanged'; task: Task } | { result: 'no-task' | Exclude<ProjectHold, 'open'> };

/** Changes a task's title or done (locked for the change), with its entry only when something changed. */
async function changeTask(db: Db, actor: Actor, projectId: string, id: number, change: { title: string } | { done: boolean }): Promise<TaskChange> {
  return db.transaction(async (tx) => {
    const hold = await holdProject(tx, actor.accountId, projectId);
    if (hold !== 'open') return { result: hold };
    const where = sql`account_id = ${actor.accountId} and project_id = ${projectId} and id = ${id}`;
    const [row] = rowsOf<{ title: string; done: boolean }>(await tx.execute(sql`select title, done from project_tasks where ${where} for update`));
    if (!row) return { result: 'no-task' };
    const task = { id, ...row, ...change };
    if ('title' in change) {
      if (!(await recordChanges(tx, actor, 'task.renamed', subject(projectId), row, change))) return { result: 'unchanged', task };
    } else {
      if (row.done === change.done) return { result: 'unchanged', task };
      // the entry names the task (its title in both Before and After), as a list entry's does
      await recordHistory(tx, actor, { kind: 'task.done', subject: subject(projectId), before: { title: row.title, done: row.done }, after: { title: row.title, done: change.done } });
    }
    await tx.execute(sql`update project_tasks set title = ${task.title}, done = ${task.done} where ${where}`);
    return { result: 'changed', task };
  });
}

/** Renames a task: 'task.renamed' with the title before and after. */
export const renameTask = (db: Db, actor: Actor, projectId: string, id: number, title: string) => changeTask(db, actor, projectId, id, { title });

/** Marks a task done or not done: 'task.done' with the task's title and done, before and after. */
export const setTaskDone = (db: Db, actor: Actor, projectId: string, id: number, done: boolean) => changeTask(db, actor, projectId, id, { done });
