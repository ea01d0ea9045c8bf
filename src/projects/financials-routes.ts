import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/client.js';
import { actorOf } from '../history/record.js';
import { requireSignedIn } from '../permissions/guard.js';
import type { AppDeps } from '../web/deps.js';
import { emptyForm, type FormState, parseForm } from '../web/forms.js';
import { isHtmx } from '../web/htmx.js';
import { type Budget, BudgetForm, budgetText, CURRENCIES, DEFAULT_CURRENCY } from './financials-forms.js';
import { findBudget, saveBudget } from './financials.js';
import { editProject, mayEdit, type ProjectContext, projectFrame, readProject } from './section-access.js';
import { unavailable } from './section-rows.js';

const PAGE = '/projects/:id/financials';
const FRAGMENT = 'projects/_financials-budget';
const idOf = (request: FastifyRequest) => String((request.params as { id?: unknown }).id ?? '');

/** The Financials page: the budget (one statement) and, to those who may change it, the form. */
async function financialsPageData(db: Db, ctx: ProjectContext, form?: FormState) {
  const budget = await findBudget(db, ctx.auth.account.id, ctx.project.id);
  return {
    ...projectFrame(ctx, 'financials'),
    budgetText: budget ? budgetText(budget) : undefined,
    canEdit: mayEdit(ctx, 'financials.edit'),
    form: form ?? emptyForm({ amount: budget?.amount ?? '', currency: budget?.currency ?? DEFAULT_CURRENCY }),
    currencyOptions: CURRENCIES,
  };
}

const financialsUrl = (projectId: string, notice: string) => `/projects/${encodeURIComponent(projectId)}/financials?notice=${notice}`;

/** The confirmations after a 303 (`?notice=key`): only these keys. */
const NOTICES: Record<string, string> = {
  'budget-saved': 'Saved. The budget is changed.',
  'budget-removed': 'Saved. The project has no budget now.',
  'budget-unchanged': 'Nothing changed: the project already had this budget.',
};

function financialsNotice(query: unknown): { notice?: string } {
  const key = (query as { notice?: unknown } | undefined)?.notice;
  return typeof key === 'string' && Object.hasOwn(NOTICES, key) ? { notice: NOTICES[key] } : {};
}

/**
 * The Financials section of a project (SPEC §8): "Read financials" to look at the budget (the projects' 404
 * otherwise), "Edit financials" with a Read & Write license to set or remove it (403 otherwise, and while the
 * project is locked).
 */
export default async function financialsRoutes(app: FastifyInstance, { db }: AppDeps) {
  async function saved(request: FastifyRequest, reply: FastifyReply, ctx: ProjectContext, budget: Budget | null) {
    const result = await saveBudget(db, actorOf(ctx.auth), ctx.project.id, budget);
    if (result === 'missing' || result === 'locked') throw await unavailable(db, ctx.auth, ctx.project.id, 'financials', result);
    const key = result === 'unchanged' ? 'budget-unchanged' : budget ? 'budget-saved' : 'budget-removed';
    if (!isHtmx(request)) return reply.redirect(financialsUrl(ctx.project.id, key), 303);
    const announce = result === 'unchanged' ? NOTICES[key] : budget ? `Saved. The budget is ${budgetText(budget)}.` : NOTICES[key];
    // after a removal the Remove button is gone: the budget's line takes the focus
    return reply.render(FRAGMENT, { ...(await financialsPageData(db, ctx)), announce, focusBudget: !budget });
  }

  app.get(PAGE, async (request, reply) => {
    const ctx = await readProject(db, requireSignedIn(request), idOf(request), 'financials');
    return reply.render('projects/financials', { ...(await financialsPageData(db, ctx)), ...financialsNotice(request.query) });
  });

  app.post(PAGE, async (request, reply) => {
    const ctx = await editProject(db, requireSignedIn(request), idOf(request), 'financials', ['financials.edit']);
    const parsed = parseForm(BudgetForm, request.body);
    if (!parsed.ok) return reply.render('projects/financials', await financialsPageData(db, ctx, parsed.form), { status: 422, fragment: FRAGMENT });
    return saved(request, reply, ctx, parsed.data);
  });

  app.post(`${PAGE}/remove`, async (request, reply) => {
    const ctx = await editProject(db, requireSignedIn(request), idOf(request), 'financials', ['financials.edit']);
    return saved(request, reply, ctx, null);
  });
}
