// The Manage section of a project (SPEC §8, the permission side): who may look and who may change, the project's
// name and division, role assignments of people and groups ("Add people", "Remove"), the edition's rules, history
// entries and the statement count of the page.
import { and, eq } from 'drizzle-orm';
import t from 'tap';
import type { Auth } from '../../src/auth/session.js';
import { newId } from '../../src/crypto.js';
import type { Db } from '../../src/db/client.js';
import { accounts, divisions, groupMembers, persons, projectRoles, projects, roles, userGroups } from '../../src/db/schema.js';
import type { Edition } from '../../src/permissions/editions.js';
import { loadProjectAccess } from '../../src/permissions/load.js';
import { canRead, has } from '../../src/permissions/resolve.js';
import type { RoleKey } from '../../src/permissions/roles.js';
import { signIn, signUp } from '../helpers/agent.js';
import { insertPerson } from '../helpers/factories.js';
import { signedUpAccount } from '../helpers/signed-up.js';
import { historyOf, mainText, setRolePermissions, statements } from '../helpers/project-pages.js';

const PASSWORD = 'a long enough password';
type Test = Parameters<typeof signedUpAccount>[0];

const textOf = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
const holdersOf = async (db: Db, projectId: string) =>
  (await db.select().from(projectRoles).where(eq(projectRoles.projectId, projectId))).map((r) => `${r.roleKey}:${r.personId ?? `group ${r.groupId}`}`).sort();

/** An organization on `edition` with a project "Apollo" that Mia manages (Managers: Read and Edit manage page). */
async function setup(t: Test, edition: Edition = 'enterprise') {
  const ctx = await signedUpAccount(t);
  const { db, account, app } = ctx;
  await db.update(accounts).set({ edition }).where(eq(accounts.id, account.id));
  const project = newId();
  await db.insert(projects).values({ id: project, accountId: account.id, name: 'Apollo' });
  const mia = await insertPerson(db, { name: 'Mia Manager', email: 'mia@acme.test', license: 'read_write', password: PASSWORD });
  await db.insert(projectRoles).values({ accountId: account.id, projectId: project, roleKey: 'managers', personId: mia.id });
  const manager = await signIn(app, 'mia@acme.test', PASSWORD);
  const url = `/projects/${project}/manage`;
  return { ...ctx, account: { ...ctx.account, edition }, project, mia, manager, url };
}

const POSTS = (url: string, body: Record<string, string | string[]> = {}): [string, Record<string, string | string[]>][] => [
  [`${url}/details`, { name: 'Renamed', ...body }],
  [`${url}/roles`, { role: 'team', person: 'x' }],
  [`${url}/roles/remove`, { assignment: '1' }],
];

