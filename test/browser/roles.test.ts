// The Roles tab in a real browser, with and without JavaScript: the overview table, a role's switches that save on
// change (announced, kept after a reload), a rename; without JavaScript the Save buttons, 303 back with the
// confirmation. axe on every state and the Nu Html Checker over every page.
import { and, eq } from 'drizzle-orm';
import t from 'tap';
import { accounts, rolePermissions, roles } from '../../src/db/schema.js';
import { signUp } from '../helpers/agent.js';
import { ADMIN, htmlErrors, launchBrowser, navigation, openAuditedPage, openTab, POSTED_AND_REDIRECTED, signInWith, startApp } from '../helpers/browser.js';

const [browser, app] = await Promise.all([launchBrowser(t), startApp(t)]);
await signUp(app.app, { readWriteLicenses: '5', edition: 'enterprise_plus' });
const db = app.db;
const [account] = await db.select().from(accounts);
await db.update(accounts).set({ edition: 'enterprise_plus' }).where(eq(accounts.id, account!.id));

const { page, watch, documents, audit } = await openAuditedPage(browser, app.baseURL);
const status = page.locator('#live-status');
const has = async (role: string, permission: string) =>
  (await db.select().from(rolePermissions).where(and(eq(rolePermissions.accountId, account!.id), eq(rolePermissions.roleKey, role), eq(rolePermissions.permission, permission)))).length === 1;
const roleRow = async (key: string) => (await db.select().from(roles).where(and(eq(roles.accountId, account!.id), eq(roles.key, key))))[0]!;

t.test('with JavaScript: the overview, then a role page from its column header', async (t) => {
  await page.goto('/login');
  await signInWith(page, ADMIN.email, ADMIN.password);
  await page.goto('/settings/users');
  await navigation(page, () => page.getByRole('navigation', { name: 'User management' }).getByRole('link', { name: 'Roles' }).click());
  const table = page.getByRole('table', { name: 'Project permissions of each role' });
  t.equal(await table.getByRole('columnheader').count(), 11);
  t.equal(await table.getByRole('cell', { name: 'Yes' }).count() > 0, true);
  t.match(await table.getByRole('columnheader', { name: 'More 1 (hidden)' }).innerText(), 'More 1 (hidden)');
  await audit(t, 'roles overview');
  await navigation(page, () => table.getByRole('link', { name: 'Customers' }).click());
  t.equal(new URL(page.url()).pathname, '/settings/users/roles/customers');
  t.equal(await page.getByRole('group', { name: 'Reading permissions' }).getByRole('switch').count(), 10);
  t.equal(await page.getByRole('button', { name: 'Save permissions' }).isVisible(), false, 'it saves on change: no Save button shown');
  await audit(t, 'role page');
});

t.test('with JavaScript: a switch saves at once, is announced and is there after a reload', async (t) => {
  await page.evaluate(() => ((window as unknown as { mark: boolean }).mark = true));
  const sw = page.getByRole('switch', { name: 'Read time tracking' });
  t.notOk(await sw.isChecked());
  await sw.check();
  await status.filter({ hasText: 'Saved. Customers can now: Read time tracking.' }).waitFor();
  t.ok(await page.evaluate(() => (window as unknown as { mark?: boolean }).mark), 'same document');
  t.ok(await has('customers', 'time.read'), 'saved');
  await audit(t, 'permission saved', 'dom');
  await page.reload();
  t.ok(await page.getByRole('switch', { name: 'Read time tracking' }).isChecked(), 'still on after a reload');
  await page.getByRole('switch', { name: 'Read financials' }).uncheck();
  await status.filter({ hasText: 'Saved. Customers can no longer: Read financials.' }).waitFor();
  t.notOk(await has('customers', 'financials.read'));
  t.ok(await has('customers', 'time.read'), 'the earlier change stays');
});

t.test('with JavaScript: renaming a role, and a name already taken', async (t) => {
  const field = page.getByLabel('Role name');
  await field.fill('Partners');
  await field.press('Tab');
  await page.getByRole('alert').getByRole('link', { name: 'Another role already has this name: choose a different one' }).waitFor();
  t.equal((await roleRow('customers')).name, 'Customers', 'nothing changed');
  await audit(t, 'rename refused', 'dom');
  await field.fill('Clients');
  await field.press('Tab');
  await status.filter({ hasText: 'Saved. The role is called Clients now.' }).waitFor();
  t.equal(await page.locator('#role-name').textContent(), 'Clients');
  t.equal(await page.getByRole('alert').count(), 0, 'the error summary is gone');
  t.equal((await roleRow('customers')).name, 'Clients');
});

t.test('without JavaScript: change a switch, press Save, back with the confirmation', async (t) => {
  const { context, page: plain, watch: plainWatch } = await openTab(browser, app.baseURL, { javaScript: false });
  t.teardown(() => context.close());
  await plain.goto('/login');
  await signInWith(plain, ADMIN.email, ADMIN.password);
  await plain.goto('/settings/users/roles/more1');
  const sw = plain.getByRole('switch', { name: 'Edit lists' });
  t.notOk(await sw.isChecked());
  await sw.check();
  t.same(await navigation(plain, () => plain.getByRole('button', { name: 'Save permissions' }).click()), POSTED_AND_REDIRECTED);
  t.equal(new URL(plain.url()).pathname + new URL(plain.url()).search, '/settings/users/roles/more1?notice=role-permissions-saved');
  t.equal(await plain.locator('#live-status').textContent(), 'Role permissions saved.');
  t.ok(await plain.getByRole('switch', { name: 'Edit lists' }).isChecked());
  t.ok(await has('more1', 'lists.edit'));
  documents.push({ name: 'role saved without JavaScript', html: await plainWatch.documentHtml() });

  await plain.getByRole('switch', { name: 'Visible' }).check();
  t.same(await navigation(plain, () => plain.getByRole('button', { name: 'Save visibility' }).click()), POSTED_AND_REDIRECTED);
  t.match(await plain.locator('#live-status').textContent(), 'Saved. The role is visible.');
  t.equal((await roleRow('more1')).visible, true);

  await plain.getByLabel('Role name').fill('x'.repeat(61));
  const refused = await navigation(plain, () => plain.getByRole('button', { name: 'Save name' }).click());
  t.equal(refused.status, 422);
  t.equal(await plain.getByRole('alert').getByRole('link', { name: 'Role name must be 60 characters or fewer' }).count(), 1);
  documents.push({ name: 'rename refused without JavaScript', html: await plainWatch.documentHtml() });
  t.same(plainWatch.problems, []);
});

t.test('axe on the refused rename as served without JavaScript', async (t) => {
  const html = documents.at(-1)!.html;
  await page.route('**/axe-snapshot', (route) => route.fulfill({ body: html, contentType: 'text/html; charset=utf-8' }));
  await page.goto('/axe-snapshot');
  const { axeViolations } = await import('../helpers/browser.js');
  t.same(await axeViolations(page), []);
  await page.unroute('**/axe-snapshot');
});

t.test('the Nu Html Checker finds no error on any page', async (t) => {
  t.same(await htmlErrors(documents), []);
});

t.test('no script errors, CSP refusals or missing assets', async (t) => {
  t.same(watch.problems.filter((p) => !p.includes('axe-snapshot')), []);
});
