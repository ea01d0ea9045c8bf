// History (/settings/history) with JavaScript turned off: the filter is a GET form with a "Filter" button, a bad
// date range answers 422 with the error summary and the message next to the field, "Older"/"Newer" are links and
// "Export CSV" downloads. Behaviour here (axe needs scripts: it runs in the JS file); the Nu Html Checker over every
// page as served.
import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import t from 'tap';
import { signUp } from '../helpers/agent.js';
import { ADMIN, htmlErrors, launchBrowser, navigation, openTab, signInWith, startApp, type HtmlDocument } from '../helpers/browser.js';
import { insertHistoryFixture } from '../helpers/history-fixture.js';

const [browser, app] = await Promise.all([launchBrowser(t), startApp(t)]);
const admin = await signUp(app.app, { readWriteLicenses: '5' });
await app.db.execute(sql`delete from history_entries`);

const { page, watch } = await openTab(browser, app.baseURL, { javaScript: false });
const documents: HtmlDocument[] = [];
const keep = async (name: string) => void documents.push({ name, html: await watch.documentHtml() });
const status = page.locator('#history-status');
const path = () => new URL(page.url()).pathname + new URL(page.url()).search;
const subjects = () => page.getByRole('table').locator('tbody tr td:nth-child(4)').allTextContents();
const filter = () => navigation(page, () => page.getByRole('button', { name: 'Filter', exact: true }).click());

t.test('an empty history', async (t) => {
  await page.goto('/login');
  await signInWith(page, ADMIN.email, ADMIN.password);
  await navigation(page, () => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'History' }).click());
  t.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'History');
  t.equal(await status.textContent(), 'There are no changes in the history yet.');
  await keep('empty history');
});

t.test('the filter is a GET form: person, kind and dates by submitting it', async (t) => {
  await insertHistoryFixture(app.db, admin);
  await page.reload();
  t.equal(await status.textContent(), '25 changes on this page, newest first.');
  await keep('history');
  await page.getByLabel('Person').fill('bea');
  t.same(await filter(), { status: 200, redirectStatus: undefined, method: 'GET' });
  t.equal(path(), '/settings/history?person=bea&kind=&from=&to=');
  t.same(await subjects(), ['Bea Baker', 'Bea Baker']);
  t.equal(await page.getByLabel('Person').inputValue(), 'bea', 'the field keeps the filter');
  await keep('filtered by person');
  await page.getByLabel('Person').fill('');
  await page.getByLabel('Kind of change').selectOption({ label: 'License changed' });
  await filter();
  t.same(await subjects(), ['Bea Baker', 'Cy Clark']);
  t.equal(await status.textContent(), '2 changes matching the filter on this page, newest first.');
  await page.getByLabel('Kind of change').selectOption({ label: 'All changes' });
  await page.getByLabel('From', { exact: true }).fill('2000-01-01');
  await page.getByLabel('To', { exact: true }).fill('2000-12-31');
  await filter();
  t.equal(await status.textContent(), 'No changes match this filter.');
  t.equal(await page.getByRole('link', { name: 'Show all changes' }).count(), 1);
  await keep('no matches');
});

t.test('a range ending before it starts: 422, the error summary and the message next to the field', async (t) => {
  await page.getByLabel('From', { exact: true }).fill('2030-02-02');
  await page.getByLabel('To', { exact: true }).fill('2030-02-01');
  t.equal((await filter()).status, 422);
  t.match(await page.title(), /^Error: History/);
  const summary = page.getByRole('alert');
  t.match(await summary.textContent(), 'The end date must be the same as or after the start date');
  await keep('date error');
  await navigation(page, () => summary.getByRole('link').click()).catch(() => {}); // a same-page link: no load
  t.equal(new URL(page.url()).hash, '#to', 'the summary links to the field');
  t.match(await page.locator('#to-error').textContent(), 'The end date must be the same as or after the start date');
  t.equal(await page.getByLabel('To', { exact: true }).getAttribute('aria-invalid'), 'true');
  t.equal(await page.getByText('Correct the filter to see the history.').count(), 1);
  await page.getByLabel('From', { exact: true }).fill('');
  await page.getByLabel('To', { exact: true }).fill('');
  await filter();
  t.equal(await status.textContent(), '25 changes on this page, newest first.');
});

t.test('"Older" and "Newer" links', async (t) => {
  const pager = page.getByRole('navigation', { name: 'Pages of the history' });
  await navigation(page, () => pager.getByRole('link', { name: 'Older' }).click());
  t.match(path(), /older=\d+-\d+$/);
  t.equal(await status.textContent(), '13 changes on this page, newest first.');
  await keep('older page');
  await navigation(page, () => pager.getByRole('link', { name: 'Newer' }).click());
  t.equal(await status.textContent(), '25 changes on this page, newest first.');
});

t.test('"Export CSV" downloads without JavaScript', async (t) => {
  await page.getByLabel('Kind of change').selectOption({ label: 'License changed' });
  await filter();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export CSV' }).click()]);
  t.match(download.suggestedFilename(), /^accord-history-\d{4}-\d\d-\d\d\.csv$/);
  const lines = fs.readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '').split('\r\n');
  t.equal(lines.length, 4, 'header, the two license changes, the final line end');
  t.match(lines[1], ',Ada Admin,License changed,Bea Baker,License: Read-Only,License: Read & Write');
});

t.test('every page is valid HTML (Nu Html Checker)', async (t) => {
  t.equal(documents.length, 6, 'every page above was collected');
  t.same(await htmlErrors(documents), []);
});

t.test('no missing assets or failed requests', async (t) => {
  const download = /request failed: \S+\/settings\/history\/export\S* net::ERR_ABORTED/;
  t.same(watch.problems.filter((p) => !download.test(p)), []);
});
