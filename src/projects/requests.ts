/**
 * Project requests (SPEC §8): someone with "Create project requests" asks for a project; someone with "Edit project
 * requests" approves it (the project is created, the requester holds its Managers role) or rejects it with a reason.
 * A request is not a project: it appears on no project list and has no sections. Its requester sees it, and so do
 * the holders of "Edit project requests"; every query is scoped to the account, so another account's ids find
 * nothing. Deciding locks the request's row, so two decisions never both apply.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Auth } from '../auth/session.js';
import { newId } from '../crypto.js';
import { type Db, preparedRows, type Tx } from '../db/client.js';
import { persons, projectRequests } from '../db/schema.js';
import { type Actor, recordHistory } from '../history/record.js';
import type { RequestCursor, RequestsQuery } from './request-forms.js';
import { createProject, holdDivision, type ProjectGrant, projectGrants } from './projects.js';

export type RequestState = 'requested' | 'approved' | 'rejected';
export const STATE_LABELS: Record<RequestState, string> = { requested: 'Requested', approved: 'Approved', rejected: 'Rejected' };

/** What the person may do with requests: ask for a project, see everyone's, decide (approve or reject). */
export interface RequestRights {
  /** the global grants they come from ("Create projects" among them) */
  grants: ReadonlySet<ProjectGrant>;
  create: boolean;
  seeAll: boolean;
  decide: boolean;
}

/**
 * From the global grants (cached under the access version): creating and deciding need a Read & Write license;
 * a Read-Only holder of "Edit project requests" sees every request but decides none.
 */
export async function requestRights(db: Db, auth: Auth): Promise<RequestRights> {
  const grants = await projectGrants(db, auth);
  const writes = auth.person.license === 'read_write';
  return { grants, create: writes && grants.has('projectRequests.create'), seeAll: grants.has('projectRequests.edit'), decide: writes && grants.has('projectRequests.edit') };
}

/** Whether the person has asked for any project (their requests are theirs to see): one statement. */
export async function hasOwnRequests(db: Db, auth: Auth): Promise<boolean> {
  const run = preparedRows<{ yes: boolean }>(
    db,
    'project_requests_own_exists',
    () => sql`select exists (select 1 from project_requests r
      where r.account_id = ${sql.placeholder('account')} and r.requested_by = ${sql.placeholder('person')}) as yes`,
  );
  const [row] = await run({ account: auth.account.id, person: auth.person.id });
  return Boolean(row?.yes);
}

export type NewRequestResult = { ok: true; id: string } | { ok: false; field: 'division' };

/**
 * A request in state "Requested" by the actor, with its history entry. `divisionId` must be one of the account's
 * divisions (kept until the transaction ends); callers pass null in editions without divisions.
 */
export async function insertRequest(
  db: Db,
  actor: Actor & { personId: string },
  p: { name: string; divisionId: string | null; reason: string },
): Promise<NewRequestResult> {
  return db.transaction(async (tx) => {
    if (p.divisionId && !(await holdDivision(tx, actor.accountId, p.divisionId))) return { ok: false, field: 'division' } as const;
    const id = newId();
    await tx.insert(projectRequests).values({ id, accountId: actor.accountId, name: p.name, divisionId: p.divisionId, reason: p.reason, requestedBy: actor.personId });
    await recordHistory(tx, actor, {
      kind: 'projectRequest.created',
      subject: { type: 'project_request', id },
      after: { name: p.name, ...(p.divisionId ? { division: p.divisionId } : {}) },
    });
    return { ok: true, id } as const;
  });
}

export interface RequestSummary {
  id: string;
  name: string;
  state: RequestState;
  createdAt: Date;
  /** the requester's current name; null once deleted */
  requesterName: string | null;
  /** the position in the list, for the page links */
  cursor: RequestCursor;
}

/** How many requests a page of the list shows. */
export const REQUESTS_PAGE_SIZE = 50;

type Direction = 'first' | 'older' | 'newer';

/**
 * One statement per shape (whose requests, which states, which way), prepared once: the requests newest first (for
 * `newer`, oldest first from the cursor; the caller reverses them), with the requester's name, `limit` rows.
 * The account's requests come through its (account_id, created_at, id) index; a person's own through requested_by.
 */
