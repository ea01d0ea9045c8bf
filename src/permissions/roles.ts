/**
 * Project roles (SPEC §6): their keys, default names, which exist in which edition, what a new account starts with,
 * and the pure rules for renaming, hiding and assigning them. Role permissions are project permissions and apply in
 * every project where the role is held.
 */
import { PROJECT_PERMISSIONS, type PermissionKey } from './catalog.js';
import { type Edition, hasFeature } from './editions.js';

export const DEFAULT_ROLE_KEYS = ['managers', 'team', 'customers', 'partners', 'additional'] as const;
export const MORE_ROLE_KEYS = ['more1', 'more2', 'more3', 'more4', 'more5'] as const;
/** Every role key, in the order the Roles tab lists them. */
export const ROLE_KEYS = [...DEFAULT_ROLE_KEYS, ...MORE_ROLE_KEYS] as const;
export type RoleKey = (typeof ROLE_KEYS)[number];

export const DEFAULT_ROLE_NAMES: Readonly<Record<RoleKey, string>> = {
  managers: 'Managers',
  team: 'Team',
  customers: 'Customers',
  partners: 'Partners',
  additional: 'Additional',
  more1: 'More 1',
  more2: 'More 2',
  more3: 'More 3',
  more4: 'More 4',
  more5: 'More 5',
};

/** A role as the account defines it (one per role key and account). */
export interface RoleDefinition {
  key: RoleKey;
  name: string;
  visible: boolean;
  permissions: readonly PermissionKey[];
}

export function isRoleKey(key: string): key is RoleKey {
  return (ROLE_KEYS as readonly string[]).includes(key);
}

/** More 1–5: only in Enterprise Plus and Self-Hosted. */
export function isMoreRole(key: RoleKey): boolean {
  return (MORE_ROLE_KEYS as readonly string[]).includes(key);
}

/** Whether the role exists (is shown and applies) in the edition: the five default roles always, More 1–5 with 'moreRoles'. */
export function hasRole(edition: Edition, key: RoleKey): boolean {
  return !isMoreRole(key) || hasFeature(edition, 'moreRoles');
}

/** The roles of an edition, in list order. */
export function listRoleKeys(edition: Edition): RoleKey[] {
  return ROLE_KEYS.filter((key) => hasRole(edition, key));
}

/** Whether the role's name can be changed: never Managers; only in editions with 'renameRoles' (and where the role exists). */
export function canRenameRole(edition: Edition, key: RoleKey): boolean {
  return key !== 'managers' && hasFeature(edition, 'renameRoles') && hasRole(edition, key);
}

/** Whether the role can be hidden or shown: the same rule as renaming (never Managers, Enterprise and up). */
export function canHideRole(edition: Edition, key: RoleKey): boolean {
  return canRenameRole(edition, key);
}

/**
 * The role as the edition shows it. Where roles can't be renamed or hidden (Professional, and always for Managers)
 * the stored name and visibility are kept but not applied: the default name shows and the role is visible. A More
 * role outside its editions is not visible. The permissions are the stored ones in every case.
 */
export function resolveRole(edition: Edition, role: RoleDefinition): RoleDefinition {
  if (!hasRole(edition, role.key)) return { ...role, visible: false };
  if (canRenameRole(edition, role.key)) return role;
  return { ...role, name: DEFAULT_ROLE_NAMES[role.key], visible: true };
}

/**
 * Whether people and groups can be newly given this role in a project: it must exist in the edition and be visible.
 * A hidden role can't be newly assigned; existing assignments stay and keep their permissions (resolvePermissions).
 */
export function canAssignRole(edition: Edition, role: RoleDefinition): boolean {
  return resolveRole(edition, role).visible;
}

const MANAGERS_NOT_RECOMMENDED: readonly PermissionKey[] = ['comments.delete', 'time.backdate', 'financials.edit', 'project.delete'];

/** The recommended permissions of SPEC §6, which a new account's roles start with. */
export const RECOMMENDED_ROLE_PERMISSIONS: Readonly<Record<RoleKey, readonly PermissionKey[]>> = {
  managers: PROJECT_PERMISSIONS.filter((key) => !MANAGERS_NOT_RECOMMENDED.includes(key)),
  team: [
    'project.read', 'comments.read', 'lists.read', 'mindmaps.read', 'tasks.read',
    'comments.add', 'comments.deleteOwn', 'lists.edit', 'mindmaps.edit', 'tasks.edit', 'time.editOwn', 'documents.edit',
  ],
  customers: ['project.read', 'tasks.read', 'planning.read', 'financials.read'],
  partners: ['project.read', 'comments.read', 'tasks.read', 'comments.add', 'comments.deleteOwn', 'tasks.edit'],
  additional: [],
  more1: [],
  more2: [],
  more3: [],
  more4: [],
  more5: [],
};

/** The global permissions the account's first administrator gets at sign-up. */
export const FIRST_ADMIN_GLOBAL_PERMISSIONS: readonly PermissionKey[] = ['projects.create'];

/**
 * The ten role definitions a new account starts with, whatever its edition (so an upgrade finds More 1–5 ready):
 * default names, the recommended permissions, the five default roles visible and More 1–5 hidden until made visible.
 */
export function defaultRoles(): RoleDefinition[] {
  return ROLE_KEYS.map((key) => ({
    key,
    name: DEFAULT_ROLE_NAMES[key],
    visible: !isMoreRole(key),
    permissions: RECOMMENDED_ROLE_PERMISSIONS[key],
  }));
}
