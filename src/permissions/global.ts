/**
 * The "Global" tab of User management (SPEC §6) at /settings/users/global?person=…&person=…&q=…: pick one or more
 * people with a license (the selection travels in the address), then one switch per permission of the catalog. With
 * several people, a switch is on when all of them hold the permission; one that only some hold is "mixed" and says
 * so ("Differs: 2 of 3 people"). What the page shows costs a fixed number of statements, whatever the account's size.
 */
import { and, asc, eq, inArray, ne, notInArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Auth } from '../auth/session.js';
import type { Db } from '../db/client.js';
import { globalGrants, persons } from '../db/schema.js';
import { contains } from '../people/search.js';
import type { FieldError } from '../web/forms.js';
import { isPermissionKey, type PermissionKey, PERMISSIONS } from './catalog.js';
import { usersTabs } from './tabs.js';

export const GLOBAL_PATH = '/settings/users/global';
/** At most this many people are selected at once (further ids in the address are ignored). */
export const MAX_SELECTED = 50;
const RESULTS_LIMIT = 25;

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const asList = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** `person` given once or repeated: the well-formed ids, each once, in the order given; anything else is dropped. */
const personIds = z.unknown().optional().transform((v) => {
  const ids = asList(v)
    .filter((x): x is string => typeof x === 'string')
    .map((x) => x.trim())
    .filter((x) => ID.test(x));
  return [...new Set(ids)].slice(0, MAX_SELECTED);
});
const searchText = z.string().trim().max(200).catch('');

/** The page's address: odd values are dropped (never an error). */
export const GlobalQuery = z.object({ q: searchText, person: personIds });
export interface GlobalSelection {
  q: string;
  person: string[];
}

export function globalUrl(s: GlobalSelection, notice?: string): string {
  const params = new URLSearchParams();
  if (s.q) params.set('q', s.q);
  for (const id of s.person) params.append('person', id);
  if (notice) params.set('notice', notice);
  const query = params.toString();
  return query ? `${GLOBAL_PATH}?${query}` : GLOBAL_PATH;
}

export const PEOPLE_FIELD = 'selected-people';
export const PERMISSIONS_FIELD = 'reading-permissions';

/**
 * The save form. `person`: the selected people (all must be the account's, with a license). Each switch posts
 * `<key>=on` when on. `keep`: the keys shown as mixed ("Differs"): left as they are for each person unless switched
 * on. `only`: set by a switch that saves itself (htmx) — then that one permission is decided and nothing else.
 */
export interface GlobalSave {
  q: string;
  person: string[];
  /** each decided permission: granted (true) or removed (false) for every selected person */
  decide: Map<PermissionKey, boolean>;
}

const keyList = (v: unknown) => asList(v).map(String);

/** Parses the save form; unknown permission keys and people ids that are not ids are refused (422), never dropped. */
export function parseGlobalSave(body: unknown): { ok: true; data: GlobalSave } | { ok: false; errors: FieldError[]; selection: GlobalSelection } {
  const raw = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const errors: FieldError[] = [];
  const given = asList(raw.person);
  const person = GlobalQuery.shape.person.parse(given);
  const q = searchText.parse(raw.q);
  if (person.length === 0 || person.length !== new Set(given).size) {
    errors.push({ field: PEOPLE_FIELD, message: 'Select one or more people of your organization who have a license' });
  }
  const keep = keyList(raw.keep);
  const only = raw.only === undefined ? undefined : keyList(raw.only);
  const switched = Object.keys(raw).filter((k) => k.includes('.'));
  const unknown = [...keep, ...(only ?? []), ...switched].filter((k) => !isPermissionKey(k));
  if (unknown.length || (only && only.length !== 1) || switched.some((k) => raw[k] !== 'on')) {
    errors.push({ field: PERMISSIONS_FIELD, message: 'Choose permissions from the list' });
  }
  if (errors.length) return { ok: false, errors, selection: { q, person } };
  const on = (k: PermissionKey) => raw[k] === 'on';
  const decide = new Map<PermissionKey, boolean>();
  if (only) decide.set(only[0] as PermissionKey, on(only[0] as PermissionKey));
  else for (const p of PERMISSIONS) if (on(p.key) || !keep.includes(p.key)) decide.set(p.key, on(p.key));
  return { ok: true, data: { q, person, decide } };
}

