// The Roles tab of User management (SPEC §6): the overview table, a role's page, and its three forms (permissions,
// name, visibility) with and without htmx; guards, the edition, CSRF, other accounts and statement counts.
import { and, eq } from 'drizzle-orm';
import t from 'tap';
import { forgetCachedReads } from '../../src/db/versioned-cache.js';
import { accounts, historyEntries, persons, rolePermissions, roles } from '../../src/db/schema.js';
import { type PermissionKey, PROJECT_PERMISSIONS } from '../../src/permissions/catalog.js';
import { updateRolePermissions } from '../../src/permissions/role-settings.js';
import { RECOMMENDED_ROLE_PERMISSIONS } from '../../src/permissions/roles.js';
import { signIn, signUp } from '../helpers/agent.js';
import type { TestApp } from '../helpers/build.js';
import { insertPerson } from '../helpers/factories.js';
import { signedUpAccount } from '../helpers/signed-up.js';

type Edition = 'professional' | 'enterprise' | 'enterprise_plus' | 'self_hosted';

async function fixture(t: Parameters<typeof signedUpAccount>[0], edition: Edition = 'enterprise_plus') {
  const ctx = await signedUpAccount(t);
  await ctx.db.update(accounts).set({ edition }).where(eq(accounts.id, ctx.account.id));
  return ctx;
}

const setEdition = (db: TestApp['db'], accountId: string, edition: Edition) => db.update(accounts).set({ edition }).where(eq(accounts.id, accountId));

async function permissionsOf(db: TestApp['db'], accountId: string, role: string) {
  const rows = await db.select().from(rolePermissions).where(and(eq(rolePermissions.accountId, accountId), eq(rolePermissions.roleKey, role)));
  const set = new Set(rows.map((r) => r.permission));
  return PROJECT_PERMISSIONS.filter((k) => set.has(k)) as string[];
}

async function roleRow(db: TestApp['db'], accountId: string, role: string) {
  return (await db.select().from(roles).where(and(eq(roles.accountId, accountId), eq(roles.key, role))))[0]!;
}

const roleEntries = (db: TestApp['db'], accountId: string) =>
  db.select().from(historyEntries).where(and(eq(historyEntries.accountId, accountId), eq(historyEntries.subjectType, 'role')));

/** The form of a set of permissions: one "on" field per permission. */
const on = (keys: readonly string[]) => Object.fromEntries(keys.map((k) => [k, 'on']));

t.test('the overview: roles × project permissions as a table with column and row headers', async (t) => {
  const { admin, db, account } = await fixture(t);
  await db.update(roles).set({ name: 'Crew' }).where(and(eq(roles.accountId, account.id), eq(roles.key, 'team')));
  const res = await admin.get('/settings/users/roles');
  t.equal(res.statusCode, 200);
  const body = res.body;
  t.match(body, /aria-current="page">Roles</);
  t.match(body, /<caption>Project permissions of each role<\/caption>/);
  t.match(body, /<th scope="col"><a href="\/settings\/users\/roles\/managers">Managers<\/a><\/th>/);
  t.match(body, /<th scope="col"><a href="\/settings\/users\/roles\/team">Crew<\/a><\/th>/, 'the stored name');
  t.match(body, /<th scope="col"><a href="\/settings\/users\/roles\/more1">More 1<\/a> \(hidden\)<\/th>/);
  t.equal(body.match(/<th scope="col">/g)!.length, 11, 'the permission column and ten roles');
  t.match(body, /<th scope="rowgroup" colspan="11"[^>]*>Reading permissions<\/th>/);
  t.match(body, /<th scope="rowgroup" colspan="11"[^>]*>Editing permissions<\/th>/);
  t.equal(body.match(/<th scope="row">/g)!.length, PROJECT_PERMISSIONS.length);
  t.notMatch(body, /Create projects/, 'global-only permissions are not role permissions');
  // Read projects: Managers, Team, Customers, Partners yes; Additional and More no
  t.match(body, /<th scope="row">Read projects<\/th>(<td class="roles-yes">Yes<\/td>){4}(<td class="roles-no">No<\/td>){6}<\/tr>/);
  t.match(body, /<th scope="row">Delete projects<\/th>(<td class="roles-no">No<\/td>){10}<\/tr>/);

  await setEdition(db, account.id, 'professional');
  const pro = (await admin.get('/settings/users/roles')).body;
  t.equal(pro.match(/<th scope="col">/g)!.length, 6, 'Professional: the five default roles');
  t.notMatch(pro, /More 1/);
  t.match(pro, />Team<\/a><\/th>/, 'Professional shows the default name, the stored one kept');
});

