// Project requests (SPEC §8): "New project request" with "Create project requests", approving and rejecting with
// "Edit project requests" (Read & Write for both), who sees which request (its requester, the editors; 404 for
// anyone else and another account), approval creating the project with the requester as its manager (once, also
// under concurrent approvals), rejection with a reason the requester reads, history entries, the links on
// /projects, keyset pages and the statement counts of the pages.
import { and, eq } from 'drizzle-orm';
import t from 'tap';
import { newId } from '../../src/crypto.js';
import type { Db } from '../../src/db/client.js';
import { accounts, divisions, globalGrants, persons, projectRequests, projectRoles, projects } from '../../src/db/schema.js';
import type { PermissionKey } from '../../src/permissions/catalog.js';
import type { Edition } from '../../src/permissions/editions.js';
import { Agent, signIn, signUp } from '../helpers/agent.js';
import { buildSecondInstance } from '../helpers/build.js';
import { insertPerson } from '../helpers/factories.js';
import { signedUpAccount } from '../helpers/signed-up.js';
import { historyOf, statements } from '../helpers/project-pages.js';

// a dozen organizations, two app instances and a few hundred requests: more than the default 120 s on a busy machine
t.setTimeout(300_000);

const PASSWORD = 'a long enough password';
type Test = Parameters<typeof signedUpAccount>[0];

