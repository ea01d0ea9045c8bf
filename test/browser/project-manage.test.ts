// A project's Manage section in a real browser, with and without JavaScript: rename the project and add a person
// as Team by searching as you type (listed and announced), an error; without JavaScript add a group and remove a
// person; a reader sees the page without forms. axe on every state; the Nu Html Checker over every page.
import { eq } from 'drizzle-orm';
import t from 'tap';
import { newId } from '../../src/crypto.js';
import { accounts, persons, projectRoles, projects, rolePermissions, userGroups } from '../../src/db/schema.js';
import { signUp } from '../helpers/agent.js';
import { ADMIN, htmlErrors, isFocused, launchBrowser, navigation, openAuditedPage, openTab, POSTED_AND_REDIRECTED, signInWith, startApp } from '../helpers/browser.js';
import { insertPerson } from '../helpers/factories.js';

const [browser, app] = await Promise.all([launchBrowser(t), startApp(t)]);
await signUp(app.app, { readWriteLicenses: '5', edition: 'enterprise' });
const [account] = await app.db.select().from(accounts);
await app.db.update(accounts).set({ edition: 'enterprise' }).where(eq(accounts.id, account!.id));
const [ada] = await app.db.select().from(persons);
const project = newId();
await app.db.insert(projects).values({ id: project, accountId: account!.id, name: 'Apollo' });
await app.db.insert(projectRoles).values({ accountId: account!.id, projectId: project, roleKey: 'managers', personId: ada!.id });
await insertPerson(app.db, { accountId: account!.id, name: 'Ben Builder', email: 'ben@acme.test', license: 'read_write' });
await insertPerson(app.db, { accountId: account!.id, name: 'Cid Carver', email: 'cid@acme.test', license: 'read_only' });
const rae = await insertPerson(app.db, { accountId: account!.id, name: 'Rae Reader', email: 'rae@acme.test', license: 'read_write', password: 'a long enough password' });
await app.db.insert(projectRoles).values({ accountId: account!.id, projectId: project, roleKey: 'additional', personId: rae.id });
await app.db.insert(rolePermissions).values({ accountId: account!.id, roleKey: 'additional', permission: 'manage.read' });
await app.db.insert(userGroups).values({ id: newId(), accountId: account!.id, name: 'Designers' });
const URL_ = `/projects/${project}/manage`;

const { page, documents, audit } = await openAuditedPage(browser, app.baseURL);
const status = page.locator('#live-status');

t.test('with JavaScript: rename the project, an error, add a person as Team by searching as you type', async (t) => {
  await page.goto('/login');
  await signInWith(page, ADMIN.email, ADMIN.password);
  await page.goto(`/projects/${project}`);
  await navigation(page, () => page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'Manage' }).click());
  t.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Manage: Apollo');
  t.ok(await page.getByRole('link', { name: 'Explain someone’s access' }).isVisible(), 'an administrator: the explainer');
  await audit(t, 'manage page, editor');

  await page.getByLabel('Project name').fill('');
  await page.getByRole('button', { name: 'Save details' }).click();
  await page.getByRole('link', { name: 'Enter a project name' }).waitFor();
  t.equal(await page.getByLabel('Project name').getAttribute('aria-invalid'), 'true');
  await audit(t, 'manage page with an error', 'dom');

  await page.getByLabel('Project name').fill('Apollo One');
  await page.getByLabel('Division').selectOption({ label: 'No division' });
  await page.getByRole('button', { name: 'Save details' }).click();
  await status.filter({ hasText: 'Saved. The project is called “Apollo One”' }).waitFor();
  t.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Manage: Apollo One', 'the heading follows');
  t.equal(await page.locator('.error-summary').count(), 0, 'the error summary is gone');

  await page.getByLabel('Search people with a license').fill('ben');
  await page.waitForURL(`**${URL_}?q=ben`);
  await page.getByRole('checkbox', { name: 'Select Ben Builder' }).waitFor();
  t.equal(await page.getByRole('checkbox', { name: 'Select Cid Carver' }).count(), 0, 'the search narrows the list');
  t.ok(await isFocused(page.getByLabel('Search people with a license')), 'focus stays in the field');
  await page.getByLabel('Role', { exact: true }).selectOption({ label: 'Team' });
  await page.getByRole('checkbox', { name: 'Select Ben Builder' }).check();
  await page.getByRole('button', { name: 'Add selected' }).click();
  await status.filter({ hasText: 'Saved. 1 holder added as Team.' }).waitFor();
  const team = page.getByRole('list', { name: 'Team' });
  t.match(await team.textContent(), 'Ben Builder', 'listed under Team');
  t.ok(await isFocused(page.getByRole('button', { name: 'Add selected' })), 'focus stays on the button');
  t.notOk(await page.getByRole('checkbox', { name: 'Select Ben Builder' }).isChecked(), 'unticked after the addition');
  await audit(t, 'manage page after adding', 'dom');
});

t.test('without JavaScript: add a group and remove a person', async (t) => {
  const { context, page: plain } = await openTab(browser, app.baseURL, { javaScript: false });
  t.teardown(() => context.close());
  await plain.goto('/login');
  await signInWith(plain, ADMIN.email, ADMIN.password);
  await plain.goto(URL_);
  await plain.getByLabel('Search people with a license').fill('cid');
  await navigation(plain, () => plain.getByRole('button', { name: 'Search', exact: true }).click());
  t.equal(new URL(plain.url()).search, '?q=cid', 'a GET search');
  t.equal(await plain.getByRole('checkbox', { name: /^Select (?!group)/ }).count(), 1);
  t.equal((await navigation(plain, () => plain.getByRole('button', { name: 'Add selected' }).click())).status, 422, 'nothing selected');
  t.ok(await plain.getByRole('link', { name: 'Select at least one person or group to add' }).isVisible());
  await plain.getByLabel('Role', { exact: true }).selectOption({ label: 'Customers' });
  await plain.getByRole('checkbox', { name: 'Select group Designers' }).check();
  t.same(await navigation(plain, () => plain.getByRole('button', { name: 'Add selected' }).click()), POSTED_AND_REDIRECTED);
  t.equal(await plain.locator('#live-status').textContent(), 'Saved. The selected people and groups hold the role now.');
  t.match(await plain.getByRole('list', { name: 'Customers' }).textContent(), 'Group: Designers');
  t.same(await navigation(plain, () => plain.getByRole('button', { name: 'Remove Ben Builder from Team' }).click()), POSTED_AND_REDIRECTED);
  t.equal(await plain.locator('#live-status').textContent(), 'Saved. The role assignment is removed.');
  t.equal(await plain.getByRole('list', { name: 'Team' }).count(), 0, 'nobody holds Team any more');
});

t.test('a reader: the page without forms', async (t) => {
  const reader = await openAuditedPage(browser, app.baseURL);
  t.teardown(() => reader.context.close());
  await reader.page.goto('/login');
  await signInWith(reader.page, 'rae@acme.test', 'a long enough password');
  await reader.page.goto(URL_);
  t.equal(await reader.page.getByRole('heading', { level: 1 }).textContent(), 'Manage: Apollo One');
  t.equal(await reader.page.getByRole('button', { name: /Remove|Save details|Add selected/ }).count(), 0, 'no forms');
  t.match(await reader.page.getByRole('list', { name: 'Customers' }).textContent(), 'Group: Designers');
  await reader.audit(t, 'manage page, reader');
  documents.push(...reader.documents);
});

t.test('the Nu Html Checker finds no error on any page', async (t) => {
  t.same(await htmlErrors(documents), []);
});
