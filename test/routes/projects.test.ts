// Projects, the permission side (SPEC §6, §8): who sees which project and section, "New project", and the SQL of the
// list agreeing with the resolver. Section cases are generated from the catalog's SECTIONS.
import { eq } from 'drizzle-orm';
import t from 'tap';
import type { Auth } from '../../src/auth/session.js';
import { newId } from '../../src/crypto.js';
import type { Db } from '../../src/db/client.js';
import { accounts, divisionGrants, divisions, globalGrants, groupMembers, historyEntries, persons, projectRoles, projects, userGroups } from '../../src/db/schema.js';
import { SECTIONS } from '../../src/permissions/catalog.js';
import type { Edition } from '../../src/permissions/editions.js';
import { loadProjectAccess } from '../../src/permissions/load.js';
import { seesProject } from '../../src/permissions/resolve.js';
import type { RoleKey } from '../../src/permissions/roles.js';
import { encodeCursor } from '../../src/people/cursor.js';
import { SECTION_SLUGS } from '../../src/projects/sections.js';
import { listVisibleProjects } from '../../src/projects/visible.js';
import { signIn, signUp } from '../helpers/agent.js';
import { insertPerson } from '../helpers/factories.js';
import { signedUpAccount } from '../helpers/signed-up.js';
import { mainText, setRolePermissions, statements } from '../helpers/project-pages.js';

const PASSWORD = 'a long enough password';

async function addProject(db: Db, accountId: string, name: string, divisionId: string | null = null) {
  const id = newId();
  await db.insert(projects).values({ id, accountId, name, divisionId });
  return id;
}

async function assign(db: Db, accountId: string, projectId: string, roleKey: RoleKey, holder: { personId: string } | { groupId: string }) {
  await db.insert(projectRoles).values({ accountId, projectId, roleKey, ...holder });
}

/** The text of <main> without the parts that change per request: what a person reads. */
const projectNav = (body: string) => /<nav class="tabs" aria-label="Project">([\s\S]*?)<\/nav>/.exec(body)?.[1];
const navLabels = (body: string) => [...(projectNav(body) ?? '').matchAll(/<a [^>]*>([^<]*)<\/a>/g)].map((m) => m[1]);

t.test('each section: 200 with its read permission (Read & Write or Read-Only), 404 without it and for another account', async (t) => {
  const { app, db, account } = await signedUpAccount(t);
  const project = await addProject(db, account.id, 'Apollo');
  const people = {
    writer: await insertPerson(db, { name: 'Wendy Writer', email: 'wendy@acme.test', license: 'read_write', password: PASSWORD }),
    reader: await insertPerson(db, { name: 'Rita Reader', email: 'rita@acme.test', license: 'read_only', password: PASSWORD }),
    without: await insertPerson(db, { name: 'Nils Without', email: 'nils@acme.test', license: 'read_write', password: PASSWORD }),
  };
  await assign(db, account.id, project, 'additional', { personId: people.writer.id });
  await assign(db, account.id, project, 'additional', { personId: people.reader.id });
  await assign(db, account.id, project, 'partners', { personId: people.without.id });
  await setRolePermissions(db, account.id, 'partners', ['project.read']);
  const writer = await signIn(app, 'wendy@acme.test', PASSWORD);
  const reader = await signIn(app, 'rita@acme.test', PASSWORD);
  const without = await signIn(app, 'nils@acme.test', PASSWORD);
  // another organization's project, where its own administrator (with every read) sees the section
  const other = await signUp(app, { email: 'olga@other.test', organizationName: 'Other Ltd' });
  const [otherAccount] = await db.select().from(accounts).where(eq(accounts.name, 'Other Ltd'));
  const foreign = await addProject(db, otherAccount!.id, 'Foreign');
  const olga = await firstPersonOf(db, otherAccount!.id);
  const notFound = mainText((await writer.get('/projects/nothing-here')).body);

  for (const section of SECTIONS) {
    const url = `/projects/${project}/${SECTION_SLUGS[section.key]}`;
    await t.test(`${section.name} (${url.replace(project, ':id')})`, async (t) => {
      await setRolePermissions(db, account.id, 'additional', [section.read]);
      const res = await writer.get(url);
      t.equal(res.statusCode, 200, 'with its read permission');
      t.match(res.body, new RegExp(`<h1[^>]*>${section.name}: Apollo</h1>`), 'the h1 names the section and the project');
      t.same(navLabels(res.body), [section.name], 'the navigation holds only the sections the person can read');
      t.match(projectNav(res.body), new RegExp(`<a href="${url}" aria-current="page">${section.name}</a>`), 'the current section is marked');
      t.equal((await reader.get(url)).statusCode, 200, 'Read-Only with the read permission');
      const refused = await without.get(url);
      t.equal(refused.statusCode, 404, 'without it');
      t.equal(mainText(refused.body), notFound, 'the same 404 as an unknown project');
      t.equal((await without.get(`/projects/${project}`)).statusCode, 200, 'the project itself is visible (Read projects)');
      t.same(navLabels((await without.get(`/projects/${project}`)).body), [], 'with no section in its navigation');
      for (const other of SECTIONS.filter((s) => s.key !== section.key)) {
        t.equal((await writer.get(`/projects/${project}/${SECTION_SLUGS[other.key]}`)).statusCode, 404, `not ${other.name}`);
      }
      const foreignUrl = `/projects/${foreign}/${SECTION_SLUGS[section.key]}`;
      t.equal((await other.get(foreignUrl)).statusCode, 404, 'its own administrator holds no role there yet');
      await db.insert(globalGrants).values({ accountId: otherAccount!.id, personId: olga, permission: section.read });
      t.equal((await other.get(foreignUrl)).statusCode, 200, 'in its own account, with the read permission');
      const crossed = await writer.get(foreignUrl);
      t.equal(crossed.statusCode, 404, "another account's project");
      t.equal(mainText(crossed.body), notFound, 'the same 404');
    });
  }
});

