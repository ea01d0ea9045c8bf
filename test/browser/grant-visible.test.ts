// Issue 10's end-to-end check, with and without JavaScript: an administrator grants a role permission, and a person
// holding that role in a project sees the section appear in the project's navigation; the access explainer shows
// the grant behind it. axe on every state and the Nu Html Checker over every page.
import { eq } from 'drizzle-orm';
import t from 'tap';
import { newId } from '../../src/crypto.js';
import { accounts, persons, projectRoles, projects } from '../../src/db/schema.js';
import { signUp } from '../helpers/agent.js';
import { ADMIN, htmlErrors, launchBrowser, navigation, openAuditedPage, openTab, signInWith, startApp } from '../helpers/browser.js';
import { insertPerson } from '../helpers/factories.js';

const [browser, app] = await Promise.all([launchBrowser(t), startApp(t)]);
await signUp(app.app, { readWriteLicenses: '5' });
const db = app.db;
const [account] = await db.select().from(accounts);
await db.update(accounts).set({ edition: 'enterprise' }).where(eq(accounts.id, account!.id));
const [ada] = await db.select().from(persons).where(eq(persons.email, ADMIN.email));
const bo = await insertPerson(db, { name: 'Bo Brown', email: 'bo@acme.test', password: 'member password 1' });
const apollo = newId();
await db.insert(projects).values({ id: apollo, accountId: account!.id, name: 'Apollo', createdBy: ada!.id });
await db.insert(projectRoles).values({ accountId: account!.id, projectId: apollo, roleKey: 'customers', personId: bo.id });

const { page, documents, audit } = await openAuditedPage(browser, app.baseURL);
const { context: boContext, page: boPage } = await openTab(browser, app.baseURL);
t.teardown(() => boContext.close());
const sections = async () => {
  await boPage.goto(`/projects/${apollo}`);
  return boPage.getByRole('navigation', { name: 'Project' }).getByRole('link').allTextContents();
};

t.test('before: Bo, a Customer in Apollo, sees the Customers sections only', async (t) => {
  await boPage.goto('/login');
  await signInWith(boPage, 'bo@acme.test', 'member password 1');
  t.same(await sections(), ['Tasks', 'Planning', 'Financials']);
  t.equal((await boPage.goto(`/projects/${apollo}/comments`))!.status(), 404, 'Comments is not his');
});

t.test('with JavaScript: the administrator grants Customers "Read project comments"; Bo sees Comments appear', async (t) => {
  await page.goto('/login');
  await signInWith(page, ADMIN.email, ADMIN.password);
  await page.goto('/settings/users/roles/customers');
  await page.getByRole('switch', { name: 'Read project comments' }).check();
  // it affects Bo: the impact comes first, then the change is saved
  await page.getByRole('heading', { name: 'Impact of this change' }).waitFor();
  await audit(t, 'role change waiting', 'dom');
  await page.getByRole('button', { name: 'Save this change' }).click();
  await page.locator('#live-status').filter({ hasText: 'Saved. Customers can now: Read project comments.' }).waitFor();
  t.same(await sections(), ['Comments', 'Tasks', 'Planning', 'Financials']);
  t.equal((await boPage.goto(`/projects/${apollo}/comments`))!.status(), 200);
});

t.test('the explainer shows the grant behind Bo\'s new section', async (t) => {
  await page.goto(`/settings/users/access?person=${bo.id}&project=${apollo}`);
  t.match(await page.getByRole('row', { name: /^Read project comments\b/ }).innerText(), /Granted\s+Role: Customers/);
  await audit(t, 'explainer after the grant');
});

t.test('without JavaScript: the administrator grants "Read documents" with Save; Bo sees Documents appear', async (t) => {
  const { context, page: plain } = await openTab(browser, app.baseURL, { javaScript: false });
  t.teardown(() => context.close());
  await plain.goto('/login');
  await signInWith(plain, ADMIN.email, ADMIN.password);
  await plain.goto('/settings/users/roles/customers');
  await plain.getByRole('switch', { name: 'Read documents' }).check();
  await navigation(plain, () => plain.getByRole('button', { name: 'Save permissions' }).click());
  t.match(await plain.locator('#live-status').innerText(), /saved/i);
  t.same(await sections(), ['Comments', 'Tasks', 'Planning', 'Documents', 'Financials']);
  await plain.goto(`/settings/users/access?person=${bo.id}&project=${apollo}`);
  t.match(await plain.getByRole('row', { name: /^Read documents\b/ }).innerText(), /Granted\s+Role: Customers/);
});

t.test('the Nu Html Checker finds no error on any page', async (t) => {
  t.same(await htmlErrors(documents), []);
});
