/**
 * The tabs of User management (SPEC §6): each its own address, shown only in the editions that have it. A tab's page
 * checks the same predicate on the server (a tab outside the edition answers 404), so the list and the routes agree.
 */
import { type Edition, hasFeature } from './editions.js';

export type UsersTab = 'licenses' | 'global' | 'divisions' | 'roles' | 'groups' | 'access';

interface TabDefinition {
  key: UsersTab;
  label: string;
  href: string;
  /** whether the edition has the tab */
  inEdition: (edition: Edition) => boolean;
}

const always = () => true;

const TABS: readonly TabDefinition[] = [
  { key: 'licenses', label: 'Licenses', href: '/settings/users', inEdition: always },
  { key: 'global', label: 'Global', href: '/settings/users/global', inEdition: (e) => hasFeature(e, 'rolePermissions') },
  { key: 'divisions', label: 'Divisions', href: '/settings/users/divisions', inEdition: (e) => hasFeature(e, 'divisions') },
  { key: 'roles', label: 'Roles', href: '/settings/users/roles', inEdition: (e) => hasFeature(e, 'rolePermissions') },
  { key: 'groups', label: 'Groups', href: '/settings/users/groups', inEdition: (e) => hasFeature(e, 'groups') },
  { key: 'access', label: 'Access explainer', href: '/settings/users/access', inEdition: (e) => hasFeature(e, 'rolePermissions') },
];

export interface TabLink {
  label: string;
  href: string;
  current: boolean;
}

/** The tabs the edition shows, the current one marked (rendered by views/licenses/_users-tabs.eta). */
export function usersTabs(edition: Edition, current: UsersTab): TabLink[] {
  return TABS.filter((t) => t.inEdition(edition)).map((t) => ({ label: t.label, href: t.href, current: t.key === current }));
}

/** Whether the edition has the tab (its routes answer 404 otherwise). */
export function hasUsersTab(edition: Edition, tab: UsersTab): boolean {
  return TABS.find((t) => t.key === tab)!.inEdition(edition);
}