t.test('a role page: a switch per project permission under the two groups; name and visibility where allowed', async (t) => {
  const { admin, db, account } = await fixture(t);
  const body = (await admin.get('/settings/users/roles/team')).body;
  t.match(body, /<legend>Reading permissions<\/legend>/);
  t.match(body, /<legend>Editing permissions<\/legend>/);
  t.equal(body.match(/role="switch"/g)!.length, PROJECT_PERMISSIONS.length + 1, 'every project permission, and Visible');
  t.match(body, /id="tasks.edit" name="tasks.edit" value="on" checked>\s*<label for="tasks.edit">Edit tasks<\/label>/);
  t.match(body, /id="financials.edit" name="financials.edit" value="on">\s*<label for="financials.edit">Edit financials<\/label>/);
  t.match(body, /<label for="name">Role name<\/label>/);
  t.match(body, /<label for="visible">Visible<\/label>/);
  t.match(body, /class="autosave"/);

  const managers = (await admin.get('/settings/users/roles/managers')).body;
  t.notMatch(managers, /Role name/, 'Managers: never renamed');
  t.notMatch(managers, /for="visible"/, 'nor hidden');
  t.equal(managers.match(/role="switch"/g)!.length, PROJECT_PERMISSIONS.length);

  await setEdition(db, account.id, 'professional');
  const pro = (await admin.get('/settings/users/roles/team')).body;
  t.notMatch(pro, /Role name/, 'Professional: no renaming');
  t.notMatch(pro, /for="visible"/, 'nor hiding');
});

t.test('404 for unknown roles and for roles outside the edition; 403 for people who are not administrators', async (t) => {
  const { app, admin, db, account } = await fixture(t, 'enterprise');
  t.equal((await admin.get('/settings/users/roles/nobody')).statusCode, 404);
  t.equal((await admin.get('/settings/users/roles/more1')).statusCode, 404, 'Enterprise has no More roles');
  t.equal((await admin.post('/settings/users/roles/more1/permissions', on(['project.read']))).statusCode, 404);
  t.equal((await admin.post('/settings/users/roles/more1/name', { name: 'Extra' })).statusCode, 404);
  await setEdition(db, account.id, 'self_hosted');
  t.equal((await admin.get('/settings/users/roles/more1')).statusCode, 200, 'Self-Hosted has them');
  await setEdition(db, account.id, 'professional');
  t.equal((await admin.get('/settings/users/roles/more5')).statusCode, 404);
  t.equal((await admin.post('/settings/users/roles/more5/visible', { visible: 'on' })).statusCode, 404);
  t.same(await permissionsOf(db, account.id, 'more1'), [], 'nothing saved');
  t.equal((await roleRow(db, account.id, 'more5')).visible, false);

  await insertPerson(db, { email: 'mo@acme.test', password: 'member password 1' });
  const member = await signIn(app, 'mo@acme.test', 'member password 1');
  t.equal((await member.get('/settings/users/roles')).statusCode, 403);
  t.equal((await member.get('/settings/users/roles/team')).statusCode, 403);
  const refused = await member.post('/settings/users/roles/team/permissions', on([]));
  t.equal(refused.statusCode, 403);
  t.same(await permissionsOf(db, account.id, 'team'), RECOMMENDED_ROLE_PERMISSIONS.team);
});

