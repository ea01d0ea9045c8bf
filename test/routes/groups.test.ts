// The Groups tab of User management (/settings/users/groups): edition gate, administrators only, create, rename,
// members (licensed people of the account only), delete with the group's project roles, history, statement counts.
import { and, eq } from 'drizzle-orm';
import t from 'tap';
import { newId } from '../../src/crypto.js';
import { accounts, groupMembers, historyEntries, projectRoles, projects, userGroups } from '../../src/db/schema.js';
import type { Db } from '../../src/db/client.js';
import { signIn, signUp } from '../helpers/agent.js';
import type { TestApp } from '../helpers/build.js';
import { insertPerson } from '../helpers/factories.js';
import { signedUpAccount } from '../helpers/signed-up.js';

const PASSWORD = 'long enough password';
const LIST = '/settings/users/groups';
const TAKEN = 'A group with this name already exists';

type Test = Parameters<typeof signedUpAccount>[0];

/** A signed-up organization on Enterprise. */
async function setup(t: Test) {
  const ctx = await signedUpAccount(t);
  await ctx.db.update(accounts).set({ edition: 'enterprise' }).where(eq(accounts.id, ctx.account.id));
  return ctx;
}

async function insertGroup(db: Db, accountId: string, name: string, members: string[] = []) {
  const id = newId();
  await db.insert(userGroups).values({ id, accountId, name });
  if (members.length) await db.insert(groupMembers).values(members.map((personId) => ({ accountId, groupId: id, personId })));
  return id;
}

/** A project in which the group holds the given roles. */
async function insertProjectRole(db: Db, accountId: string, groupId: string, roleKeys: string[] = ['team']) {
  const projectId = newId();
  await db.insert(projects).values({ id: projectId, accountId, name: `Project ${projectId.slice(0, 4)}` });
  await db.insert(projectRoles).values(roleKeys.map((roleKey) => ({ accountId, projectId, roleKey, groupId })));
  return projectId;
}

const groupsOf = (db: Db, accountId: string) => db.select().from(userGroups).where(eq(userGroups.accountId, accountId));
const membersOf = async (db: Db, groupId: string) =>
  (await db.select().from(groupMembers).where(eq(groupMembers.groupId, groupId))).map((m) => m.personId).sort();
const historyOf = (db: Db, kind: string) => db.select().from(historyEntries).where(eq(historyEntries.kind, kind));

function routes(id: string): [string, string][] {
  return [
    ['GET', LIST],
    ['POST', LIST],
    ['GET', `${LIST}/${id}`],
    ['POST', `${LIST}/${id}/name`],
    ['POST', `${LIST}/${id}/members`],
    ['POST', `${LIST}/${id}/members/remove`],
    ['GET', `${LIST}/${id}/delete`],
    ['POST', `${LIST}/${id}/delete`],
  ];
}

t.test('the edition gate: Professional answers 404 on every route, Enterprise and up 200', async (t) => {
  const { db, admin, account } = await signedUpAccount(t);
  const id = await insertGroup(db, account.id, 'Designers');
  for (const [method, url] of routes(id)) {
    const res = method === 'GET' ? await admin.get(url) : await admin.post(url, { name: 'X' });
    t.equal(res.statusCode, 404, `professional: ${method} ${url}`);
  }
  t.notMatch((await admin.get('/settings/users')).body, 'href="/settings/users/groups"', 'no Groups tab');
  t.equal((await groupsOf(db, account.id)).length, 1, 'nothing changed');
  for (const edition of ['enterprise', 'enterprise_plus', 'self_hosted'] as const) {
    await db.update(accounts).set({ edition }).where(eq(accounts.id, account.id));
    for (const url of [LIST, `${LIST}/${id}`, `${LIST}/${id}/delete`]) t.equal((await admin.get(url)).statusCode, 200, `${edition}: ${url}`);
    t.match((await admin.get('/settings/users')).body, 'href="/settings/users/groups"', `${edition}: the Groups tab`);
  }
});

