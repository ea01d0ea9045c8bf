import type { Auth } from '../auth/session.js';
import { isAdmin } from '../permissions/guard.js';

export interface NavLink {
  href: string;
  label: string;
}

/** The main navigation, filtered on the server: links to account settings only for administrators. */
export function navLinks(auth: Auth | null): NavLink[] {
  if (!auth) return [];
  // People (the account's contacts) is for everyone signed in; it is not an account setting.
  const links: NavLink[] = [
    { href: '/projects', label: 'Projects' },
    { href: '/people', label: 'People' },
    { href: '/settings/personal', label: 'Personal' },
  ];
  if (isAdmin(auth)) {
    links.push({ href: '/settings/organization', label: 'Organization' });
    links.push({ href: '/settings/users', label: 'User management' });
    links.push({ href: '/settings/history', label: 'History' });
  }
  return links;
}
