// History (/settings/history) in a real browser with JavaScript: reached from the navigation, the filter narrows
// the results as you type (htmx: no page load, focus kept, the address in step, the count announced), by kind and
// by dates; a bad date range shows the error summary and the message next to the field; "Older"/"Newer" pages;
// "Export CSV" downloads the filtered history. axe on every state (empty, filtered, error), the Nu Html Checker
// over every page.
import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import t from 'tap';
import { signUp } from '../helpers/agent.js';
import { ADMIN, htmlErrors, isFocused, launchBrowser, navigation, openAuditedPage, signInWith, startApp } from '../helpers/browser.js';
import { insertHistoryFixture } from '../helpers/history-fixture.js';

const [browser, app] = await Promise.all([launchBrowser(t), startApp(t)]);
const admin = await signUp(app.app, { readWriteLicenses: '5' });
await app.db.execute(sql`delete from history_entries`);

const { page, watch, documents, audit } = await openAuditedPage(browser, app.baseURL);
const status = page.locator('#history-status');
const personField = page.getByLabel('Person');
const kind = page.getByLabel('Kind of change');
const path = () => new URL(page.url()).pathname + new URL(page.url()).search;
const whats = () => page.getByRole('table').locator('tbody tr td:nth-child(3)').allTextContents();
const subjects = () => page.getByRole('table').locator('tbody tr td:nth-child(4)').allTextContents();

async function markDocument() {
  await page.evaluate(() => ((window as unknown as { accordMark: boolean }).accordMark = true));
  return () => page.evaluate(() => (window as unknown as { accordMark?: boolean }).accordMark === true);
}

t.test('an empty history, reached from the main navigation', async (t) => {
  await page.goto('/login');
  await signInWith(page, ADMIN.email, ADMIN.password);
  await navigation(page, () => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'History' }).click());
  t.equal(path(), '/settings/history');
  t.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'History');
  t.equal(await status.textContent(), 'There are no changes in the history yet.');
  t.equal(await page.getByRole('table').count(), 0);
  await audit(t, 'empty history');
});

t.test('the history, newest first, with a caption and column headers', async (t) => {
  await insertHistoryFixture(app.db, admin);
  await page.reload();
  const table = page.getByRole('table', { name: 'Changes, newest first' });
  t.equal(await table.count(), 1, 'the table is named by its caption');
  t.same(await table.getByRole('columnheader').allTextContents(), ['When', 'Who', 'What', 'Subject', 'Before', 'After']);
  t.same((await whats()).slice(0, 3), ['Administrator rights changed', 'License changed', 'License changed']);
  t.match(await table.locator('time').first().getAttribute('datetime'), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  t.equal(await status.textContent(), '25 changes on this page, newest first.');
  await audit(t, 'history, newest page');
});

t.test('filter by person as you type: no page load, focus kept, the address and the status follow', async (t) => {
  const sameDocument = await markDocument();
  await personField.pressSequentially('bea', { delay: 40 });
  await status.filter({ hasText: '2 changes matching the filter' }).waitFor();
  t.same(await subjects(), ['Bea Baker', 'Bea Baker']);
  t.ok(await sameDocument(), 'no page load');
  t.ok(await isFocused(personField), 'focus stays in the field');
  t.equal(path(), '/settings/history?person=bea', 'the address shows the filter');
  t.equal(await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href'), '/settings/history/export?person=bea', 'the export follows the filter');
  await audit(t, 'filtered by person (htmx)', 'dom');
  await page.reload();
  t.same(await subjects(), ['Bea Baker', 'Bea Baker'], 'the address reloads the same filter');
  t.equal(await personField.inputValue(), 'bea');
  await audit(t, 'filtered by person (page)');
});

t.test('filter by kind: the results change when a kind is chosen', async (t) => {
  await personField.fill('');
  await status.filter({ hasText: '25 changes on this page' }).waitFor();
  const sameDocument = await markDocument();
  await kind.selectOption({ label: 'License changed' });
  await status.filter({ hasText: '2 changes matching the filter' }).waitFor();
  t.same(await whats(), ['License changed', 'License changed']);
  t.equal(path(), '/settings/history?kind=person.license');
  t.ok(await sameDocument());
  await kind.selectOption({ label: 'Invitation sent' });
  await status.filter({ hasText: 'No changes match this filter.' }).waitFor();
  t.equal(await page.getByRole('table').count(), 0);
  await audit(t, 'no matches (htmx)', 'dom');
  await kind.selectOption({ label: 'All changes' });
  await status.filter({ hasText: '25 changes on this page' }).waitFor();
  t.equal(path(), '/settings/history', 'no empty parameters left in the address');
});

t.test('dates: a range ending before it starts is refused next to the field and in the error summary', async (t) => {
  await page.getByLabel('From', { exact: true }).fill('2000-01-02');
  await status.filter({ hasText: '25 changes matching the filter' }).waitFor();
  await page.getByLabel('To', { exact: true }).fill('2000-01-01');
  const summary = page.locator('#error-summary-slot .error-summary');
  await summary.waitFor();
  t.match(await summary.textContent(), 'The end date must be the same as or after the start date');
  t.match(await page.locator('#to-error-slot').textContent(), 'The end date must be the same as or after the start date', 'next to the field');
  t.ok(await page.getByRole('table').count(), 'the results stay as they were');
  await audit(t, 'date error (htmx)', 'dom');
  await page.getByLabel('To', { exact: true }).fill('2999-12-31');
  await summary.waitFor({ state: 'detached' });
  t.equal((await page.locator('#to-error-slot').textContent())!.trim(), '', 'the message goes once corrected');
  await page.getByLabel('From', { exact: true }).fill('');
  await page.getByLabel('To', { exact: true }).fill('');
  await status.filter({ hasText: '25 changes on this page' }).waitFor();
});

t.test('"Older" and "Newer" pages', async (t) => {
  const pager = page.getByRole('navigation', { name: 'Pages of the history' });
  t.equal(await pager.getByRole('link', { name: 'Newer' }).count(), 0, 'nothing newer on the newest page');
  await navigation(page, () => pager.getByRole('link', { name: 'Older' }).click());
  t.match(path(), /^\/settings\/history\?older=\d+-\d+$/);
  t.equal(await status.textContent(), '13 changes on this page, newest first.');
  await audit(t, 'history, older page');
  await navigation(page, () => pager.getByRole('link', { name: 'Newer' }).click());
  t.equal(await status.textContent(), '25 changes on this page, newest first.');
});

t.test('"Export CSV" downloads the filtered history', async (t) => {
  await personField.fill('bea');
  await status.filter({ hasText: '2 changes matching the filter' }).waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export CSV' }).click()]);
  t.match(download.suggestedFilename(), /^accord-history-\d{4}-\d\d-\d\d\.csv$/);
  const csv = fs.readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '');
  const lines = csv.split('\r\n');
  t.equal(lines[0], 'When (UTC),Who,What,Subject,Before,After');
  t.equal(lines.length, 4, 'header, two entries, and the final line end');
  t.match(lines[1], ',Ada Admin,Administrator rights changed,Bea Baker,Administrator: Off,Administrator: On');
});

t.test('every page is valid HTML (Nu Html Checker)', async (t) => {
  t.equal(documents.length, 7, 'every page and state above was collected');
  t.same(await htmlErrors(documents), []);
});

t.test('no script errors, CSP refusals or missing assets', async (t) => {
  // a download is a navigation Chromium hands to its download manager: the page's own request is "aborted"
  const download = /request failed: \S+\/settings\/history\/export\S* net::ERR_ABORTED/;
  t.same(watch.problems.filter((p) => !download.test(p)), []);
});