t.test('saving permissions without JavaScript: 303 back with a confirmation, the set replaced, one history entry', async (t) => {
  const { admin, db, account, ada } = await fixture(t);
  const wanted = ['project.read', 'planning.read', 'tasks.edit'];
  const res = await admin.post('/settings/users/roles/customers/permissions', on(wanted));
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, '/settings/users/roles/customers?notice=role-permissions-saved');
  t.match((await admin.get(res.headers.location as string)).body, /role="status">Role permissions saved.</);
  t.same(await permissionsOf(db, account.id, 'customers'), wanted);
  const [entry, ...more] = await roleEntries(db, account.id);
  t.equal(more.length, 0);
  t.match(entry, {
    kind: 'role.permissions',
    subjectType: 'role',
    subjectId: 'customers',
    actorId: ada.id,
    before: { permissions: ['project.read', 'tasks.read', 'planning.read', 'financials.read'] },
    after: { permissions: wanted },
  });
  t.same(await permissionsOf(db, account.id, 'team'), RECOMMENDED_ROLE_PERMISSIONS.team, 'other roles untouched');
  // saving the same set again changes nothing and writes no entry
  await admin.post('/settings/users/roles/customers/permissions', on(wanted));
  t.equal((await roleEntries(db, account.id)).length, 1);
  // no switch on: the role has no permissions
  t.equal((await admin.post('/settings/users/roles/customers/permissions', {})).statusCode, 303);
  t.same(await permissionsOf(db, account.id, 'customers'), []);
});

t.test('saving permissions with htmx: the form comes back with what changed announced', async (t) => {
  const { admin, db, account } = await fixture(t);
  const wanted = [...RECOMMENDED_ROLE_PERMISSIONS.partners.filter((k) => k !== 'tasks.edit'), 'time.read'];
  const res = await admin.post('/settings/users/roles/partners/permissions', on(wanted), { htmx: true });
  t.equal(res.statusCode, 200);
  t.match(res.body, /<form id="role-permissions-form"/);
  t.notMatch(res.body, /<html/, 'a fragment');
  t.match(res.body, /<hx-partial hx-target="#live-status" hx-swap="innerHTML">Saved. Partners can now: Read time tracking. Partners can no longer: Edit tasks.<\/hx-partial>/);
  t.match(res.body, /id="time.read" name="time.read" value="on" checked>/);
  t.same(await permissionsOf(db, account.id, 'partners'), [...wanted].sort((a, b) => PROJECT_PERMISSIONS.indexOf(a as never) - PROJECT_PERMISSIONS.indexOf(b as never)));
  t.equal((await roleEntries(db, account.id)).length, 1);
});

t.test('bad permission forms: 422 with the error summary, nothing changed', async (t) => {
  const { admin, db, account } = await fixture(t);
  const cases: [string, Record<string, string | string[]>][] = [
    ['a global-only permission', { ...on(['project.read']), 'projects.create': 'on' }],
    ['an unknown key', { 'project.read': 'on', 'nope.read': 'on' }],
    ['a value other than on', { 'project.read': 'yes' }],
    ['a repeated field', { 'project.read': ['on', 'on'] }],
  ];
  for (const [what, form] of cases) {
    const res = await admin.post('/settings/users/roles/team/permissions', form);
    t.equal(res.statusCode, 422, what);
    t.match(res.body, /class="error-summary" role="alert"/, `${what}: the error summary`);
    t.match(res.body, /<title>Error: /, `${what}: the title says so`);
    const htmx = await admin.post('/settings/users/roles/team/permissions', form, { htmx: true });
    t.equal(htmx.statusCode, 422, `${what} (htmx)`);
    t.match(htmx.body, /<hx-partial hx-target="#error-summary-slot"[^>]*>\s*<div class="error-summary"/);
    t.match(htmx.body, /id="tasks.edit" name="tasks.edit" value="on" checked/, 'the switches show what is saved');
  }
  const unknown = await admin.post('/settings/users/roles/team/permissions', { 'nope.read': 'on' });
  t.match(unknown.body, /<a href="#role-permissions">Choose only the project permissions listed<\/a>/);
  t.match(unknown.body, /<p class="error-message" id="role-permissions"/, 'the message at the form');
  const value = await admin.post('/settings/users/roles/team/permissions', { 'lists.read': 'yes' });
  t.match(value.body, /<a href="#lists.read">Choose on or off for “Read lists”<\/a>/);
  t.match(value.body, /id="lists.read-error"/, 'the message at the switch');
  t.same(await permissionsOf(db, account.id, 'team'), RECOMMENDED_ROLE_PERMISSIONS.team);
  t.equal((await roleEntries(db, account.id)).length, 0);
});

