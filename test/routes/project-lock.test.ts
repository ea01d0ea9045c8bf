// Locking, unlocking and deleting a project (SPEC §8): "Lock project for editing" locks and unlocks from the Manage
// page (with and without htmx), a locked project refuses every edit of every section with the locked page and
// changes nothing, unlocking is the one change it allows; "Delete projects" deletes it after a confirmation that
// names what goes with it, its contents going by their foreign keys, with its history entry.
import { eq } from 'drizzle-orm';
import t from 'tap';
import { newId } from '../../src/crypto.js';
import type { Db } from '../../src/db/client.js';
import { accounts, historyEntries, persons, projectComments, projectEntries, projectRoles, projects, projectTasks, timeEntries } from '../../src/db/schema.js';
import { PROJECT_PERMISSIONS } from '../../src/permissions/catalog.js';
import type { RoleKey } from '../../src/permissions/roles.js';
import { signIn, signUp } from '../helpers/agent.js';
import { insertPerson } from '../helpers/factories.js';
import { signedUpAccount } from '../helpers/signed-up.js';
import { historyOf, mainText, setRolePermissions, statements } from '../helpers/project-pages.js';
import { addHolders, removeAssignment, updateProjectDetails } from '../../src/projects/manage.js';

const PASSWORD = 'a long enough password';
type Test = Parameters<typeof signedUpAccount>[0];

/** "Apollo", managed by Mia, with something in every section; Managers hold every project permission here. */
async function setup(t: Test) {
  const ctx = await signedUpAccount(t);
  const { db, account, app } = ctx;
  await setRolePermissions(db, account.id, 'managers', PROJECT_PERMISSIONS);
  const project = newId();
  await db.insert(projects).values({ id: project, accountId: account.id, name: 'Apollo' });
  const mia = await insertPerson(db, { name: 'Mia Manager', email: 'mia@acme.test', license: 'read_write', password: PASSWORD });
  await db.insert(projectRoles).values({ accountId: account.id, projectId: project, roleKey: 'managers', personId: mia.id });
  const manager = await signIn(app, 'mia@acme.test', PASSWORD);
  const base = { accountId: account.id, projectId: project };
  const [comment] = await db.insert(projectComments).values({ ...base, authorId: mia.id, body: 'Kick-off done' }).returning();
  const [task] = await db.insert(projectTasks).values({ ...base, title: 'Write the plan', createdBy: mia.id }).returning();
  const [time] = await db.insert(timeEntries).values({ ...base, personId: mia.id, workedOn: '2025-03-03', hours: '2.50' }).returning();
  const entries = await db
    .insert(projectEntries)
    .values([
      { ...base, section: 'lists' as const, title: 'Groceries', createdBy: mia.id },
      { ...base, section: 'mindmaps' as const, title: 'Ideas', createdBy: mia.id },
      { ...base, section: 'planning' as const, title: 'Roadmap', createdBy: mia.id },
      { ...base, section: 'documents' as const, title: 'Spec', createdBy: mia.id },
      { ...base, section: 'documents' as const, title: 'Notes', createdBy: mia.id },
    ])
    .returning();
  return { ...ctx, project, mia, manager, comment: comment!, task: task!, time: time!, entries, url: `/projects/${project}/manage` };
}

/** Everything in the project a change could touch, to compare before and after refused requests. */
async function snapshot(db: Db, projectId: string) {
  const of = <T extends { projectId: string }>(rows: T[]) => rows.filter((r) => r.projectId === projectId);
  return {
    project: (await db.select().from(projects).where(eq(projects.id, projectId)))[0],
    comments: of(await db.select().from(projectComments).orderBy(projectComments.id)),
    tasks: of(await db.select().from(projectTasks).orderBy(projectTasks.id)),
    time: of(await db.select().from(timeEntries).orderBy(timeEntries.id)),
    entries: of(await db.select().from(projectEntries).orderBy(projectEntries.id)),
    roles: of(await db.select().from(projectRoles).orderBy(projectRoles.id)),
    history: (await db.select().from(historyEntries)).length,
  };
}

