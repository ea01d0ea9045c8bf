import type { FastifyInstance } from 'fastify';
import { actorOf } from '../history/record.js';
import { requireSignedIn } from '../permissions/guard.js';
import type { AppDeps } from '../web/deps.js';
import { formWithErrors, parseForm } from '../web/forms.js';
import { isHtmx } from '../web/htmx.js';
import { hasFeature } from '../permissions/editions.js';
import { listUrl, NewProjectForm, NO_SUCH_DIVISION, ProjectsQuery } from './forms.js';
import { deletedNotice } from './manage-delete.js';
import { newProjectData, projectNotFound, projectPageData, projectsListData } from './pages.js';
import { insertProject, requireCreateProjects } from './projects.js';
import { sectionBySlug } from './sections.js';

export default async function projectRoutes(app: FastifyInstance, { db }: AppDeps) {
  app.get('/projects', async (request, reply) => {
    const auth = requireSignedIn(request);
    const search = ProjectsQuery.parse(request.query ?? {});
    if (isHtmx(request)) reply.header('HX-Replace-Url', listUrl('/projects', search));
    const deleted = isHtmx(request) ? {} : await deletedNotice(db, auth, request.query);
    // an htmx search gets the results only: no links to read
    return reply.render('projects/index', { ...(await projectsListData(db, auth, search, { links: !isHtmx(request) })), ...deleted }, { fragment: 'projects/_results' });
  });

  app.get('/projects/new', async (request, reply) => {
    const auth = await requireCreateProjects(db, request);
    return reply.render('projects/new', await newProjectData(db, auth));
  });

  app.post('/projects/new', async (request, reply) => {
    const auth = await requireCreateProjects(db, request);
    const parsed = parseForm(NewProjectForm, request.body);
    if (!parsed.ok) return reply.render('projects/new', await newProjectData(db, auth, parsed.form), { status: 422 });
    const divisionId = hasFeature(auth.account.edition, 'divisions') && parsed.data.division ? parsed.data.division : null;
    const created = await insertProject(db, { ...actorOf(auth), personId: auth.person.id }, { name: parsed.data.name, divisionId });
    if (!created.ok) {
      const form = formWithErrors(parsed.data, [{ field: 'division', message: NO_SUCH_DIVISION }]);
      return reply.render('projects/new', await newProjectData(db, auth, form), { status: 422 });
    }
    return reply.redirect(`/projects/${created.id}?notice=project-created`, 303);
  });

  app.get('/projects/:id', async (request, reply) => {
    const auth = requireSignedIn(request);
    const { id } = request.params as { id: string };
    return reply.render('projects/project', await projectPageData(db, auth, id));
  });

  // a section's page: /projects/:id/comments, /projects/:id/mind-maps, … (slugs in sections.ts); any other slug is
  // the same 404 as a project the person can't see
  app.get('/projects/:id/:section', async (request, reply) => {
    const auth = requireSignedIn(request);
    const { id, section } = request.params as { id: string; section: string };
    const key = sectionBySlug(section);
    if (!key) throw projectNotFound();
    return reply.render('projects/section', await projectPageData(db, auth, id, key));
  });
}
