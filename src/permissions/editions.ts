/**
 * The edition gates of SPEC §1 as data and pure predicates. A feature outside the edition is hidden and not applied,
 * but its data is kept, so an upgrade brings it back as it was: callers check `hasFeature` when they show or apply a
 * feature, never when they keep or delete its data. The server checks the edition; these predicates are that check.
 */
import { EDITIONS, type Edition } from '../auth/forms.js';

export type { Edition };

export type Feature = 'basics' | 'rolePermissions' | 'renameRoles' | 'divisions' | 'groups' | 'moreRoles';

export interface EditionFeature {
  feature: Feature;
  /** The row's text in the SPEC §1 table. */
  label: string;
  editions: readonly Edition[];
}

const ALL: readonly Edition[] = ['professional', 'enterprise', 'enterprise_plus', 'self_hosted'];
const ENTERPRISE_AND_UP: readonly Edition[] = ['enterprise', 'enterprise_plus', 'self_hosted'];
const ENTERPRISE_PLUS_AND_SELF_HOSTED: readonly Edition[] = ['enterprise_plus', 'self_hosted'];

/** The SPEC §1 feature table, row by row. */
export const EDITION_FEATURES: readonly EditionFeature[] = [
  { feature: 'basics', label: 'Privacy settings, invitations, license types', editions: ALL },
  { feature: 'rolePermissions', label: 'Global and role permissions (5 default roles)', editions: ALL },
  { feature: 'renameRoles', label: 'Rename and hide roles (never Managers)', editions: ENTERPRISE_AND_UP },
  { feature: 'divisions', label: 'Divisions and division permissions', editions: ENTERPRISE_AND_UP },
  { feature: 'groups', label: 'User groups', editions: ENTERPRISE_AND_UP },
  { feature: 'moreRoles', label: '5 additional roles ("More 1" … "More 5")', editions: ENTERPRISE_PLUS_AND_SELF_HOSTED },
];

const EDITIONS_BY_FEATURE = new Map(EDITION_FEATURES.map((row) => [row.feature, row.editions]));

/**
 * Whether the edition has the feature: 'renameRoles' (rename and hide roles, never Managers), 'divisions'
 * (divisions and division permissions), 'groups' (user groups), 'moreRoles' (the roles More 1–5).
 */
export function hasFeature(edition: Edition, feature: Feature): boolean {
  return EDITIONS_BY_FEATURE.get(feature)!.includes(edition);
}

/** The features of an edition, in table order. */
export function listFeatures(edition: Edition): Feature[] {
  return EDITION_FEATURES.filter((row) => row.editions.includes(edition)).map((row) => row.feature);
}

/** Whether moving from `from` to `to` loses no feature (an upgrade, or a move between editions with the same features). */
export function isUpgrade(from: Edition, to: Edition): boolean {
  return listFeatures(from).every((feature) => hasFeature(to, feature));
}

/** The edition's name on screen: "Professional", "Enterprise", "Enterprise Plus", "Self-Hosted". */
export function editionName(edition: Edition): string {
  return EDITIONS[edition];
}