t.test('lock and unlock without JavaScript: notices, history, the page while locked, nothing twice', async (t) => {
  const { db, project, mia, manager, url } = await setup(t);
  const page = await manager.get(url);
  t.match(page.body, '>Lock project for editing</button>', 'the lock button');
  t.notMatch(page.body, 'Unlock project');
  t.match(page.body, `<a id="delete-project" href="${url}/delete">Delete project</a>`);

  const locked = await manager.post(`${url}/lock`);
  t.equal(locked.statusCode, 303);
  t.equal(locked.headers.location, `${url}?notice=project-locked`);
  const [row] = await db.select().from(projects).where(eq(projects.id, project));
  t.ok(row!.lockedAt, 'locked_at set');
  t.equal(row!.lockedBy, mia.id, 'locked_by: who locked it');
  const lockedPage = await manager.get(locked.headers.location as string);
  t.match(lockedPage.body, 'Locked. Nothing in the project can be changed until someone with “Lock project for editing” unlocks it.');
  t.match(mainText(lockedPage.body), 'This project is locked This project was locked for editing by Mia Manager on', 'the header’s lock note');
  t.match(lockedPage.body, '>Unlock project</button>');
  for (const form of ['id="project-details"', 'id="add-holders"', '/manage/roles/remove', 'id="delete-project"', 'Lock project for editing</button>']) {
    t.notMatch(lockedPage.body, form, `while locked, no ${form}`);
  }
  t.match(mainText(lockedPage.body), 'Project name Apollo', 'the details, read only');

  const again = await manager.post(`${url}/lock`);
  t.equal(again.headers.location, `${url}?notice=project-already-locked`, 'locking a locked project');
  t.match((await manager.get(again.headers.location as string)).body, 'Nothing changed: the project was locked already.');
  t.same((await db.select().from(projects).where(eq(projects.id, project)))[0]!.lockedAt, row!.lockedAt, 'the lock kept as it was');

  const unlocked = await manager.post(`${url}/unlock`);
  t.equal(unlocked.headers.location, `${url}?notice=project-unlocked`);
  const open = await manager.get(unlocked.headers.location as string);
  t.match(open.body, 'Unlocked. The project can be changed again.');
  t.notMatch(open.body, 'This project is locked');
  t.match(open.body, 'id="project-details"', 'the forms are back');
  const [after] = await db.select().from(projects).where(eq(projects.id, project));
  t.same([after!.lockedAt, after!.lockedBy], [null, null]);
  t.equal((await manager.post(`${url}/unlock`)).headers.location, `${url}?notice=project-already-unlocked`, 'unlocking an unlocked project');

  t.same((await historyOf(db, 'project.locked')).map((e) => [e.subjectType, e.subjectId, e.actorId]), [['project', project, mia.id]], 'one project.locked');
  t.same((await historyOf(db, 'project.unlocked')).map((e) => [e.subjectType, e.subjectId, e.actorId]), [['project', project, mia.id]], 'one project.unlocked');
});

t.test('lock and unlock with htmx: the page’s contents swapped, the focus on the lock’s button, the change announced', async (t) => {
  const { manager, url } = await setup(t);
  const locked = await manager.post(`${url}/lock`, {}, { htmx: true });
  t.equal(locked.statusCode, 200);
  t.notMatch(locked.body, '<html', 'a fragment');
  t.match(locked.body, '<div class="lock-note" id="lock-note">', 'the lock note');
  t.match(locked.body, /<button id="lock-button" [^>]*autofocus>Unlock project<\/button>/, 'focus on Unlock project');
  t.notMatch(locked.body, 'id="project-details"', 'no forms');
  t.match(locked.body, '<hx-partial hx-target="#live-status" hx-swap="innerHTML">Locked. Nothing in the project can be changed');
  t.match(locked.body, /<hx-partial hx-target="#error-summary-slot" hx-swap="innerHTML">\s*<\/hx-partial>/, 'an earlier error summary cleared');
  const again = await manager.post(`${url}/lock`, {}, { htmx: true });
  t.match(again.body, 'Nothing changed: the project was locked already.');
  const unlocked = await manager.post(`${url}/unlock`, {}, { htmx: true });
  t.match(unlocked.body, /<button id="lock-button" [^>]*autofocus>Lock project for editing<\/button>/);
  t.match(unlocked.body, 'id="project-details"', 'the forms are back');
  t.notMatch(unlocked.body, 'lock-note');
  t.match(unlocked.body, 'Unlocked. The project can be changed again.');
});

