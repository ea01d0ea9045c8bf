// User management (/settings/users) in a real browser with JavaScript: search as you type, license radio groups
// that save on change (and a refused change that goes back), autosaving switches, the domains field; axe on
// every state and the Nu Html Checker over every page.
import { eq } from 'drizzle-orm';
import t, { type Test } from 'tap';
import { accounts, persons } from '../../src/db/schema.js';
import { decodeCursor } from '../../src/people/cursor.js';
import { signUp } from '../helpers/agent.js';
import { ADMIN, htmlErrors, isFocused, launchBrowser, openAuditedPage, signInWith, startApp } from '../helpers/browser.js';
import { insertPerson } from '../helpers/factories.js';

const [browser, app] = await Promise.all([launchBrowser(t), startApp(t)]);
await signUp(app.app, { readWriteLicenses: '3' });
await insertPerson(app.db, { name: 'Rita Writer', email: 'rita@acme.test', license: 'read_write' });
const bea = await insertPerson(app.db, { name: 'Bea Reader', email: 'bea@acme.test', license: 'read_only' });
const cy = await insertPerson(app.db, { name: 'Cy Contact', email: 'cy@acme.test', license: 'none' });
const { page, watch, documents, audit } = await openAuditedPage(browser, app.baseURL);

const status = page.locator('#live-status');
const licenseOf = async (id: string) => (await app.db.select().from(persons).where(eq(persons.id, id)))[0]!.license;
const group = (name: string) => page.getByRole('group', { name });
const summary = page.locator('#seat-summary');

t.test('the page, reached from the main navigation', async (t) => {
  await page.goto('/login');
  await signInWith(page, ADMIN.email, ADMIN.password);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'User management' }).click();
  await page.waitForURL('**/settings/users');
  t.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'User management');
  t.equal(await page.getByRole('navigation', { name: 'User management' }).getByRole('link', { name: 'Licenses' }).getAttribute('aria-current'), 'page');
  t.match(await summary.textContent(), '2 of 3 Read & Write licenses distributed, 1 available');
  t.equal(await group('Bea Reader').getByRole('radio').count(), 3);
  await audit(t, 'user management');
});

t.test('search as you type, without a page load; the count is announced', async (t) => {
  await page.evaluate(() => ((window as unknown as { mark: boolean }).mark = true));
  await page.getByLabel('Search people').pressSequentially('bea', { delay: 30 });
  await status.filter({ hasText: 'Showing 1 person' }).waitFor();
  t.equal(await page.getByRole('group').count(), 1);
  t.equal(await group('Bea Reader').count(), 1);
  t.ok(await page.evaluate(() => (window as unknown as { mark?: boolean }).mark), 'same document');
  t.match(page.url(), /\/settings\/users\?q=bea$/, 'the address shows the search');
  t.ok(await isFocused(page.getByLabel('Search people')), 'focus stays in the field');
  await audit(t, 'search results', 'dom');
});

t.test('choosing Read & Write saves it at once; the summary follows; focus stays on the radio', async (t) => {
  t.equal(await page.getByRole('button', { name: 'Save license of Bea Reader' }).count(), 0, 'it saves on change: no Save button');
  const rw = group('Bea Reader').getByRole('radio', { name: 'Read & Write' });
  await rw.check();
  await status.filter({ hasText: 'Saved. Bea Reader has a Read & Write license now.' }).waitFor();
  t.equal(await licenseOf(bea.id), 'read_write');
  t.match(await summary.textContent(), '3 of 3 Read & Write licenses distributed, 0 available');
  t.ok(await isFocused(rw), 'focus stays on the radio');
  t.ok(await rw.isChecked());
  await audit(t, 'license saved', 'dom');
});

t.test('no seat free: the error next to the group, the radio goes back to the saved license', async (t) => {
  await page.getByLabel('Search people').fill('cy');
  await status.filter({ hasText: 'Showing 1 person' }).waitFor();
  const cyGroup = group('Cy Contact');
  await cyGroup.getByRole('radio', { name: 'Read & Write' }).click(); // not check(): the refusal unchecks it again at once
  await cyGroup.getByText('All Read & Write licenses are distributed.').waitFor();
  t.ok(await cyGroup.getByRole('radio', { name: 'No Access' }).isChecked(), 'the saved license is shown again');
  t.notOk(await cyGroup.getByRole('radio', { name: 'Read & Write' }).isChecked());
  t.equal(await page.getByRole('alert').getByRole('link', { name: 'All Read & Write licenses are distributed.' }).count(), 1, 'in the error summary');
  t.ok(await cyGroup.evaluate((el) => el.contains(document.activeElement)), 'focus stays in the radio group');
  t.equal(await licenseOf(cy.id), 'none', 'nothing changed');
  await audit(t, 'license refused', 'dom');
  await cyGroup.getByRole('radio', { name: 'Read-Only' }).check();
  await status.filter({ hasText: 'Saved. Cy Contact has a Read-Only license now.' }).waitFor();
  t.equal(await page.getByRole('alert').count(), 0, 'the error summary goes once the next change is saved');
  t.equal(await licenseOf(cy.id), 'read_only');
});