t.test('administrators only; a Read-Only administrator may look but not change; CSRF on every POST', async (t) => {
  const { app, db, admin, account } = await setup(t);
  const bo = await insertPerson(db, { name: 'Bo Brown', license: 'read_write' });
  const id = await insertGroup(db, account.id, 'Designers', [bo.id]);
  await insertPerson(db, { email: 'user@acme.test', password: PASSWORD, license: 'read_write' });
  await insertPerson(db, { email: 'roa@acme.test', password: PASSWORD, license: 'read_only', isAdmin: true });
  const user = await signIn(app, 'user@acme.test', PASSWORD);
  const readOnlyAdmin = await signIn(app, 'roa@acme.test', PASSWORD);
  const bodies = { name: 'Renamed', person: bo.id };
  for (const [method, url] of routes(id)) {
    const res = method === 'GET' ? await user.get(url) : await user.post(url, bodies);
    t.equal(res.statusCode, 403, `a user: ${method} ${url}`);
  }
  for (const [method, url] of routes(id)) {
    if (method === 'GET' && !url.endsWith('/delete')) {
      t.equal((await readOnlyAdmin.get(url)).statusCode, 200, `Read-Only administrator looks: ${url}`);
      continue;
    }
    const res = method === 'GET' ? await readOnlyAdmin.get(url) : await readOnlyAdmin.post(url, bodies);
    t.equal(res.statusCode, 403, `Read-Only administrator: ${method} ${url}`);
  }
  const page = await readOnlyAdmin.get(`${LIST}/${id}`);
  t.notMatch(page.body, 'Remove<span', 'no Remove buttons for a Read-Only administrator');
  t.notMatch((await readOnlyAdmin.get(LIST)).body, 'Create group');
  for (const [method, url] of routes(id)) {
    if (method !== 'POST') continue;
    const res = await admin.post(url, bodies, { csrf: false });
    t.equal(res.statusCode, 403, `no CSRF token: ${url}`);
  }
  const [group] = await groupsOf(db, account.id);
  t.equal(group!.name, 'Designers', 'nothing changed');
  t.same(await membersOf(db, id), [bo.id]);
  t.equal((await db.select().from(historyEntries).where(eq(historyEntries.subjectType, 'group'))).length, 0);
});

t.test('create: 303 to the group with a confirmation; duplicate and bad names 422; with htmx the list and form swap', async (t) => {
  const { db, admin, account } = await setup(t);
  const empty = await admin.get(LIST);
  t.equal(empty.statusCode, 200);
  t.match(empty.body, 'There are no groups yet.');
  t.match(empty.body, '<label for="name">Group name</label>');

  const created = await admin.post(LIST, { name: '  Designers  ' });
  t.equal(created.statusCode, 303);
  const [group] = await groupsOf(db, account.id);
  t.equal(group!.name, 'Designers', 'trimmed');
  t.equal(created.headers.location, `${LIST}/${group!.id}?notice=group-created`);
  const page = await admin.get(String(created.headers.location));
  t.match(page.body, '<h1 id="group-title">Designers</h1>');
  t.match(page.body, 'Group “Designers” created.');
  const [entry] = await historyOf(db, 'group.created');
  t.same([entry!.subjectType, entry!.subjectId, entry!.after], ['group', group!.id, { name: 'Designers' }]);

  const refused: [string, string][] = [['designers', TAKEN], ['', 'Enter a group name'], ['x'.repeat(81), 'Group name must be 80 characters or fewer']];
  for (const [name, message] of refused) {
    const res = await admin.post(LIST, { name });
    t.equal(res.statusCode, 422, `"${name.slice(0, 10)}"`);
    t.match(res.body, `<a href="#name">${message}</a>`, 'in the error summary');
    t.match(res.body, `id="name-error"><span class="visually-hidden">Error:</span> ${message}`, 'at the field');
    t.match(res.body, '<title>Error: ');
  }
  t.equal((await admin.post(LIST, { name: 'x'.repeat(80) })).statusCode, 303, '80 characters are fine');

  const htmx = await admin.post(LIST, { name: 'Writers' }, { htmx: true });
  t.equal(htmx.statusCode, 200);
  t.match(htmx.body, /^\s*<div id="groups-content">/);
  t.match(htmx.body, '>Writers</a>', 'the new row');
  t.match(htmx.body, 'Saved. Group “Writers” created.');
  t.notMatch(htmx.body, 'value="Writers"', 'the field is empty again');
  const taken = await admin.post(LIST, { name: 'WRITERS' }, { htmx: true });
  t.equal(taken.statusCode, 422);
  t.match(taken.body, /^\s*<div id="groups-content">/);
  t.match(taken.body, `<a href="#name">${TAKEN}</a>`);
  t.match(taken.body, 'value="WRITERS"');
  t.equal((await groupsOf(db, account.id)).length, 3);
  t.equal((await historyOf(db, 'group.created')).length, 3);

  const list = await admin.get(LIST);
  t.match(list.body, /Designers<\/a><\/th><td>0 members<\/td><td>0 projects<\/td>/);
});

