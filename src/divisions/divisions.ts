/**
 * Divisions (SPEC §6, Enterprise and up): the account's divisions, and each person's project permissions in every
 * project of a division. Every write goes with its history entry in one transaction; every query is scoped to the
 * account (another account's ids find nothing).
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import { newId } from '../crypto.js';
import { type Db, rowsOf } from '../db/client.js';
import { divisionGrants, divisions, persons, projects } from '../db/schema.js';
import { type Actor, recordHistory } from '../history/record.js';
import { isPermissionKey, type PermissionKey } from '../permissions/catalog.js';

export interface DivisionSummary {
  id: string;
  name: string;
  projects: number;
  people: number;
}

const summaries = (db: Db, accountId: string, id?: string) =>
  db.execute(sql`select d.id, d.name,
      (select count(*) from ${projects} p where p.account_id = d.account_id and p.division_id = d.id) as projects,
      (select count(distinct g.person_id) from ${divisionGrants} g where g.account_id = d.account_id and g.division_id = d.id) as people
    from ${divisions} d where d.account_id = ${accountId}${id ? sql` and d.id = ${id}` : sql``} order by lower(d.name), d.id`);

const toSummary = (r: { id: string; name: string; projects: number | string; people: number | string }): DivisionSummary => ({
  ...r,
  projects: Number(r.projects),
  people: Number(r.people),
});

/** The account's divisions by name, with how many projects belong to each and how many people hold grants in it. */
export async function listDivisions(db: Db, accountId: string): Promise<DivisionSummary[]> {
  return rowsOf<Parameters<typeof toSummary>[0]>(await summaries(db, accountId)).map(toSummary);
}

/** One division of the account with its counts; undefined for an id of another account or none. */
export async function findDivision(db: Db, accountId: string, id: string): Promise<DivisionSummary | undefined> {
  return rowsOf<Parameters<typeof toSummary>[0]>(await summaries(db, accountId, id)).map(toSummary)[0];
}

const isUniqueViolation = (err: unknown) => {
  const e = err as { code?: string; cause?: { code?: string } };
  return e?.code === '23505' || e?.cause?.code === '23505';
};

/** Creates a division; undefined when the account already has one of that name (any case). */
export async function createDivision(db: Db, actor: Actor, name: string): Promise<string | undefined> {
  const id = newId();
  try {
    await db.transaction(async (tx) => {
      await tx.insert(divisions).values({ id, accountId: actor.accountId, name });
      await recordHistory(tx, actor, { kind: 'division.created', subject: { type: 'division', id }, after: { name } });
    });
    return id;
  } catch (err) {
    if (isUniqueViolation(err)) return undefined;
    throw err;
  }
}

/** Renames a division: 'taken' when another division has the name, 'missing' when it is not the account's. */
export async function renameDivision(db: Db, actor: Actor, id: string, name: string): Promise<'ok' | 'taken' | 'missing'> {
  try {
    return await db.transaction(async (tx) => {
      const [before] = await tx.select({ name: divisions.name }).from(divisions).where(and(eq(divisions.accountId, actor.accountId), eq(divisions.id, id))).for('update');
      if (!before) return 'missing';
      if (before.name === name) return 'ok';
      await tx.update(divisions).set({ name }).where(and(eq(divisions.accountId, actor.accountId), eq(divisions.id, id)));
      await recordHistory(tx, actor, { kind: 'division.renamed', subject: { type: 'division', id }, before: { name: before.name }, after: { name } });
      return 'ok';
    });
  } catch (err) {
    if (isUniqueViolation(err)) return 'taken';
    throw err;
  }
}

/** Deletes a division: its projects stay (without a division), its grants go. False when it is not the account's. */
export async function deleteDivision(db: Db, actor: Actor, id: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [gone] = await tx.delete(divisions).where(and(eq(divisions.accountId, actor.accountId), eq(divisions.id, id))).returning({ name: divisions.name });
    if (!gone) return false;
    await recordHistory(tx, actor, { kind: 'division.deleted', subject: { type: 'division', id }, before: { name: gone.name } });
    return true;
  });
}

/** One person's division grants, by division (name order). */
export async function personDivisions(db: Db, accountId: string, personId: string) {
  const rows = await db
    .select({ id: divisions.id, name: divisions.name, permission: divisionGrants.permission })
    .from(divisionGrants)
    .innerJoin(divisions, and(eq(divisions.id, divisionGrants.divisionId), eq(divisions.accountId, divisionGrants.accountId)))
    .where(and(eq(divisionGrants.accountId, accountId), eq(divisionGrants.personId, personId)))
    .orderBy(asc(sql`lower(${divisions.name})`), asc(divisions.id));
  const byDivision = new Map<string, { id: string; name: string; permissions: PermissionKey[] }>();
  for (const r of rows) {
    const d = byDivision.get(r.id) ?? { id: r.id, name: r.name, permissions: [] };
    if (isPermissionKey(r.permission)) d.permissions.push(r.permission);
    byDivision.set(r.id, d);
  }
  return [...byDivision.values()];
}

/** A person of the account who can hold permissions (a license); undefined otherwise. */
export async function findLicensedPerson(db: Db, accountId: string, personId: string) {
  const [p] = await db
    .select({ id: persons.id, name: persons.name, license: persons.license })
    .from(persons)
    .where(and(eq(persons.accountId, accountId), eq(persons.id, personId)));
  return p && p.license !== 'none' ? p : undefined;
}

/**
 * Sets one person's permissions in one division to exactly `permissions` (an empty set removes the person from the
 * division), with one history entry when something changed. 'missing' when the person or the division is not the
 * account's (or the person has no license).
 */
export async function setDivisionGrants(
  db: Db,
  actor: Actor,
  personId: string,
  divisionId: string,
  permissions: readonly PermissionKey[],
): Promise<'saved' | 'unchanged' | 'missing'> {
  return db.transaction(async (tx) => {
    const [division] = await tx.select({ id: divisions.id }).from(divisions).where(and(eq(divisions.accountId, actor.accountId), eq(divisions.id, divisionId)));
    const [person] = await tx.select({ license: persons.license }).from(persons).where(and(eq(persons.accountId, actor.accountId), eq(persons.id, personId)));
    if (!division || !person || person.license === 'none') return 'missing';
    const where = and(eq(divisionGrants.accountId, actor.accountId), eq(divisionGrants.personId, personId), eq(divisionGrants.divisionId, divisionId));
    const before = (await tx.select({ permission: divisionGrants.permission }).from(divisionGrants).where(where)).map((r) => r.permission).sort();
    const after = [...permissions].sort();
    if (before.join() === after.join()) return 'unchanged';
    await tx.delete(divisionGrants).where(where);
    if (after.length) await tx.insert(divisionGrants).values(after.map((permission) => ({ accountId: actor.accountId, personId, divisionId, permission })));
    await recordHistory(tx, actor, {
      kind: 'division.permissions',
      subject: { type: 'person', id: personId },
      before: { division: divisionId, permissions: before },
      after: { division: divisionId, permissions: after },
    });
    return 'saved';
  });
}

