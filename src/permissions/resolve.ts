/**
 * What one person may do in one project (SPEC §6), resolved from plain data by one pure function. Guards, navigation
 * and the access explainer all use its answer, so they can never disagree. The rules, in order:
 *
 * 1. Grants (the union; no level removes what another grants):
 *    - "Global": the person's global grants. Project permissions granted globally apply in every project; global-only
 *      permissions ("Create projects", …) come only from here.
 *    - "Division: <name>": the person's division grants for the project's division (none if the project has no
 *      division). Only in editions with divisions.
 *    - "Role: <name>" / "Role: <name> via group <group>": the permissions of every role the person holds in the
 *      project, directly or through a group. Group assignments only in editions with groups; More 1–5 only in editions
 *      with more roles. A hidden role keeps its permissions for existing assignments. The role name is the one the
 *      edition shows (the default name where roles can't be renamed).
 * 2. Implied reads: an edit permission implies the read permission of its area ("Implied by Edit tasks (Role: Team)").
 * 3. The license cut: Read & Write keeps everything; Read-Only keeps reads only (every edit is cut); No Access keeps
 *    nothing.
 *
 * A grant that exists but doesn't count is reported as a cut, never dropped silently: outside the edition ("Not in
 * the Professional edition: division grants do not apply") or a global-only permission from a division or role.
 * The stored data is never changed here, so the same input in a higher edition brings every grant back exactly.
 */
import type { License } from '../licenses/rules.js';
import {
  findPermission,
  findSection,
  PERMISSIONS,
  PROJECT_READ_PERMISSIONS,
  type PermissionKey,
  type PermissionKind,
  type PermissionScope,
  type Section,
  SECTIONS,
  type SectionKey,
} from './catalog.js';
import { editionName, type Edition, hasFeature } from './editions.js';
import { DEFAULT_ROLE_NAMES, isMoreRole, resolveRole, type RoleDefinition, type RoleKey } from './roles.js';

export interface DivisionGrant {
  divisionId: string;
  divisionName: string;
  permission: PermissionKey;
}

export interface RoleAssignment {
  role: RoleKey;
  /** null: the person holds the role directly; otherwise through this group. */
  via: null | { groupId: string; groupName: string };
}

export interface AccessInput {
  edition: Edition;
  license: License;
  globalGrants: readonly PermissionKey[];
  /** The person's division grants; those for other divisions than the project's are ignored. */
  divisionGrants: readonly DivisionGrant[];
  project: { id: string; divisionId: string | null };
  /** The person's role assignments in this project, direct or through a group. */
  roleAssignments: readonly RoleAssignment[];
  /** The account's role definitions (a role missing here grants nothing). */
  roles: readonly RoleDefinition[];
}

/** Why a grant does not count: the license, the edition, or the scope (a global-only permission from a division or role). */
export interface Cut {
  by: 'license' | 'edition' | 'scope';
  /** The grant that was cut ("Division: Sales"); null for the license cut, which cuts the permission whatever grants it. */
  grant: string | null;
  text: string;
}

export interface ResolvedPermission {
  key: PermissionKey;
  label: string;
  scope: PermissionScope;
  kind: PermissionKind;
  granted: boolean;
  /** The grants that count, as shown: "Global", "Division: Sales", "Role: Team via group Designers", "Implied by …". */
  reasons: readonly string[];
  cuts: readonly Cut[];
}

export interface ResolvedAccess {
  edition: Edition;
  license: License;
  projectId: string;
  /** Every catalog permission, in catalog order. */
  permissions: readonly ResolvedPermission[];
  granted: ReadonlySet<PermissionKey>;
}

export const READ_ONLY_CUT = 'Cut by the Read-Only license: it keeps read permissions only';
export const NO_ACCESS_CUT = 'Cut by the No Access license: it keeps no permission';
export const GLOBAL_ONLY_CUT = 'Global only: it counts only as a global user permission';

interface Source {
  grant: string;
  cut: Cut | null;
  permissions: readonly PermissionKey[];
}

function editionCut(edition: Edition, grant: string, what: string): Cut {
  return { by: 'edition', grant, text: `Not in the ${editionName(edition)} edition: ${what}` };
}

function resolveDivisionSource(input: AccessInput): Source[] {
  const grants = input.divisionGrants.filter((g) => input.project.divisionId !== null && g.divisionId === input.project.divisionId);
  if (grants.length === 0) return [];
  const grant = `Division: ${grants[0]!.divisionName}`;
  const cut = hasFeature(input.edition, 'divisions') ? null : editionCut(input.edition, grant, 'division grants do not apply');
  return [{ grant, cut, permissions: grants.map((g) => g.permission) }];
}

