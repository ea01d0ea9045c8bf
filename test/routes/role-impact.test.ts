// The impact preview on a role's page (SPEC §6): "Preview" without JavaScript (a GET that changes nothing), and with
// htmx a switch that affects anyone waits for "Save this change"; one that affects nobody saves at once.
import { and, eq } from 'drizzle-orm';
import t from 'tap';
import { forgetCachedReads } from '../../src/db/versioned-cache.js';
import { newId } from '../../src/crypto.js';
import { accounts, globalGrants, groupMembers, historyEntries, projectRoles, projects, rolePermissions, userGroups } from '../../src/db/schema.js';
import { PROJECT_PERMISSIONS } from '../../src/permissions/catalog.js';
import { RECOMMENDED_ROLE_PERMISSIONS } from '../../src/permissions/roles.js';
import type { TestApp } from '../helpers/build.js';
import { insertPerson } from '../helpers/factories.js';
import { signedUpAccount } from '../helpers/signed-up.js';

const CUSTOMERS = RECOMMENDED_ROLE_PERMISSIONS.customers as readonly string[];
// Customers lose "Read planning" and gain "Edit tasks"
const PROPOSED = [...CUSTOMERS.filter((k) => k !== 'planning.read'), 'tasks.edit'];
const on = (keys: readonly string[]) => Object.fromEntries(keys.map((k) => [k, 'on']));
const query = (keys: readonly string[]) => new URLSearchParams(keys.map((k) => [k, 'on'])).toString();

/** Bo holds Customers in two projects directly, Cy (Read-Only) in one through the group Designers; Di holds Team. */
async function fixture(t: Parameters<typeof signedUpAccount>[0]) {
  const ctx = await signedUpAccount(t);
  const { db, account } = ctx;
  await db.update(accounts).set({ edition: 'enterprise_plus' }).where(eq(accounts.id, account.id));
  const bo = await insertPerson(db, { name: 'Bo' });
  const cy = await insertPerson(db, { name: 'Cy', license: 'read_only' });
  const di = await insertPerson(db, { name: 'Di' });
  const designers = newId();
  await db.insert(userGroups).values({ id: designers, accountId: account.id, name: 'Designers' });
  await db.insert(groupMembers).values({ accountId: account.id, groupId: designers, personId: cy.id });
  const [p1, p2, p3] = [newId(), newId(), newId()];
  await db.insert(projects).values([p1, p2, p3].map((id, i) => ({ id, accountId: account.id, name: `P${i}` })));
  await db.insert(projectRoles).values([
    { accountId: account.id, projectId: p1, roleKey: 'customers', personId: bo.id },
    { accountId: account.id, projectId: p2, roleKey: 'customers', personId: bo.id },
    { accountId: account.id, projectId: p1, roleKey: 'customers', groupId: designers },
    { accountId: account.id, projectId: p3, roleKey: 'team', personId: di.id },
  ]);
  return { ...ctx, bo, cy, di };
}

async function permissionsOf(db: TestApp['db'], accountId: string, role: string) {
  const rows = await db.select().from(rolePermissions).where(and(eq(rolePermissions.accountId, accountId), eq(rolePermissions.roleKey, role)));
  const set = new Set(rows.map((r) => r.permission));
  return PROJECT_PERMISSIONS.filter((k) => set.has(k)) as string[];
}
const roleEntries = (db: TestApp['db'], accountId: string) =>
  db.select().from(historyEntries).where(and(eq(historyEntries.accountId, accountId), eq(historyEntries.subjectType, 'role')));

const IMPACT_TABLE = /<caption>Who would gain or lose each permission, and in how many projects<\/caption>/;

