// People (/people) in a real browser with JavaScript: search as you type (htmx) with the count announced and focus
// kept, empty results, pagination, "New contact" with errors, then "Invite", "Resend invitation" and
// "Revoke invitation" on the person's page, a person's page in each invitation state and "Delete person".
// axe on every state and the Nu Html Checker over every page.
import { eq } from 'drizzle-orm';
import t, { type Test } from 'tap';
import { invitations, persons } from '../../src/db/schema.js';
import { encodeCursor } from '../../src/people/cursor.js';
import { signUp } from '../helpers/agent.js';
import { ADMIN, description, htmlErrors, isFocused, launchBrowser, openAuditedPage, navigation, signInWith, startApp, POSTED_AND_REDIRECTED } from '../helpers/browser.js';
import { insertPeopleList } from '../helpers/factories.js';

const [browser, app] = await Promise.all([launchBrowser(t), startApp(t)]);
await signUp(app.app, { readWriteLicenses: '5' });
await insertPeopleList(app.db);
const TOTAL = 34;

const { page, watch, documents, audit } = await openAuditedPage(browser, app.baseURL);

const notice = page.locator('#live-status');
const count = page.locator('#people-count');
const search = page.getByLabel('Search by name or email');
const button = (name: string) => page.getByRole('button', { name, exact: true });
const listed = () => page.getByRole('table').getByRole('link').allTextContents();
const path = () => new URL(page.url()).pathname + new URL(page.url()).search;
const statusOnPage = () => page.getByRole('term').filter({ hasText: 'Status' }).locator('xpath=following-sibling::dd[1]').innerText();
const licenseOnPage = () => page.getByRole('term').filter({ hasText: 'License' }).locator('xpath=following-sibling::dd[1]').innerText();

/** Marks the current document; the check it returns is true only if no page load happened since. */
async function markDocument() {
  await page.evaluate(() => ((window as unknown as { accordMark: boolean }).accordMark = true));
  return () => page.evaluate(() => (window as unknown as { accordMark?: boolean }).accordMark === true);
}

t.test('the list, reached from the main navigation: statuses, count, first page', async (t) => {
  await page.goto('/login');
  await signInWith(page, ADMIN.email, ADMIN.password);
  await navigation(page, () => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'People' }).click());
  t.equal(path(), '/people');
  t.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'People');
  t.equal(await count.textContent(), `${TOTAL} people in your contacts`);
  t.equal(await count.getAttribute('role'), 'status', 'the count is a status region');
  const names = await listed();
  t.equal(names.length, 25, 'one page of 25');
  t.same(names.slice(0, 4), ['Ada Admin', 'Bea Baker', 'Rebecca Beale', 'Tom Tailor'], 'ordered by name');
  t.match(await page.getByRole('row', { name: /Bea Baker/ }).textContent(), 'Has access');
  t.match(await page.getByRole('row', { name: /Tom Tailor/ }).textContent(), 'Not invited');
  const pager = page.getByRole('navigation', { name: 'Pages of people' });
  t.equal(await pager.getByRole('link', { name: 'Next page' }).count(), 1, 'a next page');
  t.equal(await pager.getByText(/Page \d+ of/).count(), 0, 'no page numbers: the count says how many');
  await audit(t, 'people, page 1');
});

t.test('pagination: next and previous page', async (t) => {
  const pager = page.getByRole('navigation', { name: 'Pages of people' });
  t.equal(await pager.getByRole('link', { name: 'Previous page' }).count(), 0, 'no previous page on the first');
  await navigation(page, () => pager.getByRole('link', { name: 'Next page' }).click());
  t.equal(path(), `/people?after=${encodeCursor({ name: 'Zed 20', id: 'zed20' })}`, 'the page after the last person shown');
  t.same(await listed(), ['Zed 21', 'Zed 22', 'Zed 23', 'Zed 24', 'Zed 25', 'Zed 26', 'Zed 27', 'Zed 28', 'Zed 29']);
  t.equal(await pager.getByRole('link', { name: 'Next page' }).count(), 0, 'no next page on the last');
  t.equal(await page.getByRole('table', { name: 'Contacts' }).count(), 1, 'the table is named');
  t.equal(await count.textContent(), `${TOTAL} people in your contacts`);
  await audit(t, 'people, page 2');
  await navigation(page, () => pager.getByRole('link', { name: 'Previous page' }).click());
  t.equal(path(), `/people?before=${encodeCursor({ name: 'Zed 21', id: 'zed21' })}`, 'the page before the first person shown');
  t.equal((await listed())[0], 'Ada Admin');
  t.equal(await pager.getByRole('link', { name: 'Previous page' }).count(), 0, 'back on the first page');
});

