import { and, eq } from 'drizzle-orm';
import { newId } from '../crypto.js';
import type { Db } from '../db/client.js';
import { persons } from '../db/schema.js';
import { type Actor, recordHistory } from '../history/record.js';

export type Person = typeof persons.$inferSelect;

/** A person of the account, or undefined (another account's ids are simply not found). */
export async function findPersonInAccount(db: Db, accountId: string, personId: string): Promise<Person | undefined> {
  const [row] = await db
    .select()
    .from(persons)
    .where(and(eq(persons.accountId, accountId), eq(persons.id, personId)));
  return row;
}

export const EMAIL_TAKEN = 'Someone in your contacts already has this email address.';

/** Adds a plain contact (no license, not invited), with its history entry. Undefined when the email is already in the account. */
export async function insertContact(db: Db, actor: Actor, c: { name: string; email: string }): Promise<Person | undefined> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(persons)
      .values({ id: newId(), accountId: actor.accountId, name: c.name, email: c.email })
      .onConflictDoNothing()
      .returning();
    if (row) await recordHistory(tx, actor, { kind: 'person.created', subject: { type: 'person', id: row.id } });
    return row;
  });
}