async function firstPersonOf(db: Db, accountId: string) {
  const [row] = await db.select({ id: persons.id }).from(persons).where(eq(persons.accountId, accountId));
  return row!.id;
}

t.test('the project page: overview and, as navigation, the readable sections in catalog order with their labels', async (t) => {
  const { app, db, account, admin } = await signedUpAccount(t);
  await db.update(accounts).set({ edition: 'enterprise' }).where(eq(accounts.id, account.id));
  const sales = newId();
  await db.insert(divisions).values({ id: sales, accountId: account.id, name: 'Sales' });
  const project = await addProject(db, account.id, 'Apollo <One>', sales);
  const hidden = await addProject(db, account.id, 'Hidden');
  const bo = await insertPerson(db, { name: 'Bo', email: 'bo@acme.test', license: 'read_write', password: PASSWORD });
  await assign(db, account.id, project, 'managers', { personId: bo.id });
  const agent = await signIn(app, 'bo@acme.test', PASSWORD);
  const res = await agent.get(`/projects/${project}`);
  t.equal(res.statusCode, 200);
  t.match(res.body, '<h1>Apollo &lt;One&gt;</h1>', 'the name, escaped');
  t.match(mainText(res.body), 'Division Sales');
  // Managers by default: every section read except none (the recommended permissions hold every project permission but four edits)
  t.same(navLabels(res.body), ['Comments', 'Lists', 'Mind maps', 'Tasks', 'Planning', 'Time tracking', 'Documents', 'Financials', 'Manage']);
  t.notMatch(projectNav(res.body) ?? '', 'aria-current', 'no section is current on the overview');
  const unknown = await agent.get('/projects/no-such-project');
  const invisible = await agent.get(`/projects/${hidden}`);
  t.equal(unknown.statusCode, 404);
  t.equal(invisible.statusCode, 404, 'a project the person cannot see');
  t.equal(mainText(invisible.body), mainText(unknown.body), 'the same page and text');
  t.equal((await agent.get(`/projects/${hidden}/comments`)).statusCode, 404);
  const badSlug = await agent.get(`/projects/${project}/no-such-section`);
  t.equal(badSlug.statusCode, 404, 'an unknown section');
  t.equal(mainText(badSlug.body), mainText(unknown.body), 'the same page and text');
  // the administrator holds no role and no project permission: administrators see no project automatically
  t.equal((await admin.get(`/projects/${project}`)).statusCode, 404);
});