const decode = (text: string) => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
const mainText = (body: string) => decode((/<main[^>]*>([\s\S]*)<\/main>/.exec(body)?.[1] ?? '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim());
const requestsOf = (db: Db) => db.select().from(projectRequests).orderBy(projectRequests.createdAt);
const requestLinks = (body: string) => [...body.matchAll(/<td><a href="\/projects\/requests\/[^"]+">([^<]*)<\/a>/g)].map((m) => m[1]);

async function grant(db: Db, accountId: string, personId: string, permissions: PermissionKey[]) {
  await db.insert(globalGrants).values(permissions.map((permission) => ({ accountId, personId, permission })));
}

/**
 * An organization on `edition` with a division "Sales" and: Rita (Read & Write, "Create project requests"), Eddie
 * (Read & Write, "Edit project requests"), Olaf (Read & Write, neither), Rolf (Read-Only, both).
 */
async function setup(t: Test, edition: Edition = 'enterprise') {
  const ctx = await signedUpAccount(t);
  const { db, account, app } = ctx;
  await db.update(accounts).set({ edition }).where(eq(accounts.id, account.id));
  const sales = newId();
  await db.insert(divisions).values({ id: sales, accountId: account.id, name: 'Sales' });
  const person = async (name: string, email: string, license: 'read_write' | 'read_only', permissions: PermissionKey[]) => {
    const row = await insertPerson(db, { name, email, license, password: PASSWORD });
    if (permissions.length) await grant(db, account.id, row.id, permissions);
    return { row, agent: await signIn(app, email, PASSWORD) };
  };
  const rita = await person('Rita Requester', 'rita@acme.test', 'read_write', ['projectRequests.create']);
  const eddie = await person('Eddie Editor', 'eddie@acme.test', 'read_write', ['projectRequests.edit']);
  const olaf = await person('Olaf Other', 'olaf@acme.test', 'read_write', []);
  const rolf = await person('Rolf Readonly', 'rolf@acme.test', 'read_only', ['projectRequests.create', 'projectRequests.edit']);
  return { ...ctx, sales, rita, eddie, olaf, rolf };
}

/** Rita asks for a project through the form; the new request's id. */
async function requestProject(agent: Agent, form: Record<string, string> = {}) {
  const res = await agent.post('/projects/requests/new', { name: 'Apollo', division: '', reason: '', ...form });
  if (res.statusCode !== 303) throw new Error(`request failed: ${res.statusCode} ${mainText(res.body).slice(0, 300)}`);
  const m = /^\/projects\/requests\/([A-Za-z0-9_-]+)\?notice=request-created$/.exec(String(res.headers.location));
  if (!m) throw new Error(`unexpected location ${res.headers.location}`);
  return m[1]!;
}

t.test('"New project request": the form, who may use it, a request in state "Requested" that is not a project', async (t) => {
  const { db, sales, rita, eddie, olaf, rolf } = await setup(t);
  const form = await rita.agent.get('/projects/requests/new');
  t.equal(form.statusCode, 200);
  t.match(form.body, '<h1>New project request</h1>');
  t.match(form.body, '<label for="name">Project name</label>');
  t.match(form.body, '<label for="division">Division</label>', 'Enterprise: the division select');
  t.match(form.body, `<option value="${sales}">Sales</option>`);
  t.match(form.body, '<label for="reason">Why is this project needed?</label>');
  t.match(form.body, '<textarea id="reason" name="reason"');

  for (const [who, agent] of [['Eddie (no "Create project requests")', eddie.agent], ['Olaf', olaf.agent]] as const) {
    t.equal((await agent.get('/projects/requests/new')).statusCode, 403, `${who}: 403`);
    const refused = await agent.post('/projects/requests/new', { name: 'Sneaky' });
    t.equal(refused.statusCode, 403, `${who}: POST 403`);
    t.match(refused.body, 'Create project requests');
  }
  const readOnly = await rolf.agent.post('/projects/requests/new', { name: 'Sneaky' });
  t.equal(readOnly.statusCode, 403, 'Read-Only with the grant: 403');
  t.match(readOnly.body, 'Your license is Read-Only');
  t.equal((await rolf.agent.get('/projects/requests/new')).statusCode, 403);
  t.same(await requestsOf(db), [], 'nothing requested');

  const res = await rita.agent.post('/projects/requests/new', { name: '  Apollo <One>  ', division: sales, reason: 'We need it.\r\nSoon.' });
  t.equal(res.statusCode, 303);
  const [row] = await requestsOf(db);
  t.equal(res.headers.location, `/projects/requests/${row!.id}?notice=request-created`);
  t.match(row, { name: 'Apollo <One>', divisionId: sales, reason: 'We need it.\nSoon.', requestedBy: rita.row.id, state: 'requested', decidedBy: null, projectId: null });
  const [entry] = await historyOf(db, 'projectRequest.created');
  t.match(entry, { actorId: rita.row.id, subjectType: 'project_request', subjectId: row!.id, after: { name: 'Apollo <One>', division: sales } });

  const page = await rita.agent.get(res.headers.location as string);
  t.equal(page.statusCode, 200);
  t.match(page.body, '<div id="live-status" class="notice" role="status">Project requested.');
  t.match(page.body, '<h1>Project request: Apollo &lt;One&gt;</h1>');
  t.match(mainText(page.body), 'State Requested Project name Apollo <One> Requested by Rita Requester (you)');
  t.match(mainText(page.body), 'Division Sales Why is this project needed? We need it. Soon.');
  t.notMatch(page.body, 'Approve', 'the requester decides nothing');

  t.same(await db.select().from(projects), [], 'a requested project is not a project');
  const list = await rita.agent.get('/projects');
  t.match(list.body, 'There are no projects you can see yet.', 'not on /projects');
  t.equal((await rita.agent.get(`/projects/${row!.id}`)).statusCode, 404, 'no project page');
  t.equal((await rita.agent.get(`/projects/${row!.id}/tasks`)).statusCode, 404, 'no sections');
});

t.test('bad input: 422 with the error summary and the field\'s message, nothing saved', async (t) => {
  const { app, db, rita } = await setup(t);
  const other = await signUp(app, { email: 'olga@other.test', organizationName: 'Other Ltd' });
  t.ok(other);
  const [otherAccount] = await db.select().from(accounts).where(eq(accounts.name, 'Other Ltd'));
  const foreignDivision = newId();
  await db.insert(divisions).values({ id: foreignDivision, accountId: otherAccount!.id, name: 'Foreign' });
  const cases: [string, Record<string, string>, string, string][] = [
    ['no name', { name: '   ' }, 'name', 'Enter a project name'],
    ['a name too long', { name: 'x'.repeat(121) }, 'name', 'Project name must be 120 characters or fewer'],
    ['a reason too long', { name: 'Apollo', reason: 'y'.repeat(2001) }, 'reason', 'The reason must be 2,000 characters or fewer'],
    ['another account\'s division', { name: 'Apollo', division: foreignDivision }, 'division', 'Choose one of your organization’s divisions'],
    ['an odd division', { name: 'Apollo', division: '../x' }, 'division', 'Choose one of your organization’s divisions'],
  ];
  for (const [what, form, field, message] of cases) {
    for (const htmx of [false, true]) {
      const res = await rita.agent.post('/projects/requests/new', form, { htmx });
      t.equal(res.statusCode, 422, `${what}${htmx ? ' (htmx)' : ''}: 422`);
      t.match(res.body, `<a href="#${field}">${message}`, 'in the error summary');
      t.match(res.body, `<p class="error-message" id="${field}-error"><span class="visually-hidden">Error:</span> ${message}`, 'next to the field');
      t.match(res.body, '<title>Error: New project request – Accord</title>');
    }
  }
  t.same(await requestsOf(db), [], 'nothing saved');
  t.same(await historyOf(db, 'projectRequest.created'), []);
  const long = await rita.agent.post('/projects/requests/new', { name: 'Apollo', reason: 'y'.repeat(2000) });
  t.equal(long.statusCode, 303, 'a reason of 2,000 characters is fine');
});

t.test('Professional (no divisions): no "Division" field, and a division sent anyway is ignored', async (t) => {
  const { db, sales, rita, eddie } = await setup(t, 'professional');
  const form = await rita.agent.get('/projects/requests/new');
  t.notMatch(form.body, 'id="division"');
  const id = await requestProject(rita.agent, { division: sales });
  t.equal((await requestsOf(db))[0]!.divisionId, null);
  t.notMatch(mainText((await rita.agent.get(`/projects/requests/${id}`)).body), 'Division');
  const approved = await eddie.agent.post(`/projects/requests/${id}/approve`);
  t.equal(approved.statusCode, 303);
  t.equal((await db.select().from(projects))[0]!.divisionId, null);
});

t.test('who sees what: the requester and the editors; others, odd ids and another account get 404', async (t) => {
  const { app, db, account, rita, eddie, olaf, rolf } = await setup(t);
  const id = await requestProject(rita.agent);
  const url = `/projects/requests/${id}`;

  t.equal((await rita.agent.get(url)).statusCode, 200, 'the requester');
  const editor = await eddie.agent.get(url);
  t.equal(editor.statusCode, 200, 'an editor');
  t.match(editor.body, '<button type="submit" class="button">Approve</button>');
  t.match(editor.body, '<label for="rejectionReason">Reason for rejecting</label>');
  t.match(mainText(editor.body), 'with Rita Requester as its manager');
  const readOnly = await rolf.agent.get(url);
  t.equal(readOnly.statusCode, 200, 'Read-Only with "Edit project requests": sees it');
  t.notMatch(readOnly.body, '/approve', 'but gets no Approve');
  t.notMatch(readOnly.body, 'rejectionReason', 'and no Reject');

  const notFound = mainText((await olaf.agent.get('/projects/requests/no-such-request')).body);
  t.match(notFound, 'There is no project request at this address');
  const hidden = await olaf.agent.get(url);
  t.equal(hidden.statusCode, 404, 'someone else: 404');
  t.equal(mainText(hidden.body), notFound, 'the same 404 as an unknown id');
  for (const odd of ['x', '1e309', '-1', '99999999999999999999999', '%00', 'a'.repeat(65), '%F0%9F%98%80']) {
    t.equal((await eddie.agent.get(`/projects/requests/${odd}`)).statusCode, 404, `odd id ${odd}: 404`);
    t.equal((await eddie.agent.post(`/projects/requests/${odd}/approve`)).statusCode, 404, `approve ${odd}: 404`);
    t.equal((await eddie.agent.post(`/projects/requests/${odd}/reject`, { rejectionReason: 'No' })).statusCode, 404, `reject ${odd}: 404`);
  }

  // deciding: 404 for those who can't see it, 403 for those who can but may not decide
  t.equal((await olaf.agent.post(`${url}/approve`)).statusCode, 404, 'someone else: approve 404');
  t.equal((await olaf.agent.post(`${url}/reject`, { rejectionReason: 'No' })).statusCode, 404, 'reject 404');
  const own = await rita.agent.post(`${url}/approve`);
  t.equal(own.statusCode, 403, 'the requester can\'t approve their own');
  t.match(own.body, 'Edit project requests');
  t.equal((await rita.agent.post(`${url}/reject`, { rejectionReason: 'No' })).statusCode, 403);
  const refused = await rolf.agent.post(`${url}/approve`);
  t.equal(refused.statusCode, 403, 'Read-Only: approve 403');
  t.match(refused.body, 'Your license is Read-Only');
  t.equal((await rolf.agent.post(`${url}/reject`, { rejectionReason: 'No' })).statusCode, 403, 'Read-Only: reject 403');
  t.equal((await rolf.agent.post(`${url}/approve`, {}, { htmx: true })).statusCode, 403, 'with htmx too');

  const other = await signUp(app, { email: 'olga@other.test', organizationName: 'Other Ltd' });
  const [olga] = await db.select().from(persons).where(eq(persons.email, 'olga@other.test'));
  await grant(db, olga!.accountId, olga!.id, ['projectRequests.create', 'projectRequests.edit']);
  t.equal((await other.get(url)).statusCode, 404, 'another account\'s editor: 404');
  t.equal((await other.post(`${url}/approve`)).statusCode, 404);
  t.equal((await other.post(`${url}/reject`, { rejectionReason: 'No' })).statusCode, 404);
  t.same(requestLinks((await other.get('/projects/requests')).body), [], 'not on their list');
  const foreign = await requestProject(other, { name: 'Foreign' });
  t.equal((await eddie.agent.get(`/projects/requests/${foreign}`)).statusCode, 404, 'nor theirs on ours');
  t.equal((await eddie.agent.post(`/projects/requests/${foreign}/approve`)).statusCode, 404);

  t.match((await requestsOf(db)).map((r) => r.state), ['requested', 'requested'], 'nothing decided');
  t.same(await db.select().from(projects), []);

  // the lists: the requester's own, every request for an editor, none for someone else
  const olafsOwn = newId();
  await db.insert(projectRequests).values({ id: olafsOwn, accountId: account.id, name: 'Olaf’s old idea', requestedBy: olaf.row.id });
  t.same(requestLinks((await rita.agent.get('/projects/requests')).body), ['Apollo']);
  t.same(requestLinks((await eddie.agent.get('/projects/requests')).body), ['Olaf’s old idea', 'Apollo']);
  t.same(requestLinks((await rolf.agent.get('/projects/requests')).body), ['Olaf’s old idea', 'Apollo'], 'Read-Only editor: every request');
  t.same(requestLinks((await olaf.agent.get('/projects/requests')).body), ['Olaf’s old idea'], 'without grants: only their own');
  t.equal((await olaf.agent.get(`/projects/requests/${olafsOwn}`)).statusCode, 200, 'their own, without any grant');
  const [ada] = await db.select().from(persons).where(eq(persons.email, 'ada@acme.test'));
  const adaAgent = await signIn(app, 'ada@acme.test', 'correct horse battery');
  t.match(mainText((await adaAgent.get('/projects/requests')).body), 'You have not requested any projects.', 'an administrator is no editor');
  t.equal((await adaAgent.get(url)).statusCode, 404, 'nor sees the request');
  t.ok(ada);
  const table = (await eddie.agent.get('/projects/requests')).body;
  t.match(table, '<th scope="col">Project name</th><th scope="col">Requested by</th><th scope="col">Date</th><th scope="col">State</th>');
  t.match(mainText(table), 'Apollo Rita Requester');
});

t.test('the links on /projects: "New project request" with the grant, "Project requests" when there are requests to see', async (t) => {
  const { db, account, rita, eddie, olaf, rolf } = await setup(t);
  const links = async (agent: Agent) => {
    const body = (await agent.get('/projects')).body;
    return { request: body.includes('href="/projects/requests/new">New project request</a>'), list: body.includes('<a href="/projects/requests">Project requests</a>') };
  };
  t.same(await links(rita.agent), { request: true, list: false }, 'Rita before her first request');
  await requestProject(rita.agent);
  t.same(await links(rita.agent), { request: true, list: true }, 'Rita with a request');
  t.same(await links(eddie.agent), { request: false, list: true }, 'an editor');
  t.same(await links(rolf.agent), { request: false, list: true }, 'Read-Only: no new requests, but sees them');
  t.same(await links(olaf.agent), { request: false, list: false }, 'neither');
  await db.insert(projectRequests).values({ id: newId(), accountId: account.id, name: 'Old', requestedBy: olaf.row.id });
  t.same(await links(olaf.agent), { request: false, list: true }, 'a request from when he had the grant');
  await db.delete(globalGrants).where(and(eq(globalGrants.personId, rita.row.id), eq(globalGrants.permission, 'projectRequests.create')));
  t.same(await links(rita.agent), { request: false, list: true }, 'the grant taken away: at once');
  t.equal((await rita.agent.get('/projects/requests/new')).statusCode, 403);
});

t.test('approve: the project is created with the requester as its manager, once; history', async (t) => {
  const { db, sales, rita, eddie } = await setup(t);
  const id = await requestProject(rita.agent, { name: 'Apollo', division: sales, reason: 'Because.' });
  const res = await eddie.agent.post(`/projects/requests/${id}/approve`);
  t.equal(res.statusCode, 303);
  const [project] = await db.select().from(projects);
  t.match(project, { name: 'Apollo', divisionId: sales, createdBy: eddie.row.id });
  t.equal(res.headers.location, `/projects/requests/${id}?notice=request-approved`, 'the approver can\'t see the project: back to the request');
  const roles = await db.select().from(projectRoles).where(eq(projectRoles.projectId, project!.id));
  t.same(roles.map((r) => [r.roleKey, r.personId]), [['managers', rita.row.id]], 'the requester holds Managers; the approver nothing');
  const [row] = await requestsOf(db);
  t.match(row, { state: 'approved', decidedBy: eddie.row.id, projectId: project!.id, rejectionReason: null });
  t.ok(row!.decidedAt instanceof Date);

  t.match(await historyOf(db, 'projectRequest.approved'), [{ actorId: eddie.row.id, subjectType: 'project_request', subjectId: id, before: { state: 'requested' }, after: { state: 'approved' } }]);
  t.match(await historyOf(db, 'project.created'), [{ actorId: eddie.row.id, subjectType: 'project', subjectId: project!.id, after: { name: 'Apollo' } }]);
  t.match(await historyOf(db, 'project.roles'), [{ actorId: eddie.row.id, subjectId: project!.id, after: { role: 'managers', person: rita.row.id } }]);

  const landing = await eddie.agent.get(res.headers.location as string);
  t.equal(landing.statusCode, 200);
  t.match(mainText(landing.body), 'Project request approved. The project is created, and its requester is its manager.');
  t.match(mainText(landing.body), 'The project “Apollo” was created; you don’t have access to it.', 'no link to a page that would answer 404');
  t.equal((await eddie.agent.get(`/projects/${project!.id}`)).statusCode, 404, 'the approver holds no role in it');
  const ritas = await rita.agent.get(`/projects/${project!.id}?notice=request-approved`);
  t.equal(ritas.statusCode, 200, 'the requester sees her project');
  t.match(ritas.body, 'Project request approved. The project is created, and its requester is its manager.');
  t.match((await rita.agent.get('/projects')).body, `<a href="/projects/${project!.id}">Apollo</a>`, 'on her /projects');
  t.match((await rita.agent.get(`/projects/${project!.id}/manage`)).body, 'Manage: Apollo', 'with the Managers role\'s sections');

  const page = mainText((await rita.agent.get(`/projects/requests/${id}`)).body);
  t.match(page, 'State Approved');
  t.match(page, /Approved by Eddie Editor on \d{1,2} \w+ \d{4}\. Go to the project Apollo/);

  // an approver who sees the project (here by a global grant) lands on it
  await grant(db, eddie.row.accountId, eddie.row.id, ['project.read']);
  const next = await requestProject(rita.agent, { name: 'Hermes' });
  const there = await eddie.agent.post(`/projects/requests/${next}/approve`);
  const [hermes] = await db.select().from(projects).where(eq(projects.name, 'Hermes'));
  t.equal(there.headers.location, `/projects/${hermes!.id}?notice=request-approved`);
  t.match((await eddie.agent.get(there.headers.location as string)).body, 'Project request approved.');
  t.match(mainText((await eddie.agent.get(`/projects/requests/${next}`)).body), 'Go to the project Hermes');
  await db.delete(projects).where(eq(projects.id, hermes!.id));

  // decided: approving or rejecting again changes nothing
  for (const [path, body] of [['approve', {}], ['reject', { rejectionReason: 'Too late' }], ['reject', { rejectionReason: '' }]] as const) {
    const again = await eddie.agent.post(`/projects/requests/${id}/${path}`, body);
    t.equal(again.statusCode, 303, `${path} again: 303`);
    t.equal(again.headers.location, `/projects/requests/${id}?notice=request-decided`);
  }
  t.match(mainText((await eddie.agent.get(`/projects/requests/${id}?notice=request-decided`)).body), 'Nothing changed: this request was decided already.');
  t.equal((await db.select().from(projects)).length, 1, 'one project');
  t.equal((await requestsOf(db))[0]!.state, 'approved');
  t.equal((await historyOf(db, 'projectRequest.approved')).length, 2, 'Apollo and Hermes, once each');
  t.same(await historyOf(db, 'projectRequest.rejected'), []);

  // the project deleted later: the request says so
  await db.delete(projects).where(eq(projects.id, project!.id));
  t.match(mainText((await rita.agent.get(`/projects/requests/${id}`)).body), 'The project has been deleted since.');
});

t.test('approve: a deleted division is left out; a deleted requester makes the approver the manager', async (t) => {
  const { db, sales, rita, eddie } = await setup(t);
  const id = await requestProject(rita.agent, { name: 'Apollo', division: sales });
  await db.delete(divisions).where(eq(divisions.id, sales));
  await db.delete(persons).where(eq(persons.id, rita.row.id));
  t.match(mainText((await eddie.agent.get('/projects/requests')).body), 'Apollo Deleted person', 'the list says who is gone');
  const page = mainText((await eddie.agent.get(`/projects/requests/${id}`)).body);
  t.match(page, 'Requested by Deleted person');
  t.match(page, 'with Eddie Editor as its manager', 'the approver is told they become its manager');
  const res = await eddie.agent.post(`/projects/requests/${id}/approve`);
  const [project] = await db.select().from(projects);
  t.equal(res.headers.location, `/projects/${project!.id}?notice=request-approved-no-requester`);
  t.equal(project!.divisionId, null, 'no division');
  const roles = await db.select().from(projectRoles).where(eq(projectRoles.projectId, project!.id));
  t.same(roles.map((r) => [r.roleKey, r.personId]), [['managers', eddie.row.id]]);
  const landing = await eddie.agent.get(res.headers.location as string);
  t.equal(landing.statusCode, 200);
  t.match(landing.body, 'its requester has been deleted, so you are its manager');
});

t.test('concurrent approvals (two app instances on PostgreSQL) create one project', async (t) => {
  const ctx = await setup(t);
  const { db, rita, eddie } = ctx;
  const second = await buildSecondInstance(t, ctx);
  const eddieThere = await signIn(second, 'eddie@acme.test', PASSWORD);
  for (let round = 0; round < 5; round++) {
    const id = await requestProject(rita.agent, { name: `Apollo ${round}` });
    const results = await Promise.all([eddie.agent.post(`/projects/requests/${id}/approve`), eddieThere.post(`/projects/requests/${id}/approve`)]);
    t.same(results.map((r) => r.statusCode), [303, 303], `round ${round}: both answered 303`);
    const locations = results.map((r) => String(r.headers.location)).sort();
    t.same(locations, [`/projects/requests/${id}?notice=request-approved`, `/projects/requests/${id}?notice=request-decided`], 'one approved, one told it was decided');
    const created = await db.select().from(projects).where(eq(projects.name, `Apollo ${round}`));
    t.equal(created.length, 1, 'one project');
  }
  t.equal((await historyOf(db, 'projectRequest.approved')).length, 5);
  t.equal((await historyOf(db, 'project.created')).length, 5);
  // an approval and a rejection at once: one of them
  const id = await requestProject(rita.agent, { name: 'Zeus' });
  const both = await Promise.all([eddie.agent.post(`/projects/requests/${id}/approve`), eddieThere.post(`/projects/requests/${id}/reject`, { rejectionReason: 'No' })]);
  t.same(both.map((r) => r.statusCode), [303, 303]);
  const [row] = await db.select().from(projectRequests).where(eq(projectRequests.id, id));
  const zeus = await db.select().from(projects).where(eq(projects.name, 'Zeus'));
  t.equal(zeus.length, row!.state === 'approved' ? 1 : 0, `${row!.state}: a project only when approved`);
  t.equal((await historyOf(db, 'projectRequest.approved')).length + (await historyOf(db, 'projectRequest.rejected')).length, 6, 'one decision recorded');
});

t.test('an approval while the requester and the division are being deleted: no deadlock, a consistent project', async (t) => {
  const ctx = await setup(t);
  const { db, account, sales, eddie } = ctx;
  const second = await buildSecondInstance(t, ctx);
  const admin = await signIn(second, 'ada@acme.test', 'correct horse battery');
  for (let round = 0; round < 6; round++) {
    const requester = await insertPerson(db, { name: `Requester ${round}`, email: `requester${round}@acme.test`, license: 'read_write' });
    const division = round === 0 ? sales : newId();
    if (round > 0) await db.insert(divisions).values({ id: division, accountId: account.id, name: `Division ${round}` });
    const id = newId();
    await db.insert(projectRequests).values({ id, accountId: account.id, name: `Race ${round}`, divisionId: division, requestedBy: requester.id });
    const results = await Promise.all([
      eddie.agent.post(`/projects/requests/${id}/approve`),
      admin.post(`/people/${requester.id}/delete`),
      admin.post(`/settings/divisions/${division}/delete`),
    ]);
    t.same(results.map((r) => r.statusCode), [303, 303, 303], `round ${round}: all three done`);
    const [project] = await db.select().from(projects).where(eq(projects.name, `Race ${round}`));
    const managers = await db.select().from(projectRoles).where(eq(projectRoles.projectId, project!.id));
    // approved first: the requester held Managers until deleted (the assignment went with them); deleted first: the approver holds it
    t.ok(managers.length <= 1 && managers.every((m) => m.personId === eddie.row.id), 'no manager left, or the approver');
    t.equal(project!.divisionId, null, 'the division is gone, so is it from the project');
  }
});

t.test('reject: a reason is required (422), the requester reads it; history', async (t) => {
  const { db, rita, eddie } = await setup(t);
  const id = await requestProject(rita.agent);
  const url = `/projects/requests/${id}`;
  for (const [what, reason, message] of [
    ['no reason', '  ', 'Enter a reason for rejecting'],
    ['a reason too long', 'z'.repeat(1001), 'The reason for rejecting must be 1,000 characters or fewer'],
  ] as const) {
    for (const htmx of [false, true]) {
      const res = await eddie.agent.post(`${url}/reject`, { rejectionReason: reason }, { htmx });
      t.equal(res.statusCode, 422, `${what}${htmx ? ' (htmx)' : ''}: 422`);
      t.match(res.body, `<a href="#rejectionReason">${message}</a>`);
      t.match(res.body, `<p class="error-message" id="rejectionReason-error"><span class="visually-hidden">Error:</span> ${message}`);
      t.match(res.body, '<title>Error: Project request: Apollo – Accord</title>');
      t.match(res.body, 'aria-invalid="true"');
    }
  }
  const without = await eddie.agent.post(`${url}/reject`, {});
  t.equal(without.statusCode, 422, 'no field at all: 422');
  t.equal((await requestsOf(db))[0]!.state, 'requested', 'nothing changed');
  t.same(await historyOf(db, 'projectRequest.rejected'), []);

  const res = await eddie.agent.post(`${url}/reject`, { rejectionReason: ' Not this year.\r\nAsk again in spring. ' });
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, `${url}?notice=request-rejected`);
  t.match(mainText((await eddie.agent.get(res.headers.location as string)).body), 'Request rejected. The requester sees your reason on this page.');
  const [row] = await requestsOf(db);
  t.match(row, { state: 'rejected', decidedBy: eddie.row.id, rejectionReason: 'Not this year.\nAsk again in spring.', projectId: null });
  t.match(await historyOf(db, 'projectRequest.rejected'), [
    { actorId: eddie.row.id, subjectType: 'project_request', subjectId: id, before: { state: 'requested' }, after: { state: 'rejected', rejectionReason: 'Not this year.\nAsk again in spring.' } },
  ]);
  const seen = await rita.agent.get(url);
  t.match(mainText(seen.body), /State Rejected .*Rejected by Eddie Editor on \d{1,2} \w+ \d{4}: Not this year\. Ask again in spring\./);
  t.match(seen.body, '<p id="decision" class="multiline">', 'the line break shows');
  t.notMatch(seen.body, 'rejectionReason', 'no forms once decided');
  const approve = await eddie.agent.post(`${url}/approve`);
  t.equal(approve.headers.location, `${url}?notice=request-decided`, 'approving a rejected request: nothing changes');
  t.same(await db.select().from(projects), []);
  t.match(mainText((await rita.agent.get('/projects/requests')).body), 'Apollo Rita Requester');
  t.match(mainText((await rita.agent.get('/projects/requests')).body), 'Rejected');
});

t.test('the history page names the entries', async (t) => {
  const { app, db, account, rita, eddie } = await setup(t);
  const id = await requestProject(rita.agent, { name: 'Apollo' });
  await eddie.agent.post(`/projects/requests/${id}/reject`, { rejectionReason: 'No budget' });
  const admin = await signIn(app, 'ada@acme.test', 'correct horse battery');
  const text = mainText((await admin.get('/settings/history')).body);
  t.match(text, 'Project request rejected');
  t.match(text, 'State: Requested');
  t.match(text, 'State: Rejected');
  t.match(text, 'Reason for rejecting: No budget');
  t.match(text, 'Project requested');
  t.ok(db && account);
});

t.test('the list: keyset pages of 50, newest first; "Waiting for a decision"', async (t) => {
  const { db, account, rita, eddie } = await setup(t);
  const base = Date.UTC(2025, 0, 1);
  // 120 requests, one a minute; every third one decided, two with the same instant
  await db.insert(projectRequests).values(
    Array.from({ length: 120 }, (_, i) => ({
      id: `req${String(i).padStart(3, '0')}`,
      accountId: account.id,
      name: `Request ${String(i).padStart(3, '0')}`,
      requestedBy: i % 2 ? rita.row.id : eddie.row.id,
      state: (i % 3 ? 'requested' : 'rejected') as 'requested' | 'rejected',
      createdAt: new Date(base + (i === 61 ? 60 : i) * 60_000),
    })),
  );
  const names = (body: string) => requestLinks(body);
  const first = await eddie.agent.get('/projects/requests');
  const firstNames = names(first.body);
  t.equal(firstNames.length, 50);
  t.equal(firstNames[0], 'Request 119', 'newest first');
  t.match(first.body, '50 requests on this page, newest first.');
  t.notMatch(first.body, 'Newer requests', 'the newest page has nothing newer');
  const older = /href="(\/projects\/requests\?older=[^"]+)" rel="next">Older requests/.exec(first.body)![1]!;
  const second = await eddie.agent.get(older);
  const secondNames = names(second.body);
  t.equal(secondNames.length, 50);
  t.equal(secondNames[0], 'Request 069');
  const third = await eddie.agent.get(/href="(\/projects\/requests\?older=[^"]+)" rel="next"/.exec(second.body)![1]!);
  const thirdNames = names(third.body);
  t.equal(thirdNames.length, 20);
  t.notMatch(third.body, 'Older requests', 'the oldest page');
  const all = [...firstNames, ...secondNames, ...thirdNames];
  t.equal(new Set(all).size, 120, 'every request once, none twice (two share an instant)');
  const back = await eddie.agent.get(/href="(\/projects\/requests\?newer=[^"]+)" rel="prev"/.exec(third.body)![1]!);
  t.same(names(back.body), secondNames, 'Newer: the page before');

  const waiting = await eddie.agent.get('/projects/requests?show=waiting');
  t.ok(names(waiting.body).every((n) => Number(n!.slice(-3)) % 3 !== 0), 'only those waiting');
  t.equal(names(waiting.body).length, 50);
  t.match(waiting.body, '<input type="radio" id="show" name="show" value="waiting" checked>');
  t.match(waiting.body, 'show=waiting&amp;older=', 'the filter stays on the next page');
  const ritas = await rita.agent.get('/projects/requests');
  t.ok(names(ritas.body).every((n) => Number(n!.slice(-3)) % 2 === 1), 'Rita: only her own');
  t.equal(names(ritas.body).length, 50);
  for (const odd of ['?older=x', '?older=1-%00', '?newer=99999999999999999-1', '?show=nope', '?show[]=all', '?older=1-a&newer=1-a']) {
    const res = await eddie.agent.get(`/projects/requests${odd}`);
    t.equal(res.statusCode, 200, `${odd}: the first page`);
  }
  const past = await eddie.agent.get('/projects/requests?older=1-a');
  t.match(past.body, 'There are no requests on this page.');
  t.match(past.body, 'Go to the newest requests');
});