t.test('search as you type: three letters narrow the list without a page load; the count is announced; focus stays', async (t) => {
  const sameDocument = await markDocument();
  let documentRequests = 0;
  const onRequest = (req: { isNavigationRequest(): boolean }) => void (req.isNavigationRequest() && documentRequests++);
  page.on('request', onRequest);
  await search.pressSequentially('bea', { delay: 40 });
  await count.filter({ hasText: '3 people found' }).waitFor();
  page.off('request', onRequest);
  t.same(await listed(), ['Bea Baker', 'Rebecca Beale', 'Tom Tailor'], 'by name or by email');
  t.equal(await page.getByRole('status').filter({ hasText: '3 people found' }).count(), 1, 'announced in the status region');
  t.ok(await sameDocument(), 'no page load');
  t.equal(documentRequests, 0, 'no document request');
  t.ok(await isFocused(search), 'focus stays in the search field');
  t.equal(await search.inputValue(), 'bea');
  t.equal(path(), '/people?q=bea', 'the address shows the search');
  t.equal(await page.getByRole('navigation', { name: 'Pages of people' }).count(), 0, 'one page: no pagination');
  await audit(t, 'search results (htmx)', 'dom');
  await page.reload();
  t.same(await listed(), ['Bea Baker', 'Rebecca Beale', 'Tom Tailor'], 'the address reloads the same search');
  t.equal(await count.textContent(), '3 people found');
  await audit(t, 'search results (page)');
});

t.test('a search that finds no one says so', async (t) => {
  const sameDocument = await markDocument();
  await search.fill('zzz');
  await count.filter({ hasText: '0 people found' }).waitFor();
  t.equal(await page.getByRole('table').count(), 0);
  t.equal(await page.getByText('No one in your contacts matches this search.').count(), 1);
  t.ok(await sameDocument());
  t.ok(await isFocused(search));
  await audit(t, 'empty search results (htmx)', 'dom');
  await search.fill('');
  await count.filter({ hasText: `${TOTAL} people in your contacts` }).waitFor();
  t.equal((await listed()).length, 25, 'clearing the field shows everyone again');
  t.equal(path(), '/people', 'no leftover "?q=" in the address');
});

t.test('a slow network: the list always ends with the results for the text in the field', async (t) => {
  // The first search's answer takes 3 s: the next letters are typed, and their searches start, while it is on its way.
  const searches = (url: URL) => url.pathname === '/people' && url.searchParams.has('q');
  let pending = 0;
  await page.route(searches, async (route) => {
    if (!route.request().headers()['hx-request']) return route.continue();
    pending++;
    if (new URL(route.request().url()).searchParams.get('q') === 'b') await new Promise((resolve) => setTimeout(resolve, 3000));
    await route.continue().catch(() => {}); // a search the page gave up on is aborted: nothing to continue
    pending--;
  });
  await search.fill('');
  await count.filter({ hasText: `${TOTAL} people in your contacts` }).waitFor();
  const problemsBefore = watch.problems.length;
  // the watcher ignores aborted htmx requests (a replaced search is aborted by design): this test looks for them
  const failed: string[] = [];
  const onFailed = (req: { url(): string; failure(): { errorText: string } | null }) => failed.push(`${req.url().replace(app.baseURL, '')} ${req.failure()?.errorText}`);
  page.on('requestfailed', onFailed);
  const first = page.waitForRequest((req) => new URL(req.url()).searchParams.get('q') === 'b');
  await search.press('b');
  await first;
  for (const letter of 'ez') {
    await search.press(letter);
    await page.waitForTimeout(600); // twice the 300 ms the field waits after the last key
  }
  while (pending > 0) await page.waitForTimeout(50);
  await page.waitForFunction(() => !document.querySelector('.htmx-request'));
  await page.unroute(searches);
  t.equal(await search.inputValue(), 'bez');
  t.equal(await count.textContent(), '0 people found', 'the answer for "bez", not an earlier one');
  t.equal(await page.getByRole('table').count(), 0);
  t.equal(path(), '/people?q=bez');
  page.off('requestfailed', onFailed);
  t.ok(failed.includes('/people?q=b net::ERR_ABORTED'), 'the slow search was dropped');
  t.same(failed.filter((p) => !/^\/people\?q=be? net::ERR_ABORTED$/.test(p)), [], 'no other request failed');
  t.same(watch.problems.splice(problemsBefore), [], 'nothing else went wrong');
});