t.test('the switches autosave; a bad domain is named next to the field', async (t) => {
  const auto = page.getByRole('switch', { name: 'Users will automatically receive a license of type "Read & Write", if available' });
  await auto.check();
  await status.filter({ hasText: 'Saved. Automatic Read & Write licenses are on.' }).waitFor();
  t.ok(await isFocused(auto));
  const domains = page.getByLabel('Allowed email domains');
  const invitations = page.locator('#invitation-settings');
  t.equal(await invitations.getByRole('button', { name: 'Save' }).count(), 0, 'an autosaving form shows no Save button');
  await domains.fill('Good.test, bad_domain');
  await domains.press('Tab'); // a text field saves when it is left (its change event)
  await invitations.getByText('“bad_domain” is not a valid domain. Enter domains like example.com').waitFor();
  t.equal(await page.getByRole('alert').getByRole('link', { name: '“bad_domain” is not a valid domain. Enter domains like example.com' }).count(), 1);
  t.equal(await domains.getAttribute('aria-invalid'), 'true');
  t.equal(await domains.inputValue(), 'Good.test, bad_domain', 'what was typed stays');
  t.same((await app.db.select().from(accounts))[0]!.allowedDomains, [], 'nothing saved');
  await audit(t, 'bad domain', 'dom');
  await domains.fill('Good.test example.com');
  await page.getByRole('switch', { name: 'Allow users to invite other users' }).check();
  await status.filter({ hasText: 'Saved. Users may invite other users; allowed email domains: good.test, example.com.' }).waitFor();
  t.equal(await domains.inputValue(), 'good.test\nexample.com', 'shown as saved: lower case, one per line');
  const account = (await app.db.select().from(accounts))[0]!;
  t.same([account.autoLicense, account.usersMayInvite, account.allowedDomains], [true, true, ['good.test', 'example.com']]);
  t.equal(await page.getByRole('alert').count(), 0);
});

t.test('pages of results: Next and Previous links; a license changed on a later page keeps the place', async (t) => {
  for (let i = 1; i <= 30; i++) await insertPerson(app.db, { name: `Tester ${String(i).padStart(2, '0')}`, email: `t${i}@acme.test`, license: 'none' });
  const field = page.getByLabel('Search people');
  await field.fill('tester');
  await status.filter({ hasText: 'Showing 25 of 30 people' }).waitFor();
  t.match(page.url(), /\/settings\/users\?q=tester$/, 'a search starts on the first page: no cursor');
  const pager = page.getByRole('navigation', { name: 'Search results pages' });
  const legends = () => page.locator('.license-list legend').allTextContents();
  t.equal(await pager.getByRole('link', { name: 'Previous page' }).count(), 0);
  await Promise.all([page.waitForURL(/after=/), pager.getByRole('link', { name: 'Next page' }).click()]);
  const second = page.url();
  t.equal(decodeCursor(new URL(second).searchParams.get('after'))?.name, 'Tester 25', 'the cursor is the last person of the first page');
  t.equal(await page.locator('#search-count').textContent(), 'Showing 5 of 30 people');
  t.same(await legends(), ['Tester 26', 'Tester 27', 'Tester 28', 'Tester 29', 'Tester 30']);
  await audit(t, 'search results, a later page');

  await group('Tester 27').getByRole('radio', { name: 'Read-Only' }).check();
  await status.filter({ hasText: 'Saved. Tester 27 has a Read-Only license now.' }).waitFor();
  t.equal(page.url(), second, 'the address stays on the page');
  t.equal(await page.locator('form', { has: group('Tester 27') }).locator('input[name=after]').inputValue(), new URL(second).searchParams.get('after'), 'the answered form still carries the place');
  await page.reload();
  t.ok(await group('Tester 27').getByRole('radio', { name: 'Read-Only' }).isChecked(), 'saved, on the same page');

  await Promise.all([page.waitForURL(/before=/), pager.getByRole('link', { name: 'Previous page' }).click()]);
  t.equal((await legends())[0], 'Tester 01');
  t.equal(await pager.getByRole('link', { name: 'Previous page' }).count(), 0, 'back on the first page');
});

t.test('every page is valid HTML (Nu Html Checker)', async (t) => {
  t.equal(documents.length, 6);
  const errors = await htmlErrors(documents);
  t.same(errors, []);
});

t.test('no script errors, CSP refusals or missing assets', async (t) => {
  t.same(watch.problems, []);
});