t.test('rename: with and without htmx; a taken name 422; the same name writes nothing', async (t) => {
  const { db, admin, account } = await setup(t);
  const id = await insertGroup(db, account.id, 'Designers');
  await insertGroup(db, account.id, 'Writers');
  const res = await admin.post(`${LIST}/${id}/name`, { name: 'Artists' });
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, `${LIST}/${id}?notice=group-renamed`);
  t.match((await admin.get(String(res.headers.location))).body, 'Saved. The group is now called “Artists”.');
  const taken = await admin.post(`${LIST}/${id}/name`, { name: 'writers' });
  t.equal(taken.statusCode, 422);
  t.match(taken.body, `<a href="#name">${TAKEN}</a>`);
  t.match(taken.body, '<h1 id="group-title">Artists</h1>', 'the page shows the saved name');
  const htmx = await admin.post(`${LIST}/${id}/name`, { name: 'Painters' }, { htmx: true });
  t.equal(htmx.statusCode, 200);
  t.match(htmx.body, /^\s*<form id="rename-group"/);
  t.match(htmx.body, '<hx-partial hx-target="#group-title" hx-swap="innerHTML">Painters</hx-partial>');
  t.match(htmx.body, 'Saved. The group is now called “Painters”.');
  const bad = await admin.post(`${LIST}/${id}/name`, { name: ' ' }, { htmx: true });
  t.equal(bad.statusCode, 422);
  t.match(bad.body, /^\s*<form id="rename-group"/);
  t.match(bad.body, '<a href="#name">Enter a group name</a>');
  const same = await admin.post(`${LIST}/${id}/name`, { name: 'Painters' });
  t.equal(same.headers.location, `${LIST}/${id}?notice=group-unchanged`);
  const entries = await historyOf(db, 'group.renamed');
  t.same(entries.map((e) => [e.before, e.after]), [[{ name: 'Designers' }, { name: 'Artists' }], [{ name: 'Artists' }, { name: 'Painters' }]], 'one entry per change, none when unchanged');
  t.equal((await admin.post(`${LIST}/${id}/name`, { name: 'painters' })).statusCode, 303, 'a new case of its own name is fine');
});

