import { and, count, eq } from 'drizzle-orm';
import type { Auth } from '../auth/session.js';
import { EDITIONS, type Edition } from '../auth/forms.js';
import type { Db, Tx } from '../db/client.js';
import { accounts, persons } from '../db/schema.js';
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

export async function countReadWrite(db: Db | Tx, accountId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(persons)
    .where(and(eq(persons.accountId, accountId), eq(persons.license, 'read_write')));
  return row?.n ?? 0;
}

export type SubscriptionResult = { ok: true } | { ok: false; distributed: number };

/** Changes the plan; the number of seats can't go below those distributed (checked under the account lock). */
export async function updateSubscription(db: Db, accountId: string, edition: Edition, readWriteLicenses: number): Promise<SubscriptionResult> {
  return db.transaction(async (tx) => {
    await lockAccount(tx, accountId);
    const distributed = await countReadWrite(tx, accountId);
    if (readWriteLicenses < distributed) return { ok: false, distributed };
    await tx.update(accounts).set({ edition, readWriteLicenses }).where(eq(accounts.id, accountId));
    return { ok: true };
  });
}

export async function renameAccount(db: Db, accountId: string, name: string): Promise<void> {
  await db.update(accounts).set({ name }).where(eq(accounts.id, accountId));
}

export function seatsBelowDistributedMessage(distributed: number): string {
  return `You can’t have fewer Read & Write licenses than are distributed (${distributed}). Change people’s licenses first.`;
}

/** Everything the organization page shows; a form state passed in (after an error) replaces the saved values. */
export async function organizationPageData(
  db: Db,
  auth: Auth,
  forms: { name?: FormState; privacy?: FormState; subscription?: FormState } = {},
) {
  const a = auth.account;
  return {
    title: 'Organization',
    /** a Read-Only administrator sees the settings but every control is disabled (and refused on the server) */
    canEdit: auth.person.license === 'read_write',
    distributed: await countReadWrite(db, a.id),
    editions: EDITIONS,
    name: forms.name ?? emptyForm({ organizationName: a.name }),
    privacy: forms.privacy ?? emptyForm({ privacyEnabled: a.privacyEnabled, aiAllowed: a.aiAllowed }),
    subscription: forms.subscription ?? emptyForm({ edition: a.edition, readWriteLicenses: a.readWriteLicenses }),
    form: mergeSummaries(forms),
  };
}

/** The page's error summary lists the errors of whichever form was sent. */
function mergeSummaries(forms: Record<string, FormState | undefined>): FormState {
  const summary = Object.values(forms).flatMap((f) => f?.summary ?? []);
  return { values: {}, errors: {}, summary };
}