t.test('renaming a role: trimmed, 1–60 characters, unique in the account whatever the case; history', async (t) => {
  const { admin, db, account } = await fixture(t);
  const res = await admin.post('/settings/users/roles/team/name', { name: '  Crew  ' });
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, '/settings/users/roles/team?notice=role-renamed');
  t.equal((await roleRow(db, account.id, 'team')).name, 'Crew');
  const [entry] = await roleEntries(db, account.id);
  t.match(entry, { kind: 'role.renamed', subjectId: 'team', before: { name: 'Team' }, after: { name: 'Crew' } });

  const htmx = await admin.post('/settings/users/roles/team/name', { name: 'Core crew' }, { htmx: true });
  t.equal(htmx.statusCode, 200);
  t.match(htmx.body, /Saved. The role is called Core crew now./);
  t.match(htmx.body, /<hx-partial hx-target="#role-name" hx-swap="innerHTML">Core crew<\/hx-partial>/);

  for (const [what, name, message] of [
    ['empty', '   ', 'Enter a role name'],
    ['too long', 'x'.repeat(61), 'Role name must be 60 characters or fewer'],
    ['taken, other case', 'cUsToMeRs', 'Another role already has this name'],
    ['taken by a hidden More role', 'more 3', 'Another role already has this name'],
  ] as const) {
    const bad = await admin.post('/settings/users/roles/team/name', { name });
    t.equal(bad.statusCode, 422, what);
    t.match(bad.body, new RegExp(`<a href="#name">${message}`), `${what}: in the summary`);
    t.match(bad.body, /id="name-error"/, `${what}: at the field`);
    const badHtmx = await admin.post('/settings/users/roles/team/name', { name }, { htmx: true });
    t.equal(badHtmx.statusCode, 422);
    t.match(badHtmx.body, /<hx-partial hx-target="#error-summary-slot"/);
  }
  t.equal((await admin.post('/settings/users/roles/team/name', { name: 'x'.repeat(60) })).statusCode, 303, '60 is fine');
  t.equal((await admin.post('/settings/users/roles/team/name', { name: 'TEAM' })).statusCode, 303, 'its own default name in another case is fine');
  t.equal((await roleRow(db, account.id, 'team')).name, 'TEAM');
});

t.test('showing and hiding a role, with history; Managers and Professional refuse both (404)', async (t) => {
  const { admin, db, account } = await fixture(t);
  const res = await admin.post('/settings/users/roles/more2/visible', { visible: 'on' });
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, '/settings/users/roles/more2?notice=role-shown');
  t.equal((await roleRow(db, account.id, 'more2')).visible, true);
  const hide = await admin.post('/settings/users/roles/partners/visible', {}, { htmx: true });
  t.equal(hide.statusCode, 200);
  t.match(hide.body, /Saved. Partners is hidden/);
  t.match(hide.body, /<hx-partial hx-target="#role-hidden" hx-swap="innerHTML"> \(hidden\)<\/hx-partial>/);
  t.equal((await roleRow(db, account.id, 'partners')).visible, false);
  t.match((await admin.get('/settings/users/roles')).body, />Partners<\/a> \(hidden\)</);
  const entries = await roleEntries(db, account.id);
  t.same(entries.map((e) => [e.kind, e.subjectId, e.before, e.after]), [
    ['role.visibility', 'more2', { visible: false }, { visible: true }],
    ['role.visibility', 'partners', { visible: true }, { visible: false }],
  ]);
  t.equal((await admin.post('/settings/users/roles/partners/visible', { visible: 'maybe' })).statusCode, 422);

  t.equal((await admin.post('/settings/users/roles/managers/name', { name: 'Bosses' })).statusCode, 404);
  t.equal((await admin.post('/settings/users/roles/managers/visible', {})).statusCode, 404);
  t.equal((await admin.post('/settings/users/roles/managers/visible', {}, { htmx: true })).statusCode, 404);
  const managers = await roleRow(db, account.id, 'managers');
  t.same([managers.name, managers.visible], ['Managers', true]);
  await setEdition(db, account.id, 'professional');
  t.equal((await admin.post('/settings/users/roles/team/name', { name: 'Crew' })).statusCode, 404);
  t.equal((await admin.post('/settings/users/roles/customers/visible', {})).statusCode, 404);
  t.equal((await roleRow(db, account.id, 'team')).name, 'Team');
  t.equal((await roleRow(db, account.id, 'customers')).visible, true);
  t.equal((await roleEntries(db, account.id)).length, 2);
});