t.test('who may look and who may change: readers, editors, no "Read manage page", Read-Only, another account', async (t) => {
  const { app, db, account, project, mia, manager, url } = await setup(t);
  const add = async (name: string, email: string, license: 'read_write' | 'read_only', role: RoleKey) => {
    const p = await insertPerson(db, { name, email, license, password: PASSWORD });
    await db.insert(projectRoles).values({ accountId: account.id, projectId: project, roleKey: role, personId: p.id });
    return signIn(app, email, PASSWORD);
  };
  await setRolePermissions(db, account.id, 'additional', ['manage.read']);
  await setRolePermissions(db, account.id, 'partners', ['project.read', 'tasks.read']);
  const reader = await add('Rae Reader', 'rae@acme.test', 'read_write', 'additional');
  const without = await add('Nils Without', 'nils@acme.test', 'read_write', 'partners');
  const readOnly = await add('Rolf Readonly', 'rolf@acme.test', 'read_only', 'managers');

  const page = await manager.get(url);
  t.equal(page.statusCode, 200);
  t.match(page.body, '<h1>Manage: Apollo</h1>');
  t.match(page.body, '<label for="name">Project name</label>', 'an editor: the details form');
  t.match(page.body, '<label for="division">Division</label>', 'Enterprise: the division select');
  t.match(page.body, 'Add people');
  t.match(mainText(page.body), 'Role assignments Managers Mia Manager');
  t.match(mainText(page.body), 'Rolf Readonly');
  t.notMatch(page.body, 'Explain access', 'not an administrator: no explainer links');
  t.notMatch(page.body, 'Manage will hold', 'the Manage page, not the generic section page');

  const read = await reader.get(url);
  t.equal(read.statusCode, 200, 'a reader');
  t.notMatch(read.body, '<form id="project-details"', 'no details form');
  t.notMatch(read.body, 'Add people');
  t.notMatch(read.body, '/manage/roles/remove', 'no Remove');
  t.match(mainText(read.body), 'Project name Apollo Division No division');
  t.match(mainText(read.body), 'Additional Rae Reader');
  const readOnlyPage = await readOnly.get(url);
  t.equal(readOnlyPage.statusCode, 200, 'Read-Only with Edit manage page: looks');
  t.notMatch(readOnlyPage.body, 'Add people');

  const notFound = mainText((await without.get('/projects/no-such-project')).body);
  const hidden = await without.get(url);
  t.equal(hidden.statusCode, 404, 'without "Read manage page": 404');
  t.equal(mainText(hidden.body), notFound, 'the same 404 as the other project pages');
  for (const [post, body] of POSTS(url)) {
    t.equal((await reader.post(post, body)).statusCode, 403, `a reader: 403 on ${post.replace(url, '')}`);
    t.equal((await readOnly.post(post, body)).statusCode, 403, `Read-Only: 403 on ${post.replace(url, '')}`);
    t.equal((await without.post(post, body)).statusCode, 404, `without Read manage page: 404 on ${post.replace(url, '')}`);
    t.equal((await reader.post(post, body, { htmx: true })).statusCode, 403, 'with htmx too');
  }
  t.match((await readOnly.post(`${url}/details`, { name: 'X' })).body, 'Your license is Read-Only');

  const other = await signUp(app, { email: 'olga@other.test', organizationName: 'Other Ltd' });
  const [otherAccount] = await db.select().from(accounts).where(eq(accounts.name, 'Other Ltd'));
  const [olga] = await db.select().from(persons).where(eq(persons.email, 'olga@other.test'));
  const foreign = newId();
  await db.insert(projects).values({ id: foreign, accountId: otherAccount!.id, name: 'Foreign' });
  await db.insert(projectRoles).values({ accountId: otherAccount!.id, projectId: foreign, roleKey: 'managers', personId: olga!.id });
  t.equal((await other.get(`/projects/${foreign}/manage`)).statusCode, 200, 'its own manager');
  t.equal((await other.get(url)).statusCode, 404, "another account's project: 404");
  t.equal((await manager.get(`/projects/${foreign}/manage`)).statusCode, 404);
  for (const [post, body] of POSTS(`/projects/${foreign}/manage`)) t.equal((await manager.post(post, body)).statusCode, 404, `404 on another account's ${post}`);
  t.equal((await db.select().from(projects).where(eq(projects.id, project)))[0]!.name, 'Apollo', 'nothing renamed');
  t.same(await historyOf(db, 'project.changed'), []);
  t.ok(mia);

  // administrators get the explainer links (and see the page only with a grant, like everyone else)
  const [ada] = await db.select().from(persons).where(eq(persons.email, 'ada@acme.test'));
  await db.insert(projectRoles).values({ accountId: account.id, projectId: project, roleKey: 'customers', personId: ada!.id });
  await setRolePermissions(db, account.id, 'customers', ['manage.read']);
  const adminPage = (await (await signIn(app, 'ada@acme.test', 'correct horse battery')).get(url)).body;
  t.match(adminPage, `href="/settings/users/access?person=${mia.id}&amp;project=${project}">Explain access`);
  t.match(adminPage, `href="/settings/users/access?project=${project}">Explain someone’s access</a>`);
});