t.test('the pages send the same number of statements for 3 requests and for 150', async (t) => {
  const { db, account, stats, rita, eddie } = await setup(t);
  const id = await requestProject(rita.agent);
  const add = async (n: number) =>
    db.insert(projectRequests).values(
      Array.from({ length: n }, (_, i) => ({ id: newId(), accountId: account.id, name: `More ${i}`, requestedBy: i % 2 ? rita.row.id : eddie.row.id })),
    );
  await add(2);
  const measure = async () => ({
    editorList: await statements(stats, () => eddie.agent.get('/projects/requests')),
    editorWaiting: await statements(stats, () => eddie.agent.get('/projects/requests?show=waiting')),
    ownList: await statements(stats, () => rita.agent.get('/projects/requests')),
    request: await statements(stats, () => rita.agent.get(`/projects/requests/${id}`)),
    editorRequest: await statements(stats, () => eddie.agent.get(`/projects/requests/${id}`)),
    newForm: await statements(stats, () => rita.agent.get('/projects/requests/new')),
    projects: await statements(stats, () => rita.agent.get('/projects')),
    projectsEditor: await statements(stats, () => eddie.agent.get('/projects')),
  });
  await measure(); // warm up (prepared statements)
  const small = await measure();
  await add(147);
  const large = await measure();
  t.comment(`statements with 3 requests: ${JSON.stringify(small)}; with 150: ${JSON.stringify(large)}`);
  t.same(large, small, 'independent of the number of requests');
  t.ok(small.editorList <= 3, `the list: ${small.editorList} statements`);
  t.ok(small.request <= 3, `a request: ${small.request} statements`);
});
