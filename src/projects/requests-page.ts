/** What the project request pages show (SPEC §8): the list, the "New project request" form, a request, the notices. */
import type { Auth } from '../auth/session.js';
import type { Db } from '../db/client.js';
import { formatDate } from '../people/person-page.js';
import { hasFeature } from '../permissions/editions.js';
import { loadProjectAccess } from '../permissions/load.js';
import { seesProject } from '../permissions/resolve.js';
import { READ_ONLY_REFUSED } from '../permissions/guard.js';
import { emptyForm, type FormState } from '../web/forms.js';
import { HttpError } from '../web/http-errors.js';
import { listDivisionOptions } from './projects.js';
import { isRequestId, type RequestsQuery, requestsUrl, SHOW } from './request-forms.js';
import {
  findRequest,
  hasOwnRequests,
  listRequests,
  type RequestDetails,
  type RequestRights,
  requestRights,
  seesRequest,
  STATE_LABELS,
} from './requests.js';

export const DELETED_PERSON = 'Deleted person';
export const CREATE_REQUESTS_REFUSED =
  'Requesting a project needs the permission “Create project requests”. An administrator can grant it under User management, Global.';
export const DECIDE_REFUSED = 'Approving or rejecting project requests needs the permission “Edit project requests”. An administrator can grant it under User management, Global.';

/** Unknown, another account's, malformed, or not the person's to see: one and the same 404. */
export const requestNotFound = () => new HttpError(404, 'There is no project request at this address, or you don’t have access to it.');

/**
 * The links /projects shows: "New project", "New project request", and "Project requests" when there are requests
 * to see. The global grants are one read (cached); whether the person has requests of their own, one statement for
 * those without "Edit project requests".
 */
export async function requestLinks(db: Db, auth: Auth): Promise<{ mayCreate: boolean; mayRequest: boolean; mayListRequests: boolean }> {
  const rights = await requestRights(db, auth);
  const mayCreate = auth.person.license === 'read_write' && rights.grants.has('projects.create');
  return { mayCreate, mayRequest: rights.create, mayListRequests: rights.seeAll || (await hasOwnRequests(db, auth)) };
}

/** "New project request" and its POST: 403 without "Create project requests" and a Read & Write license. */
export async function requireCreateRequests(db: Db, auth: Auth): Promise<void> {
  if ((await requestRights(db, auth)).create) return;
  throw new HttpError(403, auth.person.license === 'read_write' ? CREATE_REQUESTS_REFUSED : READ_ONLY_REFUSED);
}

/** A request the person sees, with their rights; the 404 otherwise (two statements, one when the grants are cached). */
export async function requireVisibleRequest(db: Db, auth: Auth, id: string): Promise<{ request: RequestDetails; rights: RequestRights }> {
  if (!isRequestId(id)) throw requestNotFound();
  const [request, rights] = await Promise.all([findRequest(db, auth.account.id, id), requestRights(db, auth)]);
  if (!request || !seesRequest(auth, rights, request)) throw requestNotFound();
  return { request, rights };
}

/** Approving or rejecting: the request as above, then 403 without "Edit project requests" and Read & Write. */
export async function requireDecidableRequest(db: Db, auth: Auth, id: string) {
  const found = await requireVisibleRequest(db, auth, id);
  if (!found.rights.decide) throw new HttpError(403, auth.person.license === 'read_write' ? DECIDE_REFUSED : READ_ONLY_REFUSED);
  return found;
}

const requestsText = (n: number) => `${n} ${n === 1 ? 'request' : 'requests'}`;

