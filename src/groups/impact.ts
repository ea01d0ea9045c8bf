/**
 * The impact preview of a group's membership (SPEC §6): who would gain or lose which permission in how many projects
 * if people were added to or removed from the group. Only real changes count: people already members are not
 * "added", people who are not members are not "removed". Three statements (the roles, then the impact's two).
 */
import type { Auth } from '../auth/session.js';
import type { Db } from '../db/client.js';
import { groupMembersImpact } from '../permissions/impact.js';
import { impactView, type ImpactView } from '../permissions/impact-view.js';
import { loadRoles } from '../permissions/load.js';
import type { GroupSummary, Member } from './groups.js';

export async function membersImpact(
  db: Db,
  auth: Auth,
  group: GroupSummary,
  members: readonly Member[],
  change: { add?: readonly string[]; remove?: readonly string[] },
): Promise<ImpactView> {
  const current = new Set(members.map((m) => m.id));
  const roles = await loadRoles(db, auth.account.id, auth.accessVersion);
  const impact = await groupMembersImpact(db, auth.account, roles, group, {
    add: (change.add ?? []).filter((id) => !current.has(id)),
    remove: (change.remove ?? []).filter((id) => current.has(id)),
  });
  return impactView(impact);
}
