/**
 * User groups (SPEC §6, Enterprise and up): the account's groups, their members (people with a license) and, on
 * deletion, their project role assignments. Every write takes the group's row lock and goes with its history entry
 * in one transaction; every query is scoped to the account (another account's ids find nothing). The permission
 * loader reads group_members live, so a membership change applies at once.
 */
import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import { newId } from '../crypto.js';
import { type Db, rowsOf, type Tx } from '../db/client.js';
import { groupMembers, persons, projectRoles, userGroups } from '../db/schema.js';
import { type Actor, recordHistory } from '../history/record.js';
import { LICENSES } from '../licenses/rules.js';

export interface GroupSummary {
  id: string;
  name: string;
  /** how many people are members */
  members: number;
  /** in how many projects the group holds a role */
  projects: number;
}

type SummaryRow = { id: string; name: string; members: number | string; projects: number | string };
const toSummary = (r: SummaryRow): GroupSummary => ({ id: r.id, name: r.name, members: Number(r.members), projects: Number(r.projects) });

const summaries = (db: Db, accountId: string, id?: string) =>
  db.execute(sql`select g.id, g.name,
      (select count(*) from ${groupMembers} m where m.group_id = g.id) as members,
      (select count(distinct r.project_id) from ${projectRoles} r where r.group_id = g.id) as projects
    from ${userGroups} g where g.account_id = ${accountId}${id ? sql` and g.id = ${id}` : sql``}
    order by lower(g.name), g.id`);

/** The account's groups by name, with their member and project counts: one statement. */
export async function listGroups(db: Db, accountId: string): Promise<GroupSummary[]> {
  return rowsOf<SummaryRow>(await summaries(db, accountId)).map(toSummary);
}

/** One group of the account with its counts; undefined for an unknown id or another account's. */
export async function findGroup(db: Db, accountId: string, id: string): Promise<GroupSummary | undefined> {
  return rowsOf<SummaryRow>(await summaries(db, accountId, id)).map(toSummary)[0];
}

export interface Member {
  id: string;
  name: string;
  email: string;
  license: 'read_write' | 'read_only' | 'none';
  /** "Read & Write", "Read-Only" or "No Access" (a member whose license was taken away keeps nothing through the group) */
  licenseText: string;
}

/** The group's members by name: one statement. */
export async function listMembers(db: Db, accountId: string, groupId: string): Promise<Member[]> {
  const rows = await db
    .select({ id: persons.id, name: persons.name, email: persons.email, license: persons.license })
    .from(groupMembers)
    .innerJoin(persons, eq(persons.id, groupMembers.personId))
    .where(and(eq(groupMembers.accountId, accountId), eq(groupMembers.groupId, groupId)))
    .orderBy(persons.name, persons.id);
  return rows.map((r) => ({ ...r, licenseText: LICENSES[r.license] }));
}

const isUniqueViolation = (err: unknown) => {
  const e = err as { code?: string; cause?: { code?: string } };
  return e?.code === '23505' || e?.cause?.code === '23505';
};

/** The group's row, locked for the rest of the transaction (changes to one group take turns). */
async function lockGroup(tx: Tx, accountId: string, id: string) {
  const [row] = await tx
    .select({ id: userGroups.id, name: userGroups.name })
    .from(userGroups)
    .where(and(eq(userGroups.accountId, accountId), eq(userGroups.id, id)))
    .for('update');
  return row;
}

async function memberIds(tx: Tx, accountId: string, groupId: string): Promise<string[]> {
  const rows = await tx
    .select({ id: groupMembers.personId })
    .from(groupMembers)
    .where(and(eq(groupMembers.accountId, accountId), eq(groupMembers.groupId, groupId)));
  return rows.map((r) => r.id).sort(); // in JavaScript's order, as the lists the history keeps are sorted
}

/** Creates a group; 'taken' when the account has a group of that name in any case. */
export async function createGroup(db: Db, actor: Actor, name: string): Promise<{ id: string } | 'taken'> {
  const id = newId();
  try {
    await db.transaction(async (tx) => {
      await tx.insert(userGroups).values({ id, accountId: actor.accountId, name });
      await recordHistory(tx, actor, { kind: 'group.created', subject: { type: 'group', id }, after: { name } });
    });
    return { id };
  } catch (err) {
    if (isUniqueViolation(err)) return 'taken';
    throw err;
  }
}

