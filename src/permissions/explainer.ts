/**
 * The access explainer (SPEC §6) at /settings/users/access?person=…&project=…: for one person and one project, every
 * permission with its verdict, the grants behind it and any cut by the license, the edition or the scope. It shows the
 * resolver's own answer (loadProjectAccess → resolvePermissions), the one every guard and navigation uses, so what it
 * explains is exactly what the person gets. With only a person or only a project, it lists the other to pick from.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Auth } from '../auth/session.js';
import type { Db } from '../db/client.js';
import { persons, projects } from '../db/schema.js';
import { VersionedCache } from '../db/versioned-cache.js';
import { LICENSES, type License } from '../licenses/rules.js';
import { escapeLike, searchPeople } from '../people/search.js';
import { findPermission, PERMISSIONS } from './catalog.js';
import { editionName } from './editions.js';
import { loadProjectAccess } from './load.js';
import { type ResolvedPermission, seesProject, visibleSections } from './resolve.js';
import { usersTabs } from './tabs.js';

export const ACCESS_PATH = '/settings/users/access';

const id = z.string().trim().regex(/^[A-Za-z0-9_-]{1,64}$/);

/** The explainer's address: ids that are not ids are dropped (the picker shows instead); the search text is bounded. */
export const AccessQuery = z.object({
  person: id.optional().catch(undefined),
  project: id.optional().catch(undefined),
  q: z.string().trim().max(200).optional().catch(undefined),
});
export type AccessQuery = z.infer<typeof AccessQuery>;

export function accessUrl(q: { person?: string; project?: string; q?: string }): string {
  const params = new URLSearchParams();
  if (q.person) params.set('person', q.person);
  if (q.project) params.set('project', q.project);
  if (q.q) params.set('q', q.q);
  const s = params.toString();
  return s ? `${ACCESS_PATH}?${s}` : ACCESS_PATH;
}

const PICK_LIMIT = 25;

/** One row of the explanation table. */
export interface PermissionLine {
  key: string;
  label: string;
  granted: boolean;
  reasons: readonly string[];
  cuts: readonly string[];
}

const line = (p: ResolvedPermission): PermissionLine => ({
  key: p.key,
  label: p.label,
  granted: p.granted,
  reasons: p.reasons,
  cuts: p.cuts.map((c) => (c.grant ? `${c.grant}: ${c.text}` : c.text)),
});

type ExplainedPerson = { id: string; name: string; email: string; license: string; isAdmin: boolean };
const explainedPeople = new VersionedCache<{ person: ExplainedPerson | undefined }>(2000);

/**
 * The person explained: one statement, none when kept under the account's people-list version (read with the
 * session; a change of a person's name, email, license or administrator flag, or their deletion, stamps it).
 */
async function findPerson(db: Db, auth: Auth, personId: string) {
  const accountId = auth.account.id;
  const { person } = await explainedPeople.get(db, accountId, auth.peopleListVersion, personId, async () => {
    const [row] = await db
      .select({ id: persons.id, name: persons.name, email: persons.email, license: persons.license, isAdmin: persons.isAdmin })
      .from(persons)
      .where(and(eq(persons.accountId, accountId), eq(persons.id, personId)));
    return { person: row };
  });
  return person;
}

async function findProject(db: Db, accountId: string, projectId: string) {
  const [row] = await db.select({ id: projects.id, name: projects.name }).from(projects).where(and(eq(projects.accountId, accountId), eq(projects.id, projectId)));
  return row;
}

/** The account's projects whose name contains the search (first 25 by name): to pick a project for a person. */
async function pickProjects(db: Db, accountId: string, q: string) {
  const match = q ? sql`lower(${projects.name}) like ${`%${escapeLike(q.toLowerCase())}%`}` : undefined;
  return db
    .select({ id: projects.id, name: projects.name })
    .from(projects)
    .where(and(eq(projects.accountId, accountId), match))
    .orderBy(asc(projects.name), asc(projects.id))
    .limit(PICK_LIMIT + 1);
}

export type AccessPageData = Awaited<ReturnType<typeof accessPageData>>;

/**
 * What the page shows; null when the person or the project named is not the account's (the route answers 404).
 * A bounded number of statements: the person (1), the project with everything that decides the access (1), or the
 * list to pick from (1); the first two none when kept under the versions read with the session.
 */
export async function accessPageData(db: Db, auth: Auth, query: AccessQuery) {
  const accountId = auth.account.id;
  const q = query.q ?? '';
  const person = query.person ? await findPerson(db, auth, query.person) : undefined;
  if (query.person && !person) return null;
  const base = {
    title: 'Access explainer',
    tabs: usersTabs(auth.account.edition, 'access'),
    q,
    person: person ? { ...person, licenseName: LICENSES[person.license as License] } : undefined,
    editionName: editionName(auth.account.edition),
  };
  if (person && query.project) {
    const loaded = await loadProjectAccess(db, auth, query.project, { id: person.id, license: person.license as License });
    if (!loaded) return null;
    const { access, project } = loaded;
    const lines = access.permissions.map(line);
    const byKind = (kind: 'read' | 'edit') => lines.filter((l) => findPermission(l.key as never).kind === kind);
    return {
      ...base,
      project,
      sees: seesProject(access),
      sections: visibleSections(access).map((s) => s.name),
      reading: byKind('read'),
      editing: byKind('edit'),
      grantedCount: lines.filter((l) => l.granted).length,
      total: PERMISSIONS.length,
      cutCount: lines.filter((l) => l.cuts.length > 0).length,
      changePersonUrl: accessUrl({ project: project.id }),
      changeProjectUrl: accessUrl({ person: person.id }),
    };
  }
  if (person) {
    const found = await pickProjects(db, accountId, q);
    return {
      ...base,
      projectChoices: found.slice(0, PICK_LIMIT).map((p) => ({ name: p.name, url: accessUrl({ person: person.id, project: p.id }) })),
      moreChoices: found.length > PICK_LIMIT,
    };
  }
  const project = query.project ? await findProject(db, accountId, query.project) : undefined;
  if (query.project && !project) return null;
  const found = await searchPeople(db, accountId, { q, limit: PICK_LIMIT, accountTotal: 0 });
  return {
    ...base,
    project,
    personChoices: found.rows.map((p) => ({ name: p.name, email: p.email, url: accessUrl({ person: p.id, project: project?.id }) })),
    moreChoices: found.extraRow,
  };
}
