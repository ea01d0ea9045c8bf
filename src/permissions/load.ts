/**
 * Loading what the resolver needs (resolve.ts) from the database: a fixed number of statements whatever the number
 * of projects, roles, groups and assignments. Stored values outside the catalog (a permission key a later version
 * dropped, a role key that is not one) are ignored rather than trusted.
 */
import { sql } from 'drizzle-orm';
import type { Auth } from '../auth/session.js';
import { type Db, preparedRows } from '../db/client.js';
import { VersionedCache } from '../db/versioned-cache.js';
import { isPermissionKey, type PermissionKey } from './catalog.js';
import type { Edition } from './editions.js';
import { type AccessInput, type DivisionGrant, type ResolvedAccess, resolvePermissions, type RoleAssignment } from './resolve.js';
import { isRoleKey, type RoleDefinition, ROLE_KEYS } from './roles.js';

const keys = (values: unknown): PermissionKey[] => (Array.isArray(values) ? values.filter((v): v is PermissionKey => typeof v === 'string' && isPermissionKey(v)) : []);

interface StoredRole {
  key: string;
  name: string;
  visible: boolean;
  permissions: unknown;
}

/** The account's roles as stored (names, visibility, permissions), in the Roles tab's order. */
export function toRoleDefinitions(stored: readonly StoredRole[] | null): RoleDefinition[] {
  const byKey = new Map((stored ?? []).filter((r) => isRoleKey(r.key)).map((r) => [r.key, r]));
  return ROLE_KEYS.flatMap((key) => {
    const r = byKey.get(key);
    return r ? [{ key, name: r.name, visible: r.visible, permissions: keys(r.permissions) }] : [];
  });
}

/** The roles with their permissions as one json column (used by the statements below). */
const ROLES_JSON = () => sql`(select json_agg(json_build_object('key', ro.key, 'name', ro.name, 'visible', ro.visible,
    'permissions', coalesce((select json_agg(rp.permission) from role_permissions rp
                             where rp.account_id = ro.account_id and rp.role_key = ro.key), '[]'::json)))
  from roles ro where ro.account_id = ${sql.placeholder('account')})`;

const cachedRoles = new VersionedCache<{ roles: readonly RoleDefinition[] }>(1000);

/**
 * The account's ten roles with their permissions: one statement, none when cached. `accessVersion` is the one read
 * with the session (roles and role_permissions stamp it when they change): given, the roles may come from the cache
 * under it; undefined, they are always read.
 */
export async function loadRoles(db: Db, accountId: string, accessVersion?: string | null): Promise<readonly RoleDefinition[]> {
  const { roles } = await cachedRoles.get(db, accountId, accessVersion, 'roles', async () => {
    const run = preparedRows<{ roles: StoredRole[] | null }>(db, 'permissions_roles', () => sql`select ${ROLES_JSON()} as roles`);
    const [row] = await run({ account: accountId });
    return { roles: toRoleDefinitions(row?.roles ?? null) };
  });
  return roles;
}

export interface ProjectRow {
  id: string;
  name: string;
  divisionId: string | null;
  divisionName: string | null;
  createdAt: string;
  /** "Lock project for editing": when (ISO text) and by whom (a person's id), or null */
  lockedAt: string | null;
  lockedBy: string | null;
}

interface ProjectAccessRow extends ProjectRow {
  globalGrants: unknown;
  divisionGrants: { divisionId: string; divisionName: string; permission: string }[] | null;
  assignments: { role: string; groupId: string | null; groupName: string | null }[] | null;
  roles: StoredRole[] | null;
}

/**
 * One project of the account and everything that decides a person's access in it, in one statement: the project
 * (and its division), the person's global grants, their division grants for the project's division, their roles
 * in the project (directly and through every group they belong to) and the account's role definitions. What the
 * edition or the license cuts is decided by the resolver, not here: the rows are loaded whatever the edition.
 */