t.test('a locked project refuses every edit of every section with the locked page, and nothing changes', async (t) => {
  const { app, db, account, project, mia, manager, url, comment, task, time, entries } = await setup(t);
  const bea = await insertPerson(db, { name: 'Bea Builder', email: 'bea@acme.test', license: 'read_write' });
  const [assignment] = await db.insert(projectRoles).values({ accountId: account.id, projectId: project, roleKey: 'team', personId: bea.id }).returning();
  t.equal((await manager.post(`${url}/lock`)).statusCode, 303);
  const before = await snapshot(db, project);
  const p = `/projects/${project}`;
  const slug = { lists: 'lists', mindmaps: 'mind-maps', planning: 'planning', documents: 'documents' } as const;
  const edits: [string, string, Record<string, string>][] = [
    ['GET', `${url}/delete`, {}],
    ['POST', `${url}/delete`, {}],
    ['POST', `${url}/details`, { name: 'Renamed', division: '' }],
    ['POST', `${url}/roles`, { role: 'team', person: mia.id }],
    ['POST', `${url}/roles/remove`, { assignment: String(assignment!.id) }],
    ['POST', `${p}/comments`, { body: 'More' }],
    ['POST', `${p}/comments/${comment.id}/delete`, {}],
    ['POST', `${p}/tasks`, { title: 'More' }],
    ['POST', `${p}/tasks/${task.id}/title`, { title: 'Renamed' }],
    ['POST', `${p}/tasks/${task.id}/done`, { done: 'on' }],
    ['POST', `${p}/time`, { date: '2025-03-04', hours: '1', person: mia.id }],
    ['POST', `${p}/time/${time.id}`, { date: '2025-03-04', hours: '3' }],
    ['POST', `${p}/time/${time.id}/delete`, {}],
    ['POST', `${p}/financials`, { amount: '1000', currency: 'EUR' }],
    ['POST', `${p}/financials/remove`, {}],
    ...entries.flatMap((e): [string, string, Record<string, string>][] => [
      ['POST', `${p}/${slug[e.section]}`, { title: 'More' }],
      ['POST', `${p}/${slug[e.section]}/${e.id}/title`, { title: 'Renamed' }],
      ['GET', `${p}/${slug[e.section]}/${e.id}/delete`, {}],
      ['POST', `${p}/${slug[e.section]}/${e.id}/delete`, {}],
    ]),
  ];
  for (const [method, path, body] of edits) {
    for (const htmx of [false, true]) {
      const res = method === 'GET' ? await manager.get(path, { htmx }) : await manager.post(path, body, { htmx });
      const what = `${method} ${path.replace(p, '')}${htmx ? ' (htmx)' : ''}`;
      t.equal(res.statusCode, 403, `${what}: 403`);
      t.match(res.body, 'This project was locked for editing by Mia Manager on', `${what}: says it is locked, by whom`);
      if (!htmx) t.match(res.body, '<h1>This project is locked</h1>');
    }
  }
  t.same(await snapshot(db, project), before, 'nothing changed, no history');
  for (const section of ['', '/comments', '/tasks', '/time', '/financials', '/lists', '/mind-maps', '/planning', '/documents', '/manage']) {
    t.equal((await manager.get(`${p}${section}`)).statusCode, 200, `the page ${section || 'of the project'} still reads`);
  }

  // the one change allowed: unlocking, by someone with "Lock project for editing", even without "Edit manage page"
  await setRolePermissions(db, account.id, 'customers', ['manage.read', 'project.lock']);
  const lou = await insertPerson(db, { name: 'Lou Locker', email: 'lou@acme.test', license: 'read_write', password: PASSWORD });
  await db.insert(projectRoles).values({ accountId: account.id, projectId: project, roleKey: 'customers', personId: lou.id });
  const locker = await signIn(app, 'lou@acme.test', PASSWORD);
  const page = await locker.get(url);
  t.match(page.body, '>Unlock project</button>', 'offered to Lou');
  t.notMatch(page.body, 'id="project-details"');
  t.equal((await locker.post(`${url}/details`, { name: 'Renamed' })).statusCode, 403, 'Lou may not edit the details');
  const unlocked = await locker.post(`${url}/unlock`);
  t.equal(unlocked.headers.location, `${url}?notice=project-unlocked`, 'Lou unlocks');
  t.same((await db.select().from(projects).where(eq(projects.id, project)))[0]!.lockedAt, null);
  t.same((await historyOf(db, 'project.unlocked')).map((e) => e.actorId), [lou.id]);
  t.equal((await manager.post(`${p}/tasks/${task.id}/title`, { title: 'Renamed' })).statusCode, 303, 'edits work again');
});