t.test('members: only licensed people of the account; No Access and another account’s people 422 with nothing changed', async (t) => {
  const { app, db, admin, account, ada } = await setup(t);
  const bo = await insertPerson(db, { name: 'Bo Brown', email: 'bo@acme.test', license: 'read_write' });
  const cy = await insertPerson(db, { name: 'Cy Reader', email: 'cy@acme.test', license: 'read_only' });
  const dee = await insertPerson(db, { name: 'Dee Nobody', email: 'dee@acme.test', license: 'none' });
  await signUp(app, { organizationName: 'Other Ltd', email: 'olga@other.test' });
  const [other] = await db.select().from(accounts).where(eq(accounts.name, 'Other Ltd'));
  const olaf = await insertPerson(db, { name: 'Olaf Other', accountId: other!.id, license: 'read_write' });
  const id = await insertGroup(db, account.id, 'Designers');

  const page = await admin.get(`${LIST}/${id}`);
  t.match(page.body, '>Bo Brown</label>');
  t.match(page.body, '>Cy Reader</label>');
  t.notMatch(page.body, 'Dee Nobody', 'people with No Access are not offered');
  t.notMatch(page.body, 'Olaf Other');
  const search = await admin.get(`${LIST}/${id}?q=cy`, { htmx: true });
  t.equal(search.statusCode, 200);
  t.equal(search.headers['hx-replace-url'], `${LIST}/${id}?q=cy`);
  t.match(search.body, /^\s*<p id="candidates-count">1 person with a license matches “cy”.<\/p>/);
  t.notMatch(search.body, 'Bo Brown');
  t.match(search.body, '<hx-partial hx-target="#live-status" hx-swap="innerHTML">1 person with a license matches “cy”.');
  t.notMatch((await admin.get(`${LIST}/${id}?q=dee`)).body, 'value="' + dee.id + '"');

  for (const person of [[bo.id, dee.id], [olaf.id], ['nobody'], ['<bad id>']]) {
    const res = await admin.post(`${LIST}/${id}/members`, { person });
    t.equal(res.statusCode, 422, `refused: ${person.join(', ')}`);
    t.match(res.body, 'href="#person">Only people with a Read &amp; Write or Read-Only license can be group members');
    t.same(await membersOf(db, id), [], 'nothing changed');
  }
  const none = await admin.post(`${LIST}/${id}/members`, {}, { htmx: true });
  t.equal(none.statusCode, 422);
  t.match(none.body, 'href="#person">Select at least one person to add</a>');
  t.match(none.body, 'id="person-error"');

  const added = await admin.post(`${LIST}/${id}/members`, { person: [bo.id], q: 'b' });
  t.equal(added.statusCode, 303);
  t.equal(added.headers.location, `${LIST}/${id}?q=b&notice=members-added`);
  const htmx = await admin.post(`${LIST}/${id}/members`, { person: [cy.id, bo.id, ada.id] }, { htmx: true });
  t.equal(htmx.statusCode, 200);
  t.match(htmx.body, /^\s*<p id="candidates-count" tabindex="-1" autofocus>Everyone with a license is a member/);
  t.match(htmx.body, '<hx-partial hx-target="#members" hx-swap="innerHTML">');
  t.match(htmx.body, 'Saved. 2 people added to Designers; it has 3 members.');
  t.same(await membersOf(db, id), [ada.id, bo.id, cy.id].sort());
  const again = await admin.post(`${LIST}/${id}/members`, { person: bo.id }, { htmx: true });
  t.match(again.body, 'Nothing changed: the selected people are members already.');
  const entries = await historyOf(db, 'group.members');
  t.same(
    entries.map((e) => [e.before, e.after]),
    [[{ members: [] }, { members: [bo.id] }], [{ members: [bo.id] }, { members: [ada.id, bo.id, cy.id].sort() }]],
    'member id lists before and after; none when nothing changed',
  );
  const group = await admin.get(`${LIST}/${id}`);
  t.match(group.body, 'Designers has 3 members.');
  t.match(group.body, /Remove<span class="visually-hidden"> Bo Brown<\/span>/);
});

t.test('remove a member: with and without htmx; focus moves to the next one; history', async (t) => {
  const { db, admin, account } = await setup(t);
  const ann = await insertPerson(db, { name: 'Ann A', license: 'read_write' });
  const bo = await insertPerson(db, { name: 'Bo B', license: 'read_write' });
  const cy = await insertPerson(db, { name: 'Cy C', license: 'read_only' });
  const id = await insertGroup(db, account.id, 'Designers', [ann.id, bo.id, cy.id]);
  const res = await admin.post(`${LIST}/${id}/members/remove`, { person: ann.id });
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, `${LIST}/${id}?notice=member-removed`);
  t.same(await membersOf(db, id), [bo.id, cy.id].sort());
  const htmx = await admin.post(`${LIST}/${id}/members/remove`, { person: bo.id }, { htmx: true });
  t.equal(htmx.statusCode, 200);
  t.match(htmx.body, /^\s*<h2 id="members-heading">Members<\/h2>/);
  t.match(htmx.body, `id="remove-${cy.id}" type="submit" class="button button--secondary" autofocus`);
  t.match(htmx.body, 'Saved. Bo B is no longer a member of Designers; it has 1 member.');
  const last = await admin.post(`${LIST}/${id}/members/remove`, { person: cy.id }, { htmx: true });
  t.match(last.body, '<h2 id="members-heading" tabindex="-1" autofocus>Members</h2>');
  t.match(last.body, 'This group has no members yet.');
  const gone = await admin.post(`${LIST}/${id}/members/remove`, { person: cy.id });
  t.equal(gone.headers.location, `${LIST}/${id}?notice=member-not-found`, 'not a member: nothing to do');
  t.same(await membersOf(db, id), []);
  const entries = await historyOf(db, 'group.members');
  t.equal(entries.length, 3, 'one entry per removal, none for nothing');
  t.same(entries[0]!.after, { members: [bo.id, cy.id].sort() });
});