/** /projects/requests: one page of the requests the person sees (one statement, and one for the grants). */
export async function requestsListData(db: Db, auth: Auth, q: RequestsQuery) {
  const rights = await requestRights(db, auth);
  const page = await listRequests(db, auth, rights.seeAll, q);
  const first = page.rows[0];
  const last = page.rows[page.rows.length - 1];
  const paged = Boolean(q.older || q.newer);
  const whose = rights.seeAll ? 'project requests' : 'your project requests';
  const waiting = q.show === 'waiting' ? ' waiting for a decision' : '';
  return {
    title: 'Project requests',
    seeAll: rights.seeAll,
    mayRequest: rights.create,
    show: q.show,
    showOptions: SHOW,
    rows: page.rows.map((r) => ({
      id: r.id,
      name: r.name,
      requester: r.requesterName ?? DELETED_PERSON,
      datetime: r.createdAt.toISOString(),
      date: formatDate(r.createdAt),
      state: STATE_LABELS[r.state],
    })),
    statusText: page.rows.length
      ? `${requestsText(page.rows.length)}${waiting} on this page, newest first.`
      : paged
        ? 'There are no requests on this page.'
        : q.show === 'waiting'
          ? `No ${whose} are waiting for a decision.`
          : rights.seeAll
            ? 'Nobody has requested a project yet.'
            : 'You have not requested any projects.',
    newestUrl: paged ? requestsUrl(q.show) : undefined,
    newerUrl: page.hasNewer && first ? requestsUrl(q.show, { newer: first.cursor }) : undefined,
    olderUrl: page.hasOlder && last ? requestsUrl(q.show, { older: last.cursor }) : undefined,
  };
}

/** /projects/requests/new: the form, with the "Division" select only in editions with divisions. */
export async function newRequestData(db: Db, auth: Auth, form: FormState = emptyForm({ name: '', division: '', reason: '' })) {
  const withDivisions = hasFeature(auth.account.edition, 'divisions');
  const divisions = withDivisions ? await listDivisionOptions(db, auth) : [];
  return {
    title: 'New project request',
    form,
    withDivisions,
    divisionOptions: { '': 'No division', ...Object.fromEntries(divisions.map((d) => [d.id, d.name])) },
  };
}

/** Whether the person sees the project (its overview): one statement, none while cached. */
export async function seesProjectOf(db: Db, auth: Auth, projectId: string): Promise<boolean> {
  const loaded = await loadProjectAccess(db, auth, projectId);
  return Boolean(loaded && seesProject(loaded.access));
}

/**
 * A request's page: what was asked, its state and decision, and (to those who decide, while it waits) the forms.
 * An approved request links to its project for those who see the project (one statement more).
 */
export async function requestPageData(db: Db, auth: Auth, found: { request: RequestDetails; rights: RequestRights }, reject: FormState = emptyForm({ rejectionReason: '' })) {
  const { request, rights } = found;
  const project = request.projectId && request.projectName !== null ? { id: request.projectId, name: request.projectName, visible: await seesProjectOf(db, auth, request.projectId) } : null;
  const decider = request.deciderName ?? DELETED_PERSON;
  const decidedOn = request.decidedAt ? formatDate(request.decidedAt) : '';
  return {
    title: `Project request: ${request.name}`,
    request: {
      id: request.id,
      name: request.name,
      state: request.state,
      stateLabel: STATE_LABELS[request.state],
      requester: request.requesterName ?? DELETED_PERSON,
      own: request.requestedBy === auth.person.id,
      datetime: request.createdAt.toISOString(),
      date: formatDate(request.createdAt),
      divisionName: request.divisionName,
      reason: request.reason,
      decidedDatetime: request.decidedAt?.toISOString(),
      approvedText: request.state === 'approved' ? `Approved by ${decider} on ${decidedOn}.` : undefined,
      rejectedText: request.state === 'rejected' ? `Rejected by ${decider} on ${decidedOn}:` : undefined,
      rejectionReason: request.rejectionReason ?? '',
      project,
    },
    withDivisions: hasFeature(auth.account.edition, 'divisions'),
    mayDecide: rights.decide && request.state === 'requested',
    managerName: request.requesterName ?? auth.person.name,
    reject,
    form: reject,
  };
}

/** The confirmations after a 303 (`?notice=key`) on the request pages: only these keys. */
const NOTICES: Record<string, string> = {
  'request-created': 'Project requested. Someone with “Edit project requests” will approve or reject it.',
  'request-rejected': 'Request rejected. The requester sees your reason on this page.',
  'request-approved': 'Project request approved. The project is created, and its requester is its manager.',
  'request-decided': 'Nothing changed: this request was decided already. Its state is shown below.',
};

/** The notice to show, as a template local (only our keys, so the layout's own notices still work). */
export function requestNotice(query: unknown): { notice?: string } {
  const key = (query as { notice?: unknown } | undefined)?.notice;
  return typeof key === 'string' && Object.hasOwn(NOTICES, key) ? { notice: NOTICES[key] } : {};
}