t.test('name and division, with and without htmx; 422 on bad input; history only when something changed', async (t) => {
  const { app, db, account, project, manager, url, mia } = await setup(t);
  const sales = newId();
  await db.insert(divisions).values({ id: sales, accountId: account.id, name: 'Sales' });
  await signUp(app, { email: 'olga@other.test', organizationName: 'Other Ltd' });
  const [other] = await db.select().from(accounts).where(eq(accounts.name, 'Other Ltd'));
  const foreign = newId();
  await db.insert(divisions).values({ id: foreign, accountId: other!.id, name: 'Foreign' });
  const row = async () => (await db.select().from(projects).where(eq(projects.id, project)))[0]!;

  t.match((await manager.get(url)).body, `<option value="${sales}">Sales</option>`);
  t.notMatch((await manager.get(url)).body, 'Foreign');
  for (const htmx of [false, true]) {
    for (const [what, body, field, message] of [
      ['empty name', { name: ' ', division: '' }, 'name', 'Enter a project name'],
      ['121 characters', { name: 'x'.repeat(121), division: '' }, 'name', 'Project name must be 120 characters or fewer'],
      ["another account's division", { name: 'Apollo 2', division: foreign }, 'division', 'Choose one of your organization’s divisions, or “No division”'],
    ] as const) {
      const res = await manager.post(`${url}/details`, body, { htmx });
      t.equal(res.statusCode, 422, `${what}${htmx ? ' (htmx)' : ''}: 422`);
      t.match(res.body, `<a href="#${field}">${message}</a>`, 'in the error summary');
      t.match(res.body, `id="${field}-error"><span class="visually-hidden">Error:</span> ${message}`, 'at the field');
      if (htmx) t.notMatch(res.body, '<h1', 'htmx: the form and the error summary only');
    }
  }
  t.same([(await row()).name, (await row()).divisionId], ['Apollo', null], 'nothing changed');

  const saved = await manager.post(`${url}/details`, { name: ' Apollo One ', division: sales });
  t.equal(saved.statusCode, 303);
  t.equal(saved.headers.location, `${url}?notice=project-saved`);
  t.match((await manager.get(saved.headers.location as string)).body, 'Saved. The project’s details are changed.');
  t.same([(await row()).name, (await row()).divisionId], ['Apollo One', sales]);
  let entries = await historyOf(db, 'project.changed');
  t.same(entries.map((e) => [e.subjectType, e.subjectId, e.actorId, e.before, e.after]), [
    ['project', project, mia.id, { name: 'Apollo', division: null }, { name: 'Apollo One', division: sales }],
  ]);
  const same = await manager.post(`${url}/details`, { name: 'Apollo One', division: sales });
  t.equal(same.headers.location, `${url}?notice=project-unchanged`, 'nothing changed');
  t.equal((await historyOf(db, 'project.changed')).length, 1, 'no entry');

  const htmx = await manager.post(`${url}/details`, { name: 'Hermes', division: '' }, { htmx: true });
  t.equal(htmx.statusCode, 200);
  t.notMatch(htmx.body.replace(/<hx-partial hx-target="#manage-header"[\s\S]*?<\/hx-partial>/, ''), '<h1', 'the form, and the header only for the new name');
  t.match(htmx.body, '<hx-partial hx-target="#live-status" hx-swap="innerHTML">Saved. The project is called “Hermes”, with no division.</hx-partial>');
  t.match(htmx.body, /<hx-partial hx-target="#manage-header" hx-swap="innerHTML">[\s\S]*<h1>Manage: Hermes<\/h1>[\s\S]*<\/hx-partial>/, 'the heading follows');
  t.same([(await row()).name, (await row()).divisionId], ['Hermes', null]);
  entries = await historyOf(db, 'project.changed');
  t.same(entries.at(-1)!.after, { name: 'Hermes', division: null });
  t.same(entries.at(-1)!.before, { name: 'Apollo One', division: sales });

  // Professional: no division field; the name alone changes and the division stays
  await db.update(projects).set({ divisionId: sales }).where(eq(projects.id, project));
  await db.update(accounts).set({ edition: 'professional' }).where(eq(accounts.id, account.id));
  t.notMatch((await manager.get(url)).body, 'name="division"');
  t.equal((await manager.post(`${url}/details`, { name: 'Zeus', division: foreign })).statusCode, 303, 'a division sent anyway is ignored');
  t.same([(await row()).name, (await row()).divisionId], ['Zeus', sales]);
  t.same((await historyOf(db, 'project.changed')).at(-1)!.after, { name: 'Zeus' });
});

