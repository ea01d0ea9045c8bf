// The Time tracking section's routes for the generated permission test (test/routes/section-permissions.test.ts).
// The entry pages (edit, delete) answer as the changes they lead to: 403 to those who may not change the entry.
// Adding uses today's date: a day before today needs "Allow backdating in times" on top, which
// test/routes/time.test.ts covers.
import { and, eq } from 'drizzle-orm';
import { timeEntries } from '../../../src/db/schema.js';
import { today } from '../../../src/web/clock.js';
import type { CaseContext, SectionRouteCase } from '../section-cases.js';

const page = (ctx: CaseContext) => `/projects/${ctx.projectId}/time`;

/** An entry of `personId` in the context's project, today, 1 hour. */
async function entry(ctx: CaseContext, personId: string): Promise<number> {
  const [row] = await ctx.db
    .insert(timeEntries)
    .values({ accountId: ctx.accountId, projectId: ctx.projectId, personId, workedOn: today(), hours: '1.00' })
    .returning({ id: timeEntries.id });
  return row!.id;
}

/** The project's entries: what any time route could change. */
const snapshot = async (ctx: CaseContext) =>
  ctx.db
    .select({ id: timeEntries.id, personId: timeEntries.personId, date: timeEntries.workedOn, hours: timeEntries.hours })
    .from(timeEntries)
    .where(and(eq(timeEntries.accountId, ctx.accountId), eq(timeEntries.projectId, ctx.projectId)))
    .orderBy(timeEntries.id);

const OWN = ['time.editOwn', 'time.edit'] as SectionRouteCase['permissions'];
const ANY = ['time.edit'] as SectionRouteCase['permissions'];

export const cases: SectionRouteCase[] = [
  { name: 'the Time tracking page', method: 'GET', section: 'time', permissions: [], prepare: async (ctx) => ({ url: page(ctx) }), snapshot },
  {
    name: 'add time for oneself (today)',
    method: 'POST',
    section: 'time',
    permissions: OWN,
    prepare: async (ctx) => ({ url: page(ctx), body: { date: today(), hours: '1.5' } }),
    snapshot,
  },
  {
    name: 'add time for someone else (today)',
    method: 'POST',
    section: 'time',
    permissions: ANY,
    prepare: async (ctx) => ({ url: page(ctx), body: { date: today(), hours: '1.5', person: ctx.otherId } }),
    snapshot,
  },
  {
    name: 'an entry’s edit page',
    method: 'GET',
    section: 'time',
    permissions: OWN,
    prepare: async (ctx) => ({ url: `${page(ctx)}/${await entry(ctx, ctx.actorId)}/edit` }),
    snapshot,
  },
  {
    name: 'change one’s own entry',
    method: 'POST',
    section: 'time',
    permissions: OWN,
    prepare: async (ctx) => ({ url: `${page(ctx)}/${await entry(ctx, ctx.actorId)}`, body: { date: today(), hours: '2.5' } }),
    snapshot,
  },
  {
    name: 'change someone else’s entry',
    method: 'POST',
    section: 'time',
    permissions: ANY,
    prepare: async (ctx) => ({ url: `${page(ctx)}/${await entry(ctx, ctx.otherId)}`, body: { date: today(), hours: '2.5' } }),
    snapshot,
  },
  {
    name: 'an entry’s delete confirmation',
    method: 'GET',
    section: 'time',
    permissions: OWN,
    prepare: async (ctx) => ({ url: `${page(ctx)}/${await entry(ctx, ctx.actorId)}/delete` }),
    snapshot,
  },
  {
    name: 'delete one’s own entry',
    method: 'POST',
    section: 'time',
    permissions: OWN,
    prepare: async (ctx) => ({ url: `${page(ctx)}/${await entry(ctx, ctx.actorId)}/delete` }),
    snapshot,
  },
  {
    name: 'delete someone else’s entry',
    method: 'POST',
    section: 'time',
    permissions: ANY,
    prepare: async (ctx) => ({ url: `${page(ctx)}/${await entry(ctx, ctx.otherId)}/delete` }),
    snapshot,
  },
];
