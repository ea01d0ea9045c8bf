// User management without JavaScript: the search is a GET form with a "Search" button, each license radio group
// and each switch form is saved with its button (POST, 303 back to the same search, a visible confirmation),
// refusals are 422 pages with the error summary; administrator rights and "Delete person" pages. axe and vnu too.
import { eq } from 'drizzle-orm';
import t, { type Test } from 'tap';
import { accounts, persons } from '../../src/db/schema.js';
import { decodeCursor } from '../../src/people/cursor.js';
import { signUp } from '../helpers/agent.js';
import { ADMIN, axeViolations, description, htmlErrors, isFocused, launchBrowser, navigation, signInWith, startApp, watchPage, type HtmlDocument, POSTED_AND_REDIRECTED } from '../helpers/browser.js';
import { insertPerson } from '../helpers/factories.js';

const [browser, app] = await Promise.all([launchBrowser(t), startApp(t)]);
await signUp(app.app, { readWriteLicenses: '2' });
const [ada] = await app.db.select().from(persons);
const bea = await insertPerson(app.db, { name: 'Bea Reader', email: 'bea@acme.test', license: 'read_only' });
const cy = await insertPerson(app.db, { name: 'Cy Contact', email: 'cy@acme.test', license: 'none' });
const context = await browser.newContext({ baseURL: app.baseURL, javaScriptEnabled: false });
context.setDefaultTimeout(10_000);
const page = await context.newPage();
const watch = watchPage(page);
const documents: HtmlDocument[] = [];

// axe needs scripts, so each page as served here is shown again, at a same-site address, in a tab with JavaScript.
const axePage = await (await browser.newContext({ baseURL: app.baseURL })).newPage();
async function audit(t: Test, name: string, served?: string) {
  const html = served ?? (await watch.documentHtml());
  documents.push({ name, html });
  await axePage.route('**/axe-snapshot', (route) => route.fulfill({ body: html, contentType: 'text/html; charset=utf-8' }));
  await axePage.goto('/axe-snapshot');
  t.same(await axeViolations(axePage), [], `axe finds no violations: ${name}`);
  await axePage.unroute('**/axe-snapshot');
}
const status = page.locator('#live-status');
const path = () => new URL(page.url()).pathname + new URL(page.url()).search;
const licenseOf = async (id: string) => (await app.db.select().from(persons).where(eq(persons.id, id)))[0]!.license;
const group = (name: string) => page.getByRole('group', { name });

t.test('search with the Search button', async (t) => {
  await page.goto('/login');
  await signInWith(page, ADMIN.email, ADMIN.password);
  await page.goto('/settings/users');
  await page.getByLabel('Search people').fill('bea');
  const res = await navigation(page, () => page.getByRole('button', { name: 'Search', exact: true }).click());
  t.equal(res.status, 200);
  t.equal(path(), '/settings/users?q=bea');
  t.equal(await page.getByRole('group').count(), 1);
  t.equal(await page.getByLabel('Search people').inputValue(), 'bea');
  await audit(t, 'search without JavaScript');
});

t.test('a license saved with its button: 303 back to the same search, with a confirmation', async (t) => {
  await group('Bea Reader').getByRole('radio', { name: 'Read & Write' }).check();
  t.same(await navigation(page, () => page.getByRole('button', { name: 'Save license of Bea Reader' }).click()), POSTED_AND_REDIRECTED);
  t.equal(path(), '/settings/users?q=bea&notice=license-saved');
  t.equal(await status.textContent(), 'License saved.');
  t.ok(await group('Bea Reader').getByRole('radio', { name: 'Read & Write' }).isChecked());
  t.match(await page.locator('#seat-summary').textContent(), '2 of 2 Read & Write licenses distributed, 0 available');
  t.equal(await licenseOf(bea.id), 'read_write');
  await audit(t, 'license saved without JavaScript');
});

t.test('no seat free: 422 with the error summary and the message next to the group', async (t) => {
  await page.goto('/settings/users?q=cy');
  await group('Cy Contact').getByRole('radio', { name: 'Read & Write' }).check();
  const res = await navigation(page, () => page.getByRole('button', { name: 'Save license of Cy Contact' }).click());
  t.equal(res.status, 422);
  const link = page.getByRole('alert').getByRole('link', { name: 'All Read & Write licenses are distributed.' });
  t.match(await description(group('Cy Contact')), 'Error: All Read & Write licenses are distributed.');
  t.ok(await group('Cy Contact').getByRole('radio', { name: 'No Access' }).isChecked(), 'the saved license');
  t.equal(await licenseOf(cy.id), 'none');
  await audit(t, 'license refused without JavaScript');
  await link.click();
  t.ok(await isFocused(group('Cy Contact').getByRole('radio', { name: 'Read-Only' })), 'the summary link leads to the group');
});

