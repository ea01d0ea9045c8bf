// The Tasks section's routes for the generated permission test (test/routes/section-permissions.test.ts): the
// page, adding a task, renaming one and marking one done.
import { and, asc, eq } from 'drizzle-orm';
import { projectTasks } from '../../../src/db/schema.js';
import type { CaseContext, SectionRouteCase } from '../section-cases.js';

async function insertTask(ctx: CaseContext, title: string): Promise<number> {
  const [row] = await ctx.db.insert(projectTasks).values({ accountId: ctx.accountId, projectId: ctx.projectId, title, createdBy: ctx.otherId }).returning({ id: projectTasks.id });
  return row!.id;
}

/** The project's tasks, as plain values. */
async function tasks(ctx: CaseContext) {
  const rows = await ctx.db
    .select({ id: projectTasks.id, title: projectTasks.title, done: projectTasks.done })
    .from(projectTasks)
    .where(and(eq(projectTasks.accountId, ctx.accountId), eq(projectTasks.projectId, ctx.projectId)))
    .orderBy(asc(projectTasks.id));
  return rows.map((r) => ({ ...r }));
}

const base = (ctx: CaseContext) => `/projects/${ctx.projectId}/tasks`;

export const cases: SectionRouteCase[] = [
  {
    name: 'the tasks page',
    method: 'GET',
    section: 'tasks',
    permissions: [],
    async prepare(ctx) {
      await insertTask(ctx, 'Write the plan');
      return { url: base(ctx) };
    },
    snapshot: tasks,
  },
  {
    name: 'add a task',
    method: 'POST',
    section: 'tasks',
    permissions: ['tasks.edit'],
    async prepare(ctx) {
      return { url: base(ctx), body: { title: 'Order the parts' } };
    },
    snapshot: tasks,
  },
  {
    name: 'rename a task',
    method: 'POST',
    section: 'tasks',
    permissions: ['tasks.edit'],
    async prepare(ctx) {
      return { url: `${base(ctx)}/${await insertTask(ctx, 'Draft')}/title`, body: { title: 'Final draft' } };
    },
    snapshot: tasks,
  },
  {
    name: 'mark a task done',
    method: 'POST',
    section: 'tasks',
    permissions: ['tasks.edit'],
    async prepare(ctx) {
      return { url: `${base(ctx)}/${await insertTask(ctx, 'Call the client')}/done`, body: { done: 'on' } };
    },
    snapshot: tasks,
  },
];
