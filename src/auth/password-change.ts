import { and, eq, ne } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { passwordResets, persons, sessions } from '../db/schema.js';
import { hashPassword, verifyPassword } from './passwords.js';

export type PasswordChange = 'changed' | 'wrong-password';

/**
 * Changes a person's password when `current` is their password: in one transaction the new hash is stored (only
 * if the hash is still the one checked: a change that lands in between makes this one 'wrong-password'), every
 * other session of the person ends (`keepSessionId` stays) and any reset link not yet used stops working.
 */
export async function changePassword(db: Db, personId: string, keepSessionId: string, current: string, next: string): Promise<PasswordChange> {
  const [me] = await db.select({ passwordHash: persons.passwordHash }).from(persons).where(eq(persons.id, personId));
  if (!me?.passwordHash || !(await verifyPassword(me.passwordHash, current))) return 'wrong-password';
  const passwordHash = await hashPassword(next);
  return db.transaction(async (tx) => {
    const changed = await tx
      .update(persons)
      .set({ passwordHash })
      .where(and(eq(persons.id, personId), eq(persons.passwordHash, me.passwordHash!)))
      .returning({ id: persons.id });
    if (changed.length === 0) return 'wrong-password';
    await tx.delete(sessions).where(and(eq(sessions.userId, personId), ne(sessions.id, keepSessionId)));
    await tx.delete(passwordResets).where(eq(passwordResets.personId, personId));
    return 'changed';
  });
}
