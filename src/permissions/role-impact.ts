/** The impact preview of a role's permissions (SPEC §6): what saving a proposed set would change, in two statements. */
import type { Auth } from '../auth/session.js';
import type { Db } from '../db/client.js';
import type { PermissionKey } from './catalog.js';
import { type ImpactSummary, roleImpact } from './impact.js';
import { loadRoles } from './load.js';
import type { RoleDefinition, RoleKey } from './roles.js';

/** The role as saved and the impact of giving it `proposed` instead; null when the account has no such role. */
export async function roleImpactOf(db: Db, auth: Auth, key: RoleKey, proposed: readonly PermissionKey[]): Promise<{ role: RoleDefinition; impact: ImpactSummary } | null> {
  const roles = await loadRoles(db, auth.account.id, auth.accessVersion);
  const role = roles.find((r) => r.key === key);
  if (!role) return null;
  return { role, impact: await roleImpact(db, auth.account, roles, key, proposed) };
}

/** The address without its `_csrf` parameter (a GET form submission carries the form's token), or null when it has none. */
export function withoutCsrf(url: string): string | null {
  const parsed = new URL(url, 'http://local');
  if (!parsed.searchParams.has('_csrf')) return null;
  parsed.searchParams.delete('_csrf');
  const query = parsed.searchParams.toString();
  return parsed.pathname + (query ? `?${query}` : '');
}