function listStatement(db: Db, own: boolean, waiting: boolean, direction: Direction) {
  const name = `project_requests_list_${own ? 'own' : 'all'}_${waiting ? 'waiting' : 'any'}_${direction}`;
  return preparedRows<{ id: string; name: string; state: RequestState; createdAt: Date | string; requesterName: string | null; micros: string }>(db, name, () => {
      const where = [sql`r.account_id = ${sql.placeholder('account')}`];
      if (own) where.push(sql`r.requested_by = ${sql.placeholder('person')}`);
      if (waiting) where.push(sql`r.state = 'requested'`);
      if (direction !== 'first') {
        const at = sql`(select timestamptz 'epoch' + ${sql.placeholder('micros')}::bigint * interval '1 microsecond')`;
        where.push(sql`(r.created_at, r.id) ${sql.raw(direction === 'newer' ? '>' : '<')} (${at}, (select ${sql.placeholder('id')}::text))`);
      }
      const dir = sql.raw(direction === 'newer' ? 'asc' : 'desc');
      return sql`select r.id, r.name, r.state, r.created_at as "createdAt", p.name as "requesterName",
          ((extract(epoch from r.created_at) * 1000000)::bigint)::text as micros
        from project_requests r
        left join persons p on p.account_id = r.account_id and p.id = r.requested_by
        where ${sql.join(where, sql` and `)}
        order by r.created_at ${dir}, r.id ${dir}
        limit ${sql.raw(String(REQUESTS_PAGE_SIZE + 1))}`;
    });
}

export interface RequestsPage {
  rows: RequestSummary[];
  hasOlder: boolean;
  hasNewer: boolean;
}

/**
 * One page of the requests the person sees (every one of the account's with `all`, otherwise their own), newest
 * first: one statement whatever the number of requests (keyset pages, never OFFSET).
 */
export async function listRequests(db: Db, auth: Auth, all: boolean, q: RequestsQuery): Promise<RequestsPage> {
  const direction: Direction = q.older ? 'older' : q.newer ? 'newer' : 'first';
  const cursor = q.older ?? q.newer;
  const run = listStatement(db, !all, q.show === 'waiting', direction);
  const read = await run({ account: auth.account.id, person: auth.person.id, micros: cursor?.micros ?? '0', id: cursor?.id ?? '' });
  const extra = read.length > REQUESTS_PAGE_SIZE;
  const page = read.slice(0, REQUESTS_PAGE_SIZE);
  if (direction === 'newer') page.reverse();
  const rows = page.map((r) => ({
    id: r.id,
    name: r.name,
    state: r.state,
    createdAt: new Date(r.createdAt),
    requesterName: r.requesterName,
    cursor: { micros: r.micros, id: r.id },
  }));
  return direction === 'newer' ? { rows, hasNewer: extra, hasOlder: true } : { rows, hasOlder: extra, hasNewer: direction === 'older' };
}

export interface RequestDetails {
  id: string;
  name: string;
  state: RequestState;
  reason: string;
  createdAt: Date;
  requestedBy: string | null;
  requesterName: string | null;
  divisionName: string | null;
  decidedAt: Date | null;
  deciderName: string | null;
  rejectionReason: string | null;
  projectId: string | null;
  /** the approved project's current name; null once it is deleted */
  projectName: string | null;
}

const FIND = () => sql`select r.id, r.name, r.state, r.reason, r.created_at as "createdAt", r.requested_by as "requestedBy",
    rp.name as "requesterName", d.name as "divisionName", r.decided_at as "decidedAt", dp.name as "deciderName",
    r.rejection_reason as "rejectionReason", r.project_id as "projectId", pr.name as "projectName"
  from project_requests r
  left join persons rp on rp.account_id = r.account_id and rp.id = r.requested_by
  left join persons dp on dp.account_id = r.account_id and dp.id = r.decided_by
  left join divisions d on d.account_id = r.account_id and d.id = r.division_id
  left join projects pr on pr.account_id = r.account_id and pr.id = r.project_id
  where r.account_id = ${sql.placeholder('account')} and r.id = ${sql.placeholder('id')}`;

/** One of the account's requests with the names it shows (one statement); undefined for any other id. */
export async function findRequest(db: Db, accountId: string, id: string): Promise<RequestDetails | undefined> {
  const run = preparedRows<Omit<RequestDetails, 'createdAt' | 'decidedAt'> & { createdAt: Date | string; decidedAt: Date | string | null }>(db, 'project_requests_find', FIND);
  const [row] = await run({ account: accountId, id });
  if (!row) return undefined;
  return { ...row, createdAt: new Date(row.createdAt), decidedAt: row.decidedAt === null ? null : new Date(row.decidedAt) };
}

