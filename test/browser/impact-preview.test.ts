// The impact preview (SPEC §6) in a real browser. With JavaScript: a switch on a role held in a project shows the
// impact table first (focus on its heading), "Save this change" saves, "Cancel" restores the saved switches; the same
// for adding and removing group members. Without JavaScript: Preview, then Save / Add selected / Remove. axe on every
// state and the Nu Html Checker over every document.
import { and, eq } from 'drizzle-orm';
import t from 'tap';
import { newId } from '../../src/crypto.js';
import { accounts, groupMembers, projectRoles, projects, rolePermissions, userGroups } from '../../src/db/schema.js';
import { signUp } from '../helpers/agent.js';
import { ADMIN, axeViolations, htmlErrors, isFocused, launchBrowser, navigation, openAuditedPage, openTab, POSTED_AND_REDIRECTED, signInWith, startApp } from '../helpers/browser.js';
import { insertPerson } from '../helpers/factories.js';

const [browser, app] = await Promise.all([launchBrowser(t), startApp(t)]);
await signUp(app.app, { readWriteLicenses: '5', edition: 'enterprise_plus' });
const db = app.db;
const [account] = await db.select().from(accounts);
const accountId = account!.id;
await db.update(accounts).set({ edition: 'enterprise_plus' }).where(eq(accounts.id, accountId));
const bo = await insertPerson(db, { name: 'Bo Buyer', email: 'bo@acme.test', license: 'read_write' });
const cy = await insertPerson(db, { name: 'Cy Designer', email: 'cy@acme.test', license: 'read_write' });
const di = await insertPerson(db, { name: 'Di Drafter', email: 'di@acme.test', license: 'read_write' });
const ed = await insertPerson(db, { name: 'Ed Editor', email: 'ed@acme.test', license: 'read_write' });
const project = newId();
const designers = newId();
await db.insert(projects).values({ id: project, accountId, name: 'Harbour' });
await db.insert(userGroups).values({ id: designers, accountId, name: 'Designers' });
await db.insert(groupMembers).values([cy.id, ed.id].map((personId) => ({ accountId, groupId: designers, personId })));
await db.insert(projectRoles).values([
  { accountId, projectId: project, roleKey: 'customers', personId: bo.id },
  { accountId, projectId: project, roleKey: 'team', groupId: designers },
]);

const { page, watch, documents, audit } = await openAuditedPage(browser, app.baseURL);
const status = page.locator('#live-status');
const has = async (role: string, permission: string) =>
  (await db.select().from(rolePermissions).where(and(eq(rolePermissions.accountId, accountId), eq(rolePermissions.roleKey, role), eq(rolePermissions.permission, permission)))).length === 1;
const members = async () => (await db.select().from(groupMembers).where(eq(groupMembers.groupId, designers))).map((m) => m.personId).sort();
const impactTable = (p: typeof page) => p.getByRole('table', { name: 'Who would gain or lose each permission, and in how many projects' });

t.test('with JavaScript: a switch that affects Bo shows the impact first; Save this change saves it', async (t) => {
  await page.goto('/login');
  await signInWith(page, ADMIN.email, ADMIN.password);
  await page.goto('/settings/users/roles/customers');
  t.equal(await page.getByRole('button', { name: 'Preview' }).isVisible(), false, 'with JavaScript a change asks first: no Preview button');
  await page.evaluate(() => ((window as unknown as { mark: boolean }).mark = true));
  await page.getByRole('switch', { name: 'Edit tasks' }).check();
  const heading = page.getByRole('heading', { name: 'Impact of this change' });
  await heading.waitFor();
  await status.filter({ hasText: '1 person in 1 project would be affected. Nothing is saved yet' }).waitFor();
  t.ok(await isFocused(heading), 'focus on the impact heading');
  t.equal(await impactTable(page).getByRole('rowheader', { name: 'Edit tasks' }).count(), 1);
  t.equal(await impactTable(page).getByRole('cell', { name: '1 person in 1 project' }).count(), 1);
  t.notOk(await has('customers', 'tasks.edit'), 'nothing saved yet');
  await audit(t, 'role change waiting', 'dom');
  await page.getByRole('button', { name: 'Save this change' }).click();
  await status.filter({ hasText: 'Saved. Customers can now: Edit tasks.' }).waitFor();
  t.ok(await has('customers', 'tasks.edit'), 'saved');
  t.equal(await heading.count(), 0, 'the impact is gone');
  t.ok(await isFocused(page.getByRole('switch', { name: 'Edit tasks' })), 'focus on the changed switch');
  t.ok(await page.evaluate(() => (window as unknown as { mark?: boolean }).mark), 'same document');
});

t.test('with JavaScript: Cancel puts the saved switches back; a role nobody holds saves at once', async (t) => {
  await page.getByRole('switch', { name: 'Read financials' }).uncheck();
  await page.getByRole('heading', { name: 'Impact of this change' }).waitFor();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await status.filter({ hasText: 'Cancelled. Nothing changed' }).waitFor();
  t.ok(await page.getByRole('switch', { name: 'Read financials' }).isChecked(), 'back on');
  t.ok(await has('customers', 'financials.read'));
  await page.goto('/settings/users/roles/partners');
  await page.getByRole('switch', { name: 'Read time tracking' }).check();
  await status.filter({ hasText: 'Saved. Partners can now: Read time tracking.' }).waitFor();
  t.ok(await has('partners', 'time.read'));
});