function resolveRoleSource(input: AccessInput, assignment: RoleAssignment): Source {
  const stored = input.roles.find((r) => r.key === assignment.role);
  const fallback = { key: assignment.role, name: DEFAULT_ROLE_NAMES[assignment.role], visible: true, permissions: [] };
  const role = resolveRole(input.edition, stored ?? fallback);
  const grant = `Role: ${role.name}${assignment.via ? ` via group ${assignment.via.groupName}` : ''}`;
  let cut: Cut | null = null;
  if (isMoreRole(role.key) && !hasFeature(input.edition, 'moreRoles')) cut = editionCut(input.edition, grant, 'the roles More 1–5 do not apply');
  else if (assignment.via && !hasFeature(input.edition, 'groups')) cut = editionCut(input.edition, grant, 'group assignments do not apply');
  return { grant, cut, permissions: role.permissions };
}

interface Entry {
  key: PermissionKey;
  grant: string;
  cut: Cut | null;
}

/** Steps 1 and 2: every grant of every level, then the reads they imply, each with its edition or scope cut. */
function resolveEntries(input: AccessInput): Entry[] {
  const global: Source = { grant: 'Global', cut: null, permissions: input.globalGrants };
  const sources = [global, ...resolveDivisionSource(input), ...input.roleAssignments.map((a) => resolveRoleSource(input, a))];
  const direct = sources.flatMap((source) =>
    source.permissions.map((key): Entry => {
      const scoped = source !== global && findPermission(key).scope === 'global';
      const cut = source.cut ?? (scoped ? { by: 'scope', grant: source.grant, text: GLOBAL_ONLY_CUT } : null);
      return { key, grant: source.grant, cut };
    }),
  );
  const implied = direct.flatMap((entry): Entry[] => {
    const read = findPermission(entry.key).implies;
    if (!read) return [];
    const grant = `Implied by ${findPermission(entry.key).label} (${entry.grant})`;
    return [{ key: read, grant, cut: entry.cut && { ...entry.cut, grant } }];
  });
  return [...direct, ...implied];
}

function licenseCut(license: License, kind: PermissionKind): Cut | null {
  if (license === 'none') return { by: 'license', grant: null, text: NO_ACCESS_CUT };
  if (license === 'read_only' && kind === 'edit') return { by: 'license', grant: null, text: READ_ONLY_CUT };
  return null;
}

/**
 * Resolves every catalog permission of one person in one project: granted or not, the grants behind it and every
 * cut. The license cut is listed only on permissions that some counting grant gave (there is nothing to cut otherwise).
 * Invariants (property-tested): granted ⇒ at least one reason; Read-Only ⇒ no edit granted; No Access ⇒ nothing
 * granted; adding a grant or upgrading the edition never removes a permission.
 */
export function resolvePermissions(input: AccessInput): ResolvedAccess {
  const entries = resolveEntries(input);
  const permissions = PERMISSIONS.map((p): ResolvedPermission => {
    const own = entries.filter((e) => e.key === p.key);
    const reasons = [...new Set(own.filter((e) => !e.cut).map((e) => e.grant))];
    const cuts = [...new Map(own.flatMap((e) => (e.cut ? [e.cut] : [])).map((c) => [`${c.grant}\n${c.text}`, c])).values()];
    const byLicense = reasons.length > 0 ? licenseCut(input.license, p.kind) : null;
    if (byLicense) cuts.push(byLicense);
    return { key: p.key, label: p.label, scope: p.scope, kind: p.kind, granted: reasons.length > 0 && !byLicense, reasons, cuts };
  });
  const granted = new Set(permissions.filter((p) => p.granted).map((p) => p.key));
  return { edition: input.edition, license: input.license, projectId: input.project.id, permissions, granted };
}

/** Whether the resolved access grants the permission. */
export function has(resolved: ResolvedAccess, key: PermissionKey): boolean {
  return resolved.granted.has(key);
}

/** Whether the person can read the project's section (it is shown in navigation and its URL answers). */
export function canRead(resolved: ResolvedAccess, section: SectionKey): boolean {
  return has(resolved, findSection(section).read);
}

/** The sections the person can read, in navigation order: the project's navigation. */
export function visibleSections(resolved: ResolvedAccess): Section[] {
  return SECTIONS.filter((s) => has(resolved, s.read));
}

/** Whether the person sees the project at all: any project read permission (SPEC §6). */
export function seesProject(resolved: ResolvedAccess): boolean {
  return PROJECT_READ_PERMISSIONS.some((key) => has(resolved, key));
}

/** One permission's verdict with its reasons and cuts (for the access explainer). */
export function findResolved(resolved: ResolvedAccess, key: PermissionKey): ResolvedPermission {
  return resolved.permissions.find((p) => p.key === key)!;
}
