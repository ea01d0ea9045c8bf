import type { FastifyInstance, FastifyRequest } from 'fastify';
import { actorOf } from '../history/record.js';
import { hasFeature } from '../permissions/editions.js';
import { requireSignedIn } from '../permissions/guard.js';
import type { AppDeps } from '../web/deps.js';
import { formWithErrors, parseForm } from '../web/forms.js';
import { NO_SUCH_DIVISION } from './forms.js';
import { NewRequestForm, RejectForm, RequestsQuery } from './request-forms.js';
import { approveRequest, insertRequest, rejectRequest } from './requests.js';
import {
  newRequestData,
  requestNotFound,
  requestNotice,
  requestPageData,
  requestsListData,
  requireCreateRequests,
  requireDecidableRequest,
  requireVisibleRequest,
  seesProjectOf,
} from './requests-page.js';

const idOf = (request: FastifyRequest) => String((request.params as { id?: unknown }).id ?? '');
const requestUrl = (id: string, notice?: string) => `/projects/requests/${encodeURIComponent(id)}${notice ? `?notice=${notice}` : ''}`;

/**
 * Project requests (SPEC §8): "New project request" needs the global "Create project requests", approving and
 * rejecting the global "Edit project requests", both with a Read & Write license (403 otherwise). A request is seen
 * by its requester and by the holders of "Edit project requests" (404 for anyone else). Every change is a form that
 * answers 303 with a notice. These static paths take precedence over /projects/:id and /projects/:id/:section.
 */
export default async function requestsRoutes(app: FastifyInstance, { db }: AppDeps) {
  app.get('/projects/requests', async (request, reply) => {
    const auth = requireSignedIn(request);
    const q = RequestsQuery.parse(request.query ?? {});
    return reply.render('projects/requests', await requestsListData(db, auth, q));
  });

  app.get('/projects/requests/new', async (request, reply) => {
    const auth = requireSignedIn(request);
    await requireCreateRequests(db, auth);
    return reply.render('projects/request-new', await newRequestData(db, auth));
  });

  app.post('/projects/requests/new', async (request, reply) => {
    const auth = requireSignedIn(request);
    await requireCreateRequests(db, auth);
    const parsed = parseForm(NewRequestForm, request.body);
    if (!parsed.ok) return reply.render('projects/request-new', await newRequestData(db, auth, parsed.form), { status: 422 });
    const { name, division, reason } = parsed.data;
    const divisionId = hasFeature(auth.account.edition, 'divisions') && division ? division : null;
    const created = await insertRequest(db, { ...actorOf(auth), personId: auth.person.id }, { name, divisionId, reason });
    if (!created.ok) {
      const form = formWithErrors(parsed.data, [{ field: 'division', message: NO_SUCH_DIVISION }]);
      return reply.render('projects/request-new', await newRequestData(db, auth, form), { status: 422 });
    }
    return reply.redirect(requestUrl(created.id, 'request-created'), 303);
  });

  app.get('/projects/requests/:id', async (request, reply) => {
    const auth = requireSignedIn(request);
    const found = await requireVisibleRequest(db, auth, idOf(request));
    return reply.render('projects/request', { ...(await requestPageData(db, auth, found)), ...requestNotice(request.query) });
  });

  app.post('/projects/requests/:id/approve', async (request, reply) => {
    const auth = requireSignedIn(request);
    const { request: found } = await requireDecidableRequest(db, auth, idOf(request));
    const result = await approveRequest(db, { ...actorOf(auth), personId: auth.person.id }, found.id, hasFeature(auth.account.edition, 'divisions'));
    if (result.status === 'missing') throw requestNotFound();
    if (result.status !== 'approved') return reply.redirect(requestUrl(found.id, 'request-decided'), 303);
    // to the new project, when the approver sees it (as its manager, or by a grant); otherwise back to the request
    if (!(await seesProjectOf(db, auth, result.projectId))) return reply.redirect(requestUrl(found.id, 'request-approved'), 303);
    const notice = result.managerId === auth.person.id && found.requestedBy !== auth.person.id ? 'request-approved-no-requester' : 'request-approved';
    return reply.redirect(`/projects/${encodeURIComponent(result.projectId)}?notice=${notice}`, 303);
  });

  app.post('/projects/requests/:id/reject', async (request, reply) => {
    const auth = requireSignedIn(request);
    const found = await requireDecidableRequest(db, auth, idOf(request));
    const id = found.request.id;
    const parsed = parseForm(RejectForm, request.body);
    if (!parsed.ok) {
      // a request decided meanwhile has no form to correct: say so instead
      if (found.request.state !== 'requested') return reply.redirect(requestUrl(id, 'request-decided'), 303);
      return reply.render('projects/request', await requestPageData(db, auth, found, parsed.form), { status: 422 });
    }
    const result = await rejectRequest(db, { ...actorOf(auth), personId: auth.person.id }, id, parsed.data.rejectionReason);
    if (result.status === 'missing') throw requestNotFound();
    return reply.redirect(requestUrl(id, result.status === 'rejected' ? 'request-rejected' : 'request-decided'), 303);
  });
}
