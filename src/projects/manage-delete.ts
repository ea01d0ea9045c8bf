/**
 * "Delete project" (SPEC §8): the confirmation page naming what goes with the project, and the confirmation on
 * /projects afterwards. The list's confirmation names the project from the deleter's own 'project.deleted' entry
 * (looked up by the project's id in the address), so the address never carries text to show.
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Auth } from '../auth/session.js';
import type { Db } from '../db/client.js';
import { historyEntries } from '../db/schema.js';
import type { ProjectContents } from './lock.js';
import { type ProjectContext, projectFrame } from './section-access.js';

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The confirmation page: the Manage section's header, and one line per kind of content with its count. */
export function deletePageData(ctx: ProjectContext, c: ProjectContents) {
  const { project } = ctx;
  return {
    ...projectFrame(ctx, 'manage'),
    title: `Delete project – ${project.name}`,
    manageUrl: `/projects/${project.id}/manage`,
    contents: [
      count(c.comments, 'comment', 'comments'),
      count(c.tasks, 'task', 'tasks'),
      count(c.timeEntries, 'time entry', 'time entries'),
      count(c.lists, 'list', 'lists'),
      count(c.mindmaps, 'mind map', 'mind maps'),
      count(c.planning, 'plan', 'plans'),
      count(c.documents, 'document', 'documents'),
      count(c.assignments, 'role assignment', 'role assignments'),
    ],
  };
}

/** Where a deletion goes: the projects, with the confirmation. */
export const deletedProjectUrl = (projectId: string) => `/projects?notice=project-deleted&deleted=${encodeURIComponent(projectId)}`;

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * /projects?notice=project-deleted&deleted=<id>: "Project “Apollo” deleted." when the signed-in person deleted that
 * project (one statement, only then); otherwise the layout's plain "Project deleted.".
 */
export async function deletedNotice(db: Db, auth: Auth, query: unknown): Promise<{ notice?: string }> {
  const { notice, deleted } = (query ?? {}) as { notice?: unknown; deleted?: unknown };
  if (notice !== 'project-deleted' || typeof deleted !== 'string' || !ID.test(deleted)) return {};
  const [entry] = await db
    .select({ name: sql<string | null>`${historyEntries.before}->>'name'` })
    .from(historyEntries)
    .where(
      and(
        eq(historyEntries.accountId, auth.account.id),
        eq(historyEntries.subjectId, deleted),
        eq(historyEntries.subjectType, 'project'),
        eq(historyEntries.kind, 'project.deleted'),
        eq(historyEntries.actorId, auth.person.id),
      ),
    )
    .orderBy(desc(historyEntries.createdAt), desc(historyEntries.id))
    .limit(1);
  return typeof entry?.name === 'string' ? { notice: `Project “${entry.name}” deleted.` } : {};
}