t.test('Preview without JavaScript: the role page with the proposed switches and the impact; nothing changes', async (t) => {
  const { admin, db, account } = await fixture(t);
  const res = await admin.get(`/settings/users/roles/customers/preview?${query(PROPOSED)}`);
  t.equal(res.statusCode, 200);
  const body = res.body;
  t.match(body, /<title>Preview – Customers – Roles/);
  t.match(body, /<h4 id="impact-heading" tabindex="-1" autofocus>Impact of this change<\/h4>/);
  t.match(body, /<p id="impact-summary">2 people in 2 projects would be affected.<\/p>/, 'Bo in P0 and P1, Cy through Designers in P0');
  t.match(body, IMPACT_TABLE);
  t.match(body, /<th scope="col">Permission<\/th><th scope="col">Would gain it<\/th><th scope="col">Would lose it<\/th>/);
  t.match(body, /<tr><th scope="row">Read planning<\/th><td>Nobody<\/td><td>2 people in 2 projects<\/td><\/tr>/);
  t.match(body, /<tr><th scope="row">Edit tasks<\/th><td>1 person in 2 projects<\/td><td>Nobody<\/td><\/tr>/, 'Cy is Read-Only: only Bo gains an edit');
  t.equal(body.match(/<th scope="row">/g)!.length, 2);
  t.match(body, /id="tasks.edit" name="tasks.edit" value="on" checked/, 'the switches show the proposal');
  t.match(body, /id="planning.read" name="planning.read" value="on">/);
  t.match(body, />Save permissions<\/button>/, 'Save saves it');
  t.match(body, /formaction="\/settings\/users\/roles\/customers\/preview" formmethod="get"/);
  t.same(await permissionsOf(db, account.id, 'customers'), CUSTOMERS, 'nothing saved');
  t.equal((await roleEntries(db, account.id)).length, 0, 'no history');

  const same = (await admin.get(`/settings/users/roles/customers/preview?${query(CUSTOMERS)}`)).body;
  t.match(same, /<p id="impact-summary">Nobody’s access would change.<\/p>/);
  t.notMatch(same, IMPACT_TABLE, 'no table when nothing changes');

  // a global grant already covers Edit tasks for Bo: nobody gains it
  await db.insert(globalGrants).values({ accountId: account.id, personId: (await fixtureBo(db, account.id)), permission: 'tasks.edit' });
  t.notMatch((await admin.get(`/settings/users/roles/customers/preview?${query(PROPOSED)}`)).body, /Edit tasks<\/th>/);
});

async function fixtureBo(db: TestApp['db'], accountId: string) {
  const rows = await db.select({ personId: projectRoles.personId }).from(projectRoles).where(and(eq(projectRoles.accountId, accountId), eq(projectRoles.roleKey, 'customers')));
  return rows.find((r) => r.personId)!.personId!;
}

t.test('the form’s CSRF token is taken out of the preview address; bad input is 422 with the error summary', async (t) => {
  const { admin, db, account } = await fixture(t);
  const res = await admin.get(`/settings/users/roles/customers/preview?_csrf=abc&${query(PROPOSED)}`);
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, `/settings/users/roles/customers/preview?${query(PROPOSED)}`);
  const bad = await admin.get('/settings/users/roles/customers/preview?projects.create=on');
  t.equal(bad.statusCode, 422);
  t.match(bad.body, /class="error-summary"/);
  t.match(bad.body, /Choose only the project permissions listed/);
  t.equal((await admin.get('/settings/users/roles/customers/preview?tasks.edit=yes')).statusCode, 422);
  t.equal((await admin.get('/settings/users/roles/customers/preview?tasks.edit=on&tasks.edit=on')).statusCode, 422);
  t.equal((await admin.get('/settings/users/roles/nobody/preview')).statusCode, 404);
  t.equal((await admin.post('/settings/users/roles/customers/permissions', { ...on(PROPOSED), confirm: '2' }, { htmx: true })).statusCode, 422);
  t.same(await permissionsOf(db, account.id, 'customers'), CUSTOMERS);
});

