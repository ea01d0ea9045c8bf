// The Comments section's routes for the generated permission test (test/routes/section-permissions.test.ts): the
// page, adding, and deleting one's own or someone else's comment (its confirmation page and the deletion).
import { and, asc, eq } from 'drizzle-orm';
import { projectComments } from '../../../src/db/schema.js';
import type { CaseContext, SectionRouteCase } from '../section-cases.js';

async function insertComment(ctx: CaseContext, authorId: string, body: string): Promise<number> {
  const [row] = await ctx.db.insert(projectComments).values({ accountId: ctx.accountId, projectId: ctx.projectId, authorId, body }).returning({ id: projectComments.id });
  return row!.id;
}

/** The project's comments, as plain values. */
async function comments(ctx: CaseContext) {
  const rows = await ctx.db
    .select({ id: projectComments.id, authorId: projectComments.authorId, body: projectComments.body })
    .from(projectComments)
    .where(and(eq(projectComments.accountId, ctx.accountId), eq(projectComments.projectId, ctx.projectId)))
    .orderBy(asc(projectComments.id));
  return rows.map((r) => ({ ...r }));
}

const base = (ctx: CaseContext) => `/projects/${ctx.projectId}/comments`;

export const cases: SectionRouteCase[] = [
  {
    name: 'the comments page',
    method: 'GET',
    section: 'comments',
    permissions: [],
    async prepare(ctx) {
      await insertComment(ctx, ctx.otherId, 'A comment by someone else');
      return { url: base(ctx) };
    },
    snapshot: comments,
  },
  {
    name: 'add a comment',
    method: 'POST',
    section: 'comments',
    permissions: ['comments.add'],
    async prepare(ctx) {
      return { url: base(ctx), body: { body: 'A new comment\non two lines' } };
    },
    snapshot: comments,
  },
  {
    // the confirmation answers as its deletion does (403 to those who may not delete the comment)
    name: 'the confirmation of deleting one’s own comment',
    method: 'GET',
    section: 'comments',
    permissions: ['comments.deleteOwn', 'comments.delete'],
    async prepare(ctx) {
      return { url: `${base(ctx)}/${await insertComment(ctx, ctx.actorId, 'My own comment')}/delete` };
    },
    snapshot: comments,
  },
  {
    name: 'the confirmation of deleting someone else’s comment',
    method: 'GET',
    section: 'comments',
    permissions: ['comments.delete'],
    async prepare(ctx) {
      return { url: `${base(ctx)}/${await insertComment(ctx, ctx.otherId, 'Someone else’s comment')}/delete` };
    },
    snapshot: comments,
  },
  {
    name: 'delete one’s own comment',
    method: 'POST',
    section: 'comments',
    permissions: ['comments.deleteOwn', 'comments.delete'],
    async prepare(ctx) {
      return { url: `${base(ctx)}/${await insertComment(ctx, ctx.actorId, 'My own comment')}/delete`, body: {} };
    },
    snapshot: comments,
  },
  {
    name: 'delete someone else’s comment',
    method: 'POST',
    section: 'comments',
    permissions: ['comments.delete'],
    async prepare(ctx) {
      return { url: `${base(ctx)}/${await insertComment(ctx, ctx.otherId, 'Someone else’s comment')}/delete`, body: {} };
    },
    snapshot: comments,
  },
];