t.test('Manage’s changes find a lock that lands after the guard in their transaction, and write nothing', async (t) => {
  const { db, account, project, mia } = await setup(t);
  const actor = { accountId: account.id, personId: mia.id };
  const [assignment] = await db.select().from(projectRoles).where(eq(projectRoles.projectId, project));
  await db.update(projects).set({ lockedAt: new Date(), lockedBy: mia.id }).where(eq(projects.id, project));
  const before = await snapshot(db, project);
  t.equal(await updateProjectDetails(db, actor, project, { name: 'Renamed' }), 'locked', 'the details');
  t.same(await addHolders(db, actor, project, 'team', { personIds: [mia.id], groupIds: [] }), { ok: false, reason: 'locked' }, 'a role given');
  t.same(await removeAssignment(db, actor, project, assignment!.id), { ok: false, reason: 'locked' }, 'an assignment removed');
  t.same(await snapshot(db, project), before, 'nothing changed, no history');
  t.equal(await updateProjectDetails(db, actor, 'no-such-project', { name: 'x' }), 'missing', 'a project that is not there: missing, as before');
});

t.test('who may lock and unlock: the permission and a Read & Write license; another account’s project is a 404', async (t) => {
  const { app, db, account, project, mia, url } = await setup(t);
  const add = async (name: string, email: string, license: 'read_write' | 'read_only', role: RoleKey) => {
    const p = await insertPerson(db, { name, email, license, password: PASSWORD });
    await db.insert(projectRoles).values({ accountId: account.id, projectId: project, roleKey: role, personId: p.id });
    return signIn(app, email, PASSWORD);
  };
  await setRolePermissions(db, account.id, 'additional', ['manage.read', 'manage.edit']);
  await setRolePermissions(db, account.id, 'partners', ['project.read', 'project.lock']);
  const editor = await add('Ed Editor', 'ed@acme.test', 'read_write', 'additional');
  const readOnly = await add('Rolf Readonly', 'rolf@acme.test', 'read_only', 'managers');
  const noManage = await add('Nils Nomanage', 'nils@acme.test', 'read_write', 'partners');
  t.notMatch((await editor.get(url)).body, 'lock-button', 'without the permission: no lock button');
  t.notMatch((await readOnly.get(url)).body, 'lock-button', 'Read-Only: no lock button');
  for (const action of ['lock', 'unlock']) {
    t.equal((await editor.post(`${url}/${action}`)).statusCode, 403, `${action} without "Lock project for editing": 403`);
    const ro = await readOnly.post(`${url}/${action}`);
    t.equal(ro.statusCode, 403, `${action} with a Read-Only license: 403`);
    t.match(ro.body, 'Your license is Read-Only');
    t.equal((await noManage.post(`${url}/${action}`)).statusCode, 404, `${action} without "Read manage page": 404`);
  }
  await db.update(projects).set({ lockedAt: new Date(), lockedBy: mia.id }).where(eq(projects.id, project));
  t.equal((await editor.post(`${url}/unlock`)).statusCode, 403, 'a locked project: still 403 without the permission');
  t.equal((await readOnly.post(`${url}/unlock`)).statusCode, 403);

  const other = await signUp(app, { email: 'olga@other.test', organizationName: 'Other Ltd' });
  const [otherAccount] = await db.select().from(accounts).where(eq(accounts.name, 'Other Ltd'));
  const [olga] = await db.select().from(persons).where(eq(persons.email, 'olga@other.test'));
  await setRolePermissions(db, otherAccount!.id, 'managers', PROJECT_PERMISSIONS);
  const foreign = newId();
  await db.insert(projects).values({ id: foreign, accountId: otherAccount!.id, name: 'Foreign' });
  await db.insert(projectRoles).values({ accountId: otherAccount!.id, projectId: foreign, roleKey: 'managers', personId: olga!.id });
  for (const action of ['lock', 'unlock', 'delete']) t.equal((await other.post(`${url}/${action}`)).statusCode, 404, `another account: ${action} 404`);
  t.equal((await other.get(`${url}/delete`)).statusCode, 404);
  t.ok((await db.select().from(projects).where(eq(projects.id, project)))[0]!.lockedAt, 'still locked');
  t.equal((await db.select().from(projects).where(eq(projects.id, foreign)))[0]!.lockedAt, null, 'the other account’s project untouched');
});