t.test('"Add people": people and groups with a visible role, with and without htmx; they get access at once', async (t) => {
  const { app, db, account, project, manager, url, mia } = await setup(t);
  const ben = await insertPerson(db, { name: 'Ben Builder', email: 'ben@acme.test', license: 'read_write', password: PASSWORD });
  const cid = await insertPerson(db, { name: 'Cid Carver', email: 'cid@acme.test', license: 'read_only' });
  const nox = await insertPerson(db, { name: 'Nox Noaccess', email: 'nox@acme.test', license: 'none' });
  const dee = await insertPerson(db, { name: 'Dee Designer', email: 'dee@acme.test', license: 'read_write', password: PASSWORD });
  const designers = newId();
  await db.insert(userGroups).values({ id: designers, accountId: account.id, name: 'Designers' });
  await db.insert(groupMembers).values({ accountId: account.id, groupId: designers, personId: dee.id });

  const page = await manager.get(url);
  t.match(page.body, '<label for="role">Role</label>');
  for (const name of ['Managers', 'Team', 'Customers', 'Partners', 'Additional']) t.match(page.body, `>${name}</option>`);
  t.notMatch(page.body, 'More 1', 'no More roles in Enterprise');
  t.match(page.body, '<span class="visually-hidden">Select </span>Ben Builder</label>');
  t.notMatch(page.body, 'Nox Noaccess', 'No Access people are not offered');
  t.match(page.body, '<span class="visually-hidden">Select group </span>Designers</label>');
  const search = await manager.get(`${url}?q=ben`, { htmx: true });
  t.equal(search.headers['hx-replace-url'], `${url}?q=ben`, 'search as you type');
  t.notMatch(search.body, '<h1');
  t.match(search.body, 'Ben Builder');
  t.notMatch(search.body, 'Cid Carver');
  t.match(search.body, '<hx-partial hx-target="#live-status" hx-swap="innerHTML">1 person with a license matches “ben”.</hx-partial>');
  t.notMatch((await manager.get(`${url}?q=ben`)).body.replace(/Mia Manager/g, ''), 'Cid Carver', 'the same search as a page without JavaScript');

  // without JavaScript: repeated parameters
  const added = await manager.post(`${url}/roles`, { role: 'team', person: [ben.id, cid.id], q: 'b' });
  t.equal(added.statusCode, 303);
  t.equal(added.headers.location, `${url}?q=b&notice=roles-added`);
  t.match((await manager.get(added.headers.location as string)).body, 'Saved. The selected people and groups hold the role now.');
  t.same(await holdersOf(db, project), [`managers:${mia.id}`, `team:${ben.id}`, `team:${cid.id}`].sort());
  const again = await manager.post(`${url}/roles`, { role: 'team', person: ben.id });
  t.equal(again.headers.location, `${url}?notice=roles-unchanged`, 'what is held already: not an error, nothing changes');
  t.equal((await historyOf(db, 'project.roles')).length, 2, 'one entry per holder added');

  // with htmx: a group
  const viaHtmx = await manager.post(`${url}/roles`, { role: 'customers', group: designers }, { htmx: true });
  t.equal(viaHtmx.statusCode, 200);
  t.notMatch(viaHtmx.body, '<h1');
  t.match(viaHtmx.body, '<hx-partial hx-target="#live-status" hx-swap="innerHTML">Saved. 1 holder added as Customers.</hx-partial>');
  t.match(textOf(viaHtmx.body), 'Customers Group: Designers', 'the assignments, listed');
  t.match(viaHtmx.body, '<option value="customers" selected>', 'the role kept');
  t.notMatch(viaHtmx.body, ' checked', 'nobody ticked any more');
  const entries = await historyOf(db, 'project.roles');
  t.same(entries.map((e) => [e.subjectType, e.subjectId, e.before, e.after]), [
    ['project', project, null, { role: 'team', person: ben.id }],
    ['project', project, null, { role: 'team', person: cid.id }],
    ['project', project, null, { role: 'customers', group: designers }],
  ]);

  // the added person and the group's member see the project and its sections per their role, at once
  const benAgent = await signIn(app, 'ben@acme.test', PASSWORD);
  t.match((await benAgent.get('/projects')).body, '>Apollo</a>', 'Ben lists the project');
  t.equal((await benAgent.get(`/projects/${project}/tasks`)).statusCode, 200, 'Team reads tasks');
  t.equal((await benAgent.get(url)).statusCode, 404, 'but not Manage');
  const auth = { account: { ...account, edition: 'enterprise' }, person: { id: dee.id, license: 'read_write' } } as unknown as Auth;
  const deeAccess = (await loadProjectAccess(db, auth, project))!.access;
  t.ok(canRead(deeAccess, 'financials'), 'Dee reads financials through Designers as Customers');
  t.notOk(has(deeAccess, 'tasks.edit'));
  t.ok(nox);
});

