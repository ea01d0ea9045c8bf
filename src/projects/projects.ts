/** Creating projects and what the "New project" form needs: the "Create projects" guard and the account's divisions. */
import { and, asc, eq } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import type { Auth } from '../auth/session.js';
import { newId } from '../crypto.js';
import type { Db, Tx } from '../db/client.js';
import { divisions, projectRoles, projects } from '../db/schema.js';
import { type Actor, recordHistory } from '../history/record.js';
import { hasFeature } from '../permissions/editions.js';
import { hasGlobalPermission } from '../permissions/grants.js';
import { requireSignedIn } from '../permissions/guard.js';
import { HttpError } from '../web/http-errors.js';
import { VersionedCache } from '../db/versioned-cache.js';

export const CREATE_PROJECTS_REFUSED =
  'Creating projects needs the permission “Create projects” and a Read & Write license. An administrator can grant it under User management, Global.';

/**
 * Whether the person may create projects: a Read & Write license and the global grant "Create projects" (being an
 * administrator is not enough: administrators get it only by the grant, like everyone else).
 */
export async function canCreateProjects(db: Db, auth: Auth): Promise<boolean> {
  if (auth.person.license !== 'read_write') return false;
  const { yes } = await mayCreate.get(db, auth.account.id, auth.accessVersion, auth.person.id, async () => ({
    yes: await hasGlobalPermission(db, auth.account.id, auth.person.id, 'projects.create'),
  }));
  return yes;
}

/** "Create projects" per person, under the account's access version (global grants are behind it). */
const mayCreate = new VersionedCache<{ yes: boolean }>(2000);

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
 * Creates a project with the creator as the holder of its Managers role and its history entry, in one transaction.
 * `divisionId` must be one of the account's divisions (checked in the same transaction): another account's id, or
 * one that no longer exists, creates nothing. Callers pass null in editions without divisions.
 */
export async function insertProject(db: Db, actor: Actor & { personId: string }, p: { name: string; divisionId: string | null }): Promise<CreateResult> {
  return db.transaction(async (tx) => {
    if (p.divisionId && !(await holdDivision(tx, actor.accountId, p.divisionId))) return { ok: false, field: 'division' } as const;
    const id = newId();
    await tx.insert(projects).values({ id, accountId: actor.accountId, name: p.name, divisionId: p.divisionId, createdBy: actor.personId });
    await tx.insert(projectRoles).values({ accountId: actor.accountId, projectId: id, roleKey: 'managers', personId: actor.personId });
    await recordHistory(tx, actor, {
      kind: 'project.created',
      subject: { type: 'project', id },
      after: { name: p.name },
    });
    return { ok: true, id } as const;
  });
}