t.test('with JavaScript: adding and removing group members shows the impact first', async (t) => {
  await page.goto(`/settings/users/groups/${designers}`);
  await page.getByRole('checkbox', { name: 'Di Drafter' }).check();
  await page.getByRole('button', { name: 'Add selected' }).click();
  const heading = page.getByRole('heading', { name: 'Impact of this change' });
  await heading.waitFor();
  await status.filter({ hasText: '1 person in 1 project would be affected.' }).waitFor();
  t.ok(await isFocused(heading));
  t.same(await members(), [cy.id, ed.id].sort(), 'nothing saved yet');
  await audit(t, 'addition waiting', 'dom');
  await page.getByRole('button', { name: 'Save this change' }).click();
  await status.filter({ hasText: 'Saved. 1 person added to Designers' }).waitFor();
  t.same(await members(), [cy.id, di.id, ed.id].sort());

  await page.getByRole('button', { name: 'Remove Cy Designer' }).click();
  await heading.waitFor();
  t.ok(await isFocused(heading));
  t.equal(await impactTable(page).getByRole('cell', { name: 'Nobody' }).count() > 0, true);
  await audit(t, 'removal waiting', 'dom');
  await page.getByRole('button', { name: /^Save this change ?: remove Cy Designer$/ }).click();
  await status.filter({ hasText: 'Saved. Cy Designer is no longer a member of Designers' }).waitFor();
  t.same(await members(), [di.id, ed.id].sort());
});

t.test('without JavaScript: Preview shows the impact, Save saves; the group previews before Add and Remove', async (t) => {
  const { context, page: plain, watch: plainWatch } = await openTab(browser, app.baseURL, { javaScript: false });
  t.teardown(() => context.close());
  await plain.goto('/login');
  await signInWith(plain, ADMIN.email, ADMIN.password);
  await plain.goto('/settings/users/roles/customers');
  await plain.getByRole('switch', { name: 'Edit planning' }).check();
  await navigation(plain, () => plain.getByRole('button', { name: 'Preview' }).click());
  const url = new URL(plain.url());
  t.equal(url.pathname, '/settings/users/roles/customers/preview');
  t.notOk(url.searchParams.has('_csrf'), 'no CSRF token in the address');
  t.ok(await plain.getByRole('switch', { name: 'Edit planning' }).isChecked(), 'the proposal is shown');
  t.equal(await impactTable(plain).getByRole('rowheader', { name: 'Edit planning' }).count(), 1);
  t.equal(await plain.locator('#impact-summary').textContent(), '1 person in 1 project would be affected.');
  t.notOk(await has('customers', 'planning.edit'), 'nothing saved');
  documents.push({ name: 'role preview without JavaScript', html: await plainWatch.documentHtml() });
  t.same(await navigation(plain, () => plain.getByRole('button', { name: 'Save permissions' }).click()), POSTED_AND_REDIRECTED);
  t.ok(await has('customers', 'planning.edit'), 'saved');

  await plain.goto(`/settings/users/groups/${designers}`);
  await plain.getByRole('checkbox', { name: 'Cy Designer' }).check();
  await navigation(plain, () => plain.getByRole('button', { name: 'Preview' }).click());
  t.equal(new URL(plain.url()).pathname, `/settings/users/groups/${designers}/members/preview`);
  t.ok(await plain.getByRole('checkbox', { name: 'Cy Designer' }).isChecked());
  t.equal(await plain.locator('#impact-summary').textContent(), '1 person in 1 project would be affected.');
  documents.push({ name: 'addition preview without JavaScript', html: await plainWatch.documentHtml() });
  t.same(await navigation(plain, () => plain.getByRole('button', { name: 'Add selected' }).click()), POSTED_AND_REDIRECTED);
  t.same(await members(), [cy.id, di.id, ed.id].sort());

  await navigation(plain, () => plain.getByRole('link', { name: 'Preview removing Ed Editor' }).click());
  t.equal(await plain.locator('#impact-summary').textContent(), '1 person in 1 project would be affected.');
  documents.push({ name: 'removal preview without JavaScript', html: await plainWatch.documentHtml() });
  t.same(await navigation(plain, () => plain.getByRole('button', { name: 'Remove Ed Editor' }).click()), POSTED_AND_REDIRECTED);
  t.same(await members(), [cy.id, di.id].sort());
  t.same(plainWatch.problems, []);
});

t.test('axe on the previews as served without JavaScript', async (t) => {
  for (const doc of documents.filter((d) => d.name.endsWith('without JavaScript'))) {
    await page.route('**/axe-snapshot', (route) => route.fulfill({ body: doc.html, contentType: 'text/html; charset=utf-8' }));
    await page.goto('/axe-snapshot');
    t.same(await axeViolations(page), [], doc.name);
    await page.unroute('**/axe-snapshot');
  }
});

t.test('the Nu Html Checker finds no error on any state', async (t) => {
  t.same(await htmlErrors(documents), []);
});

t.test('no script errors, CSP refusals or missing assets', async (t) => {
  t.same(watch.problems.filter((p) => !p.includes('axe-snapshot')), []);
});
