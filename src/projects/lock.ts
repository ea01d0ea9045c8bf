/**
 * A project's lock and its deletion (SPEC §8): "Lock project for editing" stops every change in the project until
 * someone with the permission unlocks it; "Delete projects" removes the project, its contents going with it by
 * their foreign keys. Each change and its history entry share one transaction; every statement is scoped to the
 * account, so another account's ids find nothing.
 */
import { and, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import { type Db, rowsOf, type Tx } from '../db/client.js';
import { projects } from '../db/schema.js';
import { type Actor, recordHistory } from '../history/record.js';

/**
 * Inside a change's transaction: whether the project is there and unlocked, holding its row (FOR SHARE) until the
 * transaction ends, so a lock can't land between the guard's check and the change (locking waits for it).
 */
export async function holdUnlocked(tx: Tx, accountId: string, projectId: string): Promise<'open' | 'locked' | 'missing'> {
  const [row] = await tx
    .select({ lockedAt: projects.lockedAt })
    .from(projects)
    .where(and(eq(projects.accountId, accountId), eq(projects.id, projectId)))
    .for('share');
  if (!row) return 'missing';
  return row.lockedAt ? 'locked' : 'open';
}

export type LockResult = 'changed' | 'unchanged' | 'missing';

/**
 * Locks (`locked`) or unlocks the project, with its 'project.locked' / 'project.unlocked' entry; 'unchanged'
 * without an entry when it was so already.
 */
export async function setProjectLock(db: Db, actor: Actor, projectId: string, locked: boolean): Promise<LockResult> {
  return db.transaction(async (tx) => {
    const where = and(eq(projects.accountId, actor.accountId), eq(projects.id, projectId));
    const [changed] = await tx
      .update(projects)
      .set(locked ? { lockedAt: new Date(), lockedBy: actor.personId } : { lockedAt: null, lockedBy: null })
      .where(and(where, locked ? isNull(projects.lockedAt) : isNotNull(projects.lockedAt)))
      .returning({ id: projects.id });
    if (!changed) {
      const [there] = await tx.select({ id: projects.id }).from(projects).where(where);
      return there ? 'unchanged' : 'missing';
    }
    await recordHistory(tx, actor, { kind: locked ? 'project.locked' : 'project.unlocked', subject: { type: 'project', id: projectId } });
    return 'changed';
  });
}

/** What goes with a project when it is deleted, as its confirmation page names it. */
export interface ProjectContents {
  comments: number;
  tasks: number;
  timeEntries: number;
  lists: number;
  mindmaps: number;
  planning: number;
  documents: number;
  assignments: number;
}

/** How many of each the project holds: one statement (only the rare confirmation page counts). */
export async function countProjectContents(db: Db, accountId: string, projectId: string): Promise<ProjectContents> {
  const of = (table: string, extra = sql``) =>
    sql`(select count(*) from ${sql.identifier(table)} where account_id = ${accountId} and project_id = ${projectId}${extra})`;
  const entries = (section: string) => of('project_entries', sql` and section = ${section}`);
  const [row] = rowsOf<Record<keyof ProjectContents, number | string>>(
    await db.execute(sql`select ${of('project_comments')} as comments, ${of('project_tasks')} as tasks, ${of('time_entries')} as "timeEntries",
      ${entries('lists')} as lists, ${entries('mindmaps')} as mindmaps, ${entries('planning')} as planning, ${entries('documents')} as documents,
      ${of('project_roles')} as assignments`),
  );
  return Object.fromEntries(Object.entries(row!).map(([k, v]) => [k, Number(v)])) as unknown as ProjectContents;
}

/**
 * Deletes the project (its comments, tasks, time entries, titled entries and role assignments go by their foreign
 * keys) with a 'project.deleted' entry naming it. A project locked meanwhile is kept ('locked').
 */
export async function deleteProject(db: Db, actor: Actor, projectId: string): Promise<'deleted' | 'locked' | 'missing'> {
  return db.transaction(async (tx) => {
    const where = and(eq(projects.accountId, actor.accountId), eq(projects.id, projectId));
    const [row] = await tx.select({ name: projects.name, lockedAt: projects.lockedAt }).from(projects).where(where).for('update');
    if (!row) return 'missing';
    if (row.lockedAt) return 'locked';
    await recordHistory(tx, actor, { kind: 'project.deleted', subject: { type: 'project', id: projectId }, before: { name: row.name } });
    await tx.delete(projects).where(where);
    return 'deleted';
  });
}
