import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { ACCOUNT_DATA } from './tables.js';

/** Rows a DELETE touched: postgres-js reports `count`, PGlite `affectedRows`. */
function affected(result: unknown): number {
  const r = result as { count?: number; affectedRows?: number };
  return Number(r.count ?? r.affectedRows ?? 0);
}

/**
 * Deletes every row of the account in one transaction: each account-owned table (found by walking the schema)
 * children before parents, then the account's row. The foreign keys' ON DELETE CASCADE would do much of this,
 * but a table added without it must not block the deletion or keep rows, and the explicit order makes the work
 * visible. The account row is locked first (FOR UPDATE), so no seat change, invitation or sign-in of the account
 * commits a new row half-way. Sessions are rows too: everyone signed in to the account is signed out with them.
 * Returns the number of rows deleted per table, or undefined when the account no longer exists.
 */
export async function deleteAccount(db: Db, accountId: string): Promise<Record<string, number> | undefined> {
  const { root, owned } = ACCOUNT_DATA;
  return db.transaction(async (tx) => {
    const [locked] = await tx.select({ id: root.id }).from(root.table).where(eq(root.id, accountId)).for('update');
    if (!locked) return undefined;
    const deleted: Record<string, number> = {};
    for (const t of [...owned].reverse()) {
      deleted[t.name] = affected(await tx.delete(t.table).where(eq(t.accountId, accountId)));
    }
    await tx.delete(root.table).where(eq(root.id, accountId));
    deleted[root.name] = 1;
    return deleted;
  });
}
