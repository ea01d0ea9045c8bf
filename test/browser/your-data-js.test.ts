// "Your data" in a real browser with JavaScript: the export link downloads the JSON file without leaving the page;
// the deletion's confirmation page (and its error state after a wrong password) and the signed-out page after it,
// each checked with axe and the Nu Html Checker; a Read-Only administrator may export but is offered no deletion.
import fs from 'node:fs';
import t from 'tap';
import { accounts, sessions } from '../../src/db/schema.js';
import { signUp } from '../helpers/agent.js';
import { ADMIN, description, htmlErrors, launchBrowser, navigation, openAuditedPage, openTab, POSTED_AND_REDIRECTED, signInWith, startApp } from '../helpers/browser.js';
import { insertPerson } from '../helpers/factories.js';

const [browser, app] = await Promise.all([launchBrowser(t), startApp(t)]);
await signUp(app.app);
await insertPerson(app.db, { name: 'Rory Reader', email: 'rory@acme.test', license: 'read_only', isAdmin: true, password: 'read only admin 1' });
const { context, page, watch, documents, audit } = await openAuditedPage(browser, app.baseURL);
const path = () => new URL(page.url()).pathname;
const yourData = page.getByRole('region', { name: 'Your data' });

t.test('the export link downloads the JSON file and the page stays as it is', async (t) => {
  await page.goto('/login');
  await signInWith(page, ADMIN.email, ADMIN.password);
  await page.goto('/settings/organization');
  await audit(t, 'organization settings');
  await page.evaluate(() => ((window as unknown as { mark: boolean }).mark = true));
  const [download] = await Promise.all([page.waitForEvent('download'), yourData.getByRole('link', { name: 'Export account data' }).click()]);
  t.match(download.suggestedFilename(), /^accord-acme-ltd-\d{4}-\d{2}-\d{2}\.json$/);
  const data = JSON.parse(fs.readFileSync((await download.path())!, 'utf8')) as { tables: { persons: { email: string; password_reminder?: string }[] } };
  t.same(data.tables.persons.map((p) => p.email).sort(), ['ada@acme.test', 'rory@acme.test']);
  t.equal(data.tables.persons.find((p) => p.email === ADMIN.email)!.password_reminder, ADMIN.passwordReminder);
  t.ok(await page.evaluate(() => (window as unknown as { mark?: boolean }).mark), 'same document');
});

t.test('a Read-Only administrator may export, and is not offered the deletion', async (t) => {
  const tab = await openTab(browser, app.baseURL);
  await tab.page.goto('/login');
  await signInWith(tab.page, 'rory@acme.test', 'read only admin 1');
  await tab.page.goto('/settings/organization');
  const region = tab.page.getByRole('region', { name: 'Your data' });
  const [download] = await Promise.all([tab.page.waitForEvent('download'), region.getByRole('link', { name: 'Export account data' }).click()]);
  t.match(download.suggestedFilename(), /\.json$/);
  t.equal(await region.getByRole('link', { name: 'Delete organization' }).count(), 0);
  t.match(await region.innerText(), 'Only an administrator with a Read & Write license can delete the organization.');
  const refused = await tab.page.goto('/settings/organization/delete');
  t.equal(refused!.status(), 403);
  t.same(tab.watch.problems, []);
  await tab.context.close();
});

t.test('the confirmation page, and a wrong password: 422 with the error summary', async (t) => {
  await navigation(page, () => yourData.getByRole('link', { name: 'Delete organization' }).click());
  t.equal(path(), '/settings/organization/delete');
  t.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Delete Acme Ltd?');
  await audit(t, 'delete organization');
  await page.getByLabel('Organization name').fill('Acme Ltd');
  await page.getByLabel('Password').fill('not my password');
  const res = await navigation(page, () => page.getByRole('button', { name: 'Delete organization' }).click());
  t.equal(res.status, 422);
  t.equal(await page.getByRole('alert').getByRole('link', { name: 'The password is not right. Enter the password you sign in with.' }).count(), 1);
  t.match(await description(page.getByLabel('Password')), 'Error: The password is not right.');
  t.equal(await page.getByLabel('Organization name').inputValue(), 'Acme Ltd');
  await audit(t, 'delete organization, wrong password');
  t.equal((await app.db.select().from(accounts)).length, 1, 'nothing deleted');
});

t.test('the right name and password: every session ends, a signed-out page says so', async (t) => {
  await page.getByLabel('Password').fill(ADMIN.password);
  t.same(await navigation(page, () => page.getByRole('button', { name: 'Delete organization' }).click()), POSTED_AND_REDIRECTED);
  t.equal(path(), '/organization-deleted');
  t.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Your organization has been deleted');
  t.equal(await page.getByRole('navigation', { name: 'Main' }).count(), 0, 'signed out');
  t.same((await context.cookies()).filter((c) => c.name === 'accord_session'), []);
  await audit(t, 'organization deleted');
  t.same(await app.db.select().from(accounts), []);
  t.same(await app.db.select().from(sessions), [], 'the Read-Only administrator’s session ended too');
});

t.test('every page is valid HTML (Nu Html Checker)', async (t) => {
  t.equal(documents.length, 4);
  t.same(await htmlErrors(documents), []);
});

t.test('no script errors, CSP refusals or missing assets', async (t) => {
  t.same(watch.problems, []);
});