t.test('pages of a search keep the search', async (t) => {
  await search.fill('zed');
  await count.filter({ hasText: '30 people found' }).waitFor();
  t.equal((await listed()).length, 25);
  const pager = page.getByRole('navigation', { name: 'Pages of people' });
  await navigation(page, () => pager.getByRole('link', { name: 'Next page' }).click());
  t.equal(path(), `/people?q=zed&after=${encodeCursor({ name: 'Zed 24', id: 'zed24' })}`);
  t.same(await listed(), ['Zed 25', 'Zed 26', 'Zed 27', 'Zed 28', 'Zed 29']);
  t.equal(await search.inputValue(), 'zed', 'the field keeps the search');
  t.equal(await count.textContent(), '30 people found');
});

let cleoId = '';
t.test('"New contact": errors with a summary, then the contact is created', async (t) => {
  await page.goto('/people');
  await navigation(page, () => page.getByRole('link', { name: 'New contact' }).click());
  t.equal(path(), '/people/new');
  t.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'New contact');
  await audit(t, 'new contact');
  await page.getByLabel('Email').fill('cleo@');
  const bad = await navigation(page, () => button('Create contact').click());
  t.equal(bad.status, 422);
  const summary = page.getByRole('alert');
  t.ok(await isFocused(summary), 'focus moves to the error summary');
  t.equal(await summary.getByRole('link', { name: 'Enter a name' }).getAttribute('href'), '#name');
  const format = summary.getByRole('link', { name: 'Enter an email address in the correct format, like name@example.com' });
  t.equal(await format.getAttribute('href'), '#email');
  t.equal(await page.getByLabel('Email').inputValue(), 'cleo@', 'what was typed is kept');
  await audit(t, 'new contact with errors');
  await format.click();
  t.ok(await isFocused(page.getByLabel('Email')), 'the summary link leads to the field');

  await page.getByLabel('Name').fill('Another Bea');
  await page.getByLabel('Email').fill('BEA@acme.test');
  t.equal((await navigation(page, () => button('Create contact').click())).status, 422);
  t.match(await description(page.getByLabel('Email')), 'Error: Someone in your contacts already has this email address.', 'emails are unique, whatever the case');
  t.equal(await page.getByLabel('Name').inputValue(), 'Another Bea');
  await audit(t, 'new contact with a taken email');

  await page.getByLabel('Name').fill('Cleo Contact');
  await page.getByLabel('Email').fill('cleo@acme.test');
  t.same(await navigation(page, () => button('Create contact').click()), POSTED_AND_REDIRECTED);
  const [cleo] = await app.db.select().from(persons).where(eq(persons.email, 'cleo@acme.test'));
  cleoId = cleo!.id;
  t.equal(path(), `/people/${cleoId}?notice=contact-created`);
  t.equal(await notice.textContent(), 'Contact created.');
  t.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Cleo Contact');
  t.equal(await statusOnPage(), 'Not invited');
  t.equal(await licenseOnPage(), 'No Access');
  await audit(t, 'person page: not invited');
});