t.test('"New project": only with the global "Create projects" and Read & Write; the creator becomes its manager', async (t) => {
  const { app, db, account, admin, ada } = await signedUpAccount(t);
  const count = async () => (await db.select().from(projects)).length;
  await insertPerson(db, { name: 'Cara', email: 'cara@acme.test', license: 'read_write', password: PASSWORD });
  const cara = await signIn(app, 'cara@acme.test', PASSWORD);
  t.equal((await cara.get('/projects/new')).statusCode, 403, 'no grant: 403');
  t.equal((await cara.post('/projects/new', { name: 'Sneaky' })).statusCode, 403);
  t.notMatch((await cara.get('/projects')).body, 'href="/projects/new"', 'no "New project" link');

  t.match((await admin.get('/projects')).body, '<a class="button" href="/projects/new">New project</a>', 'with the grant: the link');
  const form = await admin.get('/projects/new');
  t.equal(form.statusCode, 200);
  t.match(form.body, '<label for="name">Project name</label>');
  t.notMatch(form.body, 'name="division"', 'Professional: no division select');

  for (const [what, name, message] of [
    ['empty', '   ', 'Enter a project name'],
    ['121 characters', 'x'.repeat(121), 'Project name must be 120 characters or fewer'],
  ] as const) {
    for (const htmx of [false, true]) {
      const res = await admin.post('/projects/new', { name }, { htmx });
      t.equal(res.statusCode, 422, `${what}${htmx ? ' (htmx)' : ''}: 422`);
      t.match(res.body, `<a href="#name">${message}</a>`, 'in the error summary, linking to the field');
      t.match(res.body, new RegExp(`id="name-error"><span class="visually-hidden">Error:</span> ${message}`), 'at the field');
    }
  }
  t.equal(await count(), 0, 'nothing inserted');

  const created = await admin.post('/projects/new', { name: '  Apollo  ' });
  t.equal(created.statusCode, 303);
  const [project] = await db.select().from(projects);
  t.equal(project!.name, 'Apollo', 'trimmed');
  t.equal(created.headers.location, `/projects/${project!.id}?notice=project-created`);
  const page = await admin.get(created.headers.location as string);
  t.match(page.body, 'Project created. You are its manager.', 'a visible confirmation');
  t.same(
    (await db.select().from(projectRoles).where(eq(projectRoles.projectId, project!.id))).map((r) => [r.roleKey, r.personId, r.groupId]),
    [['managers', ada.id, null]],
    'the creator holds Managers',
  );
  t.same(navLabels(page.body).length, 9, 'and reads every section as a manager');
  const [entry] = await db.select().from(historyEntries).where(eq(historyEntries.kind, 'project.created'));
  t.same([entry?.subjectType, entry?.subjectId, entry?.actorId], ['project', project!.id, ada.id], 'a history entry');

  const viaHtmx = await admin.post('/projects/new', { name: 'Hermes' }, { htmx: true });
  t.equal(viaHtmx.statusCode, 303, 'with htmx too');
  t.equal(await count(), 2);

  // administrators get it only by the grant
  await db.delete(globalGrants).where(eq(globalGrants.personId, ada.id));
  t.equal((await admin.get('/projects/new')).statusCode, 403, 'an administrator without the grant: 403');
  // the grant with a Read-Only license: 403
  await insertPerson(db, { name: 'Rolf', email: 'rolf@acme.test', license: 'read_only', password: PASSWORD });
  const rolf = await signIn(app, 'rolf@acme.test', PASSWORD);
  const [rolfRow] = await db.select().from(persons).where(eq(persons.email, 'rolf@acme.test'));
  await db.insert(globalGrants).values({ accountId: account.id, personId: rolfRow!.id, permission: 'projects.create' });
  t.equal((await rolf.post('/projects/new', { name: 'Nope' })).statusCode, 403, 'Read-Only with the grant: 403');
  t.equal(await count(), 2);
});

t.test('"Division" (Enterprise and up): the account\'s divisions, optional; another account\'s division is refused', async (t) => {
  const { app, db, account, admin } = await signedUpAccount(t);
  await db.update(accounts).set({ edition: 'enterprise' }).where(eq(accounts.id, account.id));
  const sales = newId();
  await db.insert(divisions).values({ id: sales, accountId: account.id, name: 'Sales' });
  await signUp(app, { email: 'olga@other.test', organizationName: 'Other Ltd' });
  const [other] = await db.select().from(accounts).where(eq(accounts.name, 'Other Ltd'));
  const foreign = newId();
  await db.insert(divisions).values({ id: foreign, accountId: other!.id, name: 'Foreign' });

  const form = await admin.get('/projects/new');
  t.match(form.body, '<label for="division">Division (optional)</label>');
  t.match(form.body, `<option value="${sales}">Sales</option>`);
  t.notMatch(form.body, 'Foreign');
  for (const division of [foreign, 'no-such-division', ['a', 'b']]) {
    const res = await admin.post('/projects/new', { name: 'Apollo', division });
    t.equal(res.statusCode, 422, `division ${JSON.stringify(division)}: 422`);
    t.match(res.body, '<a href="#division">');
  }
  t.equal((await db.select().from(projects)).length, 0, 'nothing inserted');
  const res = await admin.post('/projects/new', { name: 'Apollo', division: sales });
  t.equal(res.statusCode, 303);
  const [project] = await db.select().from(projects);
  t.equal(project!.divisionId, sales);
  t.match(mainText((await admin.get(`/projects/${project!.id}`)).body), 'Division Sales');
  t.equal((await admin.post('/projects/new', { name: 'No division', division: '' })).statusCode, 303, 'none chosen');
  t.same((await admin.get('/projects')).body.match(/<td>(Sales|–)<\/td>/g), ['<td>Sales</td>', '<td>–</td>'], 'listed with their divisions');
});