t.test('delete: the confirmation names the project count; the group, its members and its project roles go in one go', async (t) => {
  const { db, admin, account } = await setup(t);
  const bo = await insertPerson(db, { name: 'Bo Brown', license: 'read_write' });
  const id = await insertGroup(db, account.id, 'Designers', [bo.id]);
  const keep = await insertGroup(db, account.id, 'Writers', [bo.id]);
  const p1 = await insertProjectRole(db, account.id, id, ['team', 'customers']);
  await insertProjectRole(db, account.id, id);
  await insertProjectRole(db, account.id, id);
  await insertProjectRole(db, account.id, keep);
  await db.insert(projectRoles).values({ accountId: account.id, projectId: p1, roleKey: 'team', personId: bo.id });

  const list = await admin.get(LIST);
  t.match(list.body, /Designers<\/a><\/th><td>1 member<\/td><td>3 projects<\/td>/);
  const confirm = await admin.get(`${LIST}/${id}/delete`);
  t.equal(confirm.statusCode, 200);
  t.match(confirm.body, 'Designers holds a role in 3 projects. Deleting it removes it from every project role; its members keep their other access.');
  t.match(confirm.body, `<form id="delete-group" method="post" action="${LIST}/${id}/delete">`);
  t.match((await admin.get(`${LIST}/${keep}/delete`)).body, 'Writers holds a role in 1 project.');

  const res = await admin.post(`${LIST}/${id}/delete`);
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, `${LIST}?notice=group-deleted`);
  t.match((await admin.get(String(res.headers.location))).body, 'Group deleted. Its members keep their other access.');
  t.same((await groupsOf(db, account.id)).map((g) => g.name), ['Writers']);
  t.same(await membersOf(db, id), []);
  t.equal((await db.select().from(projectRoles).where(eq(projectRoles.groupId, id))).length, 0, 'its project roles are gone');
  t.equal((await db.select().from(projectRoles).where(eq(projectRoles.groupId, keep))).length, 1, 'another group’s stay');
  t.equal((await db.select().from(projectRoles).where(eq(projectRoles.personId, bo.id))).length, 1, 'the member’s own role stays');
  t.same(await membersOf(db, keep), [bo.id]);
  const [entry] = await historyOf(db, 'group.deleted');
  t.same([entry!.subjectId, entry!.before, entry!.after], [id, { name: 'Designers', members: [bo.id] }, null]);
  t.equal((await admin.post(`${LIST}/${id}/delete`)).statusCode, 404, 'gone');

  const htmx = await admin.post(`${LIST}/${keep}/delete`, {}, { htmx: true });
  t.equal(htmx.statusCode, 200);
  t.equal(htmx.headers['hx-redirect'], `${LIST}?notice=group-deleted`);
  t.equal((await groupsOf(db, account.id)).length, 0);
  t.match((await admin.get(LIST)).body, 'There are no groups yet.');
});

t.test('another account’s group, or an unknown id, is 404 everywhere; htmx gets only the error summary', async (t) => {
  const { app, db, admin, account } = await setup(t);
  const olga = await signUp(app, { organizationName: 'Other Ltd', email: 'olga@other.test', edition: 'enterprise' });
  const [other] = await db.select().from(accounts).where(eq(accounts.name, 'Other Ltd'));
  const theirs = await insertGroup(db, other!.id, 'Theirs');
  const bo = await insertPerson(db, { name: 'Bo Brown', license: 'read_write', accountId: account.id });
  for (const id of [theirs, 'unknown', '%E2%80%AE']) {
    for (const [method, url] of routes(id).slice(2)) {
      const res = method === 'GET' ? await admin.get(url) : await admin.post(url, { name: 'Mine', person: bo.id });
      t.equal(res.statusCode, 404, `${method} ${url}`);
    }
  }
  const htmx = await admin.post(`${LIST}/${theirs}/name`, { name: 'Mine' }, { htmx: true });
  t.equal(htmx.statusCode, 404);
  t.match(htmx.body, /^<hx-partial hx-target="#error-summary-slot"/);
  t.same((await db.select().from(userGroups).where(eq(userGroups.id, theirs)))[0]!.name, 'Theirs');
  t.equal((await db.select().from(groupMembers).where(and(eq(groupMembers.groupId, theirs)))).length, 0);
  t.equal((await olga.get(`${LIST}/${theirs}`)).statusCode, 200, 'its own account sees it');
});