let firstLink = '';
t.test('"Invite" on the person’s page sends the invitation; the person is marked "Invited"', async (t) => {
  const access = page.getByRole('group', { name: 'Access' });
  t.ok(await access.getByRole('radio', { name: 'Inherited by role' }).isChecked(), 'inherited by default');
  await access.getByRole('radio', { name: 'Read all projects' }).check();
  const before = app.outbox.length;
  t.same(await navigation(page, () => button('Invite').click()), POSTED_AND_REDIRECTED);
  t.equal(path(), `/people/${cleoId}?notice=invited`);
  t.equal(await notice.textContent(), 'Invitation sent.');
  t.equal(await statusOnPage(), 'Invited');
  t.match(await page.getByRole('region', { name: 'Invitation' }).textContent(), /Sent on .+ with access “Read all projects”\. The link works until/);
  t.equal(app.outbox.length, before + 1);
  const mail = app.outbox.at(-1)!;
  t.equal(mail.to, 'cleo@acme.test');
  firstLink = new URL(mail.link!).pathname;
  t.match(firstLink, /^\/invite\/[A-Za-z0-9_-]{43}$/);
  t.equal(await button('Invite').count(), 0, 'no second invitation');
  await audit(t, 'person page: invited');
});

t.test('"Resend invitation": a new email, the old link stops working', async (t) => {
  const before = app.outbox.length;
  t.same(await navigation(page, () => button('Resend invitation').click()), POSTED_AND_REDIRECTED);
  t.equal(path(), `/people/${cleoId}?notice=invitation-resent`);
  t.equal(await notice.textContent(), 'Invitation sent again.');
  t.equal(app.outbox.length, before + 1);
  const secondLink = new URL(app.outbox.at(-1)!.link!).pathname;
  t.not(secondLink, firstLink);
  t.equal(await statusOnPage(), 'Invited');
  const rows = await app.db.select().from(invitations).where(eq(invitations.personId, cleoId));
  t.equal(rows.filter((r) => !r.revokedAt && !r.acceptedAt).length, 1, 'one invitation waits');
});

t.test('"Revoke invitation": a plain contact again, who can be invited again', async (t) => {
  t.same(await navigation(page, () => button('Revoke invitation').click()), POSTED_AND_REDIRECTED);
  t.equal(path(), `/people/${cleoId}?notice=invitation-revoked`);
  t.equal(await notice.textContent(), 'Invitation revoked.');
  t.equal(await statusOnPage(), 'Not invited');
  t.equal(await button('Invite').count(), 1);
  t.equal(await button('Resend invitation').count(), 0);
  t.equal((await app.db.select().from(persons).where(eq(persons.id, cleoId)))[0]!.invitationState, 'none');
  await audit(t, 'person page: invitation revoked');
});

t.test('a person’s page when the invitation has run out, and once it was accepted', async (t) => {
  await navigation(page, () => button('Invite').click());
  await app.db.update(invitations).set({ expiresAt: new Date(Date.now() - 60_000) }).where(eq(invitations.personId, cleoId));
  await page.goto(`/people/${cleoId}`);
  t.match(await page.getByRole('region', { name: 'Invitation' }).textContent(), /The link expired on .+: send it again so they can accept\./);
  t.equal(await button('Resend invitation').count(), 1);
  await audit(t, 'person page: invitation expired');
  await page.goto('/people?q=bea%40');
  await navigation(page, () => page.getByRole('link', { name: 'Bea Baker' }).click());
  t.equal(await statusOnPage(), 'Has access');
  t.equal(await licenseOnPage(), 'Read & Write');
  t.match(await page.getByRole('region', { name: 'Invitation' }).textContent(), 'Bea Baker has accepted an invitation and can sign in.');
  await audit(t, 'person page: has access');
});

t.test('"Delete person" asks first; Cancel goes back', async (t) => {
  await navigation(page, () => page.getByRole('link', { name: 'Delete person' }).click());
  t.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Delete Bea Baker?');
  await audit(t, 'delete confirmation');
  await navigation(page, () => page.getByRole('link', { name: 'Cancel' }).click());
  t.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Bea Baker');
  t.equal((await app.db.select().from(persons).where(eq(persons.email, 'bea@acme.test'))).length, 1, 'nothing deleted');
});

t.test('every page is valid HTML (Nu Html Checker)', async (t) => {
  t.equal(documents.length, 14, 'every page and state above was collected');
  t.same(await htmlErrors(documents), []);
});

t.test('no script errors, CSP refusals or missing assets', async (t) => {
  t.same(watch.problems, []);
});