t.test('delete: the confirmation names what goes; the project and its contents go, with history; the list confirms', async (t) => {
  const { app, db, account, project, mia, manager, url } = await setup(t);
  const other = newId();
  await db.insert(projects).values({ id: other, accountId: account.id, name: 'Zeus' });
  await db.insert(projectRoles).values({ accountId: account.id, projectId: other, roleKey: 'managers', personId: mia.id });
  await db.insert(projectTasks).values({ accountId: account.id, projectId: other, title: 'Stays', createdBy: mia.id });
  const otherBefore = await snapshot(db, other);

  const confirm = await manager.get(`${url}/delete`);
  t.equal(confirm.statusCode, 200);
  t.match(confirm.body, '<title>Delete project – Apollo – Accord</title>');
  t.match(confirm.body, '<h2 id="delete-heading">Delete the project “Apollo”?</h2>');
  t.match(confirm.body, '<h1>Manage: Apollo</h1>', 'under the Manage section’s header');
  t.match(mainText(confirm.body), 'Deleting the project also deletes everything in it: 1 comment 1 task 1 time entry 1 list 1 mind map 1 plan 2 documents 1 role assignment');
  t.match(confirm.body, '<button type="submit" class="button button--warning">Delete project</button>');
  t.match(confirm.body, `<a href="${url}">Cancel</a>`);

  const deleted = await manager.post(`${url}/delete`);
  t.equal(deleted.statusCode, 303);
  t.equal(deleted.headers.location, `/projects?notice=project-deleted&deleted=${project}`);
  const list = await manager.get(deleted.headers.location as string);
  t.match(list.body, '<div id="live-status" class="notice" role="status">Project “Apollo” deleted.</div>', 'the list confirms, naming it');
  t.notMatch(list.body, '>Apollo</a>', 'no longer listed');
  t.match(list.body, '>Zeus</a>');
  const gone = await snapshot(db, project);
  t.same(gone, { project: undefined, comments: [], tasks: [], time: [], entries: [], roles: [], history: gone.history }, 'the project and its contents are gone');
  const { history: _h1, ...otherNow } = await snapshot(db, other);
  const { history: _h2, ...otherThen } = otherBefore;
  t.same(otherNow, otherThen, 'another project untouched');
  t.same((await historyOf(db, 'project.deleted')).map((e) => [e.subjectType, e.subjectId, e.actorId, e.before, e.after]), [['project', project, mia.id, { name: 'Apollo' }, null]]);
  t.equal((await manager.get(url)).statusCode, 404, 'the project is gone');
  t.equal((await manager.post(`${url}/delete`)).statusCode, 404, 'deleting it again: 404');

  // someone else following the same address sees no name, only the plain confirmation
  const admin = await signIn(app, 'ada@acme.test', 'correct horse battery');
  t.match((await admin.get(deleted.headers.location as string)).body, 'role="status">Project deleted.</div>', 'not the deleter: no name');
  t.match((await manager.get('/projects?notice=project-deleted&deleted=%00')).body, 'role="status">Project deleted.</div>', 'an odd id: no name');
});

