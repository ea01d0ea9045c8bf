import t from 'tap';
import { eq } from 'drizzle-orm';
import { newId } from '../../src/crypto.js';
import { accounts, divisionGrants, divisions, globalGrants, groupMembers, persons, projectRoles, projects, userGroups } from '../../src/db/schema.js';
import { signIn } from '../helpers/agent.js';
import { insertPerson } from '../helpers/factories.js';
import { signedUpAccount } from '../helpers/signed-up.js';

/** An Enterprise Plus account where Bo's access in Apollo comes from all three levels, and a second, foreign account. */
async function fixture(t: Parameters<typeof signedUpAccount>[0]) {
  const ctx = await signedUpAccount(t);
  const { db, account, ada } = ctx;
  await db.update(accounts).set({ edition: 'enterprise_plus' }).where(eq(accounts.id, account.id));
  const bo = await insertPerson(db, { name: 'Bo Brown', email: 'bo@acme.test', license: 'read_only', password: 'member password 1' });
  const sales = newId();
  await db.insert(divisions).values({ id: sales, accountId: account.id, name: 'Sales' });
  const designers = newId();
  await db.insert(userGroups).values({ id: designers, accountId: account.id, name: 'Designers' });
  await db.insert(groupMembers).values({ accountId: account.id, groupId: designers, personId: bo.id });
  const apollo = newId();
  await db.insert(projects).values({ id: apollo, accountId: account.id, name: 'Apollo', divisionId: sales, createdBy: ada.id });
  await db.insert(projectRoles).values({ accountId: account.id, projectId: apollo, roleKey: 'team', groupId: designers });
  await db.insert(globalGrants).values({ accountId: account.id, personId: bo.id, permission: 'documents.read' });
  await db.insert(divisionGrants).values({ accountId: account.id, personId: bo.id, divisionId: sales, permission: 'time.read' });
  const other = newId();
  await db.insert(accounts).values({ id: other, name: 'Other', edition: 'enterprise', readWriteLicenses: 5 });
  const theirs = newId();
  await db.insert(projects).values({ id: theirs, accountId: other, name: 'Theirs' });
  return { ...ctx, bo, apollo, theirs };
}

t.test('the explainer shows every permission with its verdict, the grants of all three levels and the license cut', async (t) => {
  const { admin, bo, apollo } = await fixture(t);
  const res = await admin.get(`/settings/users/access?person=${bo.id}&project=${apollo}`);
  t.equal(res.statusCode, 200);
  const body = res.body;
  t.match(body, /<h1>User management<\/h1>/);
  t.match(body, /aria-current="page">Access explainer</);
  t.match(body, /Bo Brown<\/a> in <a href="\/projects\/[^"]+">Apollo<\/a>/);
  t.match(body, /<caption>Reading permissions<\/caption>/);
  t.match(body, /<caption>Editing permissions<\/caption>/);
  t.match(body, /<th scope="row">Read documents<\/th><td>[^]*?Granted<\/span><\/td><td><ul class="plain"><li>Global<\/li>/);
  t.match(body, /<th scope="row">Read time tracking<\/th><td>[^]*?Granted<\/span><\/td><td><ul class="plain"><li>Division: Sales<\/li>/);
  t.match(body, /<th scope="row">Read tasks<\/th><td>[^]*?Granted[^]*?Role: Team via group Designers/);
  // Team may edit tasks, but Bo is Read-Only: not granted, with the grant and the cut shown
  t.match(body, /<th scope="row">Edit tasks<\/th><td>[^]*?Not granted<\/span><\/td><td><ul class="plain"><li>Role: Team via group Designers<\/li><\/ul><\/td><td><ul class="plain"><li>Cut by the Read-Only license/);
  t.match(body, /<th scope="row">Delete projects<\/th><td>[^]*?Not granted<\/span><\/td><td>No grant<\/td><td>–<\/td>/);
  t.match(body, /Sections they can read<\/dt><dd>Comments, Lists, Mind maps, Tasks, Time tracking, Documents</);
});