/** A fixture with every way to see a project, for the agreement of the list's SQL and the resolver. */
async function agreementFixture(db: Db, accountId: string) {
  const [d1, d2, g1, g2] = [newId(), newId(), newId(), newId()];
  await db.insert(divisions).values([{ id: d1, accountId, name: 'North' }, { id: d2, accountId, name: 'South' }]);
  await db.insert(userGroups).values([{ id: g1, accountId, name: 'Designers' }, { id: g2, accountId, name: 'Empty' }]);
  const p = await Promise.all(
    ['A plain', 'B north', 'C south', 'D north two', 'E plain two', 'F more', 'G group', 'H nothing', 'I additional'].map((name, i) =>
      addProject(db, accountId, name, name.includes('north') ? d1 : name.includes('south') ? d2 : null),
    ),
  );
  await setRolePermissions(db, accountId, 'more1', ['tasks.edit']);
  await setRolePermissions(db, accountId, 'partners', ['projects.create']); // a global-only permission in a role: cut by scope
  const person = (name: string, license: 'read_write' | 'read_only' | 'none' = 'read_write') =>
    insertPerson(db, { accountId, name, email: `${name.toLowerCase()}@acme.test`, license });
  const globalReader = await person('Global');
  await db.insert(globalGrants).values({ accountId, personId: globalReader.id, permission: 'time.backdate' });
  const creatorOnly = await person('Creator');
  await db.insert(globalGrants).values({ accountId, personId: creatorOnly.id, permission: 'projects.create' });
  const divisional = await person('Divisional', 'read_only');
  await db.insert(divisionGrants).values({ accountId, personId: divisional.id, divisionId: d1, permission: 'comments.add' });
  const roleHolder = await person('Roles');
  await assign(db, accountId, p[0]!, 'team', { personId: roleHolder.id });
  await assign(db, accountId, p[5]!, 'more1', { personId: roleHolder.id });
  await assign(db, accountId, p[8]!, 'additional', { personId: roleHolder.id });
  await assign(db, accountId, p[2]!, 'partners', { personId: roleHolder.id });
  const grouped = await person('Grouped', 'read_only');
  await db.insert(groupMembers).values({ accountId, groupId: g1, personId: grouped.id });
  await assign(db, accountId, p[6]!, 'customers', { groupId: g1 });
  await assign(db, accountId, p[4]!, 'more1', { groupId: g1 });
  await assign(db, accountId, p[7]!, 'team', { groupId: g2 });
  await assign(db, accountId, p[3]!, 'managers', { personId: grouped.id });
  const noAccess = await person('Nobody', 'none');
  await db.insert(globalGrants).values({ accountId, personId: noAccess.id, permission: 'project.read' });
  await assign(db, accountId, p[1]!, 'managers', { personId: noAccess.id });
  return { projects: p, people: [globalReader, creatorOnly, divisional, roleHolder, grouped, noAccess] };
}

t.test('the list\'s SQL and the resolver agree: listed = { project | seesProject(loadProjectAccess(...)) }', async (t) => {
  const { db, account } = await signedUpAccount(t);
  const fixture = await agreementFixture(db, account.id);
  const editions: Edition[] = ['professional', 'enterprise', 'enterprise_plus', 'self_hosted'];
  const nonEmpty = new Set<string>();
  for (const edition of editions) {
    for (const person of fixture.people) {
      const auth = { account: { ...account, edition }, person: { ...person } } as unknown as Auth;
      const listed = (await listVisibleProjects(db, auth, { limit: 100 })).rows.map((r) => r.id).sort();
      const seen: string[] = [];
      for (const id of fixture.projects) {
        const loaded = await loadProjectAccess(db, auth, id);
        if (loaded && seesProject(loaded.access)) seen.push(id);
      }
      t.same(listed, seen.sort(), `${person.name} (${person.license}) in ${edition}: ${seen.length} projects`);
      if (seen.length) nonEmpty.add(`${person.name}:${seen.length}`);
    }
  }
  t.ok(nonEmpty.size >= 6, 'the cases are not all empty');
});

