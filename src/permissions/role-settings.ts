/**
 * The Roles tab of User management (SPEC §6): what its pages show, and the three changes a role takes (its
 * permissions, its name, its visibility), each in one transaction with its history entry.
 */
import { and, eq, ne, sql } from 'drizzle-orm';
import { lockAccount } from '../account/organization.js';
import type { Auth } from '../auth/session.js';
import { type Db, preparedRows, type Tx } from '../db/client.js';
import { roles } from '../db/schema.js';
import { type Actor, recordChanges } from '../history/record.js';
import { emptyForm, type FormState } from '../web/forms.js';
import { findPermission, isPermissionKey, type PermissionKey, PROJECT_PERMISSIONS } from './catalog.js';
import { loadRoles } from './load.js';
import { canHideRole, canRenameRole, hasRole, isRoleKey, listRoleKeys, resolveRole, type RoleDefinition, type RoleKey } from './roles.js';
import { usersTabs } from './tabs.js';
import type { Edition } from './editions.js';

export const ROLES_PATH = '/settings/users/roles';
export const roleUrl = (key: RoleKey, notice?: string) => `${ROLES_PATH}/${key}${notice ? `?notice=${notice}` : ''}`;

/** The project permissions in the catalog's order, as the two groups every Roles page shows. */
export const PERMISSION_GROUPS = [
  { id: 'reading', title: 'Reading permissions', keys: PROJECT_PERMISSIONS.filter((k) => findPermission(k).kind === 'read') },
  { id: 'editing', title: 'Editing permissions', keys: PROJECT_PERMISSIONS.filter((k) => findPermission(k).kind === 'edit') },
].map((g) => ({ ...g, permissions: g.keys.map((key) => ({ key, label: findPermission(key).label })) }));

/** The role key of an address, when the edition has that role; null otherwise (the routes answer 404). */
export function roleKeyIn(edition: Edition, key: string): RoleKey | null {
  return isRoleKey(key) && hasRole(edition, key) ? key : null;
}

const canEdit = (auth: Auth) => auth.person.license === 'read_write';

/** /settings/users/roles: every role of the edition against every project permission (one statement). */
export async function rolesOverviewData(db: Db, auth: Auth) {
  const edition = auth.account.edition;
  const stored = new Map((await loadRoles(db, auth.account.id, auth.accessVersion)).map((r) => [r.key, r]));
  const columns = listRoleKeys(edition).flatMap((key) => {
    const role = stored.get(key);
    if (!role) return [];
    const shown = resolveRole(edition, role);
    return [{ key, name: shown.name, visible: shown.visible, url: roleUrl(key), has: new Set(role.permissions) }];
  });
  const groups = PERMISSION_GROUPS.map((g) => ({
    ...g,
    rows: g.permissions.map((p) => ({ ...p, cells: columns.map((c) => c.has.has(p.key)) })),
  }));
  return { title: 'Roles – User management', tabs: usersTabs(edition, 'roles'), canEdit: canEdit(auth), columns, groups };
}

export interface RolePageForms {
  permissions?: FormState;
  name?: FormState;
  visible?: FormState;
}

/** The role as the page shows it, with the state of its three forms. */
export function roleView(edition: Edition, role: RoleDefinition, forms: RolePageForms = {}) {
  const shown = resolveRole(edition, role);
  const values = Object.fromEntries(role.permissions.map((k) => [k, true]));
  return {
    role: { key: role.key, name: shown.name, visible: shown.visible, url: roleUrl(role.key) },
    canRename: canRenameRole(edition, role.key),
    canHide: canHideRole(edition, role.key),
    groups: PERMISSION_GROUPS,
    // switches always show what is saved (a refused change leaves them as they were); a refused name is shown as typed
    permissionsForm: { ...(forms.permissions ?? emptyForm()), values },
    nameForm: forms.name ?? emptyForm({ name: shown.name }),
    visibleForm: { ...(forms.visible ?? emptyForm()), values: { visible: shown.visible } },
  };
}

/** /settings/users/roles/:role (one statement); null when the account has no such role. */
export async function rolePageData(db: Db, auth: Auth, key: RoleKey, forms: RolePageForms = {}) {
  const role = (await loadRoles(db, auth.account.id, auth.accessVersion)).find((r) => r.key === key);
  if (!role) return null;
  const view = roleView(auth.account.edition, role, forms);
  const summary = [...(forms.permissions?.summary ?? []), ...(forms.name?.summary ?? []), ...(forms.visible?.summary ?? [])];
  return {
    title: `${view.role.name} – Roles – User management`,
    tabs: usersTabs(auth.account.edition, 'roles'),
    canEdit: canEdit(auth),
    ...view,
    form: { values: {}, errors: {}, summary },
  };
}

