/**
 * The Manage section (src/projects/manage-routes.ts) for the generated permission test: the page, the project's
 * details, adding and removing role assignments, locking, and deleting the project (confirmation and deletion).
 * Unlocking is not here: a locked project allows it (to those with "Lock project for editing"), which the generated
 * test's locked case can't express; test/routes/project-lock.test.ts covers it. Locking a project that is locked
 * already changes nothing and says so (303 with a notice, not the locked 403 page).
 */
import { and, eq } from 'drizzle-orm';
import { projectComments, projectRoles, projects } from '../../../src/db/schema.js';
import type { CaseContext, SectionRouteCase } from '../section-cases.js';

const manageUrl = (ctx: CaseContext) => `/projects/${ctx.projectId}/manage`;

/** The project's row (its name, division and lock) as JSON. */
async function projectRow(ctx: CaseContext) {
  const [row] = await ctx.db
    .select({ name: projects.name, divisionId: projects.divisionId, lockedAt: projects.lockedAt, lockedBy: projects.lockedBy })
    .from(projects)
    .where(and(eq(projects.accountId, ctx.accountId), eq(projects.id, ctx.projectId)));
  return row ? { ...row, lockedAt: row.lockedAt?.toISOString() ?? null } : null;
}

/** The project's role assignments. */
async function assignments(ctx: CaseContext) {
  return ctx.db
    .select({ id: projectRoles.id, role: projectRoles.roleKey, personId: projectRoles.personId, groupId: projectRoles.groupId })
    .from(projectRoles)
    .where(and(eq(projectRoles.accountId, ctx.accountId), eq(projectRoles.projectId, ctx.projectId)))
    .orderBy(projectRoles.id);
}

/** The project, its assignments and a comment of it: what deleting the project would take. */
async function everything(ctx: CaseContext) {
  const comments = await ctx.db
    .select({ id: projectComments.id })
    .from(projectComments)
    .where(and(eq(projectComments.accountId, ctx.accountId), eq(projectComments.projectId, ctx.projectId)));
  return { project: await projectRow(ctx), assignments: await assignments(ctx), comments };
}

async function withComment(ctx: CaseContext) {
  await ctx.db.insert(projectComments).values({ accountId: ctx.accountId, projectId: ctx.projectId, authorId: ctx.otherId, body: 'Goes with the project' });
}

export const cases: SectionRouteCase[] = [
  {
    name: 'manage: the page',
    method: 'GET',
    section: 'manage',
    permissions: [],
    prepare: async (ctx) => ({ url: manageUrl(ctx) }),
    snapshot: projectRow,
  },
  {
    name: 'manage: change the project’s details',
    method: 'POST',
    section: 'manage',
    permissions: ['manage.edit'],
    prepare: async (ctx) => ({ url: `${manageUrl(ctx)}/details`, body: { name: 'Renamed project', division: '' } }),
    snapshot: projectRow,
  },
  {
    name: 'manage: give someone a role',
    method: 'POST',
    section: 'manage',
    permissions: ['manage.edit'],
    prepare: async (ctx) => ({ url: `${manageUrl(ctx)}/roles`, body: { role: 'team', person: ctx.otherId } }),
    snapshot: assignments,
  },
  {
    name: 'manage: remove a role assignment',
    method: 'POST',
    section: 'manage',
    permissions: ['manage.edit'],
    prepare: async (ctx) => {
      // the other person may hold Team already (the case above gives it)
      await ctx.db
        .insert(projectRoles)
        .values({ accountId: ctx.accountId, projectId: ctx.projectId, roleKey: 'team', personId: ctx.otherId })
        .onConflictDoNothing();
      const [row] = await ctx.db
        .select({ id: projectRoles.id })
        .from(projectRoles)
        .where(and(eq(projectRoles.projectId, ctx.projectId), eq(projectRoles.roleKey, 'team'), eq(projectRoles.personId, ctx.otherId)));
      return { url: `${manageUrl(ctx)}/roles/remove`, body: { assignment: String(row!.id) } };
    },
    snapshot: assignments,
  },
  {
    name: 'manage: lock the project',
    method: 'POST',
    section: 'manage',
    permissions: ['project.lock'],
    prepare: async (ctx) => ({ url: `${manageUrl(ctx)}/lock`, body: {} }),
    snapshot: projectRow,
    whileLocked: 303,
  },
  {
    name: 'manage: the delete confirmation',
    method: 'GET',
    section: 'manage',
    permissions: ['project.delete'],
    prepare: async (ctx) => ({ url: `${manageUrl(ctx)}/delete` }),
    snapshot: projectRow,
  },
  {
    name: 'manage: delete the project',
    method: 'POST',
    section: 'manage',
    permissions: ['project.delete'],
    prepare: async (ctx) => {
      await withComment(ctx);
      return { url: `${manageUrl(ctx)}/delete`, body: {} };
    },
    snapshot: everything,
  },
];