t.test('/projects: search as you type, keyset pages of 25', async (t) => {
  const { db, account, admin, ada } = await signedUpAccount(t);
  await db.insert(globalGrants).values({ accountId: account.id, personId: ada.id, permission: 'project.read' });
  for (let i = 0; i < 30; i++) await addProject(db, account.id, `Zeta ${String(i).padStart(2, '0')}`);
  await addProject(db, account.id, 'Apollo 50%');
  const names = (body: string) => [...body.matchAll(/<td><a href="\/projects\/[^"]+">([^<]*)<\/a>/g)].map((m) => m[1]);
  const first = await admin.get('/projects');
  t.equal(names(first.body).length, 25);
  t.match(first.body, '31 projects you can see');
  const next = /href="(\/projects\?after=[^"]+)" rel="next"/.exec(first.body)![1]!.replace(/&amp;/g, '&');
  const second = await admin.get(next);
  t.same(names(second.body), ['Zeta 24', 'Zeta 25', 'Zeta 26', 'Zeta 27', 'Zeta 28', 'Zeta 29']);
  const found = await admin.get('/projects?q=50%25', { htmx: true });
  t.equal(found.headers['hx-replace-url'], '/projects?q=50%25');
  t.same(names(found.body), ['Apollo 50%'], 'a % is searched as itself');
  t.notMatch(found.body, '<h1>', 'htmx: only the results');
  t.match(found.body, '<hx-partial hx-target="#projects-count" hx-swap="innerHTML">1 project found</hx-partial>');
  t.same(names((await admin.get('/projects?q=zeta 0')).body).length, 10, 'without JavaScript: the same search as a page');
  t.match((await admin.get('/projects?q=nothing')).body, 'No project you can see matches this search.');
});

t.test('/projects and /projects/:id send the same number of statements for 3 projects and for 80', async (t) => {
  const { app, db, account, stats } = await signedUpAccount(t);
  await db.update(accounts).set({ edition: 'enterprise_plus' }).where(eq(accounts.id, account.id));
  const group = newId();
  await db.insert(userGroups).values({ id: group, accountId: account.id, name: 'Designers' });
  const bo = await insertPerson(db, { name: 'Bo', email: 'bo@acme.test', license: 'read_write', password: PASSWORD });
  await db.insert(groupMembers).values({ accountId: account.id, groupId: group, personId: bo.id });
  await setRolePermissions(db, account.id, 'more1', ['tasks.read']);
  const addMany = async (n: number, from: number) => {
    const ids: string[] = [];
    for (let i = from; i < from + n; i++) {
      const id = await addProject(db, account.id, `Project ${String(i).padStart(3, '0')}`);
      await assign(db, account.id, id, i % 2 ? 'team' : 'more1', i % 3 ? { personId: bo.id } : { groupId: group });
      ids.push(id);
    }
    return ids;
  };
  const [someProject] = await addMany(3, 0);
  const agent = await signIn(app, 'bo@acme.test', PASSWORD);
  const measure = async () => ({
    list: await statements(stats, () => agent.get('/projects')),
    search: await statements(stats, () => agent.get('/projects?q=project', { htmx: true })),
    deep: await statements(stats, () => agent.get(`/projects?after=${encodeCursor({ name: 'Project 001', id: 'x' })}`)),
    project: await statements(stats, () => agent.get(`/projects/${someProject}`)),
    section: await statements(stats, () => agent.get(`/projects/${someProject}/tasks`)),
  });
  await measure(); // warm up (prepared statements)
  const small = await measure();
  await addMany(77, 3);
  const large = await measure();
  t.comment(`statements with 3 projects: ${JSON.stringify(small)}; with 80: ${JSON.stringify(large)}`);
  t.same(large, small, 'independent of the number of projects and assignments');
  t.ok(small.list <= 4, `the list: ${small.list} statements`);
  t.ok(small.project <= 3, `a project: ${small.project} statements`);
  t.equal((await agent.get('/projects')).body.match(/<td><a href="\/projects\//g)?.length, 25, 'a page of 25');
});