t.test('a Read-Only administrator sees the roles but every change is refused (403)', async (t) => {
  const { app, admin, db, account } = await fixture(t);
  await insertPerson(db, { email: 'rae@acme.test', password: 'read only admin 1', isAdmin: true, license: 'read_only' });
  const rae = await signIn(app, 'rae@acme.test', 'read only admin 1');
  t.equal((await rae.get('/settings/users/roles')).statusCode, 200);
  const page = await rae.get('/settings/users/roles/team');
  t.equal(page.statusCode, 200);
  t.match(page.body, /Your license is Read-Only/);
  t.match(page.body, /id="tasks.edit" name="tasks.edit" value="on" checked disabled>/);
  t.match(page.body, /Save permissions<\/button>/);
  t.match(page.body, /disabled>Save permissions/);
  for (const [url, form] of [
    ['/settings/users/roles/team/permissions', on([])],
    ['/settings/users/roles/team/name', { name: 'Crew' }],
    ['/settings/users/roles/team/visible', {}],
  ] as const) {
    t.equal((await rae.post(url, form)).statusCode, 403, url);
    const htmx = await rae.post(url, form, { htmx: true });
    t.equal(htmx.statusCode, 403);
    t.match(htmx.body, /^<hx-partial hx-target="#error-summary-slot"/m, 'htmx: only the error summary');
  }
  t.same(await permissionsOf(db, account.id, 'team'), RECOMMENDED_ROLE_PERMISSIONS.team);
  const team = await roleRow(db, account.id, 'team');
  t.same([team.name, team.visible], ['Team', true]);
  t.equal((await roleEntries(db, account.id)).length, 0);
  void admin;
});

t.test('CSRF: a POST without the token is refused (403) and changes nothing', async (t) => {
  const { admin, db, account } = await fixture(t);
  for (const [url, form] of [
    ['/settings/users/roles/team/permissions', on([])],
    ['/settings/users/roles/team/name', { name: 'Crew' }],
    ['/settings/users/roles/team/visible', {}],
  ] as const) {
    t.equal((await admin.post(url, form, { csrf: false })).statusCode, 403, url);
  }
  t.equal((await admin.post('/settings/users/roles/team/name', { name: 'Crew' }, { csrf: 'header', htmx: true })).statusCode, 200, 'the header works');
  t.same(await permissionsOf(db, account.id, 'team'), RECOMMENDED_ROLE_PERMISSIONS.team);
  t.equal((await roleRow(db, account.id, 'team')).visible, true);
});

t.test('roles belong to their account: a change in one leaves the other as it was', async (t) => {
  const { app, admin, db, account } = await fixture(t);
  const other = await signUp(app, { organizationName: 'Other Ltd', email: 'otto@other.test', edition: 'enterprise_plus' });
  const [otherAccount] = await db.select().from(accounts).where(eq(accounts.name, 'Other Ltd'));
  t.equal((await admin.post('/settings/users/roles/team/permissions', on(['project.read']))).statusCode, 303);
  t.equal((await admin.post('/settings/users/roles/team/name', { name: 'Crew' })).statusCode, 303);
  t.equal((await admin.post('/settings/users/roles/team/visible', {})).statusCode, 303);
  t.same(await permissionsOf(db, account.id, 'team'), ['project.read']);
  t.same(await permissionsOf(db, otherAccount!.id, 'team'), RECOMMENDED_ROLE_PERMISSIONS.team, 'the other account\'s Team keeps its permissions');
  const theirs = await roleRow(db, otherAccount!.id, 'team');
  t.same([theirs.name, theirs.visible], ['Team', true]);
  t.match((await other.get('/settings/users/roles/team')).body, /<span id="role-name">Team<\/span>/);
  // a name taken in another account is free here
  t.equal((await other.post('/settings/users/roles/customers/name', { name: 'crew' })).statusCode, 303);
  t.equal((await roleEntries(db, otherAccount!.id)).length, 1);
  t.equal((await roleEntries(db, account.id)).length, 3);
  void persons;
});

