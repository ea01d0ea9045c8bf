// The Financials section's routes for the generated permission test (test/routes/section-permissions.test.ts).
import { and, eq } from 'drizzle-orm';
import { projects } from '../../../src/db/schema.js';
import type { CaseContext, SectionRouteCase } from '../section-cases.js';

const page = (ctx: CaseContext) => `/projects/${ctx.projectId}/financials`;

/** Sets the context's project's budget (null: none) before a request. */
const setBudget = (ctx: CaseContext, amount: string | null, currency: string | null) =>
  ctx.db.update(projects).set({ budgetAmount: amount, budgetCurrency: currency }).where(and(eq(projects.accountId, ctx.accountId), eq(projects.id, ctx.projectId)));

/** The project's budget: what any financials route could change. */
const snapshot = async (ctx: CaseContext) =>
  ctx.db
    .select({ amount: projects.budgetAmount, currency: projects.budgetCurrency })
    .from(projects)
    .where(and(eq(projects.accountId, ctx.accountId), eq(projects.id, ctx.projectId)));

export const cases: SectionRouteCase[] = [
  { name: 'the Financials page', method: 'GET', section: 'financials', permissions: [], prepare: async (ctx) => ({ url: page(ctx) }), snapshot },
  {
    name: 'set the budget',
    method: 'POST',
    section: 'financials',
    permissions: ['financials.edit'],
    prepare: async (ctx) => {
      await setBudget(ctx, null, null);
      return { url: page(ctx), body: { amount: '1000', currency: 'EUR' } };
    },
    snapshot,
  },
  {
    name: 'remove the budget',
    method: 'POST',
    section: 'financials',
    permissions: ['financials.edit'],
    prepare: async (ctx) => {
      await setBudget(ctx, '500.00', 'USD');
      return { url: `${page(ctx)}/remove` };
    },
    snapshot,
  },
];