t.test('switches and domains are saved with the Save buttons', async (t) => {
  await page.goto('/settings/users');
  await page.getByRole('switch', { name: 'Users will automatically receive a license of type "Read & Write", if available' }).check();
  t.same(await navigation(page, () => page.locator('#auto-license').getByRole('button', { name: 'Save' }).click()), POSTED_AND_REDIRECTED);
  t.equal(await status.textContent(), 'Saved');
  await page.getByLabel('Allowed email domains').fill('acme.test\nnot a domain');
  const bad = await navigation(page, () => page.locator('#invitation-settings').getByRole('button', { name: 'Save' }).click());
  t.equal(bad.status, 422);
  t.match(await description(page.getByLabel('Allowed email domains')), 'Error: “not”, “a” and “domain” are not valid domains.');
  await audit(t, 'bad domains without JavaScript');
  await page.getByLabel('Allowed email domains').fill('acme.test');
  t.same(await navigation(page, () => page.locator('#invitation-settings').getByRole('button', { name: 'Save' }).click()), POSTED_AND_REDIRECTED);
  const account = (await app.db.select().from(accounts))[0]!;
  t.same([account.autoLicense, account.allowedDomains], [true, ['acme.test']]);
});

t.test('the last administrator can’t step down or be deleted: clear pages', async (t) => {
  const refused = await page.request.post(`/people/${ada!.id}/admin`, { form: { _csrf: await page.locator('input[name=_csrf]').first().inputValue() } });
  t.equal(refused.status(), 422);
  const html = await refused.text();
  t.match(html, 'The account needs at least one administrator with a Read &amp; Write license.');
  await audit(t, 'administrator refused', html);
  await page.goto(`/people/${ada!.id}/delete`);
  t.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Delete Ada Admin?');
  t.equal(await page.getByRole('button', { name: 'Delete person' }).count(), 0);
  await audit(t, 'delete the last administrator');
  await page.goto(`/people/${bea.id}/delete`);
  await audit(t, 'delete a person');
  t.same(await navigation(page, () => page.getByRole('button', { name: 'Delete person' }).click()), POSTED_AND_REDIRECTED);
  t.equal(path(), '/people?notice=person-deleted');
  t.equal(await status.textContent(), 'Person deleted.');
});

t.test('pages of results: Next and Previous carry a cursor; a license saved on a later page comes back to it', async (t) => {
  for (let i = 1; i <= 30; i++) await insertPerson(app.db, { name: `Tester ${String(i).padStart(2, '0')}`, email: `t${i}@acme.test`, license: 'none' });
  await page.goto('/settings/users?q=tester');
  const count = page.locator('#search-count');
  const pager = page.getByRole('navigation', { name: 'Search results pages' });
  const legends = () => page.locator('.license-list legend').allTextContents();
  t.equal(await count.textContent(), 'Showing 25 of 30 people');
  t.equal(await pager.getByRole('link', { name: 'Previous page' }).count(), 0, 'no previous page on the first');
  await navigation(page, () => pager.getByRole('link', { name: 'Next page' }).click());
  const second = path();
  const after = new URL(page.url()).searchParams.get('after');
  t.match(second, /^\/settings\/users\?q=tester&after=[\w-]+$/, 'the address carries the search and a cursor');
  t.equal(decodeCursor(after)?.name, 'Tester 25', 'the cursor is the last person of the first page');
  t.equal(await count.textContent(), 'Showing 5 of 30 people');
  t.same(await legends(), ['Tester 26', 'Tester 27', 'Tester 28', 'Tester 29', 'Tester 30']);
  t.equal(await pager.getByRole('link', { name: 'Next page' }).count(), 0, 'no next page on the last');

  await group('Tester 28').getByRole('radio', { name: 'Read-Only' }).check();
  t.same(await navigation(page, () => page.getByRole('button', { name: 'Save license of Tester 28' }).click()), POSTED_AND_REDIRECTED);
  t.equal(path(), `${second}&notice=license-saved`, 'back to the same page of the same search');
  t.equal(await status.textContent(), 'License saved.');
  t.ok(await group('Tester 28').getByRole('radio', { name: 'Read-Only' }).isChecked());
  t.same(await legends(), ['Tester 26', 'Tester 27', 'Tester 28', 'Tester 29', 'Tester 30']);
  await audit(t, 'search results, a later page, without JavaScript');

  await navigation(page, () => pager.getByRole('link', { name: 'Previous page' }).click());
  t.match(path(), /^\/settings\/users\?q=tester&before=[\w-]+$/);
  t.equal((await legends())[0], 'Tester 01');
  t.equal(await count.textContent(), 'Showing 25 of 30 people');
  t.equal(await pager.getByRole('link', { name: 'Previous page' }).count(), 0, 'back on the first page');
});

t.test('every page is valid HTML (Nu Html Checker)', async (t) => {
  t.equal(documents.length, 8);
  t.same(await htmlErrors(documents), []);
});