/** Renames a group (a new case counts as a change); 'unchanged' writes nothing. */
export async function renameGroup(db: Db, actor: Actor, id: string, name: string): Promise<'renamed' | 'unchanged' | 'taken' | 'missing'> {
  try {
    return await db.transaction(async (tx) => {
      const before = await lockGroup(tx, actor.accountId, id);
      if (!before) return 'missing';
      if (before.name === name) return 'unchanged';
      await tx.update(userGroups).set({ name }).where(and(eq(userGroups.accountId, actor.accountId), eq(userGroups.id, id)));
      await recordHistory(tx, actor, { kind: 'group.renamed', subject: { type: 'group', id }, before: { name: before.name }, after: { name } });
      return 'renamed';
    });
  } catch (err) {
    if (isUniqueViolation(err)) return 'taken';
    throw err;
  }
}

export type AddResult = { ok: true; added: number } | { ok: false; reason: 'missing' | 'unlicensed' };

/**
 * Adds people to a group. All or nothing: every id must be a person of the account with a license (Read & Write
 * or Read-Only), else 'unlicensed' and nothing changes. People already in the group are skipped; one history entry
 * with the member lists before and after, none when nobody was added.
 */
export async function addMembers(db: Db, actor: Actor, id: string, personIds: readonly string[]): Promise<AddResult> {
  return db.transaction(async (tx) => {
    if (!(await lockGroup(tx, actor.accountId, id))) return { ok: false, reason: 'missing' } as const;
    const licensed = await tx
      .select({ id: persons.id })
      .from(persons)
      .where(and(eq(persons.accountId, actor.accountId), inArray(persons.id, [...personIds]), ne(persons.license, 'none')));
    if (licensed.length !== personIds.length) return { ok: false, reason: 'unlicensed' } as const;
    const before = await memberIds(tx, actor.accountId, id);
    const added = await tx
      .insert(groupMembers)
      .values(personIds.map((personId) => ({ accountId: actor.accountId, groupId: id, personId })))
      .onConflictDoNothing()
      .returning({ id: groupMembers.personId });
    if (added.length) {
      const after = [...before, ...added.map((a) => a.id)].sort();
      await recordHistory(tx, actor, { kind: 'group.members', subject: { type: 'group', id }, before: { members: before }, after: { members: after } });
    }
    return { ok: true, added: added.length } as const;
  });
}

/** Removes one member; no `removed` when they were not a member (nothing written). */
export async function removeMember(
  db: Db,
  actor: Actor,
  id: string,
  personId: string,
): Promise<{ ok: true; removed?: { id: string; name: string } } | { ok: false }> {
  return db.transaction(async (tx) => {
    if (!(await lockGroup(tx, actor.accountId, id))) return { ok: false } as const;
    const before = await memberIds(tx, actor.accountId, id);
    if (!before.includes(personId)) return { ok: true } as const;
    const [removed] = await tx
      .delete(groupMembers)
      .where(and(eq(groupMembers.accountId, actor.accountId), eq(groupMembers.groupId, id), eq(groupMembers.personId, personId)))
      .returning({ id: groupMembers.personId });
    const [person] = await tx.select({ name: persons.name }).from(persons).where(eq(persons.id, removed!.id));
    const after = before.filter((m) => m !== personId);
    await recordHistory(tx, actor, { kind: 'group.members', subject: { type: 'group', id }, before: { members: before }, after: { members: after } });
    return { ok: true, removed: { id: personId, name: person?.name ?? '' } } as const;
  });
}

/**
 * Deletes a group with its members rows and every project role it holds, and the history entry, in one
 * transaction. Its members keep their other access. Undefined when it is not the account's.
 */
export async function deleteGroup(db: Db, actor: Actor, id: string): Promise<{ name: string } | undefined> {
  return db.transaction(async (tx) => {
    const group = await lockGroup(tx, actor.accountId, id);
    if (!group) return undefined;
    const members = await memberIds(tx, actor.accountId, id);
    await tx.delete(projectRoles).where(and(eq(projectRoles.accountId, actor.accountId), eq(projectRoles.groupId, id)));
    await tx.delete(groupMembers).where(and(eq(groupMembers.accountId, actor.accountId), eq(groupMembers.groupId, id)));
    await tx.delete(userGroups).where(and(eq(userGroups.accountId, actor.accountId), eq(userGroups.id, id)));
    await recordHistory(tx, actor, { kind: 'group.deleted', subject: { type: 'group', id }, before: { name: group.name, members } });
    return { name: group.name };
  });
}