t.test('the pages and saves send a constant number of SQL statements', async (t) => {
  const test = await fixture(t);
  const { admin, db, account } = test;
  const count = async (request: () => Promise<{ statusCode: number }>, status: number, cold = true) => {
    if (cold) forgetCachedReads(); // measured as read, not as cached
    const before = test.stats.queries;
    const res = await request();
    t.equal(res.statusCode, status);
    return test.stats.queries - before;
  };
  await admin.get('/settings/users/roles'); // warm up
  const measure = async () => ({
    overview: await count(() => admin.get('/settings/users/roles'), 200),
    role: await count(() => admin.get('/settings/users/roles/managers'), 200),
    save: await count(() => admin.post('/settings/users/roles/more1/permissions', on(PROJECT_PERMISSIONS.slice(0, 3))), 303),
  });
  const small = await measure();
  await db.insert(rolePermissions).values(PROJECT_PERMISSIONS.map((permission) => ({ accountId: account.id, roleKey: 'more2', permission })));
  await admin.post('/settings/users/roles/more1/permissions', {});
  const large = await measure();
  t.comment(JSON.stringify({ small, large }));
  t.same(large, small, 'independent of how many permissions the roles hold');
  t.ok(small.overview <= 2, `overview: ${small.overview} statements (session, roles)`);
  t.ok(small.role <= 2, `role page: ${small.role} statements`);
  // the roles are kept under the access version read with the session: until a change, the session's statement alone
  await admin.get('/settings/users/roles/managers');
  t.equal(await count(() => admin.get('/settings/users/roles/managers'), 200, false), 1, 'the role page again: the session only');
  t.equal(await count(() => admin.get('/settings/users/roles'), 200, false), 1, 'the overview: the session only');
  t.equal((await admin.post('/settings/users/roles/team/name', { name: 'Crew' })).statusCode, 303);
  t.match((await admin.get('/settings/users/roles')).body, '>Crew</a>', 'a change is on the next page');
});

t.test('concurrent saves of one role: each sees what the one before left; keys outside the catalog go and are not "before"', async (t) => {
  const { db, account, ada } = await fixture(t);
  const actor = { accountId: account.id, personId: ada.id };
  await db.insert(rolePermissions).values({ accountId: account.id, roleKey: 'partners', permission: 'projects.create' }); // global-only
  const sets = [['project.read'], ['project.read', 'tasks.read'], ['tasks.read', 'time.read'], [], ['project.read', 'comments.read']];
  await Promise.all(sets.map((s) => updateRolePermissions(db, actor, 'partners', s as PermissionKey[])));
  const rows = await db.select().from(rolePermissions).where(and(eq(rolePermissions.accountId, account.id), eq(rolePermissions.roleKey, 'partners')));
  const stored = PROJECT_PERMISSIONS.filter((k) => rows.some((r) => r.permission === k)) as string[];
  t.equal(rows.length, stored.length, 'only catalog keys are left');
  const entries = (await roleEntries(db, account.id)).sort((a, b) => a.id - b.id);
  t.ok(entries.length >= 1);
  // the entries chain: each one's "before" is the "after" of the one before it, and the last "after" is what is stored
  for (let i = 1; i < entries.length; i++) t.same(entries[i]!.before, entries[i - 1]!.after, `entry ${i + 1} follows entry ${i}`);
  t.same(entries.at(-1)!.after, { permissions: stored }, 'the last entry is what is stored');
  t.notMatch(JSON.stringify(entries[0]!.before), 'projects.create', 'a global-only key is not a role permission "before"');
  t.ok(sets.some((s) => JSON.stringify([...s].sort()) === JSON.stringify([...stored].sort())), 'one of the saves is what is stored');
});
