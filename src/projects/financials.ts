/**
 * The Financials section's queries (SPEC §8): a project's budget, stored on the project's row (an amount and a
 * currency, both or neither). A change records 'project.budget' in the same transaction; none when nothing changed.
 * Changing the row stamps the account's access version (a trigger on projects): cached access is read afresh once.
 */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { projects } from '../db/schema.js';
import { type Actor, recordChanges } from '../history/record.js';
import type { Budget } from './financials-forms.js';

/** The project's budget, or null when none is set: one statement. */
export async function findBudget(db: Db, accountId: string, projectId: string): Promise<Budget | null> {
  const [row] = await db
    .select({ amount: projects.budgetAmount, currency: projects.budgetCurrency })
    .from(projects)
    .where(and(eq(projects.accountId, accountId), eq(projects.id, projectId)));
  return row?.amount != null && row.currency != null ? { amount: row.amount, currency: row.currency } : null;
}

/** How history keeps a budget: 'EUR 25000.50', or null for none. */
const recorded = (b: Budget | null) => (b ? `${b.currency} ${b.amount}` : null);

export type BudgetResult = 'saved' | 'unchanged' | 'missing' | 'locked';

/**
 * Sets the budget (null removes it). The project's row is held while it changes: 'locked' when it was locked after
 * the guard let the change through, 'missing' when it went away.
 */
export async function saveBudget(db: Db, actor: Actor, projectId: string, budget: Budget | null): Promise<BudgetResult> {
  return db.transaction(async (tx) => {
    const where = and(eq(projects.accountId, actor.accountId), eq(projects.id, projectId));
    const [row] = await tx
      .select({ amount: projects.budgetAmount, currency: projects.budgetCurrency, lockedAt: projects.lockedAt })
      .from(projects)
      .where(where)
      .for('update');
    if (!row) return 'missing';
    if (row.lockedAt) return 'locked';
    const before = row.amount != null && row.currency != null ? { amount: row.amount, currency: row.currency } : null;
    const changed = await recordChanges(tx, actor, 'project.budget', { type: 'project', id: projectId }, { budget: recorded(before) }, { budget: recorded(budget) });
    if (!changed) return 'unchanged';
    await tx
      .update(projects)
      .set({ budgetAmount: budget?.amount ?? null, budgetCurrency: budget?.currency ?? null })
      .where(where);
    return 'saved';
  });
}
