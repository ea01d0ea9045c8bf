/** What the Manage section shows (SPEC §8): its guards, the page's data, the search results and the notices. */
import type { Auth } from '../auth/session.js';
import type { Db } from '../db/client.js';
import { hasFeature } from '../permissions/editions.js';
import { isAdmin } from '../permissions/guard.js';
import { loadRoles } from '../permissions/load.js';
import { has } from '../permissions/resolve.js';
import { canAssignRole, listRoleKeys, resolveRole, ROLE_KEYS, type RoleDefinition } from '../permissions/roles.js';
import { emptyForm, type FormState } from '../web/forms.js';
import type { HolderQuery } from './manage-forms.js';
import { type Assignment, listAssignments, listGroupOptions, listLicensedPeople } from './manage.js';
import { listDivisionOptions } from './projects.js';
import { editProject, editRefused, mayEdit, type ProjectContext, projectFrame, readProject } from './section-access.js';

/**
 * The project seen from its Manage page, and what the person may do there: change its details and role assignments
 * ("Edit manage page"), lock or unlock it ("Lock project for editing": unlocking is the one change a locked project
 * allows), delete it ("Delete projects"). All need a Read & Write license; all but unlocking an unlocked project.
 */
export interface ManageAccess extends ProjectContext {
  canEdit: boolean;
  canLock: boolean;
  canDelete: boolean;
}

function manageRights(ctx: ProjectContext): ManageAccess {
  const canLock = ctx.auth.person.license === 'read_write' && has(ctx.access, 'project.lock');
  return { ...ctx, canEdit: mayEdit(ctx, 'manage.edit'), canLock, canDelete: mayEdit(ctx, 'project.delete') };
}

/** The project and what the person may do on its Manage page (one statement, two when locked); 404 without "Read manage page". */
export async function findManageAccess(db: Db, auth: Auth, projectId: string): Promise<ManageAccess> {
  return manageRights(await readProject(db, auth, projectId, 'manage'));
}

/** The same, for a change of details or role assignments: 403 without "Edit manage page" (or Read-Only), 403 while locked. */
export async function requireManageEdit(db: Db, auth: Auth, projectId: string): Promise<ManageAccess> {
  return manageRights(await editProject(db, auth, projectId, 'manage', ['manage.edit']));
}

/** The same, to lock or unlock: 403 without "Lock project for editing" (or Read-Only); a lock doesn't stop it. */
export async function requireLockRight(db: Db, auth: Auth, projectId: string): Promise<ManageAccess> {
  const found = await findManageAccess(db, auth, projectId);
  if (!found.canLock) throw editRefused(found, ['project.lock']);
  return found;
}

/** The Manage page's address, with the search and a notice when given. */
export function manageUrl(projectId: string, q = '', notice?: string): string {
  const params = new URLSearchParams();
  if (q) params.set('q', q);
  if (notice) params.set('notice', notice);
  const query = params.toString();
  return `/projects/${encodeURIComponent(projectId)}/manage${query ? `?${query}` : ''}`;
}

/** What locking and unlocking say, after a 303 and announced after an htmx swap. */
export const LOCK_ANNOUNCEMENTS = {
  locked: 'Locked. Nothing in the project can be changed until someone with “Lock project for editing” unlocks it.',
  alreadyLocked: 'Nothing changed: the project was locked already.',
  unlocked: 'Unlocked. The project can be changed again.',
  alreadyUnlocked: 'Nothing changed: the project was not locked.',
};

/** The confirmations after a 303 (`?notice=key`): only these keys. */
const NOTICES: Record<string, string> = {
  'project-saved': 'Saved. The project’s details are changed.',
  'project-unchanged': 'Nothing changed: the project already had these details.',
  'roles-added': 'Saved. The selected people and groups hold the role now.',
  'roles-unchanged': 'Nothing changed: the selected people and groups hold the role already.',
  'role-removed': 'Saved. The role assignment is removed.',
  'role-not-found': 'Nothing changed: that role assignment was removed already.',
  'project-locked': LOCK_ANNOUNCEMENTS.locked,
  'project-already-locked': LOCK_ANNOUNCEMENTS.alreadyLocked,
  'project-unlocked': LOCK_ANNOUNCEMENTS.unlocked,
  'project-already-unlocked': LOCK_ANNOUNCEMENTS.alreadyUnlocked,
};