t.test('with htmx a change that affects people waits for “Save this change”; confirm=1 saves it with its history', async (t) => {
  const { admin, db, account } = await fixture(t);
  const res = await admin.post('/settings/users/roles/customers/permissions', on(PROPOSED), { htmx: true });
  t.equal(res.statusCode, 200);
  t.match(res.body, /^\s*<form id="role-permissions-form"/, 'the form fragment');
  t.match(res.body, /<h4 id="impact-heading" tabindex="-1" autofocus>Impact of this change<\/h4>/);
  t.match(res.body, /<tr><th scope="row">Read planning<\/th><td>Nobody<\/td><td>2 people in 2 projects<\/td><\/tr>/);
  t.match(res.body, /<button type="submit" name="confirm" value="1" class="button">Save this change<\/button>/);
  t.match(res.body, /data-hx-get="\/settings\/users\/roles\/customers\/permissions"[^>]*>Cancel<\/button>/);
  t.match(res.body, /<hx-partial hx-target="#live-status" hx-swap="innerHTML">2 people in 2 projects would be affected. Nothing is saved yet/);
  t.match(res.body, /id="tasks.edit" name="tasks.edit" value="on" checked/, 'the switches keep the proposal');
  t.same(await permissionsOf(db, account.id, 'customers'), CUSTOMERS, 'nothing saved');
  t.equal((await roleEntries(db, account.id)).length, 0);

  const saved = await admin.post('/settings/users/roles/customers/permissions', { ...on(PROPOSED), confirm: '1' }, { htmx: true });
  t.equal(saved.statusCode, 200);
  t.notMatch(saved.body, /Impact of this change/);
  t.match(saved.body, /Saved. Customers can now: Edit tasks. Customers can no longer: Read planning./);
  t.match(saved.body, /id="tasks.edit" name="tasks.edit" value="on" checked autofocus/, 'the first changed switch takes the focus');
  t.same(await permissionsOf(db, account.id, 'customers'), PROJECT_PERMISSIONS.filter((k) => PROPOSED.includes(k)));
  const entries = await roleEntries(db, account.id);
  t.equal(entries.length, 1);
  t.equal(entries[0]!.kind, 'role.permissions');
});

t.test('with htmx a change that affects nobody saves at once; without JavaScript Save saves directly', async (t) => {
  const { admin, db, account } = await fixture(t);
  const res = await admin.post('/settings/users/roles/partners/permissions', on(['project.read', 'time.read']), { htmx: true });
  t.equal(res.statusCode, 200);
  t.notMatch(res.body, /Save this change/);
  t.match(res.body, /Saved. Partners can now/);
  t.same(await permissionsOf(db, account.id, 'partners'), ['project.read', 'time.read']);
  const plain = await admin.post('/settings/users/roles/customers/permissions', on(PROPOSED));
  t.equal(plain.statusCode, 303, 'no confirmation without JavaScript: Preview is offered, not forced');
  t.same(await permissionsOf(db, account.id, 'customers'), PROJECT_PERMISSIONS.filter((k) => PROPOSED.includes(k)));
  t.equal((await roleEntries(db, account.id)).length, 2);
});

t.test('Cancel: with htmx the saved switches again, announced; without it back to the page', async (t) => {
  const { admin } = await fixture(t);
  const res = await admin.get('/settings/users/roles/customers/permissions', { htmx: true });
  t.equal(res.statusCode, 200);
  t.match(res.body, /^\s*<form id="role-permissions-form"/);
  t.match(res.body, /id="planning.read" name="planning.read" value="on" checked/);
  t.match(res.body, /Cancelled. Nothing changed/);
  const plain = await admin.get('/settings/users/roles/customers/permissions');
  t.equal(plain.statusCode, 303);
  t.equal(plain.headers.location, '/settings/users/roles/customers');
});

t.test('a preview sends a fixed few statements, whatever the number of holders and projects', async (t) => {
  const test = await fixture(t);
  const { admin, db, account } = test;
  const count = async (request: () => Promise<{ statusCode: number }>, status: number) => {
    forgetCachedReads(); // measured as read, not as cached
    const before = test.stats.queries;
    const res = await request();
    t.equal(res.statusCode, status);
    return test.stats.queries - before;
  };
  const measure = async () => ({
    preview: await count(() => admin.get(`/settings/users/roles/customers/preview?${query(PROPOSED)}`), 200),
    asks: await count(() => admin.post('/settings/users/roles/customers/permissions', on(PROPOSED), { htmx: true }), 200),
  });
  await admin.get('/settings/users/roles'); // warm up
  const small = await measure();
  const people = await Promise.all(Array.from({ length: 20 }, (_, i) => insertPerson(db, { name: `P ${i}`, email: `p${i}@acme.test` })));
  const more = Array.from({ length: 10 }, () => newId());
  await db.insert(projects).values(more.map((id, i) => ({ id, accountId: account.id, name: `More ${i}` })));
  await db.insert(projectRoles).values(more.flatMap((projectId) => people.map((p) => ({ accountId: account.id, projectId, roleKey: 'customers', personId: p.id }))));
  const large = await measure();
  t.comment(JSON.stringify({ small, large }));
  t.same(large, small, 'independent of the data');
  t.ok(small.preview <= 4, `preview: ${small.preview} statements (session, roles, impact, page)`);
  t.match((await admin.get(`/settings/users/roles/customers/preview?${query(PROPOSED)}`)).body, /22 people in 12 projects would be affected/);
});
