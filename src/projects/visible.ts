/**
 * The projects a person sees (SPEC §6: any project permission in them, after the edition and license cuts), one
 * keyset page in one statement. This is the resolver's `seesProject` written as SQL for many projects at once —
 * test/routes/projects.test.ts checks that both agree, person by person and edition by edition:
 * - every project edit permission implies a read, so "sees" is "holds any project-scope permission that counts";
 * - a global grant of a project permission: every project; global-only permissions ("Create projects") don't count;
 * - division grants (editions with divisions): the projects of that division;
 * - a role held in the project, directly or through a group the person is a member of (editions with groups), whose
 *   role has at least one project permission (More 1–5 only in editions with more roles);
 * - Read-Only keeps reads, so it sees the same projects; No Access sees none (no statement is sent).
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Auth } from '../auth/session.js';
import { type Db, preparedRows } from '../db/client.js';
import { PROJECT_PERMISSIONS } from '../permissions/catalog.js';
import { hasFeature } from '../permissions/editions.js';
import { MORE_ROLE_KEYS, ROLE_KEYS } from '../permissions/roles.js';
import type { Cursor } from '../people/cursor.js';
import { escapeLike } from '../people/search.js';

export interface ProjectSummary {
  id: string;
  name: string;
  divisionName: string | null;
}

export interface VisibleProjects {
  /** the page, in (name, id) order */
  rows: ProjectSummary[];
  /** how many visible projects match in all (undefined: a page past the end, where no row carries the count) */
  total: number | undefined;
  /** a row beyond the page was read in the reading direction: there is more that way */
  extraRow: boolean;
}

type Direction = 'first' | 'after' | 'before';

// constant lists from the catalog, written into the statement (no user input)
const list = (keys: readonly string[]) => sql.raw(keys.map((k) => `'${k.replace(/'/g, "''")}'`).join(', '));

/** Whether the person (placeholder `person`) sees the project `pr` of the account (placeholder `account`). */
function seesCondition(): SQL {
  const account = sql.placeholder('account');
  const person = sql.placeholder('person');
  const permissions = list(PROJECT_PERMISSIONS);
  return sql`(
    exists (select 1 from global_grants g
            where g.account_id = ${account} and g.person_id = ${person} and g.permission in (${permissions}))
    or (${sql.placeholder('divisions')}::boolean and pr.division_id is not null
        and exists (select 1 from division_grants dg
                    where dg.account_id = ${account} and dg.person_id = ${person} and dg.division_id = pr.division_id
                      and dg.permission in (${permissions})))
    or exists (select 1 from project_roles a
               join role_permissions rp on rp.account_id = a.account_id and rp.role_key = a.role_key and rp.permission in (${permissions})
               where a.account_id = ${account} and a.project_id = pr.id
                 and a.role_key in (${list(ROLE_KEYS)})
                 and (${sql.placeholder('moreRoles')}::boolean or a.role_key not in (${list(MORE_ROLE_KEYS)}))
                 and (a.person_id = ${person}
                      or (${sql.placeholder('groups')}::boolean and a.group_id is not null
                          and exists (select 1 from group_members m where m.group_id = a.group_id and m.person_id = ${person})))))`;
}

/** The statement of one (search, direction) pair: six in all, each built and prepared once. */
function pageStatement(search: boolean, direction: Direction): SQL {
  const match = search ? sql` and pr.name ilike ${sql.placeholder('needle')}` : sql``;
  const past =
    direction === 'first'
      ? sql``
      : sql` where (name, id) ${sql.raw(direction === 'after' ? '>' : '<')} (${sql.placeholder('name')}, ${sql.placeholder('id')})`;
  const order = sql.raw(direction === 'before' ? 'order by name desc, id desc' : 'order by name, id');
  return sql`with visible as materialized (
      select pr.id, pr.name, pr.division_id from projects pr
      where pr.account_id = ${sql.placeholder('account')}${match} and ${seesCondition()}),
    page as (select id, name, division_id from visible${past} ${order} limit ${sql.placeholder('limit')})
    select page.id, page.name, d.name as "divisionName", (select count(*) from visible) as total
    from page left join divisions d on d.id = page.division_id and d.account_id = ${sql.placeholder('account')}
    ${order}`;
}

/** One page of the projects the signed-in person sees, optionally only those whose name contains `q`. */
export async function listVisibleProjects(
  db: Db,
  auth: Auth,
  opts: { q?: string; limit: number; after?: Cursor; before?: Cursor },
): Promise<VisibleProjects> {
  if (auth.person.license === 'none') return { rows: [], total: 0, extraRow: false };
  const q = opts.q?.trim() ?? '';
  const { after, before } = opts;
  const direction: Direction = after ? 'after' : before ? 'before' : 'first';
  const boundary = after ?? before;
  const run = preparedRows<ProjectSummary & { total: number | string }>(db, `projects_visible_${q ? 'search' : 'all'}_${direction}`, () =>
    pageStatement(Boolean(q), direction),
  );
  const { edition } = auth.account;
  const read = await run({
    account: auth.account.id,
    person: auth.person.id,
    divisions: hasFeature(edition, 'divisions'),
    groups: hasFeature(edition, 'groups'),
    moreRoles: hasFeature(edition, 'moreRoles'),
    limit: opts.limit + 1,
    ...(q && { needle: `%${escapeLike(q)}%` }),
    ...(boundary && { name: boundary.name, id: boundary.id }),
  });
  const ordered = direction === 'before' ? read.reverse() : read;
  const extraRow = ordered.length > opts.limit;
  const page = extraRow ? (direction === 'before' ? ordered.slice(1) : ordered.slice(0, opts.limit)) : ordered;
  const total = read[0]?.total;
  return {
    rows: page.map(({ total: _t, ...r }) => r),
    total: total !== undefined ? Number(total) : boundary ? undefined : 0,
    extraRow,
  };
}
