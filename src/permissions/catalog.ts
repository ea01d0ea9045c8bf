/**
 * The permission catalog of SPEC §6, in one place: every permission's key, label (exactly the SPEC's label — it is
 * the accessible name of its switch), scope, area, kind and the read permission an edit permission implies.
 * Pure data: no database, no request. grants.ts re-exports the vocabulary for code that already imports it there.
 */

const CATALOG = {
  'projects.create': { label: 'Create projects', scope: 'global' },
  'projectRequests.create': { label: 'Create project requests', scope: 'global' },
  'projectRequests.edit': { label: 'Edit project requests', scope: 'global' },
  'people.edit': { label: 'Edit people', scope: 'global' },
  'reports.edit': { label: 'Edit existing reports', scope: 'global' },
  'reports.generate': { label: 'Generate reports', scope: 'global' },
  'project.read': { label: 'Read projects', scope: 'project' },
  'comments.read': { label: 'Read project comments', scope: 'project' },
  'lists.read': { label: 'Read lists', scope: 'project' },
  'mindmaps.read': { label: 'Read mind maps', scope: 'project' },
  'tasks.read': { label: 'Read tasks', scope: 'project' },
  'planning.read': { label: 'Read planning', scope: 'project' },
  'time.read': { label: 'Read time tracking', scope: 'project' },
  'documents.read': { label: 'Read documents', scope: 'project' },
  'financials.read': { label: 'Read financials', scope: 'project' },
  'manage.read': { label: 'Read manage page', scope: 'project' },
  'comments.add': { label: 'Add project comments', scope: 'project' },
  'comments.deleteOwn': { label: 'Delete own project comments', scope: 'project' },
  'comments.delete': { label: 'Delete project comments', scope: 'project' },
  'lists.edit': { label: 'Edit lists', scope: 'project' },
  'mindmaps.edit': { label: 'Edit mind maps', scope: 'project' },
  'tasks.edit': { label: 'Edit tasks', scope: 'project' },
  'planning.edit': { label: 'Edit planning', scope: 'project' },
  'time.editOwn': { label: 'Edit own time entries', scope: 'project' },
  'time.edit': { label: 'Edit all time entries', scope: 'project' },
  'time.backdate': { label: 'Allow backdating in times', scope: 'project' },
  'documents.edit': { label: 'Edit documents', scope: 'project' },
  'financials.edit': { label: 'Edit financials', scope: 'project' },
  'manage.edit': { label: 'Edit manage page', scope: 'project' },
  'project.lock': { label: 'Lock project for editing', scope: 'project' },
  'project.delete': { label: 'Delete projects', scope: 'project' },
} as const satisfies Record<string, { label: string; scope: PermissionScope }>;

/** A permission key of the catalog: a closed union, so a typo is a type error. */
export type PermissionKey = keyof typeof CATALOG;
/** 'global': granted only as a global user permission. 'project': granted globally (all projects), per division or per role. */
export type PermissionScope = 'global' | 'project';
/** 'read' permissions are the `.read` keys; every other permission is an action and counts as 'edit' (Read-Only cuts it). */
export type PermissionKind = 'read' | 'edit';
/** The part of the key before the dot: 'comments', 'time', 'project', … and the global areas 'projects', 'projectRequests', 'people', 'reports'. */
export type PermissionArea = PermissionKey extends infer K ? (K extends `${infer A}.${string}` ? A : never) : never;

export interface Permission {
  key: PermissionKey;
  label: string;
  scope: PermissionScope;
  area: PermissionArea;
  kind: PermissionKind;
  /**
   * The read permission of the same area an edit permission implies (comments.add → comments.read); null for reads
   * and for global-only permissions, whose areas have no read permission.
   */
  implies: PermissionKey | null;
}

/** Every permission key, in the SPEC's order (the order switches are listed in). */
export const PERMISSION_KEYS = Object.keys(CATALOG) as readonly PermissionKey[];

export function isPermissionKey(key: string): key is PermissionKey {
  return Object.hasOwn(CATALOG, key);
}

function definePermission(key: PermissionKey): Permission {
  const { label, scope } = CATALOG[key];
  const area = key.slice(0, key.indexOf('.')) as PermissionArea;
  const kind: PermissionKind = key.endsWith('.read') ? 'read' : 'edit';
  const read = `${area}.read`;
  const implies = kind === 'edit' && isPermissionKey(read) ? read : null;
  return { key, label, scope, area, kind, implies };
}

/** The catalog, in the SPEC's order. */
export const PERMISSIONS: readonly Permission[] = PERMISSION_KEYS.map(definePermission);

const BY_KEY = new Map(PERMISSIONS.map((p) => [p.key, p]));

/** The catalog entry of a key. */
export function findPermission(key: PermissionKey): Permission {
  return BY_KEY.get(key)!;
}

export function permissionLabel(key: PermissionKey): string {
  return CATALOG[key].label;
}

/** Whether the permission may be granted per project (globally for all projects, per division or per role). */
export function isProjectPermission(key: PermissionKey): boolean {
  return CATALOG[key].scope === 'project';
}

/** The global-only permissions: "Create projects", "Create project requests", … (granted only as global user permissions). */
export const GLOBAL_ONLY_PERMISSIONS: readonly PermissionKey[] = PERMISSION_KEYS.filter((k) => !isProjectPermission(k));
/** The project permissions: what a role or a division can grant (their switches). */
export const PROJECT_PERMISSIONS: readonly PermissionKey[] = PERMISSION_KEYS.filter(isProjectPermission);
/** The project read permissions: what "Read all projects" grants globally (SPEC §4), and what makes a project visible. */
export const PROJECT_READ_PERMISSIONS: readonly PermissionKey[] = PROJECT_PERMISSIONS.filter((k) => findPermission(k).kind === 'read');
/** The edit permissions: every permission that is not a read (the Read-Only license cuts them). */
export const EDIT_PERMISSIONS: readonly PermissionKey[] = PERMISSION_KEYS.filter((k) => findPermission(k).kind === 'edit');

/**
 * A project's sections (SPEC §8) in navigation order, each shown only to a person holding its read permission.
 * `key` is the permission area, a stable identifier for code and URLs; `name` is the text on screen.
 */
export const SECTIONS = [
  { key: 'comments', name: 'Comments', read: 'comments.read' },
  { key: 'lists', name: 'Lists', read: 'lists.read' },
  { key: 'mindmaps', name: 'Mind maps', read: 'mindmaps.read' },
  { key: 'tasks', name: 'Tasks', read: 'tasks.read' },
  { key: 'planning', name: 'Planning', read: 'planning.read' },
  { key: 'time', name: 'Time tracking', read: 'time.read' },
  { key: 'documents', name: 'Documents', read: 'documents.read' },
  { key: 'financials', name: 'Financials', read: 'financials.read' },
  { key: 'manage', name: 'Manage', read: 'manage.read' },
] as const satisfies readonly { key: PermissionArea; name: string; read: PermissionKey }[];

export type Section = (typeof SECTIONS)[number];
export type SectionKey = Section['key'];

export function isSectionKey(key: string): key is SectionKey {
  return SECTIONS.some((s) => s.key === key);
}

export function findSection(key: SectionKey): Section {
  return SECTIONS.find((s) => s.key === key)!;
}