t.test('refused with 422 and nothing changed: hidden roles, roles outside the edition, unlicensed or foreign holders, groups in Professional', async (t) => {
  const { app, db, account, project, manager, url, mia } = await setup(t);
  const ben = await insertPerson(db, { name: 'Ben Builder', email: 'ben@acme.test', license: 'read_write' });
  const nox = await insertPerson(db, { name: 'Nox Noaccess', email: 'nox@acme.test', license: 'none' });
  const designers = newId();
  await db.insert(userGroups).values({ id: designers, accountId: account.id, name: 'Designers' });
  await signUp(app, { email: 'olga@other.test', organizationName: 'Other Ltd' });
  const [other] = await db.select().from(accounts).where(eq(accounts.name, 'Other Ltd'));
  const [olga] = await db.select().from(persons).where(eq(persons.email, 'olga@other.test'));
  const foreignGroup = newId();
  await db.insert(userGroups).values({ id: foreignGroup, accountId: other!.id, name: 'Foreign' });
  await db.update(roles).set({ visible: false }).where(and(eq(roles.accountId, account.id), eq(roles.key, 'partners')));
  const before = await holdersOf(db, project);

  t.notMatch((await manager.get(url)).body, '<option value="partners"', 'a hidden role is not offered');
  for (const htmx of [false, true]) {
    for (const [what, body, field, message] of [
      ['a hidden role', { role: 'partners', person: ben.id }, 'role', 'Choose a role from the list'],
      ['More 1 outside Enterprise Plus', { role: 'more1', person: ben.id }, 'role', 'Choose a role from the list'],
      ['no such role', { role: 'boss', person: ben.id }, 'role', 'Choose a role from the list'],
      ['nobody selected', { role: 'team' }, 'person', 'Select at least one person or group to add'],
      ['a person with No Access', { role: 'team', person: [ben.id, nox.id] }, 'person', 'Only people with a Read &amp; Write or Read-Only license can hold a role'],
      ["another account's person", { role: 'team', person: olga!.id }, 'person', 'Only people with a Read &amp; Write or Read-Only license can hold a role'],
      ["another account's group", { role: 'team', group: [designers, foreignGroup] }, 'group', 'Select groups from the list'],
    ] as [string, Record<string, string | string[]>, string, string][]) {
      const res = await manager.post(`${url}/roles`, body, { htmx });
      t.equal(res.statusCode, 422, `${what}${htmx ? ' (htmx)' : ''}: 422`);
      t.match(res.body, `<a href="#${field}">${message}`, 'in the error summary');
      t.match(res.body, new RegExp(`id="${field}(-error)?"><span class="visually-hidden">Error:</span> ${message}`), 'at the field');
      if (htmx) t.notMatch(res.body, '<h1');
    }
  }
  t.same(await holdersOf(db, project), before, 'nothing changed');
  t.same(await historyOf(db, 'project.roles'), [], 'no history');

  // existing assignments of a hidden role stay listed, marked
  await db.insert(projectRoles).values({ accountId: account.id, projectId: project, roleKey: 'partners', personId: ben.id });
  t.match(mainText((await manager.get(url)).body), 'Partners (hidden role) Ben Builder');

  // Enterprise Plus: More 1 can be made visible and assigned
  await db.update(accounts).set({ edition: 'enterprise_plus' }).where(eq(accounts.id, account.id));
  t.equal((await manager.post(`${url}/roles`, { role: 'more1', person: ben.id })).statusCode, 422, 'More 1 is hidden until made visible');
  await db.update(roles).set({ visible: true }).where(and(eq(roles.accountId, account.id), eq(roles.key, 'more1')));
  t.equal((await manager.post(`${url}/roles`, { role: 'more1', person: ben.id })).statusCode, 303, 'visible More 1 in Enterprise Plus');

  // Professional: no groups offered, a group refused, existing group assignments listed
  await db.insert(projectRoles).values({ accountId: account.id, projectId: project, roleKey: 'team', groupId: designers });
  await db.update(accounts).set({ edition: 'professional' }).where(eq(accounts.id, account.id));
  const page = await manager.get(url);
  t.notMatch(page.body, 'Select group');
  t.match(mainText(page.body), 'Team Group: Designers');
  t.match(mainText(page.body), 'Partners Ben Builder', 'Professional shows every default role as visible');
  const refused = await manager.post(`${url}/roles`, { role: 'team', group: designers, person: mia.id });
  t.equal(refused.statusCode, 422, 'a group in Professional: 422');
  t.match(refused.body, 'Groups can’t hold roles in your edition');
  t.equal((await historyOf(db, 'project.roles')).length, 1, 'only the More 1 addition');
});

