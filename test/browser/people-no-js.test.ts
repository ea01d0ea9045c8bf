// People (/people) with JavaScript turned off: the search is a GET form with a "Search" button, pagination links,
// "New contact" with errors, and "Invite", "Resend invitation", "Revoke invitation" and "Delete person" as plain
// POSTs answered by 303 and a visible confirmation. Behaviour here (axe needs scripts: it runs in the JS file);
// the Nu Html Checker over every page as served.
import { eq } from 'drizzle-orm';
import t from 'tap';
import { persons } from '../../src/db/schema.js';
import { encodeCursor } from '../../src/people/cursor.js';
import { signUp } from '../helpers/agent.js';
import { ADMIN, description, htmlErrors, isFocused, launchBrowser, navigation, signInWith, startApp, watchPage, type HtmlDocument, POSTED_AND_REDIRECTED } from '../helpers/browser.js';
import { insertPeopleList } from '../helpers/factories.js';

const [browser, app] = await Promise.all([launchBrowser(t), startApp(t)]);
await signUp(app.app, { readWriteLicenses: '5' });
await insertPeopleList(app.db);
const TOTAL = 34;

const context = await browser.newContext({ baseURL: app.baseURL, javaScriptEnabled: false });
context.setDefaultTimeout(10_000);
const page = await context.newPage();
const watch = watchPage(page);
const documents: HtmlDocument[] = [];
const keep = async (name: string) => void documents.push({ name, html: await watch.documentHtml() });

const notice = page.locator('#live-status');
const count = page.locator('#people-count');
const search = page.getByLabel('Search by name or email');
const button = (name: string) => page.getByRole('button', { name, exact: true });
const listed = () => page.getByRole('table').getByRole('link').allTextContents();
const path = () => new URL(page.url()).pathname + new URL(page.url()).search;
const statusOnPage = () => page.getByRole('term').filter({ hasText: 'Status' }).locator('xpath=following-sibling::dd[1]').innerText();
const pager = page.getByRole('navigation', { name: 'Pages of people' });

t.test('the search works by submitting the form', async (t) => {
  await page.goto('/login');
  await signInWith(page, ADMIN.email, ADMIN.password);
  await page.goto('/people');
  t.equal(await count.textContent(), `${TOTAL} people in your contacts`);
  await keep('people');
  await search.fill('bea');
  const res = await navigation(page, () => button('Search').click());
  t.same(res, { status: 200, redirectStatus: undefined, method: 'GET' });
  t.equal(path(), '/people?q=bea');
  t.same(await listed(), ['Bea Baker', 'Rebecca Beale', 'Tom Tailor'], 'by name or by email');
  t.equal(await count.textContent(), '3 people found');
  t.equal(await search.inputValue(), 'bea', 'the field keeps the search');
  await keep('search results');

  await search.fill('zzz');
  await navigation(page, () => search.press('Enter'));
  t.equal(path(), '/people?q=zzz');
  t.equal(await count.textContent(), '0 people found');
  t.equal(await page.getByText('No one in your contacts matches this search.').count(), 1);
  t.equal(await page.getByRole('table').count(), 0);
  await keep('empty search results');
});

t.test('pagination links (keyset cursors in the address), also while searching', async (t) => {
  await search.fill('');
  await navigation(page, () => button('Search').click());
  t.equal((await listed()).length, 25);
  t.equal(await count.textContent(), `${TOTAL} people in your contacts`, 'the count, no page numbers');
  t.equal(await pager.getByText(/Page \d+ of/).count(), 0);
  t.equal(await pager.getByRole('link', { name: 'Previous page' }).count(), 0, 'no previous page on the first');
  await navigation(page, () => pager.getByRole('link', { name: 'Next page' }).click());
  t.equal(path(), `/people?after=${encodeCursor({ name: 'Zed 20', id: 'zed20' })}`, 'the page after the last person shown');
  t.same(await listed(), ['Zed 21', 'Zed 22', 'Zed 23', 'Zed 24', 'Zed 25', 'Zed 26', 'Zed 27', 'Zed 28', 'Zed 29']);
  t.equal(await pager.getByRole('link', { name: 'Next page' }).count(), 0, 'no next page on the last');
  await keep('people, page 2');
  await navigation(page, () => pager.getByRole('link', { name: 'Previous page' }).click());
  t.equal(path(), `/people?before=${encodeCursor({ name: 'Zed 21', id: 'zed21' })}`, 'the page before the first person shown');
  t.equal((await listed())[0], 'Ada Admin');
  t.equal((await listed()).length, 25);
  t.equal(await pager.getByRole('link', { name: 'Previous page' }).count(), 0, 'back on the first page');

  await search.fill('zed');
  await navigation(page, () => button('Search').click());
  t.equal(path(), '/people?q=zed', 'a new search starts on the first page');
  t.equal(await count.textContent(), '30 people found');
  await navigation(page, () => pager.getByRole('link', { name: 'Next page' }).click());
  t.equal(path(), `/people?q=zed&after=${encodeCursor({ name: 'Zed 24', id: 'zed24' })}`);
  t.same(await listed(), ['Zed 25', 'Zed 26', 'Zed 27', 'Zed 28', 'Zed 29']);
  t.equal(await search.inputValue(), 'zed');
  await keep('search results, page 2');

  await page.goto(`/people?after=${encodeCursor({ name: 'Zzz', id: 'z' })}`);
  t.equal(await page.getByText('There is nobody on this page.').count(), 1, 'a stale cursor says so');
  await navigation(page, () => page.getByRole('link', { name: 'Go to the first page' }).click());
  t.equal(path(), '/people');
  t.equal((await listed())[0], 'Ada Admin');
});

