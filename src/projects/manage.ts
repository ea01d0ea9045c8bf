/**
 * The Manage section's rules and queries (SPEC §8): a project's role assignments (people and groups), renaming and
 * moving it to a division, assigning roles with "Add people" and removing assignments. Every write locks the
 * project's row and writes its history entries in the same transaction, none when nothing changed; every query is
 * scoped to the account, so another account's ids find nothing. The permission loader reads project_roles live, so
 * a change applies at once.
 */
import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import { type Db, rowsOf, type Tx } from '../db/client.js';
import { persons, projectRoles, projects, userGroups } from '../db/schema.js';
import { type Actor, recordChanges, recordHistory } from '../history/record.js';
import { contains } from '../people/search.js';
import { holdDivision } from './projects.js';

export interface Assignment {
  id: number;
  role: string;
  personId: string | null;
  groupId: string | null;
  /** the person's or the group's name */
  name: string;
}

/** The project's role assignments, by role and then people before groups, each by name: one statement. */
export async function listAssignments(db: Db, accountId: string, projectId: string): Promise<Assignment[]> {
  const rows = rowsOf<Assignment & { id: number | string }>(
    await db.execute(sql`select a.id, a.role_key as role, a.person_id as "personId", a.group_id as "groupId", coalesce(p.name, g.name, '') as name
      from ${projectRoles} a
      left join ${persons} p on p.id = a.person_id and p.account_id = a.account_id
      left join ${userGroups} g on g.id = a.group_id and g.account_id = a.account_id
      where a.account_id = ${accountId} and a.project_id = ${projectId}
      order by a.role_key, a.group_id is not null, lower(coalesce(p.name, g.name)), a.id`),
  );
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

/** How many people "Add people" lists at once; a search narrows it. */
export const CANDIDATE_LIMIT = 25;

/** People with a license matching the search (name or email), by name, with how many match: one statement. */
export async function listLicensedPeople(db: Db, accountId: string, q: string) {
  const rows = rowsOf<{ id: string; name: string; email: string; total: number | string }>(
    await db.execute(sql`select p.id, p.name, p.email, count(*) over () as total from ${persons} p
      where p.account_id = ${accountId} and p.license <> 'none'${q ? sql` and ${contains(q.toLowerCase())}` : sql``}
      order by p.name, p.id limit ${CANDIDATE_LIMIT}`),
  );
  const total = rows.length ? Number(rows[0]!.total) : 0;
  return { rows: rows.map(({ total: _t, ...p }) => p), total };
}

/** The account's groups by name (for "Add people"): one statement. */
export async function listGroupOptions(db: Db, accountId: string): Promise<{ id: string; name: string }[]> {
  return db
    .select({ id: userGroups.id, name: userGroups.name })
    .from(userGroups)
    .where(eq(userGroups.accountId, accountId))
    .orderBy(sql`lower(${userGroups.name})`, userGroups.id);
}

/**
 * The project's row, locked for the rest of the transaction (changes to one project take turns), with its lock for
 * editing: a lock that committed after the guard looked is seen here, and the change refused.
 */
async function lockProject(tx: Tx, accountId: string, id: string) {
  const [row] = await tx
    .select({ id: projects.id, name: projects.name, divisionId: projects.divisionId, lockedAt: projects.lockedAt })
    .from(projects)
    .where(and(eq(projects.accountId, accountId), eq(projects.id, id)))
    .for('update');
  return row;
}

export type DetailsResult = 'saved' | 'unchanged' | 'missing' | 'locked' | 'no-division';

/**
 * Renames the project and, when `divisionId` is given (editions with divisions; null for "No division"), moves it.
 * A division must be one of the account's (checked in the transaction). One 'project.changed' entry with the
 * fields that changed, none when nothing did.
 */
export async function updateProjectDetails(db: Db, actor: Actor, projectId: string, p: { name: string; divisionId?: string | null }): Promise<DetailsResult> {
  return db.transaction(async (tx) => {
    const before = await lockProject(tx, actor.accountId, projectId);
    if (!before) return 'missing';
    if (before.lockedAt) return 'locked';
    if (p.divisionId && !(await holdDivision(tx, actor.accountId, p.divisionId))) return 'no-division';
    const after = { name: p.name, ...(p.divisionId === undefined ? {} : { division: p.divisionId }) };
    const changed = await recordChanges(tx, actor, 'project.changed', { type: 'project', id: projectId }, { name: before.name, division: before.divisionId }, after);
    if (!changed) return 'unchanged';
    await tx
      .update(projects)
      .set({ name: p.name, ...(p.divisionId === undefined ? {} : { divisionId: p.divisionId }) })
      .where(and(eq(projects.accountId, actor.accountId), eq(projects.id, projectId)));
    return 'saved';
  });
}

export type AddResult = { ok: true; added: number } | { ok: false; reason: 'missing' | 'locked' | 'unlicensed' | 'unknown-group' };

/**
 * Gives the role to people and groups in the project. All or nothing: every person must be one of the account's
 * with a license, every group one of the account's (callers check the role and whether groups are in the edition).
 * What is held already is skipped; one 'project.roles' entry per holder added, none when nobody was.
 */
export async function addHolders(
  db: Db,
  actor: Actor,
  projectId: string,
  role: string,
  holders: { personIds: readonly string[]; groupIds: readonly string[] },
): Promise<AddResult> {
  return db.transaction(async (tx) => {
    const held = await lockProject(tx, actor.accountId, projectId);
    if (!held) return { ok: false, reason: 'missing' } as const;
    if (held.lockedAt) return { ok: false, reason: 'locked' } as const;
    const { personIds, groupIds } = holders;
    if (personIds.length) {
      const licensed = await tx
        .select({ id: persons.id })
        .from(persons)
        .where(and(eq(persons.accountId, actor.accountId), inArray(persons.id, [...personIds]), ne(persons.license, 'none')));
      if (licensed.length !== personIds.length) return { ok: false, reason: 'unlicensed' } as const;
    }
    if (groupIds.length) {
      const known = await tx
        .select({ id: userGroups.id })
        .from(userGroups)
        .where(and(eq(userGroups.accountId, actor.accountId), inArray(userGroups.id, [...groupIds])));
      if (known.length !== groupIds.length) return { ok: false, reason: 'unknown-group' } as const;
    }
    const rows = [...personIds.map((personId) => ({ personId })), ...groupIds.map((groupId) => ({ groupId }))];
    const added = await tx
      .insert(projectRoles)
      .values(rows.map((holder) => ({ accountId: actor.accountId, projectId, roleKey: role, ...holder })))
      .onConflictDoNothing()
      .returning({ personId: projectRoles.personId, groupId: projectRoles.groupId });
    for (const a of added) {
      const after = a.personId ? { role, person: a.personId } : { role, group: a.groupId };
      await recordHistory(tx, actor, { kind: 'project.roles', subject: { type: 'project', id: projectId }, after });
    }
    return { ok: true, added: added.length } as const;
  });
}

/**
 * Removes one assignment of the project (found by id inside the project and the account) with its history entry.
 * Any assignment may go, the last Managers holder too. `removed` is absent when there was no such assignment.
 */
export async function removeAssignment(
  db: Db,
  actor: Actor,
  projectId: string,
  assignmentId: number,
): Promise<{ ok: true; removed?: { role: string; personId: string | null; groupId: string | null } } | { ok: false; reason: 'missing' | 'locked' }> {
  return db.transaction(async (tx) => {
    const held = await lockProject(tx, actor.accountId, projectId);
    if (!held) return { ok: false, reason: 'missing' } as const;
    if (held.lockedAt) return { ok: false, reason: 'locked' } as const;
    const [removed] = await tx
      .delete(projectRoles)
      .where(and(eq(projectRoles.accountId, actor.accountId), eq(projectRoles.projectId, projectId), eq(projectRoles.id, assignmentId)))
      .returning({ role: projectRoles.roleKey, personId: projectRoles.personId, groupId: projectRoles.groupId });
    if (!removed) return { ok: true } as const;
    const before = removed.personId ? { role: removed.role, person: removed.personId } : { role: removed.role, group: removed.groupId };
    await recordHistory(tx, actor, { kind: 'project.roles', subject: { type: 'project', id: projectId }, before });
    return { ok: true, removed } as const;
  });
}