t.test('"Remove": by assignment id inside the project, with and without htmx, the last manager too', async (t) => {
  const { db, account, project, manager, url, mia } = await setup(t);
  const ben = await insertPerson(db, { name: 'Ben Builder', email: 'ben@acme.test', license: 'read_write' });
  const designers = newId();
  await db.insert(userGroups).values({ id: designers, accountId: account.id, name: 'Designers' });
  const [benRow] = await db.insert(projectRoles).values({ accountId: account.id, projectId: project, roleKey: 'team', personId: ben.id }).returning();
  const [groupRow] = await db.insert(projectRoles).values({ accountId: account.id, projectId: project, roleKey: 'team', groupId: designers }).returning();
  const otherProject = newId();
  await db.insert(projects).values({ id: otherProject, accountId: account.id, name: 'Other' });
  const [elsewhere] = await db.insert(projectRoles).values({ accountId: account.id, projectId: otherProject, roleKey: 'team', personId: ben.id }).returning();

  const page = await manager.get(url);
  t.match(page.body, `<button id="remove-${benRow!.id}" type="submit" class="button button--secondary">Remove<span class="visually-hidden"> Ben Builder from Team</span></button>`);
  const wrong = await manager.post(`${url}/roles/remove`, { assignment: String(elsewhere!.id) });
  t.equal(wrong.headers.location, `${url}?notice=role-not-found`, "another project's assignment: nothing changed");
  t.equal((await manager.post(`${url}/roles/remove`, { assignment: 'nope' })).headers.location, `${url}?notice=role-not-found`);
  t.equal((await db.select().from(projectRoles).where(eq(projectRoles.id, elsewhere!.id))).length, 1);

  const removed = await manager.post(`${url}/roles/remove`, { assignment: String(benRow!.id) });
  t.equal(removed.headers.location, `${url}?notice=role-removed`);
  t.match((await manager.get(removed.headers.location as string)).body, 'Saved. The role assignment is removed.');
  const htmx = await manager.post(`${url}/roles/remove`, { assignment: String(groupRow!.id) }, { htmx: true });
  t.equal(htmx.statusCode, 200);
  t.notMatch(htmx.body, '<h1');
  t.match(htmx.body, '<hx-partial hx-target="#live-status" hx-swap="innerHTML">Saved. Group Designers no longer holds Team in this project.</hx-partial>');
  t.match(htmx.body, /id="remove-\d+" [^>]* autofocus>/, 'focus on the next Remove button');
  const [miaRow] = await db.select().from(projectRoles).where(and(eq(projectRoles.projectId, project), eq(projectRoles.personId, mia.id)));
  const last = await manager.post(`${url}/roles/remove`, { assignment: String(miaRow!.id) }, { htmx: true });
  t.equal(last.statusCode, 200, 'the last Managers holder may go');
  t.match(last.body, 'No one holds a role in this project.');
  t.match(last.body, '<h2 id="assignments-heading" tabindex="-1" autofocus>', 'focus on the heading');
  t.same(await holdersOf(db, project), []);
  t.same((await historyOf(db, 'project.roles')).map((e) => [e.before, e.after]), [
    [{ role: 'team', person: ben.id }, null],
    [{ role: 'team', group: designers }, null],
    [{ role: 'managers', person: mia.id }, null],
  ]);
  t.equal((await manager.get(url)).statusCode, 404, 'Mia has lost the project at once');
});

