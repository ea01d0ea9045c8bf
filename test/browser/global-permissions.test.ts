// The "Global" tab of User management in a real browser: with JavaScript, search a person as you type, select them,
// switch a permission and hear it saved, reload and see it kept; without JavaScript, select two people and save the
// whole form, a "Differs" permission left as each had it. axe on every state, the Nu Html Checker over every page.
import { and, eq } from 'drizzle-orm';
import t from 'tap';
import { accounts, globalGrants } from '../../src/db/schema.js';
import { signUp } from '../helpers/agent.js';
import { ADMIN, htmlErrors, launchBrowser, navigation, openAuditedPage, openTab, signInWith, startApp } from '../helpers/browser.js';
import { insertPerson } from '../helpers/factories.js';

const [browser, app] = await Promise.all([launchBrowser(t), startApp(t)]);
await signUp(app.app, { readWriteLicenses: '5' });
const db = app.db;
const [account] = await db.select().from(accounts);
const bo = await insertPerson(db, { name: 'Bo Brown', email: 'bo@acme.test', license: 'read_write' });
const cy = await insertPerson(db, { name: 'Cy Cole', email: 'cy@acme.test', license: 'read_only' });
await insertPerson(db, { name: 'Nox None', email: 'nox@acme.test', license: 'none' });
await db.insert(globalGrants).values({ accountId: account!.id, personId: cy.id, permission: 'tasks.read' });

const holds = async (personId: string, permission: string) =>
  (await db.select().from(globalGrants).where(and(eq(globalGrants.personId, personId), eq(globalGrants.permission, permission)))).length === 1;

const { page, documents, audit } = await openAuditedPage(browser, app.baseURL);
const status = page.locator('#live-status');

t.test('with JavaScript: search, select, switch, hear it saved, reload: kept', async (t) => {
  await page.goto('/login');
  await signInWith(page, ADMIN.email, ADMIN.password);
  await page.goto('/settings/users/global');
  t.equal(await page.getByRole('navigation', { name: 'User management' }).getByRole('link', { name: 'Global' }).getAttribute('aria-current'), 'page');
  await audit(t, 'global: nobody selected');
  await page.getByLabel('Search people').fill('bo');
  await page.getByLabel('Select Bo Brown').waitFor();
  await page.waitForURL(/\?q=bo$/);
  t.equal(await page.getByLabel('Select Cy Cole').count(), 0, 'the results narrow as you type');
  await status.filter({ hasText: '1 person found.' }).waitFor();
  await page.getByLabel('Select Bo Brown').check();
  await navigation(page, () => page.getByRole('button', { name: 'Select', exact: true }).click());
  t.ok(await page.getByRole('heading', { name: 'Permissions of Bo Brown' }).isVisible());
  t.ok(await page.getByRole('group', { name: 'Reading permissions' }).isVisible());
  t.ok(await page.getByRole('group', { name: 'Editing permissions' }).isVisible());
  await audit(t, 'global: one person');
  const create = page.getByRole('switch', { name: 'Create projects' });
  t.equal(await create.isChecked(), false);
  await create.check();
  await status.filter({ hasText: 'Saved. “Create projects” is on for Bo Brown.' }).waitFor();
  t.ok(await holds(bo.id, 'projects.create'));
  t.equal(await page.getByRole('button', { name: 'Save permissions' }).isVisible(), false, 'no Save button with JavaScript');
  await page.reload();
  t.equal(await page.getByRole('switch', { name: 'Create projects' }).isChecked(), true, 'kept after a reload');
});

t.test('with JavaScript, two people: "Differs" is described on its switch', async (t) => {
  await page.goto(`/settings/users/global?person=${bo.id}&person=${cy.id}`);
  const tasks = page.getByRole('switch', { name: 'Read tasks' });
  t.equal(await tasks.isChecked(), false);
  t.equal(await tasks.getAttribute('aria-describedby'), 'tasks.read-hint');
  t.equal(await page.locator('[id="tasks.read-hint"]').innerText(), 'Differs: 1 of 2 people', 'visible, and the switch\'s description');
  await audit(t, 'global: two people');
  await page.getByRole('switch', { name: 'Read lists' }).check();
  await status.filter({ hasText: 'Saved. “Read lists” is on for 2 people.' }).waitFor();
  t.ok((await holds(bo.id, 'lists.read')) && (await holds(cy.id, 'lists.read')));
  t.ok(await holds(cy.id, 'tasks.read'), 'the mixed permission is left as it was');
  t.notOk(await holds(bo.id, 'tasks.read'));
});

t.test('without JavaScript: select two people and save; the mixed permission stays as each had it', async (t) => {
  const { context, page: plain } = await openTab(browser, app.baseURL, { javaScript: false });
  t.teardown(() => context.close());
  await plain.goto('/login');
  await signInWith(plain, ADMIN.email, ADMIN.password);
  await plain.goto('/settings/users/global');
  await plain.getByLabel('Search people').fill('c');
  await navigation(plain, () => plain.getByRole('button', { name: 'Search', exact: true }).click());
  await plain.getByLabel('Select Bo Brown').check();
  await plain.getByLabel('Select Cy Cole').check();
  await navigation(plain, () => plain.getByRole('button', { name: 'Select', exact: true }).click());
  t.ok(await plain.getByRole('heading', { name: 'Permissions of 2 people' }).isVisible());
  await plain.getByRole('switch', { name: 'Generate reports' }).check();
  await plain.getByRole('switch', { name: 'Read lists' }).uncheck();
  await navigation(plain, () => plain.getByRole('button', { name: 'Save permissions' }).click());
  t.equal(await plain.locator('#live-status').innerText(), 'Global permissions saved.');
  t.ok((await holds(bo.id, 'reports.generate')) && (await holds(cy.id, 'reports.generate')));
  t.ok(!(await holds(bo.id, 'lists.read')) && !(await holds(cy.id, 'lists.read')));
  t.ok(await holds(cy.id, 'tasks.read'), 'Cy keeps the mixed permission');
  t.notOk(await holds(bo.id, 'tasks.read'), 'Bo is not given it');
  t.ok(await holds(bo.id, 'projects.create'), 'the other mixed permission: Bo keeps it');
  t.notOk(await holds(cy.id, 'projects.create'));
  await navigation(plain, () => plain.getByRole('link', { name: 'Remove Cy Cole' }).click());
  t.ok(await plain.getByRole('heading', { name: 'Permissions of Bo Brown' }).isVisible());
});

t.test('the Nu Html Checker finds no error on any page', async (t) => {
  t.same(await htmlErrors(documents), []);
});