export const PROJECT_ACCESS = () => {
  const account = sql.placeholder('account');
  const person = sql.placeholder('person');
  const project = sql.placeholder('project');
  // the person's roles in the project (directly, or through each group they belong to), read once: only the
  // definitions of these roles are loaded
  return sql`with held as (
      select a.role_key, a.group_id, ug.name as group_name from project_roles a
        left join user_groups ug on ug.id = a.group_id and ug.account_id = a.account_id
        where a.account_id = ${account} and a.project_id = ${project} and a.person_id = ${person}
      union all
      select a.role_key, a.group_id, ug.name from group_members m
        join project_roles a on a.group_id = m.group_id and a.account_id = m.account_id
        join user_groups ug on ug.id = a.group_id and ug.account_id = a.account_id
        where m.person_id = ${person} and m.account_id = ${account} and a.project_id = ${project})
    select pr.id, pr.name, pr.division_id as "divisionId", d.name as "divisionName", pr.created_at::text as "createdAt",
    pr.locked_at::text as "lockedAt", pr.locked_by as "lockedBy",
    coalesce((select json_agg(g.permission) from global_grants g where g.account_id = ${account} and g.person_id = ${person}), '[]'::json) as "globalGrants",
    (select json_agg(json_build_object('divisionId', dg.division_id, 'divisionName', d.name, 'permission', dg.permission))
       from division_grants dg where dg.account_id = ${account} and dg.person_id = ${person} and dg.division_id = pr.division_id) as "divisionGrants",
    (select json_agg(json_build_object('role', h.role_key, 'groupId', h.group_id, 'groupName', h.group_name) order by h.role_key, h.group_name) from held h) as assignments,
    (select json_agg(json_build_object('key', ro.key, 'name', ro.name, 'visible', ro.visible,
        'permissions', coalesce((select json_agg(rp.permission) from role_permissions rp
                                 where rp.account_id = ro.account_id and rp.role_key = ro.key), '[]'::json)))
       from roles ro where ro.account_id = ${account} and ro.key in (select role_key from held)) as roles
  from projects pr left join divisions d on d.id = pr.division_id and d.account_id = pr.account_id
  where pr.account_id = ${account} and pr.id = ${project}`;
};

/** The resolver's input from a loaded row (exported for tests). */
export function accessInput(edition: Edition, license: AccessInput['license'], row: ProjectAccessRow): AccessInput {
  const divisionGrants: DivisionGrant[] = (row.divisionGrants ?? []).flatMap((g) =>
    isPermissionKey(g.permission) ? [{ divisionId: g.divisionId, divisionName: g.divisionName, permission: g.permission }] : [],
  );
  const roleAssignments: RoleAssignment[] = (row.assignments ?? []).flatMap((a) =>
    isRoleKey(a.role) ? [{ role: a.role, via: a.groupId ? { groupId: a.groupId, groupName: a.groupName ?? '' } : null }] : [],
  );
  return {
    edition,
    license,
    globalGrants: keys(row.globalGrants),
    divisionGrants,
    project: { id: row.id, divisionId: row.divisionId },
    roleAssignments,
    roles: toRoleDefinitions(row.roles),
  };
}

export interface ProjectAccess {
  project: ProjectRow;
  access: ResolvedAccess;
}

/**
 * Resolved access per (person, license, edition, project), under the account's access version (see
 * accessVersions): a person's grants change only when one of the tables behind them does, and every such change
 * gives the account a new version.
 */
const resolvedAccess = new VersionedCache<{ loaded: ProjectAccess | null }>(2000);

/**
 * A person's resolved access in one of the account's projects (one statement, none when cached), or null when the account has no
 * such project. `person` defaults to the signed-in person; the access explainer passes another person of the account.
 * `version` is the access version it may be cached under: the request's (none on a POST), or the one a change's
 * check before the change uses (see Auth.accessVersionAtStart).
 */
export async function loadProjectAccess(
  db: Db,
  auth: Auth,
  projectId: string,
  person: { id: string; license: AccessInput['license'] } = auth.person,
  version: string | null | undefined = auth.accessVersion,
): Promise<ProjectAccess | null> {
  // ids are short url-safe text; anything else names no project (and never reaches the statement)
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(projectId)) return null;
  const { edition } = auth.account;
  const key = `${person.id}\u0000${person.license}\u0000${edition}\u0000${projectId}`;
  const { loaded } = await resolvedAccess.get(db, auth.account.id, version, key, async () => {
    const run = preparedRows<ProjectAccessRow>(db, 'permissions_project_access', PROJECT_ACCESS);
    const [row] = await run({ account: auth.account.id, person: person.id, project: projectId });
    if (!row) return { loaded: null };
    const { globalGrants: _g, divisionGrants: _d, assignments: _a, roles: _r, ...project } = row;
    return { loaded: { project, access: resolvePermissions(accessInput(edition, person.license, row)) } };
  });
  return loaded;
}