t.test('CSRF on every POST', async (t) => {
  const { db, project, manager, url } = await setup(t);
  const ben = await insertPerson(db, { name: 'Ben Builder', email: 'ben@acme.test', license: 'read_write' });
  await manager.get(url);
  for (const [post, body] of [...POSTS(url), [`${url}/roles`, { role: 'team', person: ben.id }]] as const) {
    t.equal((await manager.post(post, body, { csrf: false })).statusCode, 403, `no token: ${post.replace(url, '')}`);
  }
  t.equal((await db.select().from(projects).where(eq(projects.id, project)))[0]!.name, 'Apollo');
  t.equal((await holdersOf(db, project)).length, 1);
  t.equal((await manager.post(`${url}/details`, { name: 'Renamed' }, { csrf: 'header' })).statusCode, 303, 'the header works too');
});

t.test('GET /projects/:id/manage sends the same number of statements for few and many holders', async (t) => {
  const { db, account, project, manager, url, stats } = await setup(t);
  const grow = async (n: number, from: number) => {
    for (let i = from; i < from + n; i++) {
      const p = await insertPerson(db, { name: `Person ${String(i).padStart(3, '0')}`, email: `p${i}@acme.test`, license: 'read_write' });
      const g = newId();
      await db.insert(userGroups).values({ id: g, accountId: account.id, name: `Group ${i}` });
      await db.insert(groupMembers).values({ accountId: account.id, groupId: g, personId: p.id });
      await db.insert(projectRoles).values([
        { accountId: account.id, projectId: project, roleKey: i % 2 ? 'team' : 'customers', personId: p.id },
        { accountId: account.id, projectId: project, roleKey: 'partners', groupId: g },
      ]);
    }
  };
  await grow(2, 0);
  const measure = async () => ({ page: await statements(stats, () => manager.get(url)), search: await statements(stats, () => manager.get(`${url}?q=person`, { htmx: true })) });
  await measure();
  const small = await measure();
  await grow(40, 2);
  const large = await measure();
  t.comment(`statements with 3 holders: ${JSON.stringify(small)}; with 83: ${JSON.stringify(large)}`);
  t.same(large, small, 'independent of the number of holders, people and groups');
  t.ok(small.page <= 8, `the page: ${small.page} statements`);
});
