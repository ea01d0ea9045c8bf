import { eq, sql } from 'drizzle-orm';
import { hashPassword } from '../../src/auth/passwords.js';
import { newId } from '../../src/crypto.js';
import { type Db, rowsOf } from '../../src/db/client.js';
import { accounts, persons } from '../../src/db/schema.js';

type NewPerson = Partial<typeof persons.$inferInsert> & { password?: string };

/** Inserts a person into the (only or given) account; with `password` they can sign in. */
export async function insertPerson(db: Db, p: NewPerson = {}) {
  const accountId = p.accountId ?? (await db.select({ id: accounts.id }).from(accounts))[0]!.id;
  const id = newId();
  const [row] = await db
    .insert(persons)
    .values({
      id,
      accountId,
      name: p.name ?? `Person ${id.slice(0, 5)}`,
      email: p.email ?? `${id.toLowerCase()}@acme.test`,
      license: p.license ?? 'read_write',
      isAdmin: p.isAdmin ?? false,
      invitationState: p.invitationState ?? 'accepted',
      telemetry: p.telemetry ?? false,
      passwordHash: p.password ? await hashPassword(p.password) : null,
    })
    .returning();
  return row!;
}

export async function findPerson(db: Db, id: string) {
  return (await db.select().from(persons).where(eq(persons.id, id)))[0];
}

/**
 * The people list the /people browser tests search (with and without JavaScript): 3 match "bea" (two by name, one
 * by email) and 30 "Zed" people make two pages (34 people with the administrator).
 */
export async function insertPeopleList(db: Db): Promise<void> {
  const [account] = await db.select().from(accounts);
  await insertPerson(db, { name: 'Bea Baker', email: 'bea@acme.test', license: 'read_write' });
  await insertPerson(db, { name: 'Rebecca Beale', email: 'rebecca@acme.test', license: 'read_only' });
  await insertPerson(db, { name: 'Tom Tailor', email: 'tom.beaufort@example.org', license: 'none', invitationState: 'none' });
  await db.insert(persons).values(
    Array.from({ length: 30 }, (_, i) => ({ id: `zed${String(i).padStart(2, '0')}`, accountId: account!.id, name: `Zed ${String(i).padStart(2, '0')}`, email: `zed${i}@acme.test` })),
  );
}

/** The account row's counts next to a count over its people: they must always agree. */
export async function countsAndTruth(db: Db, accountId: string) {
  const [row] = await db.select().from(accounts).where(eq(accounts.id, accountId));
  const truth = rowsOf<{ license: 'read_write' | 'read_only' | 'none'; n: number | string }>(
    await db.execute(sql`select license, count(*) as n from persons where account_id = ${accountId} group by license`),
  );
  const real = { read_write: 0, read_only: 0, none: 0 };
  for (const r of truth) real[r.license] = Number(r.n);
  return { kept: { read_write: row!.readWriteCount, read_only: row!.readOnlyCount, none: row!.noAccessCount }, real };
}
