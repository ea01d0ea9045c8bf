import { eq } from 'drizzle-orm';
import type { Auth } from '../auth/session.js';
import { EDITIONS, type Edition } from '../auth/forms.js';
import type { Db, Tx } from '../db/client.js';
import { accounts } from '../db/schema.js';
import { type Actor, recordChanges } from '../history/record.js';
import { emptyForm, type FormState } from '../web/forms.js';

/**
 * Locks the account row for the rest of the transaction: every change to seats or their number goes through it.
 * FOR NO KEY UPDATE serialises these changes among themselves but, unlike FOR UPDATE, does not block the
 * KEY SHARE locks that foreign-key checks take (inserting a session or a person of the account), which would
 * otherwise deadlock with a transaction that holds this lock and waits for such a row.
 */
export async function lockAccount(tx: Tx, accountId: string) {
  const [row] = await tx.select().from(accounts).where(eq(accounts.id, accountId)).for('no key update');
  return row;
}

export type SubscriptionResult = { ok: true } | { ok: false; distributed: number };

/** Changes the plan; the number of seats can't go below those distributed (checked under the account lock). */
export async function updateSubscription(db: Db, actor: Actor, edition: Edition, readWriteLicenses: number): Promise<SubscriptionResult> {
  const { accountId } = actor;
  return db.transaction(async (tx) => {
    const account = await lockAccount(tx, accountId);
    // the count on the locked row is exact: every license change takes this lock first
    const distributed = account?.readWriteCount ?? 0;
    if (readWriteLicenses < distributed) return { ok: false, distributed };
    await tx.update(accounts).set({ edition, readWriteLicenses }).where(eq(accounts.id, accountId));
    if (account) await recordChanges(tx, actor, 'account.plan', { type: 'account', id: accountId }, account, { edition, readWriteLicenses });
    return { ok: true };
  });
}

/** Renames the organization, with its history entry. */
export async function renameAccount(db: Db, actor: Actor, name: string): Promise<void> {
  await db.transaction(async (tx) => {
    const before = await lockAccount(tx, actor.accountId);
    if (!before) return;
    await tx.update(accounts).set({ name }).where(eq(accounts.id, actor.accountId));
    await recordChanges(tx, actor, 'account.renamed', { type: 'account', id: actor.accountId }, before, { name });
  });
}

export function seatsBelowDistributedMessage(distributed: number): string {
  return `You can’t have fewer Read & Write licenses than are distributed (${distributed}). Change people’s licenses first.`;
}

/** Everything the organization page shows; a form state passed in (after an error) replaces the saved values. */
export async function organizationPageData(
  db: Db,
  auth: Auth,
  forms: { name?: FormState; privacy?: FormState; subscription?: FormState; twoStep?: FormState } = {},
) {
  const a = auth.account;
  return {
    title: 'Organization',
    /** a Read-Only administrator sees the settings but every control is disabled (and refused on the server) */
    canEdit: auth.person.license === 'read_write',
    distributed: a.readWriteCount,
    editions: EDITIONS,
    name: forms.name ?? emptyForm({ organizationName: a.name }),
    privacy: forms.privacy ?? emptyForm({ privacyEnabled: a.privacyEnabled, aiAllowed: a.aiAllowed }),
    subscription: forms.subscription ?? emptyForm({ edition: a.edition, readWriteLicenses: a.readWriteLicenses }),
    twoStep: forms.twoStep ?? emptyForm({ twoStepForAdmins: a.twoStepForAdmins, twoStepForEveryone: a.twoStepForEveryone }),
    form: mergeSummaries(forms),
  };
}

/** The page's error summary lists the errors of whichever form was sent. */
function mergeSummaries(forms: Record<string, FormState | undefined>): FormState {
  const summary = Object.values(forms).flatMap((f) => f?.summary ?? []);
  return { values: {}, errors: {}, summary };
}

