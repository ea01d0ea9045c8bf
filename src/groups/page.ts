/** What the Groups tab's pages show: the list, a group's page with its "Select contacts" search, and their notices. */
import { sql } from 'drizzle-orm';
import type { Auth } from '../auth/session.js';
import { type Db, rowsOf } from '../db/client.js';
import { groupMembers, persons } from '../db/schema.js';
import { LICENSES } from '../licenses/rules.js';
import { contains } from '../people/search.js';
import { usersTabs } from '../permissions/tabs.js';
import { emptyForm, type FormState } from '../web/forms.js';
import type { CandidateQuery } from './forms.js';
import { type GroupSummary, listGroups, listMembers, type Member } from './groups.js';

export const GROUPS_PATH = '/settings/users/groups';

/** A group's address, with its search and a notice when given. */
export function groupUrl(id: string, q = '', notice?: string): string {
  const params = new URLSearchParams();
  if (q) params.set('q', q);
  if (notice) params.set('notice', notice);
  const query = params.toString();
  return `${GROUPS_PATH}/${encodeURIComponent(id)}${query ? `?${query}` : ''}`;
}

/** The confirmations after a 303 (`?notice=key`): only these keys, worded with the group's name from the database. */
const NOTICES: Record<string, (name: string) => string> = {
  'group-created': (name) => `Group “${name}” created. Add its members under “Select contacts”.`,
  'group-renamed': (name) => `Saved. The group is now called “${name}”.`,
  'group-unchanged': (name) => `Nothing changed: the group is already called “${name}”.`,
  'members-added': (name) => `Saved. The selected people are members of ${name} now.`,
  'member-removed': (name) => `Saved. The person is no longer a member of ${name}.`,
  'member-not-found': (name) => `Nothing changed: that person is not a member of ${name}.`,
  'group-deleted': () => 'Group deleted. Its members keep their other access.',
};

/** The notice to show, as a template local (only when the key is one of ours, so the layout's own notices still work). */
export function groupNotice(query: unknown, name = ''): { notice?: string } {
  const key = (query as { notice?: unknown } | undefined)?.notice;
  return typeof key === 'string' && Object.hasOwn(NOTICES, key) ? { notice: NOTICES[key]!(name) } : {};
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
export const membersText = (n: number) => plural(n, 'member', 'members');
export const projectsText = (n: number) => plural(n, 'project', 'projects');

/** The list page: one statement. */
export async function groupsPageData(db: Db, auth: Auth, newGroup: FormState = emptyForm()) {
  return {
    title: 'Groups – User management',
    tabs: usersTabs(auth.account.edition, 'groups'),
    groups: await listGroups(db, auth.account.id),
    canEdit: auth.person.license === 'read_write',
    newGroup,
    form: newGroup,
    membersText,
    projectsText,
  };
}

/** How many people "Select contacts" lists at once; a search narrows it. */
export const CANDIDATE_LIMIT = 25;

export interface Candidate {
  id: string;
  name: string;
  email: string;
  license: string;
}

/** People with a license who are not yet members, matching the search (name or email), with how many match: one statement. */
export async function listCandidates(db: Db, accountId: string, groupId: string, q: string) {
  const rows = rowsOf<Candidate & { total: number | string }>(
    await db.execute(sql`select p.id, p.name, p.email, p.license, count(*) over () as total from ${persons} p
      where p.account_id = ${accountId} and p.license <> 'none'${q ? sql` and ${contains(q.toLowerCase())}` : sql``}
        and not exists (select 1 from ${groupMembers} m where m.group_id = ${groupId} and m.person_id = p.id)
      order by p.name, p.id limit ${CANDIDATE_LIMIT}`),
  );
  const total = rows.length ? Number(rows[0]!.total) : 0;
  return { rows: rows.map(({ total: _t, ...c }) => ({ ...c, licenseText: LICENSES[c.license as keyof typeof LICENSES] ?? c.license })), total };
}

function candidatesText(q: string, shown: number, total: number): string {
  if (total === 0) return q ? `No one with a license who is not a member matches “${q}”.` : 'Everyone with a license is a member of this group.';
  const narrow = 'Search by name or email to narrow the list.';
  if (q) {
    return shown < total
      ? `Showing ${shown} of ${total} people with a license who match “${q}”. ${narrow}`
      : `${plural(total, 'person', 'people')} with a license ${total === 1 ? 'matches' : 'match'} “${q}”.`;
  }
  return shown < total
    ? `Showing ${shown} of ${total} people with a license who are not members. ${narrow}`
    : `${plural(total, 'person', 'people')} with a license ${total === 1 ? 'is' : 'are'} not yet ${total === 1 ? 'a member' : 'members'}.`;
}

/** The "Select contacts" results (the htmx answer to a search is only this). */
export async function candidatesData(db: Db, auth: Auth, group: GroupSummary, search: CandidateQuery, addForm: FormState = emptyForm()) {
  const found = await listCandidates(db, auth.account.id, group.id, search.q);
  return {
    group,
    q: search.q,
    candidates: found.rows,
    candidatesText: candidatesText(search.q, found.rows.length, found.total),
    addForm,
    canEdit: auth.person.license === 'read_write',
  };
}

export interface GroupPageForms {
  rename?: FormState;
  add?: FormState;
}

/** A group's page: the group (found by the route), its members and the candidates: two statements. */
export async function groupPageData(db: Db, auth: Auth, group: GroupSummary, search: CandidateQuery, forms: GroupPageForms = {}) {
  const members = await listMembers(db, auth.account.id, group.id);
  const candidates = await candidatesData(db, auth, group, search, forms.add);
  const rename = forms.rename ?? emptyForm({ name: group.name });
  return {
    title: `${group.name} – Groups`,
    tabs: usersTabs(auth.account.edition, 'groups'),
    ...candidates,
    members,
    membersText,
    projectsText,
    rename,
    form: { values: {}, errors: {}, summary: [...rename.summary, ...(forms.add?.summary ?? [])] },
  };
}

export type { Member };