let cleoId = '';
t.test('"New contact": 422 with the error summary, then 303 to the new person’s page', async (t) => {
  await page.goto('/people');
  await navigation(page, () => page.getByRole('link', { name: 'New contact' }).click());
  t.equal(path(), '/people/new');
  await keep('new contact');
  await page.getByLabel('Email').fill('cleo@');
  t.equal((await navigation(page, () => button('Create contact').click())).status, 422);
  const summary = page.getByRole('alert');
  t.equal(await summary.getByRole('link', { name: 'Enter a name' }).count(), 1);
  const format = summary.getByRole('link', { name: 'Enter an email address in the correct format, like name@example.com' });
  t.match(await description(page.getByLabel('Email')), 'Error: Enter an email address in the correct format');
  await keep('new contact with errors');
  await format.click();
  t.ok(await isFocused(page.getByLabel('Email')), 'the summary link leads to the field, without scripts too');

  await page.getByLabel('Name').fill('Another Bea');
  await page.getByLabel('Email').fill('Bea@Acme.Test');
  t.equal((await navigation(page, () => button('Create contact').click())).status, 422);
  t.match(await description(page.getByLabel('Email')), 'Error: Someone in your contacts already has this email address.');
  await keep('new contact with a taken email');

  await page.getByLabel('Name').fill('Cleo Contact');
  await page.getByLabel('Email').fill('cleo@acme.test');
  t.same(await navigation(page, () => button('Create contact').click()), POSTED_AND_REDIRECTED);
  cleoId = (await app.db.select().from(persons).where(eq(persons.email, 'cleo@acme.test')))[0]!.id;
  t.equal(path(), `/people/${cleoId}?notice=contact-created`);
  t.equal(await notice.textContent(), 'Contact created.');
  t.equal(await statusOnPage(), 'Not invited');
  await keep('person page: not invited');
});

t.test('"Invite", "Resend invitation" and "Revoke invitation", each with a confirmation', async (t) => {
  await page.getByRole('group', { name: 'Access' }).getByRole('radio', { name: 'Read all projects' }).check();
  const before = app.outbox.length;
  t.same(await navigation(page, () => button('Invite').click()), POSTED_AND_REDIRECTED);
  t.equal(path(), `/people/${cleoId}?notice=invited`);
  t.equal(await notice.textContent(), 'Invitation sent.');
  t.equal(await statusOnPage(), 'Invited');
  t.equal(app.outbox.length, before + 1);
  t.equal(app.outbox.at(-1)!.to, 'cleo@acme.test');
  await keep('person page: invited');

  t.same(await navigation(page, () => button('Resend invitation').click()), POSTED_AND_REDIRECTED);
  t.equal(path(), `/people/${cleoId}?notice=invitation-resent`);
  t.equal(await notice.textContent(), 'Invitation sent again.');
  t.equal(app.outbox.length, before + 2);
  t.not(app.outbox.at(-1)!.link, app.outbox.at(-2)!.link, 'a new link');

  t.same(await navigation(page, () => button('Revoke invitation').click()), POSTED_AND_REDIRECTED);
  t.equal(path(), `/people/${cleoId}?notice=invitation-revoked`);
  t.equal(await notice.textContent(), 'Invitation revoked.');
  t.equal(await statusOnPage(), 'Not invited');
  t.equal(await button('Invite').count(), 1, 'can be invited again');
  await keep('person page: invitation revoked');
  const revoked = await page.goto(new URL(app.outbox.at(-1)!.link!).pathname);
  t.equal(revoked?.status(), 410);
  t.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'This invitation was withdrawn');
  await keep('revoked link');
});

t.test('"Delete person": a confirmation page, then the person is gone', async (t) => {
  await page.goto(`/people/${cleoId}`);
  await navigation(page, () => page.getByRole('link', { name: 'Delete person' }).click());
  t.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Delete Cleo Contact?');
  await keep('delete confirmation');
  t.same(await navigation(page, () => button('Delete person').click()), POSTED_AND_REDIRECTED);
  t.equal(path(), '/people?notice=person-deleted');
  t.equal(await notice.textContent(), 'Person deleted.');
  t.equal(await page.getByRole('link', { name: 'Cleo Contact' }).count(), 0);
  t.equal((await app.db.select().from(persons).where(eq(persons.id, cleoId))).length, 0);
});

t.test('every page is valid HTML (Nu Html Checker)', async (t) => {
  t.equal(documents.length, 13, 'every page above was collected');
  t.same(await htmlErrors(documents), []);
});

t.test('no missing assets or failed requests', async (t) => {
  t.same(watch.problems, []);
});
