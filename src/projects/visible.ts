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
import { VersionedCache } from '../db/versioned-cache.js';
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

/**
 * The projects the person sees, found from the person's side (a person holds few grants; an account has many
 * projects): either every project of the account (a global grant of a project permission), or the union of the
 * projects they hold a counting role in — directly, or through a group they belong to — and the projects of the
 * divisions they hold a project permission in. Each part is read through its own index (project_roles by person and
 * by group, group_members by person, projects by division); the account's projects are scanned only for a person
 * who sees them all. Placeholders: account, person, divisions, groups, moreRoles (the edition's features).
 */
function visibleProjects(match: SQL): SQL {
  const account = sql.placeholder('account');
  const person = sql.placeholder('person');
  const permissions = list(PROJECT_PERMISSIONS);
  const countingRole = (a: string) => sql`${sql.raw(a)}.role_key in (${list(ROLE_KEYS)})
      and (${sql.placeholder('moreRoles')}::boolean or ${sql.raw(a)}.role_key not in (${list(MORE_ROLE_KEYS)}))
      and exists (select 1 from role_permissions rp
                  where rp.account_id = ${sql.raw(a)}.account_id and rp.role_key = ${sql.raw(a)}.role_key and rp.permission in (${permissions}))`;
  return sql`everything as (
      select exists (select 1 from global_grants g
                     where g.account_id = ${account} and g.person_id = ${person} and g.permission in (${permissions})) as yes),
    held as (
      select a.project_id as id from project_roles a
        where a.person_id = ${person} and a.account_id = ${account} and ${countingRole('a')}
      union
      select a.project_id from group_members m join project_roles a on a.group_id = m.group_id
        where ${sql.placeholder('groups')}::boolean and m.person_id = ${person} and m.account_id = ${account}
          and a.account_id = ${account} and ${countingRole('a')}
      union
      select pr.id from division_grants dg join projects pr on pr.division_id = dg.division_id and pr.account_id = dg.account_id
        where ${sql.placeholder('divisions')}::boolean and dg.account_id = ${account} and dg.person_id = ${person}
          and dg.permission in (${permissions})),
    mine as materialized (
      select pr.id, pr.name, pr.division_id from projects pr
        where not (select yes from everything) and pr.id in (select id from held) and pr.account_id = ${account}${match})`;
}

/**
 * The statement of one (search, direction) pair: six in all, each built and prepared once. A person who sees every
 * project pages through the account's (account_id, name, id) index and counts the account's projects; anyone else
 * pages through the few projects they hold something in. Only one of the two branches runs (a one-time filter).
 */
export function pageStatement(search: boolean, direction: Direction): SQL {
  const account = sql.placeholder('account');
  const match = search ? sql` and pr.name ilike ${sql.placeholder('needle')}` : sql``;
  const past = (name: string, id: string, prefix: string) =>
    direction === 'first'
      ? sql``
      : sql` ${sql.raw(prefix)} (${sql.raw(name)}, ${sql.raw(id)}) ${sql.raw(direction === 'after' ? '>' : '<')} (${sql.placeholder('name')}, ${sql.placeholder('id')})`;
  const order = (name: string, id: string) => sql.raw(direction === 'before' ? `order by ${name} desc, ${id} desc` : `order by ${name}, ${id}`);
  const limit = sql`limit ${sql.placeholder('limit')}`;
  return sql`with ${visibleProjects(match)},
    page as (
      (select pr.id, pr.name, pr.division_id from projects pr
        where (select yes from everything) and pr.account_id = ${account}${match}${past('pr.name', 'pr.id', 'and')}
        ${order('pr.name', 'pr.id')} ${limit})
      union all
      (select id, name, division_id from mine${past('name', 'id', 'where')} ${order('name', 'id')} ${limit}))
    select page.id, page.name, d.name as "divisionName",
      case when (select yes from everything) then (select count(*) from projects pr where pr.account_id = ${account}${match})
           else (select count(*) from mine) end as total
    from page left join divisions d on d.id = page.division_id and d.account_id = ${account}
    ${order('page.name', 'page.id')}`;
}

/** One page of the projects the signed-in person sees, optionally only those whose name contains `q`. */
export async function listVisibleProjects(
  db: Db,
  auth: Auth,
  opts: { q?: string; limit: number; after?: Cursor; before?: Cursor },
): Promise<VisibleProjects> {
  if (auth.person.license === 'none') return { rows: [], total: 0, extraRow: false };
  const q = opts.q?.trim() ?? '';
  const key = JSON.stringify([auth.person.id, auth.person.license, auth.account.edition, q, opts.limit, opts.after, opts.before]);
  return visiblePages.get(db, auth.account.id, auth.accessVersion, key, () => readVisibleProjects(db, auth, q, opts));
}

/**
 * Pages of the projects a person sees, under the account's access version (see accessVersions): which projects a
 * person sees, and their names and divisions, change only with the tables behind the version.
 */
const visiblePages = new VersionedCache<VisibleProjects>(1000);

async function readVisibleProjects(
  db: Db,
  auth: Auth,
  q: string,
  opts: { limit: number; after?: Cursor; before?: Cursor },
): Promise<VisibleProjects> {
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