/** The role's row, locked for the change (so two saves of one role follow each other); undefined when missing. */
async function lockRole(tx: Tx, accountId: string, key: RoleKey) {
  const [row] = await tx.select().from(roles).where(and(eq(roles.accountId, accountId), eq(roles.key, key))).for('update');
  return row;
}

const inCatalogOrder = (keys: Iterable<string>): PermissionKey[] => {
  const set = new Set(keys);
  return PROJECT_PERMISSIONS.filter((k) => set.has(k));
};

export interface PermissionsChange {
  role: RoleDefinition;
  added: PermissionKey[];
  removed: PermissionKey[];
}

/** Replaces the role's permissions with `permissions` (project permissions), with a history entry when they changed. */
export async function updateRolePermissions(db: Db, actor: Actor, key: RoleKey, permissions: readonly PermissionKey[]): Promise<PermissionsChange | null> {
  // one round trip: accord_set_role_permissions (migration 0014) locks the role, reads its permissions, deletes the
  // ones turned off (stored keys outside the catalog or global-only ones go too), inserts the ones turned on and
  // writes the 'role.permissions' entry with the lists before and after in catalog order, when they differ
  const after = inCatalogOrder(permissions);
  const run = preparedRows<{ role_name: string; role_visible: boolean; before_permissions: string[] }>(
    db,
    'role_permissions_set',
    () => sql`select role_name, role_visible, before_permissions from accord_set_role_permissions(${sql.placeholder('account')}, ${sql.placeholder('role')},
      ${sql.placeholder('after')}::text[], ${sql.placeholder('catalog')}::text[], ${sql.placeholder('actor')})`,
  );
  const [row] = await run({ account: actor.accountId, role: key, after, catalog: PROJECT_PERMISSIONS, actor: actor.personId });
  if (!row) return null;
  const before = row.before_permissions.filter(isPermissionKey);
  return {
    role: { key, name: row.role_name, visible: row.role_visible, permissions: after },
    added: after.filter((k) => !before.includes(k)),
    removed: before.filter((k) => !after.includes(k)),
  };
}

export type RenameResult = { ok: true; role: RoleDefinition } | { ok: false; reason: 'not-found' | 'taken' };

export const NAME_TAKEN = 'Another role already has this name: choose a different one';

/**
 * Renames a role. Names are unique in the account whatever their case; the account row is locked first, so two
 * renames can't both take one name.
 */
export async function renameRole(db: Db, actor: Actor, key: RoleKey, name: string): Promise<RenameResult> {
  return db.transaction(async (tx) => {
    await lockAccount(tx, actor.accountId);
    const row = await lockRole(tx, actor.accountId, key);
    if (!row) return { ok: false, reason: 'not-found' } as const;
    const [taken] = await tx
      .select({ key: roles.key })
      .from(roles)
      .where(and(eq(roles.accountId, actor.accountId), ne(roles.key, key), sql`lower(${roles.name}) = lower(${name})`));
    if (taken) return { ok: false, reason: 'taken' } as const;
    await tx.update(roles).set({ name }).where(and(eq(roles.accountId, actor.accountId), eq(roles.key, key)));
    await recordChanges(tx, actor, 'role.renamed', { type: 'role', id: key }, { name: row.name }, { name });
    return { ok: true, role: { key, name, visible: row.visible, permissions: [] } } as const;
  });
}

/** Shows or hides a role (a hidden role can't be newly assigned; existing assignments keep their permissions). */
export async function setRoleVisible(db: Db, actor: Actor, key: RoleKey, visible: boolean): Promise<RoleDefinition | null> {
  return db.transaction(async (tx) => {
    const row = await lockRole(tx, actor.accountId, key);
    if (!row) return null;
    await tx.update(roles).set({ visible }).where(and(eq(roles.accountId, actor.accountId), eq(roles.key, key)));
    await recordChanges(tx, actor, 'role.visibility', { type: 'role', id: key }, { visible: row.visible }, { visible });
    return { key, name: row.name, visible, permissions: [] };
  });
}

const labels = (keys: readonly PermissionKey[]) => keys.map((k) => findPermission(k).label).join(', ');

/** What the live region says after a save of the permissions: what the role gained and lost. */
export function permissionsSavedText(name: string, change: Pick<PermissionsChange, 'added' | 'removed'>): string {
  const parts: string[] = [];
  if (change.added.length) parts.push(`${name} can now: ${labels(change.added)}.`);
  if (change.removed.length) parts.push(`${name} can no longer: ${labels(change.removed)}.`);
  return `Saved. ${parts.length ? parts.join(' ') : `No change to the permissions of ${name}.`}`;
}
