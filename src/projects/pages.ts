/** What the project pages show: the list, the new-project form, a project's overview and its section pages. */
import type { Auth } from '../auth/session.js';
import type { Db } from '../db/client.js';
import { boundaryOf, neighbours } from '../people/cursor.js';
import type { SectionKey } from '../permissions/catalog.js';
import { hasFeature } from '../permissions/editions.js';
import { loadProjectAccess } from '../permissions/load.js';
import { canRead, seesProject, visibleSections } from '../permissions/resolve.js';
import { emptyForm, type FormState } from '../web/forms.js';
import { HttpError } from '../web/http-errors.js';
import { type ListQuery, pageLinks } from './forms.js';
import { canCreateProjects, listDivisionOptions } from './projects.js';
import { SECTION_PURPOSES, sectionLinks } from './sections.js';
import { listVisibleProjects } from './visible.js';

export const PAGE_SIZE = 25;

/** Unknown, another account's, or not visible to this person: one and the same 404, so nothing leaks. */
export const projectNotFound = () => new HttpError(404, 'There is no project at this address, or you don’t have access to it.');

const projectsCount = (n: number) => `${n} ${n === 1 ? 'project' : 'projects'}`;

/** /projects: one page of the projects the person sees (one statement), and whether they may create one. */
export async function projectsListData(db: Db, auth: Auth, search: ListQuery) {
  const { q } = search;
  const [result, mayCreate] = await Promise.all([
    listVisibleProjects(db, auth, { q, limit: PAGE_SIZE, ...boundaryOf(search) }),
    canCreateProjects(db, auth),
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
    mayCreate,
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

/** A project the person sees, with the sections they can read; 404 otherwise (one statement). */
export async function projectPageData(db: Db, auth: Auth, projectId: string, section?: SectionKey) {
  const loaded = await loadProjectAccess(db, auth, projectId);
  if (!loaded || !seesProject(loaded.access)) throw projectNotFound();
  if (section && !canRead(loaded.access, section)) throw projectNotFound();
  const sections = visibleSections(loaded.access);
  const current = section && sections.find((s) => s.key === section);
  return {
    title: current ? `${current.name} – ${loaded.project.name}` : loaded.project.name,
    project: loaded.project,
    sectionLinks: sectionLinks(loaded.project.id, sections, section),
    section: current && { name: current.name, purpose: SECTION_PURPOSES[current.key] },
  };
}
