/** What the project pages show: the list, the new-project form, a project's overview and its section pages. */
import type { Auth } from '../auth/session.js';
import type { Db } from '../db/client.js';
import { boundaryOf, neighbours } from '../people/cursor.js';
import type { SectionKey } from '../permissions/catalog.js';
import { hasFeature } from '../permissions/editions.js';
import { emptyForm, type FormState } from '../web/forms.js';
import { type ListQuery, pageLinks } from './forms.js';
import { listDivisionOptions } from './projects.js';
import { requestLinks } from './requests-page.js';
import { projectFrame, readProject } from './section-access.js';
import { SECTION_PURPOSES } from './sections.js';
import { listVisibleProjects } from './visible.js';

export const PAGE_SIZE = 25;

export { projectNotFound } from './section-access.js';

const projectsCount = (n: number) => `${n} ${n === 1 ? 'project' : 'projects'}`;

/**
 * /projects: one page of the projects the person sees (one statement), whether they may create one, and the links
 * to project requests (the global grants, cached; one statement more for someone without "Edit project requests").
 * Without `links` (an htmx search, which shows only the results) none of the links is read.
 */
export async function projectsListData(db: Db, auth: Auth, search: ListQuery, opts: { links: boolean } = { links: true }) {
  const { q } = search;
  const noLinks = { mayCreate: false, mayRequest: false, mayListRequests: false };
  const [result, links] = await Promise.all([
    listVisibleProjects(db, auth, { q, limit: PAGE_SIZE, ...boundaryOf(search) }),
    opts.links ? requestLinks(db, auth) : noLinks,
  ]);
  const paged = Boolean(search.after || search.before);
  const total = result.total;
  return {
    title: 'Projects',
    q,
    rows: result.rows,
    pastTheEnd: result.rows.length === 0 && paged,
    pager: pageLinks('/projects', q, result.rows, neighbours(search, result.extraRow)),
    countText: total === undefined ? 'No projects on this page' : q ? `${projectsCount(total)} found` : `${projectsCount(total)} you can see`,
    ...links,
  };
}

/** /projects/new: the form, with the "Division" select only in editions with divisions. */
export async function newProjectData(db: Db, auth: Auth, form: FormState = emptyForm({ name: '', division: '' })) {
  const withDivisions = hasFeature(auth.account.edition, 'divisions');
  const divisions = withDivisions ? await listDivisionOptions(db, auth) : [];
  return {
    title: 'New project',
    form,
    withDivisions,
    divisionOptions: { '': 'No division', ...Object.fromEntries(divisions.map((d) => [d.id, d.name])) },
  };
}

/** A project the person sees, with the sections they can read; 404 otherwise (one statement, two when locked). */
export async function projectPageData(db: Db, auth: Auth, projectId: string, section?: SectionKey) {
  const ctx = await readProject(db, auth, projectId, section);
  return { ...projectFrame(ctx, section), purpose: section ? SECTION_PURPOSES[section] : undefined };
}
