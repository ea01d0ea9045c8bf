/**
 * Lists, Mind maps, Planning and Documents (src/projects/entries-routes.ts) for the generated permission test: in
 * each of the four sections the page, adding, renaming, the delete confirmation and deleting. The entries acted on
 * are someone else's (ctx.otherId): any editor of the section may change any entry.
 */
import { and, eq } from 'drizzle-orm';
import { projectEntries } from '../../../src/db/schema.js';
import type { CaseContext, SectionRouteCase } from '../section-cases.js';

const SECTIONS = [
  { section: 'lists', slug: 'lists', one: 'list' },
  { section: 'mindmaps', slug: 'mind-maps', one: 'mind map' },
  { section: 'planning', slug: 'planning', one: 'plan' },
  { section: 'documents', slug: 'documents', one: 'document' },
] as const;

type EntrySection = (typeof SECTIONS)[number]['section'];

async function insertEntry(ctx: CaseContext, section: EntrySection) {
  const [row] = await ctx.db
    .insert(projectEntries)
    .values({ accountId: ctx.accountId, projectId: ctx.projectId, section, title: 'Existing', createdBy: ctx.otherId })
    .returning({ id: projectEntries.id });
  return row!.id;
}

/** The project's entries of every section (a refused request changes none). */
async function snapshot(ctx: CaseContext) {
  return ctx.db
    .select({ id: projectEntries.id, section: projectEntries.section, title: projectEntries.title, createdBy: projectEntries.createdBy })
    .from(projectEntries)
    .where(and(eq(projectEntries.accountId, ctx.accountId), eq(projectEntries.projectId, ctx.projectId)))
    .orderBy(projectEntries.id);
}

export const cases: SectionRouteCase[] = SECTIONS.flatMap(({ section, slug, one }): SectionRouteCase[] => {
  const url = (ctx: CaseContext) => `/projects/${ctx.projectId}/${slug}`;
  const edit = [`${section}.edit` as const];
  return [
    {
      name: `${one}s: the page`,
      method: 'GET',
      section,
      permissions: [],
      prepare: async (ctx) => {
        await insertEntry(ctx, section);
        return { url: url(ctx) };
      },
      snapshot,
    },
    {
      name: `${one}s: add a ${one}`,
      method: 'POST',
      section,
      permissions: edit,
      prepare: async (ctx) => ({ url: url(ctx), body: { title: `A new ${one}` } }),
      snapshot,
    },
    {
      name: `${one}s: rename a ${one}`,
      method: 'POST',
      section,
      permissions: edit,
      prepare: async (ctx) => ({ url: `${url(ctx)}/${await insertEntry(ctx, section)}/title`, body: { title: 'Renamed' } }),
      snapshot,
    },
    {
      name: `${one}s: the delete confirmation`,
      method: 'GET',
      section,
      permissions: edit,
      prepare: async (ctx) => ({ url: `${url(ctx)}/${await insertEntry(ctx, section)}/delete` }),
      snapshot,
    },
    {
      name: `${one}s: delete a ${one}`,
      method: 'POST',
      section,
      permissions: edit,
      prepare: async (ctx) => ({ url: `${url(ctx)}/${await insertEntry(ctx, section)}/delete`, body: {} }),
      snapshot,
    },
  ];
});