/** SQL statements one request sends. */
async function statements(test: TestApp, request: () => Promise<{ statusCode: number }>) {
  const before = test.stats.queries;
  const res = await request();
  if (res.statusCode !== 200) throw new Error(`unexpected ${res.statusCode}`);
  return test.stats.queries - before;
}

t.test('the list and a group’s page send the same number of statements for few and for many groups and people', async (t) => {
  const test = await setup(t);
  const { db, admin, account } = test;
  const grow = async (n: number) => {
    const people = await Promise.all(Array.from({ length: n }, (_, i) => insertPerson(db, { name: `Person ${i}`, license: i % 3 ? 'read_write' : 'read_only' })));
    const groups: string[] = [];
    for (let i = 0; i < n; i++) groups.push(await insertGroup(db, account.id, `Group ${newId()}`, people.slice(0, i + 1).map((p) => p.id)));
    for (const g of groups.slice(0, 3)) await insertProjectRole(db, account.id, g);
    return groups[n - 1]!;
  };
  const first = await grow(3);
  await admin.get(LIST);
  const measure = async (id: string) => ({
    list: await statements(test, () => admin.get(LIST)),
    group: await statements(test, () => admin.get(`${LIST}/${id}`)),
    search: await statements(test, () => admin.get(`${LIST}/${id}?q=person`, { htmx: true })),
    confirm: await statements(test, () => admin.get(`${LIST}/${id}/delete`)),
  });
  const small = await measure(first);
  await grow(40);
  const large = await measure(first);
  t.comment(`statements with 3 groups: ${JSON.stringify(small)}; with 43: ${JSON.stringify(large)}`);
  t.same(large, small, 'independent of the number of groups, members and people');
  t.ok(small.list <= 3, `the list: ${small.list}`);
  t.ok(small.group <= 4, `a group's page: ${small.group}`);
});

t.test('odd ids, queries and bodies on an Enterprise account never answer 5xx', async (t) => {
  const { db, admin, account } = await setup(t);
  const bo = await insertPerson(db, { name: 'Bo Brown', license: 'read_write' });
  const odd: (string | string[])[] = ['', ['a', 'b'], 'x'.repeat(2000), 'Zoë 😀 \u202Eevil\u202C', "' OR 1=1; --", '<script>', '%_\\', 'a\u0000b', 'a\uD800b', bo.id, [bo.id, bo.id]];
  const failures: string[] = [];
  const check = (what: string, res: { statusCode: number }) => {
    if (res.statusCode >= 500) failures.push(`${what} → ${res.statusCode}`);
  };
  for (const id of [await insertGroup(db, account.id, 'Designers', [bo.id]), 'x', '%00', 'a'.repeat(3000), '%F0%9F%98%80', '..%2F..']) {
    for (const [method, url] of routes(id)) {
      for (const htmx of [false, true]) {
        if (method === 'GET') {
          for (const query of ['', '?q=%00', '?q[]=a&q[]=b', '?q=%25_%5C', '?q=' + 'y'.repeat(1000), '?notice=%3Cb%3E', '?q=%F0%9F%98%80']) {
            check(`${url}${query}`, await admin.get(url + query, { htmx }));
          }
        } else {
          for (const value of odd) check(`${method} ${url} ${String(value).slice(0, 20)}`, await admin.post(url, { name: value, person: value, q: value }, { htmx }));
          check(`${method} ${url} {}`, await admin.post(url, {}, { htmx }));
        }
      }
    }
    // recreate what the delete routes removed, so later ids still find a group
    if ((await groupsOf(db, account.id)).length === 0) await insertGroup(db, account.id, 'Designers', [bo.id]);
  }
  t.same(failures, []);
});
