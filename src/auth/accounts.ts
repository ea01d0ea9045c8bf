import { and, eq, gt, ne, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Sealer } from '../crypto.js';
import { hashToken, newId, newToken } from '../crypto.js';
import type { Db } from '../db/client.js';
import { accounts, globalGrants, passwordResets, persons } from '../db/schema.js';
import { recordHistory } from '../history/record.js';
import { FIRST_ADMIN_GLOBAL_PERMISSIONS } from '../permissions/roles.js';
import { insertDefaultRoles } from '../permissions/store.js';
import type { SignupForm } from './forms.js';
import { hashPassword, verifyAgainstNothing, verifyPassword } from './passwords.js';

export type Person = typeof persons.$inferSelect;

/**
 * Creates the account and its first person: an administrator with a Read & Write license and "Create projects", and
 * the account's ten roles with the recommended permissions (SPEC §6).
 */
export async function insertAccountWithAdmin(db: Db, sealer: Sealer, form: z.infer<typeof SignupForm>) {
  const passwordHash = await hashPassword(form.password);
  const accountId = newId();
  const personId = newId();
  await db.transaction(async (tx) => {
    await tx.insert(accounts).values({
      id: accountId,
      name: form.organizationName,
      edition: form.edition,
      readWriteLicenses: form.readWriteLicenses,
    });
    await tx.insert(persons).values({
      id: personId,
      accountId,
      name: form.name,
      email: form.email,
      passwordHash,
      phoneEncrypted: sealer.seal(form.phone),
      reminderEncrypted: form.passwordReminder ? sealer.seal(form.passwordReminder) : null,
      foundUs: form.foundUs,
      license: 'read_write',
      isAdmin: true,
      invitationState: 'accepted',
      lastSignInAt: new Date(),
    });
    await insertDefaultRoles(tx, accountId);
    await tx.insert(globalGrants).values(FIRST_ADMIN_GLOBAL_PERMISSIONS.map((permission) => ({ accountId, personId, permission })));
    await recordHistory(tx, { accountId, personId }, {
      kind: 'account.created',
      subject: { type: 'account', id: accountId },
      after: { edition: form.edition, readWriteLicenses: form.readWriteLicenses },
    });
  });
  return { accountId, personId };
}

/**
 * Checks an email and password. An email is unique per account, so it may exist in several accounts:
 * the person whose password matches (most recently signed in first) is the one signed in.
 */
export async function findPersonByCredentials(db: Db, email: string, password: string): Promise<Person | undefined> {
  const candidates = await db
    .select()
    .from(persons)
    .where(and(sql`lower(${persons.email}) = lower(${email})`, ne(persons.license, 'none')))
    .orderBy(sql`${persons.lastSignInAt} desc nulls last`)
    .limit(10);
  const withPassword = candidates.filter((p) => p.passwordHash);
  if (withPassword.length === 0) {
    await verifyAgainstNothing(password);
    return undefined;
  }
  for (const person of withPassword) {
    if (await verifyPassword(person.passwordHash!, password)) return person;
  }
  return undefined;
}

/** Whether `password` is the signed-in person's own (a password asked again to confirm a change). */
export async function isOwnPassword(db: Db, personId: string, password: string): Promise<boolean> {
  const [me] = await db.select({ passwordHash: persons.passwordHash }).from(persons).where(eq(persons.id, personId));
  return !!me?.passwordHash && (await verifyPassword(me.passwordHash, password));
}

export async function recordSignIn(db: Db, personId: string): Promise<void> {
  await db.update(persons).set({ lastSignInAt: new Date() }).where(eq(persons.id, personId));
}

export const RESET_LINK_HOURS = 1;

/** One reset link per person who can sign in with this email; returns what the emails need. */
export async function insertPasswordResets(db: Db, sealer: Sealer, email: string) {
  const people = await db
    .select()
    .from(persons)
    .where(and(sql`lower(${persons.email}) = lower(${email})`, ne(persons.license, 'none')))
    .limit(10);
  const out: { person: Person; token: string; reminder?: string }[] = [];
  for (const person of people.filter((p) => p.passwordHash)) {
    const { token, hash } = newToken();
    await db.insert(passwordResets).values({
      tokenHash: hash,
      accountId: person.accountId,
      personId: person.id,
      expiresAt: new Date(Date.now() + RESET_LINK_HOURS * 3600_000),
    });
    out.push({ person, token, reminder: person.reminderEncrypted ? sealer.open(person.reminderEncrypted) : undefined });
  }
  return out;
}

export async function findPasswordReset(db: Db, token: string) {
  return db.query.passwordResets.findFirst({
    where: and(eq(passwordResets.tokenHash, hashToken(token)), gt(passwordResets.expiresAt, new Date())),
  });
}

/** Sets the new password and uses up every reset link of the person, in one transaction. */
export async function resetPassword(db: Db, token: string, password: string): Promise<Person | undefined> {
  const reset = await findPasswordReset(db, token);
  if (!reset) return undefined;
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const used = await tx.delete(passwordResets).where(eq(passwordResets.tokenHash, reset.tokenHash)).returning();
    if (used.length === 0) return undefined;
    await tx.delete(passwordResets).where(eq(passwordResets.personId, reset.personId));
    const [person] = await tx
      .update(persons)
      .set({ passwordHash, lastSignInAt: new Date() })
      .where(and(eq(persons.id, reset.personId), ne(persons.license, 'none')))
      .returning();
    return person;
  });
}
