/**
 * The guard of every section of a project (SPEC §6, §8), shared by their pages and edit routes:
 * - a section's page (and any URL inside it) answers the projects' 404 to someone who can't read the section;
 * - an edit answers 403 to someone who can read but not edit (a Read-Only license cuts every edit);
 * - in a locked project, every edit answers 403 with a page that says since when and by whom it is locked, except
 *   unlocking by someone with "Lock project for editing" (that route checks only the permission).
 * The verdicts come from the resolved access (src/permissions/resolve.ts) that the navigation shows, so a page never
 * offers what its route refuses.
 */
import { and, eq } from 'drizzle-orm';
import type { Auth } from '../auth/session.js';
import type { Db } from '../db/client.js';
import { persons } from '../db/schema.js';
import { findPermission, type PermissionKey, type SectionKey } from '../permissions/catalog.js';
import { READ_ONLY_REFUSED } from '../permissions/guard.js';
import { loadProjectAccess, type ProjectRow } from '../permissions/load.js';
import { canRead, has, type ResolvedAccess, seesProject, visibleSections } from '../permissions/resolve.js';
import { formatDate } from '../people/person-page.js';
import { HttpError } from '../web/http-errors.js';
import { sectionLinks } from './sections.js';

/** Unknown, another account's, or not visible to this person: one and the same 404, so nothing leaks. */
export const projectNotFound = () => new HttpError(404, 'There is no project at this address, or you don’t have access to it.');

/** A lock as the pages show it: since when, and by whom ("Deleted person" once its author is gone). */
export interface LockInfo {
  since: string;
  byName: string;
}

/** A project seen by the signed-in person: the project, their resolved access in it, and its lock. */
export interface ProjectContext {
  auth: Auth;
  project: ProjectRow;
  access: ResolvedAccess;
  lock: LockInfo | null;
}

/** The lock's author's current name: one statement, only for a locked project. */
async function lockOf(db: Db, auth: Auth, project: ProjectRow): Promise<LockInfo | null> {
  if (!project.lockedAt) return null;
  const [who] = project.lockedBy
    ? await db
        .select({ name: persons.name })
        .from(persons)
        .where(and(eq(persons.accountId, auth.account.id), eq(persons.id, project.lockedBy)))
    : [];
  return { since: formatDate(new Date(project.lockedAt)), byName: who?.name ?? 'Deleted person' };
}

/**
 * A project the person sees (and, when given, a section they can read); the projects' 404 otherwise. `version`: the
 * access version the access may be cached under (see loadProjectAccess).
 */
export async function readProject(db: Db, auth: Auth, projectId: string, section?: SectionKey, version = auth.accessVersion): Promise<ProjectContext> {
  const loaded = await loadProjectAccess(db, auth, projectId, auth.person, version);
  if (!loaded || !seesProject(loaded.access)) throw projectNotFound();
  if (section && !canRead(loaded.access, section)) throw projectNotFound();
  return { auth, project: loaded.project, access: loaded.access, lock: await lockOf(db, auth, loaded.project) };
}

/** Whether the person may use `permission` in the project now: a Read & Write license, the permission, no lock. */
export function mayEdit(ctx: ProjectContext, permission: PermissionKey): boolean {
  return ctx.auth.person.license === 'read_write' && has(ctx.access, permission) && !ctx.lock;
}

/** The text of the locked project's 403 page, and of the note on its pages. */
export function lockedMessage(lock: LockInfo): string {
  return `This project was locked for editing by ${lock.byName} on ${lock.since}. Nothing in it can be changed until someone with “Lock project for editing” unlocks it.`;
}

/** The 403 of a person who can read but lacks every one of `permissions` (a Read-Only license says so). */
export function editRefused(ctx: ProjectContext, permissions: readonly PermissionKey[]): HttpError {
  if (ctx.auth.person.license !== 'read_write') return new HttpError(403, READ_ONLY_REFUSED);
  const names = permissions.map((p) => `“${findPermission(p).label}”`).join(' or ');
  return new HttpError(403, `This change needs the permission ${names} in this project. Ask someone who manages the project.`);
}

/**
 * An edit in a project: the projects' 404 unless the person can read `section`; 403 unless they hold at least one of
 * `permissions` with a Read & Write license; 403 "This project is locked" while the project is locked.
 * Callers that need a finer rule (own or any comment, own or any time entry) pass every permission that can allow
 * the edit here and decide between them with mayEdit.
 */
export async function editProject(db: Db, auth: Auth, projectId: string, section: SectionKey, permissions: readonly PermissionKey[]): Promise<ProjectContext> {
  // the check before the change: under the version read with the session, as a GET's (the change itself re-checks
  // the lock inside its transaction)
  return requireEdit(await readProject(db, auth, projectId, section, auth.accessVersionAtStart), permissions);
}

/**
 * editProject's checks on a project already read (for a change whose permissions depend on the row it names, such
 * as one's own or anyone's comment): 403 unless one of `permissions` with a Read & Write license; 403 while locked.
 */
export function requireEdit(ctx: ProjectContext, permissions: readonly PermissionKey[]): ProjectContext {
  if (ctx.auth.person.license !== 'read_write' || !permissions.some((p) => has(ctx.access, p))) throw editRefused(ctx, permissions);
  if (ctx.lock) throw lockedError(ctx.lock);
  return ctx;
}

/** The locked project's 403 page. */
export const lockedError = (lock: LockInfo) => new HttpError(403, lockedMessage(lock), 'This project is locked');

/** What every page of a project shows above its contents: the navigation (readable sections only) and the lock. */
export function projectFrame(ctx: ProjectContext, current?: SectionKey) {
  const sections = visibleSections(ctx.access);
  const here = current && sections.find((s) => s.key === current);
  return {
    title: here ? `${here.name} – ${ctx.project.name}` : ctx.project.name,
    project: ctx.project,
    sectionName: here?.name,
    sectionLinks: sectionLinks(ctx.project.id, sections, current),
    lockNote: ctx.lock ? lockedMessage(ctx.lock) : null,
  };
}
