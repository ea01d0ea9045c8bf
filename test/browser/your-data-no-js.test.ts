// "Your data" with JavaScript turned off: "Export account data" is a plain link that downloads a JSON file, and
// "Delete organization" a plain page and POST form: a wrong value is a 422 page with the error summary, the right
// ones sign everyone out onto a page that says the organization is gone. Behaviour here (axe needs scripts: it runs
// in your-data-js.test.ts); the Nu Html Checker over every page as served.
import fs from 'node:fs';
import { eq } from 'drizzle-orm';
import t from 'tap';
import { accounts, persons } from '../../src/db/schema.js';
import { signUp } from '../helpers/agent.js';
import { ADMIN, description, htmlErrors, isFocused, launchBrowser, navigation, openTab, POSTED_AND_REDIRECTED, signInWith, startApp, type HtmlDocument } from '../helpers/browser.js';
import { insertPerson } from '../helpers/factories.js';

const [browser, app] = await Promise.all([launchBrowser(t), startApp(t)]);
await signUp(app.app);
await insertPerson(app.db, { name: 'Bea Baker', email: 'bea@acme.test', license: 'read_only' });
const { context, page, watch } = await openTab(browser, app.baseURL, { javaScript: false });
const documents: HtmlDocument[] = [];
const keep = async (name: string) => void documents.push({ name, html: await watch.documentHtml() });
const path = () => new URL(page.url()).pathname + new URL(page.url()).search;
const yourData = page.getByRole('region', { name: 'Your data' });

t.test('the export downloads the account data as a JSON file', async (t) => {
  await page.goto('/login');
  await signInWith(page, ADMIN.email, ADMIN.password);
  await page.goto('/settings/organization');
  t.equal(await yourData.getByRole('heading', { level: 2 }).textContent(), 'Your data');
  await keep('organization settings');
  const [download] = await Promise.all([page.waitForEvent('download'), yourData.getByRole('link', { name: 'Export account data' }).click()]);
  t.match(download.suggestedFilename(), /^accord-acme-ltd-\d{4}-\d{2}-\d{2}\.json$/);
  const data = JSON.parse(fs.readFileSync((await download.path())!, 'utf8')) as { account: { name: string }; tables: { persons: { name: string; phone?: string }[] } };
  t.equal(data.account.name, 'Acme Ltd');
  t.same(data.tables.persons.map((p) => p.name).sort(), ['Ada Admin', 'Bea Baker']);
  t.equal(data.tables.persons.find((p) => p.name === 'Ada Admin')!.phone, ADMIN.phone);
  t.equal(path(), '/settings/organization', 'the page stays');
});

t.test('the confirmation page; a wrong name is a 422 with the error summary, nothing deleted', async (t) => {
  await navigation(page, () => yourData.getByRole('link', { name: 'Delete organization' }).click());
  t.equal(path(), '/settings/organization/delete');
  t.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Delete Acme Ltd?');
  t.match(await page.getByRole('main').innerText(), '2 people (1 with a Read & Write license, 1 Read-Only, 0 without access)');
  await keep('delete organization');
  await page.getByLabel('Organization name').fill('Acme');
  await page.getByLabel('Password').fill(ADMIN.password);
  const res = await navigation(page, () => page.getByRole('button', { name: 'Delete organization' }).click());
  t.equal(res.status, 422);
  const link = page.getByRole('alert').getByRole('link', { name: 'The organization name does not match. Enter “Acme Ltd” exactly as it is written.' });
  t.equal(await link.count(), 1);
  t.match(await description(page.getByLabel('Organization name')), 'Error: The organization name does not match.');
  t.equal(await page.getByLabel('Organization name').inputValue(), 'Acme', 'what was typed stays');
  t.equal(await page.getByLabel('Password').inputValue(), '', 'the password is not sent back');
  await keep('delete organization, wrong name');
  await link.click();
  t.ok(await isFocused(page.getByLabel('Organization name')), 'the summary link leads to the field');
  t.equal((await app.db.select().from(accounts)).length, 1, 'nothing deleted');
});

t.test('the right name and password: signed out, on a page that says the organization is gone', async (t) => {
  await page.getByLabel('Organization name').fill('Acme Ltd');
  await page.getByLabel('Password').fill(ADMIN.password);
  t.same(await navigation(page, () => page.getByRole('button', { name: 'Delete organization' }).click()), POSTED_AND_REDIRECTED);
  t.equal(path(), '/organization-deleted');
  t.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Your organization has been deleted');
  t.match(await page.getByRole('main').innerText(), 'The organization and all of its data have been deleted');
  t.equal(await page.getByRole('button', { name: 'Sign out' }).count(), 0, 'signed out');
  t.same((await context.cookies()).filter((c) => c.name === 'accord_session'), [], 'no session cookie');
  await keep('organization deleted');
  t.same(await app.db.select().from(accounts), []);
  t.same(await app.db.select().from(persons).where(eq(persons.email, ADMIN.email)), []);
  await navigation(page, () => page.goto('/settings/organization'));
  t.equal(new URL(page.url()).pathname, '/login', 'the settings need a sign-in again');
});

t.test('every page is valid HTML (Nu Html Checker)', async (t) => {
  t.equal(documents.length, 4);
  t.same(await htmlErrors(documents), []);
  t.same(watch.problems, []);
});