/** The selected people that are the account's and have a license, with their global permissions: two statements. */
export async function findSelectedPeople(db: Db, accountId: string, ids: readonly string[]) {
  if (ids.length === 0) return [];
  const people = await db
    .select({ id: persons.id, name: persons.name, email: persons.email })
    .from(persons)
    .where(and(eq(persons.accountId, accountId), inArray(persons.id, [...ids]), ne(persons.license, 'none')))
    .orderBy(asc(persons.name), asc(persons.id));
  if (people.length === 0) return [];
  const grants = await db
    .select({ personId: globalGrants.personId, permission: globalGrants.permission })
    .from(globalGrants)
    .where(and(eq(globalGrants.accountId, accountId), inArray(globalGrants.personId, people.map((p) => p.id))));
  return people.map((p) => ({ ...p, permissions: new Set(grants.filter((g) => g.personId === p.id).map((g) => g.permission)) }));
}
export type SelectedPerson = Awaited<ReturnType<typeof findSelectedPeople>>[number];

/** People with a license matching the search, not yet selected: one statement. */
async function searchLicensed(db: Db, accountId: string, q: string, exclude: readonly string[]) {
  const rows = await db
    .select({ id: persons.id, name: persons.name, email: persons.email })
    .from(persons)
    .where(
      and(
        eq(persons.accountId, accountId),
        ne(persons.license, 'none'),
        q ? contains(q.toLowerCase()) : undefined,
        exclude.length ? notInArray(persons.id, [...exclude]) : undefined,
      ),
    )
    .orderBy(asc(persons.name), asc(persons.id))
    .limit(RESULTS_LIMIT + 1);
  return { rows: rows.slice(0, RESULTS_LIMIT), more: rows.length > RESULTS_LIMIT };
}

/** One switch: on when every selected person holds the permission; `differs` when some but not all do. */
function switchesOf(people: readonly SelectedPerson[]) {
  const lines = PERMISSIONS.map((p) => {
    const holders = people.filter((person) => person.permissions.has(p.key)).length;
    const mixed = holders > 0 && holders < people.length;
    return { key: p.key, label: p.label, kind: p.kind, checked: people.length > 0 && holders === people.length, mixed, differs: mixed ? `Differs: ${holders} of ${people.length} people` : undefined };
  });
  return { reading: lines.filter((l) => l.kind === 'read'), editing: lines.filter((l) => l.kind === 'edit'), mixed: lines.filter((l) => l.mixed).map((l) => l.key) };
}

const whom = (people: readonly { name: string }[]) => (people.length === 1 ? people[0]!.name : `${people.length} people`);

/** What the search results show (the htmx answer to a search needs only this). */
export async function globalResultsData(db: Db, auth: Auth, query: GlobalSelection, selected?: readonly SelectedPerson[]) {
  const people = selected ?? (await findSelectedPeople(db, auth.account.id, query.person));
  const found = await searchLicensed(db, auth.account.id, query.q, people.map((p) => p.id));
  const count = found.rows.length === 0 ? (query.q ? 'No person with a license matches that search.' : 'No other person has a license.') : `${found.rows.length}${found.more ? '+' : ''} ${found.rows.length === 1 ? 'person' : 'people'} found.`;
  return { q: query.q, selectedIds: people.map((p) => p.id), results: found.rows, more: found.more, count };
}

/** Everything the page shows: three statements at most (the selected people, their grants, the search). */
export async function globalPageData(db: Db, auth: Auth, query: GlobalSelection, errors: FieldError[] = []) {
  const people = await findSelectedPeople(db, auth.account.id, query.person);
  const selection = { q: query.q, person: people.map((p) => p.id) };
  const fieldError = (field: string) => errors.find((e) => e.field === field)?.message;
  return {
    title: 'Global permissions',
    tabs: usersTabs(auth.account.edition, 'global'),
    canEdit: auth.person.license === 'read_write',
    ...(await globalResultsData(db, auth, query, people)),
    selected: people.map((p) => ({ id: p.id, name: p.name, email: p.email, removeUrl: globalUrl({ q: query.q, person: selection.person.filter((id) => id !== p.id) }) })),
    whom: people.length ? whom(people) : '',
    ...switchesOf(people),
    peopleError: fieldError(PEOPLE_FIELD),
    permissionsError: fieldError(PERMISSIONS_FIELD),
    form: { values: {}, errors: {}, summary: errors },
  };
}
export type GlobalPageData = Awaited<ReturnType<typeof globalPageData>>;
export { whom as globalWhom };