t.test('with the edition lowered, group and division grants show as cut by the edition, their data kept', async (t) => {
  const { db, admin, account, bo, apollo } = await fixture(t);
  await db.update(accounts).set({ edition: 'professional' }).where(eq(accounts.id, account.id));
  const body = (await admin.get(`/settings/users/access?person=${bo.id}&project=${apollo}`)).body;
  t.match(body, /<th scope="row">Read time tracking<\/th><td>[^]*?Not granted[^]*?Division: Sales: Not in the Professional edition: division grants do not apply/);
  t.match(body, /<th scope="row">Read tasks<\/th><td>[^]*?Not granted[^]*?group assignments do not apply/);
  t.match(body, /<th scope="row">Read documents<\/th><td>[^]*?Granted[^]*?Global/);
});

t.test('with only a person or only a project, the page lists the other to pick; bounded statements', async (t) => {
  const { admin, bo, apollo, stats } = await fixture(t);
  const before = stats.queries;
  const byPerson = await admin.get(`/settings/users/access?person=${bo.id}`);
  t.equal(byPerson.statusCode, 200);
  t.match(byPerson.body, new RegExp(`href="/settings/users/access\\?person=${bo.id}&amp;project=${apollo}">Apollo</a>`));
  t.ok(stats.queries - before <= 3, 'a few statements');
  const byProject = await admin.get(`/settings/users/access?project=${apollo}&q=bo`);
  t.equal(byProject.statusCode, 200);
  t.match(byProject.body, /Project: <strong>Apollo<\/strong>/);
  t.match(byProject.body, new RegExp(`person=${bo.id}&amp;project=${apollo}">Bo Brown</a>`));
  const none = await admin.get('/settings/users/access?person=' + bo.id + '&q=zzz');
  t.match(none.body, /No project matches that search/);
  const start = await admin.get('/settings/users/access');
  t.equal(start.statusCode, 200);
  t.match(start.body, /Search people by name or email/);
});

t.test("another account's project or person, unknown ids: 404; members: 403; odd ids are ignored", async (t) => {
  const { app, admin, bo, apollo, theirs } = await fixture(t);
  t.equal((await admin.get(`/settings/users/access?person=${bo.id}&project=${theirs}`)).statusCode, 404);
  t.equal((await admin.get(`/settings/users/access?person=nobody&project=${apollo}`)).statusCode, 404);
  t.equal((await admin.get(`/settings/users/access?project=${theirs}`)).statusCode, 404);
  t.equal((await admin.get(`/settings/users/access?person=${encodeURIComponent("x' or 1=1")}`)).statusCode, 200, 'not an id: the picker');
  const member = await signIn(app, 'bo@acme.test', 'member password 1');
  t.equal((await member.get(`/settings/users/access?person=${bo.id}&project=${apollo}`)).statusCode, 403);
});

t.test("a person's page links administrators to the explainer", async (t) => {
  const { admin, bo } = await fixture(t);
  const page = await admin.get(`/people/${bo.id}`);
  t.match(page.body, new RegExp(`href="/settings/users/access\\?person=${bo.id}">Explain Bo Brown’s access in a project</a>`));
});

t.test('asked again, the explainer is the session statement alone; a change of the person or their access shows at once', async (t) => {
  const { db, admin, bo, apollo, stats } = await fixture(t);
  const url = `/settings/users/access?person=${bo.id}&project=${apollo}`;
  t.match((await admin.get(url)).body, /Edit tasks<\/th><td>[^]*?Not granted/);
  const before = stats.queries;
  t.equal((await admin.get(url)).statusCode, 200);
  t.equal(stats.queries - before, 1, 'the person and the access kept under the versions read with the session');
  // Bo gets a Read & Write license (the people-list version changes): the cut is gone on the next page
  await db.update(persons).set({ license: 'read_write' }).where(eq(persons.id, bo.id));
  const after = (await admin.get(url)).body;
  t.match(after, /Bo Brown[^]*?Read &amp; Write/, 'the new license');
  t.match(after, /<th scope="row">Edit tasks<\/th><td>[^]*?Granted/, 'and the access it gives');
  await db.update(persons).set({ name: 'Bo Braun' }).where(eq(persons.id, bo.id));
  t.match((await admin.get(url)).body, /Bo Braun<\/a> in/, 'a new name');
  await db.delete(projectRoles).where(eq(projectRoles.projectId, apollo));
  t.match((await admin.get(url)).body, /<th scope="row">Read tasks<\/th><td>[^]*?Not granted/, 'a role taken away');
});