/** The notice to show, as a template local (only our keys, so the layout's own notices still work). */
export function manageNotice(query: unknown): { notice?: string } {
  const key = (query as { notice?: unknown } | undefined)?.notice;
  return typeof key === 'string' && Object.hasOwn(NOTICES, key) ? { notice: NOTICES[key] } : {};
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function candidatesText(q: string, shown: number, total: number): string {
  if (total === 0) return q ? `No one with a license matches “${q}”.` : 'No one in your organization has a license.';
  const narrow = 'Search by name or email to narrow the list.';
  if (shown < total) return `Showing ${shown} of ${total} people with a license${q ? ` who match “${q}”` : ''}. ${narrow}`;
  return q ? `${plural(total, 'person', 'people')} with a license ${total === 1 ? 'matches' : 'match'} “${q}”.` : `${plural(total, 'person', 'people')} with a license.`;
}

/** The people "Add people" lists for a search (an htmx search gets only these). */
export async function candidatesData(db: Db, auth: Auth, search: HolderQuery) {
  const found = await listLicensedPeople(db, auth.account.id, search.q);
  return { q: search.q, candidates: found.rows, candidatesText: candidatesText(search.q, found.rows.length, found.total) };
}

/** The roles as the edition shows them, and those that may be newly assigned (never hidden ones). */
export function roleChoices(auth: Auth, roles: readonly RoleDefinition[]) {
  const edition = auth.account.edition;
  const shown = new Map(roles.map((r) => [r.key, resolveRole(edition, r)]));
  const assignable = listRoleKeys(edition).flatMap((key) => {
    const role = shown.get(key);
    return role && canAssignRole(edition, role) ? [role] : [];
  });
  return { shown, assignable };
}

/** The assignments grouped by role, in the Roles tab's order; holders of a hidden role marked. */
function assignmentGroups(found: ManageAccess, rows: readonly Assignment[], shown: ReturnType<typeof roleChoices>['shown']) {
  const { auth, project } = found;
  const admin = isAdmin(auth);
  return ROLE_KEYS.flatMap((key) => {
    const holders = rows.filter((r) => r.role === key);
    if (!holders.length) return [];
    const role = shown.get(key);
    return [
      {
        key,
        name: role?.name ?? key,
        hidden: !role?.visible,
        holders: holders.map((h) => ({
          id: h.id,
          label: h.groupId ? `Group: ${h.name}` : h.name,
          explainUrl: admin && h.personId ? `/settings/users/access?person=${encodeURIComponent(h.personId)}&project=${encodeURIComponent(project.id)}` : undefined,
        })),
      },
    ];
  });
}

export interface ManageForms {
  details?: FormState;
  add?: FormState;
}

/** The Manage page: the project found by the guard, then its roles, assignments and (to editors) the choices. */
export async function managePageData(db: Db, found: ManageAccess, search: HolderQuery, forms: ManageForms = {}) {
  const { auth, project, canEdit } = found;
  const withDivisions = hasFeature(auth.account.edition, 'divisions');
  const withGroups = hasFeature(auth.account.edition, 'groups');
  const [roles, rows, divisions, groups, candidates] = await Promise.all([
    loadRoles(db, auth.account.id, auth.accessVersion),
    listAssignments(db, auth.account.id, project.id),
    canEdit && withDivisions ? listDivisionOptions(db, auth) : [],
    canEdit && withGroups ? listGroupOptions(db, auth.account.id) : [],
    canEdit ? candidatesData(db, auth, search) : { q: search.q, candidates: [], candidatesText: '' },
  ]);
  const choices = roleChoices(auth, roles);
  const details = forms.details ?? emptyForm({ name: project.name, division: project.divisionId ?? '' });
  const add = forms.add ?? emptyForm({ role: 'team' });
  return {
    ...projectFrame(found, 'manage'),
    canEdit,
    canLock: found.canLock,
    canDelete: found.canDelete,
    locked: Boolean(found.lock),
    isAdmin: isAdmin(auth),
    withDivisions,
    withGroups,
    assignments: assignmentGroups(found, rows, choices.shown),
    roleNames: Object.fromEntries([...choices.shown].map(([key, r]) => [key, r.name])) as Record<string, string>,
    roleOptions: Object.fromEntries(choices.assignable.map((r) => [r.key, r.name])),
    divisionOptions: { '': 'No division', ...Object.fromEntries(divisions.map((d) => [d.id, d.name])) },
    groups,
    ...candidates,
    details,
    add,
    form: { values: {}, errors: {}, summary: [...details.summary, ...add.summary] },
  };
}
