/**
 * The impact preview (SPEC §6): before a change to a role's permissions or a group's members is saved, how many
 * people gain or lose which permission in how many projects. It resolves every affected (person, project) pair twice,
 * before and after the change, with `grantedKeys` — the resolver's verdict without its explanations, property-tested
 * against resolvePermissions — so the preview can't disagree with what the guards will do.
 */
import { sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../db/client.js';
import type { License } from '../licenses/rules.js';
import { findPermission, isPermissionKey, isProjectPermission, PERMISSIONS, type PermissionKey } from './catalog.js';
import { hasFeature } from './editions.js';
import type { AccessInput, DivisionGrant, RoleAssignment } from './resolve.js';
import { isMoreRole, isRoleKey, type RoleDefinition, type RoleKey } from './roles.js';

/** The permissions the resolver grants for this input (resolvePermissions(input).granted, without the reasons). */
export function grantedKeys(input: AccessInput): Set<PermissionKey> {
  const out = new Set<PermissionKey>();
  if (input.license === 'none') return out;
  const add = (key: PermissionKey) => {
    out.add(key);
    const read = findPermission(key).implies;
    if (read) out.add(read);
  };
  for (const key of input.globalGrants) add(key);
  if (hasFeature(input.edition, 'divisions') && input.project.divisionId !== null) {
    for (const g of input.divisionGrants) if (g.divisionId === input.project.divisionId && isProjectPermission(g.permission)) add(g.permission);
  }
  for (const a of input.roleAssignments) {
    if (isMoreRole(a.role) && !hasFeature(input.edition, 'moreRoles')) continue;
    if (a.via && !hasFeature(input.edition, 'groups')) continue;
    for (const key of input.roles.find((r) => r.key === a.role)?.permissions ?? []) if (isProjectPermission(key)) add(key);
  }
  if (input.license === 'read_only') for (const key of [...out]) if (findPermission(key).kind === 'edit') out.delete(key);
  return out;
}

export interface PermissionImpact {
  key: PermissionKey;
  label: string;
  gained: { people: number; projects: number };
  lost: { people: number; projects: number };
}

export interface ImpactSummary {
  /** people whose access changes in at least one project */
  people: number;
  /** projects where somebody's access changes */
  projects: number;
  /** the permissions somebody gains or loses, in catalog order */
  changes: PermissionImpact[];
  /** (person, project) pairs looked at */
  pairs: number;
}

export interface AffectedPair {
  personId: string;
  projectId: string;
  before: AccessInput;
  after: AccessInput;
}

/** Compares every affected pair's access before and after, and counts who gains and loses what, where. */
export function summarizeImpact(pairs: Iterable<AffectedPair>): ImpactSummary {
  const tally = new Map<PermissionKey, { gained: [Set<string>, Set<string>]; lost: [Set<string>, Set<string>] }>();
  const people = new Set<string>();
  const projects = new Set<string>();
  let count = 0;
  for (const pair of pairs) {
    count++;
    const before = grantedKeys(pair.before);
    const after = grantedKeys(pair.after);
    const note = (key: PermissionKey, way: 'gained' | 'lost') => {
      let t = tally.get(key);
      if (!t) tally.set(key, (t = { gained: [new Set(), new Set()], lost: [new Set(), new Set()] }));
      t[way][0].add(pair.personId);
      t[way][1].add(pair.projectId);
      people.add(pair.personId);
      projects.add(pair.projectId);
    };
    for (const key of after) if (!before.has(key)) note(key, 'gained');
    for (const key of before) if (!after.has(key)) note(key, 'lost');
  }
  const changes = PERMISSIONS.filter((p) => tally.has(p.key)).map((p) => {
    const t = tally.get(p.key)!;
    return { key: p.key, label: p.label, gained: { people: t.gained[0].size, projects: t.gained[1].size }, lost: { people: t.lost[0].size, projects: t.lost[1].size } };
  });
  return { people: people.size, projects: projects.size, changes, pairs: count };
}

interface PairRow {
  personId: string;
  projectId: string;
  divisionId: string | null;
  license: License;
  globalGrants: string[] | null;
  divisionGrants: { divisionId: string; divisionName: string; permission: string }[] | null;
  assignments: { role: string; groupId: string | null; groupName: string | null }[] | null;
}

/**
 * Every (person, project) pair the holders select, with everything that decides the person's access in the project:
 * one statement. `holders` is a SQL query of (person_id, project_id) rows.
 */
async function loadPairs(db: Db, accountId: string, holders: ReturnType<typeof sql>): Promise<PairRow[]> {
  return rowsOf<PairRow>(
    await db.execute(sql`with pairs as (select distinct person_id, project_id from (${holders}) h)
      select pairs.person_id as "personId", pairs.project_id as "projectId", pr.division_id as "divisionId", p.license,
        (select json_agg(g.permission) from global_grants g where g.account_id = ${accountId} and g.person_id = pairs.person_id) as "globalGrants",
        (select json_agg(json_build_object('divisionId', dg.division_id, 'divisionName', '', 'permission', dg.permission))
           from division_grants dg where dg.account_id = ${accountId} and dg.person_id = pairs.person_id and dg.division_id = pr.division_id) as "divisionGrants",
        (select json_agg(json_build_object('role', a.role_key, 'groupId', a.group_id, 'groupName', ''))
           from project_roles a where a.account_id = ${accountId} and a.project_id = pairs.project_id
             and (a.person_id = pairs.person_id or exists (select 1 from group_members m where m.group_id = a.group_id and m.person_id = pairs.person_id))) as assignments
      from pairs
      join persons p on p.id = pairs.person_id and p.account_id = ${accountId}
      join projects pr on pr.id = pairs.project_id and pr.account_id = ${accountId}`),
  );
}

function inputOf(edition: AccessInput['edition'], roles: readonly RoleDefinition[], row: PairRow): AccessInput {
  return {
    edition,
    license: row.license,
    globalGrants: (row.globalGrants ?? []).filter(isPermissionKey),
    divisionGrants: (row.divisionGrants ?? []).flatMap((g): DivisionGrant[] => (isPermissionKey(g.permission) ? [{ ...g, permission: g.permission }] : [])),
    project: { id: row.projectId, divisionId: row.divisionId },
    roleAssignments: (row.assignments ?? []).flatMap((a): RoleAssignment[] =>
      isRoleKey(a.role) ? [{ role: a.role, via: a.groupId ? { groupId: a.groupId, groupName: a.groupName ?? '' } : null }] : [],
    ),
    roles,
  };
}

/** What changing a role's permissions to `proposed` would do: every holder of the role, directly or through a group. */
export async function roleImpact(
  db: Db,
  account: { id: string; edition: AccessInput['edition'] },
  roles: readonly RoleDefinition[],
  role: RoleKey,
  proposed: readonly PermissionKey[],
): Promise<ImpactSummary> {
  const rows = await loadPairs(
    db,
    account.id,
    sql`select a.person_id, a.project_id from project_roles a where a.account_id = ${account.id} and a.role_key = ${role} and a.person_id is not null
        union all
        select m.person_id, a.project_id from project_roles a join group_members m on m.group_id = a.group_id
        where a.account_id = ${account.id} and a.role_key = ${role}`,
  );
  const after = roles.map((r) => (r.key === role ? { ...r, permissions: [...proposed] } : r));
  return summarizeImpact(rows.map((row) => ({ personId: row.personId, projectId: row.projectId, before: inputOf(account.edition, roles, row), after: inputOf(account.edition, after, row) })));
}

/**
 * What changing a group's members would do: the people added gain, and the people removed lose, the group's roles in
 * its projects (unless they hold the same permissions another way). Two statements.
 */
export async function groupMembersImpact(
  db: Db,
  account: { id: string; edition: AccessInput['edition'] },
  roles: readonly RoleDefinition[],
  group: { id: string; name: string },
  change: { add: readonly string[]; remove: readonly string[] },
): Promise<ImpactSummary> {
  const people = [...new Set([...change.add, ...change.remove])];
  if (people.length === 0) return summarizeImpact([]);
  const groupRoles = rowsOf<{ projectId: string; role: string }>(
    await db.execute(sql`select project_id as "projectId", role_key as role from project_roles where account_id = ${account.id} and group_id = ${group.id}`),
  );
  if (groupRoles.length === 0) return summarizeImpact([]);
  const rows = await loadPairs(
    db,
    account.id,
    sql`select p.id as person_id, a.project_id from project_roles a cross join persons p
        where a.account_id = ${account.id} and a.group_id = ${group.id} and p.account_id = ${account.id}
          and p.id in (${sql.join(people.map((id) => sql`${id}`), sql`, `)})`,
  );
  const adding = new Set(change.add);
  const via = { groupId: group.id, groupName: group.name };
  return summarizeImpact(
    rows.map((row) => {
      const current = inputOf(account.edition, roles, row);
      const without = { ...current, roleAssignments: current.roleAssignments.filter((a) => a.via?.groupId !== group.id) };
      const held = groupRoles.filter((g) => g.projectId === row.projectId && isRoleKey(g.role)).map((g): RoleAssignment => ({ role: g.role as RoleKey, via }));
      const withGroup = { ...without, roleAssignments: [...without.roleAssignments, ...held] };
      return adding.has(row.personId)
        ? { personId: row.personId, projectId: row.projectId, before: without, after: withGroup }
        : { personId: row.personId, projectId: row.projectId, before: withGroup, after: without };
    }),
  );
}
