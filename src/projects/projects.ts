/**
 * Creating projects and what the "New project" form needs: the "Create projects" guard (and the other global-only
 * grants the project pages ask about), the account's divisions, and createProject (New project, approved requests).
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import type { Auth } from '../auth/session.js';
import { newId } from '../crypto.js';
import type { Db, Tx } from '../db/client.js';
import { divisions, globalGrants, projectRoles, projects } from '../db/schema.js';
import { type Actor, recordHistory } from '../history/record.js';
import { hasFeature } from '../permissions/editions.js';
import { requireSignedIn } from '../permissions/guard.js';
import { HttpError } from '../web/http-errors.js';
import { VersionedCache } from '../db/versioned-cache.js';

export const CREATE_PROJECTS_REFUSED =
  'Creating projects needs the permission “Create projects” and a Read & Write license. An administrator can grant it under User management, Global.';

/** The global-only grants the project pages ask about (SPEC §6, §8). */
const PROJECT_GRANTS = ['projects.create', 'projectRequests.create', 'projectRequests.edit'] as const;
export type ProjectGrant = (typeof PROJECT_GRANTS)[number];

/** The person's PROJECT_GRANTS per person, under the account's access version (global grants are behind it). */
const grantsCache = new VersionedCache<{ keys: ProjectGrant[] }>(2000);

/**
 * Which of "Create projects", "Create project requests" and "Edit project requests" the person holds as global
 * grants, whatever their license (callers apply the license): one statement, none while cached.
 */
export async function projectGrants(db: Db, auth: Auth): Promise<ReadonlySet<ProjectGrant>> {
  const { keys } = await grantsCache.get(db, auth.account.id, auth.accessVersion, auth.person.id, async () => {
    const rows = await db
      .select({ permission: globalGrants.permission })
      .from(globalGrants)
      .where(and(eq(globalGrants.accountId, auth.account.id), eq(globalGrants.personId, auth.person.id), inArray(globalGrants.permission, [...PROJECT_GRANTS])));
    const held = new Set(rows.map((r) => r.permission));
    return { keys: PROJECT_GRANTS.filter((k) => held.has(k)) };
  });
  return new Set(keys);
}

/**
 * Whether the person may create projects: a Read & Write license and the global grant "Create projects" (being an
 * administrator is not enough: administrators get it only by the grant, like everyone else).
 */
export async function canCreateProjects(db: Db, auth: Auth): Promise<boolean> {
  if (auth.person.license !== 'read_write') return false;
  return (await projectGrants(db, auth)).has('projects.create');
}

/** "New project": 403 for everyone without "Create projects". */
export async function requireCreateProjects(db: Db, request: FastifyRequest): Promise<Auth> {
  const auth = requireSignedIn(request);
  if (!(await canCreateProjects(db, auth))) throw new HttpError(403, CREATE_PROJECTS_REFUSED);
  return auth;
}

/** The account's divisions by name for the "Division" select; none in editions without divisions. */
export async function listDivisionOptions(db: Db, auth: Auth): Promise<{ id: string; name: string }[]> {
  if (!hasFeature(auth.account.edition, 'divisions')) return [];
  return db
    .select({ id: divisions.id, name: divisions.name })
    .from(divisions)
    .where(eq(divisions.accountId, auth.account.id))
    .orderBy(asc(divisions.name), asc(divisions.id));
}

/**
 * Whether the division is one of the account's, keeping it (a share lock) until the transaction ends, so a project
 * is never put into a division that is being deleted.
 */
export async function holdDivision(tx: Tx, accountId: string, divisionId: string): Promise<boolean> {
  const [division] = await tx
    .select({ id: divisions.id })
    .from(divisions)
    .where(and(eq(divisions.accountId, accountId), eq(divisions.id, divisionId)))
    .for('share');
  return Boolean(division);
}

export type CreateResult = { ok: true; id: string } | { ok: false; field: 'division' };

/**
 * Creates a project in the caller's transaction: `managerId` holds its Managers role, and its history entry says
 * who created it. `divisionId` must be one of the account's divisions (kept with a share lock until the transaction
 * ends): another account's id, or one that no longer exists, creates nothing. Callers pass null in editions without
 * divisions.
 */
export async function createProject(tx: Tx, actor: Actor, p: { name: string; divisionId: string | null; managerId: string }): Promise<CreateResult> {
  if (p.divisionId && !(await holdDivision(tx, actor.accountId, p.divisionId))) return { ok: false, field: 'division' } as const;
  const id = newId();
  await tx.insert(projects).values({ id, accountId: actor.accountId, name: p.name, divisionId: p.divisionId, createdBy: actor.personId });
  await tx.insert(projectRoles).values({ accountId: actor.accountId, projectId: id, roleKey: 'managers', personId: p.managerId });
  await recordHistory(tx, actor, {
    kind: 'project.created',
    subject: { type: 'project', id },
    after: { name: p.name },
  });
  return { ok: true, id } as const;
}

/** "New project": a project with its creator as the holder of its Managers role (see createProject), in one transaction. */
export async function insertProject(db: Db, actor: Actor & { personId: string }, p: { name: string; divisionId: string | null }): Promise<CreateResult> {
  return db.transaction((tx) => createProject(tx, actor, { ...p, managerId: actor.personId }));
}