/** Whether the person sees the request: its requester, and the holders of "Edit project requests". */
export const seesRequest = (auth: Auth, rights: RequestRights, request: { requestedBy: string | null }) =>
  rights.seeAll || request.requestedBy === auth.person.id;

export type DecideResult = { status: 'missing' } | { status: 'decided'; state: RequestState } | { status: 'approved'; projectId: string; managerId: string } | { status: 'rejected' };

/** The request's row, locked until the transaction ends (decisions on one request take turns). */
async function lockRequest(tx: Tx, accountId: string, id: string) {
  const [row] = await tx
    .select({ name: projectRequests.name, state: projectRequests.state, requestedBy: projectRequests.requestedBy, divisionId: projectRequests.divisionId })
    .from(projectRequests)
    .where(and(eq(projectRequests.accountId, accountId), eq(projectRequests.id, id)))
    .for('update');
  return row;
}

/**
 * Approves a waiting request in one transaction: creates its project (in its division when the edition has
 * divisions and the division still exists) with the requester as the holder of its Managers role — the approver
 * when the requester has been deleted — and marks the request approved. History: 'projectRequest.approved',
 * 'project.created' and 'project.roles' (the Managers holder). A request decided already changes nothing.
 *
 * Locks are taken in the order that deleting a person or a division takes them (their row, then — by the foreign
 * key's "set null" — the request's), so neither can deadlock with an approval: the requester's row (key share),
 * the division's (share), then the request's (update).
 */
export async function approveRequest(db: Db, actor: Actor & { personId: string }, id: string, withDivisions: boolean): Promise<DecideResult> {
  const { accountId } = actor;
  return db.transaction(async (tx) => {
    const [seen] = await tx
      .select({ requestedBy: projectRequests.requestedBy, divisionId: projectRequests.divisionId })
      .from(projectRequests)
      .where(and(eq(projectRequests.accountId, accountId), eq(projectRequests.id, id)));
    if (!seen) return { status: 'missing' } as const;
    const [requester] = seen.requestedBy
      ? await tx
          .select({ id: persons.id })
          .from(persons)
          .where(and(eq(persons.accountId, accountId), eq(persons.id, seen.requestedBy)))
          .for('key share')
      : [];
    const division = withDivisions && seen.divisionId && (await holdDivision(tx, accountId, seen.divisionId)) ? seen.divisionId : null;
    const request = await lockRequest(tx, accountId, id);
    if (!request) return { status: 'missing' } as const;
    if (request.state !== 'requested') return { status: 'decided', state: request.state } as const;
    const managerId = requester && request.requestedBy === requester.id ? requester.id : actor.personId;
    const divisionId = division && request.divisionId === division ? division : null;
    const created = await createProject(tx, actor, { name: request.name, divisionId, managerId });
    if (!created.ok) throw new Error('the division was held, yet not found'); // holdDivision kept it: can't happen
    await tx
      .update(projectRequests)
      .set({ state: 'approved', decidedBy: actor.personId, decidedAt: sql`now()`, projectId: created.id })
      .where(and(eq(projectRequests.accountId, accountId), eq(projectRequests.id, id)));
    await recordHistory(tx, actor, { kind: 'project.roles', subject: { type: 'project', id: created.id }, after: { role: 'managers', person: managerId } });
    await recordHistory(tx, actor, {
      kind: 'projectRequest.approved',
      subject: { type: 'project_request', id },
      before: { state: 'requested' },
      after: { state: 'approved' },
    });
    return { status: 'approved', projectId: created.id, managerId } as const;
  });
}

/** Rejects a waiting request with the reason its requester will read; history 'projectRequest.rejected'. */
export async function rejectRequest(db: Db, actor: Actor & { personId: string }, id: string, reason: string): Promise<DecideResult> {
  const { accountId } = actor;
  return db.transaction(async (tx) => {
    const request = await lockRequest(tx, accountId, id);
    if (!request) return { status: 'missing' } as const;
    if (request.state !== 'requested') return { status: 'decided', state: request.state } as const;
    await tx
      .update(projectRequests)
      .set({ state: 'rejected', decidedBy: actor.personId, decidedAt: sql`now()`, rejectionReason: reason })
      .where(and(eq(projectRequests.accountId, accountId), eq(projectRequests.id, id)));
    await recordHistory(tx, actor, {
      kind: 'projectRequest.rejected',
      subject: { type: 'project_request', id },
      before: { state: 'requested' },
      after: { state: 'rejected', rejectionReason: reason },
    });
    return { status: 'rejected' } as const;
  });
}