t.test('delete needs "Delete projects" and a Read & Write license, and is refused while locked', async (t) => {
  const { app, db, account, project, mia, manager, url } = await setup(t);
  await setRolePermissions(db, account.id, 'additional', ['manage.read', 'manage.edit', 'project.lock']);
  const ed = await insertPerson(db, { name: 'Ed Editor', email: 'ed@acme.test', license: 'read_write', password: PASSWORD });
  await db.insert(projectRoles).values({ accountId: account.id, projectId: project, roleKey: 'additional', personId: ed.id });
  const editor = await signIn(app, 'ed@acme.test', PASSWORD);
  t.notMatch((await editor.get(url)).body, 'Delete project', 'not offered without the permission');
  t.equal((await editor.get(`${url}/delete`)).statusCode, 403);
  const refused = await editor.post(`${url}/delete`);
  t.equal(refused.statusCode, 403);
  t.match(refused.body, 'This change needs the permission “Delete projects”');
  await db.update(persons).set({ license: 'read_only' }).where(eq(persons.id, mia.id));
  t.equal((await manager.post(`${url}/delete`)).statusCode, 403, 'Read-Only: 403');
  t.notMatch((await manager.get(url)).body, 'Delete project');
  t.ok((await db.select().from(projects).where(eq(projects.id, project)))[0], 'still there');
  t.same(await historyOf(db, 'project.deleted'), []);
});

t.test('the Manage page and the delete confirmation send a fixed number of statements, locked or not', async (t) => {
  const { db, account, project, mia, manager, url, stats } = await setup(t);
  const grow = async (n: number) => {
    const base = { accountId: account.id, projectId: project };
    await db.insert(projectComments).values(Array.from({ length: n }, (_, i) => ({ ...base, authorId: mia.id, body: `Comment ${i}` })));
    await db.insert(projectEntries).values(Array.from({ length: n }, (_, i) => ({ ...base, section: 'lists' as const, title: `List ${i}`, createdBy: mia.id })));
  };
  const measure = async () => ({ page: await statements(stats, () => manager.get(url)), confirm: await statements(stats, () => manager.get(`${url}/delete`)) });
  await measure();
  const small = await measure();
  await grow(100);
  const large = await measure();
  t.same(large, small, `the same with 100 more comments and lists: ${JSON.stringify(small)}`);
  await db.update(projects).set({ lockedAt: new Date(), lockedBy: mia.id }).where(eq(projects.id, project));
  const locked = await statements(stats, () => manager.get(url));
  t.ok(locked <= small.page + 1, `locked: at most one more, for the lock’s author (no edit forms to fill): ${locked}`);
});

t.test('CSRF on lock, unlock and delete', async (t) => {
  const { db, project, manager, url } = await setup(t);
  await manager.get(url);
  for (const action of ['lock', 'unlock', 'delete']) t.equal((await manager.post(`${url}/${action}`, {}, { csrf: false })).statusCode, 403, `no token: ${action}`);
  const [row] = await db.select().from(projects).where(eq(projects.id, project));
  t.same([row!.name, row!.lockedAt], ['Apollo', null]);
});
