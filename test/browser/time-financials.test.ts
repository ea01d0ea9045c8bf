// Time tracking and Financials in a real browser, with and without JavaScript: a time entry for a day before today
// refused, then added once "Allow backdating in times" is granted; time for someone else; an entry changed and
// deleted; a budget refused, set and removed; a reader sees the pages without forms. axe on every page and state
// with JavaScript; the Nu Html Checker over every page.
import { and, eq } from 'drizzle-orm';
import t from 'tap';
import { newId } from '../../src/crypto.js';
import type { Db } from '../../src/db/client.js';
import { accounts, persons, projectRoles, projects, rolePermissions, timeEntries } from '../../src/db/schema.js';
import type { PermissionKey } from '../../src/permissions/catalog.js';
import type { RoleKey } from '../../src/permissions/roles.js';
import { setClock } from '../../src/web/clock.js';
import { signUp } from '../helpers/agent.js';
import { ADMIN, type HtmlDocument, htmlErrors, isFocused, launchBrowser, navigation, openAuditedPage, openTab, POSTED_AND_REDIRECTED, signInWith, startApp } from '../helpers/browser.js';
import { insertPerson } from '../helpers/factories.js';

// the app runs in this process: its day is 15 June 2025, so "yesterday" is 14 June whenever the test runs
setClock(() => new Date('2025-06-15T12:00:00Z'));
t.teardown(() => setClock());
const BACKDATING = 'You can’t enter time for a day before today: that needs the permission “Allow backdating in times”.';
const PASSWORD = 'a long enough password';

const [browser, app] = await Promise.all([launchBrowser(t), startApp(t)]);
await signUp(app.app, { readWriteLicenses: '5' });
const db = app.db;
const [account] = await db.select().from(accounts);
const [ada] = await db.select().from(persons);
const project = newId();
await db.insert(projects).values({ id: project, accountId: account!.id, name: 'Apollo' });
const assign = (personId: string, roleKey: RoleKey) => db.insert(projectRoles).values({ accountId: account!.id, projectId: project, roleKey, personId });
async function setRolePermissions(d: Db, roleKey: RoleKey, permissions: PermissionKey[]) {
  await d.delete(rolePermissions).where(and(eq(rolePermissions.accountId, account!.id), eq(rolePermissions.roleKey, roleKey)));
  await d.insert(rolePermissions).values(permissions.map((permission) => ({ accountId: account!.id, roleKey, permission })));
}
const MANAGERS: PermissionKey[] = ['project.read', 'time.read', 'time.editOwn', 'time.edit', 'financials.read', 'financials.edit'];
await setRolePermissions(db, 'managers', MANAGERS);
await setRolePermissions(db, 'team', ['project.read', 'time.editOwn']);
await setRolePermissions(db, 'additional', ['project.read', 'time.read', 'financials.read']);
await assign(ada!.id, 'managers');
const tom = await insertPerson(db, { name: 'Tom Team', email: 'tom@acme.test', license: 'read_write', password: PASSWORD });
await assign(tom.id, 'team');
const rae = await insertPerson(db, { name: 'Rae Reader', email: 'rae@acme.test', license: 'read_write', password: PASSWORD });
await assign(rae.id, 'additional');
const TIME = `/projects/${project}/time`;
const FINANCIALS = `/projects/${project}/financials`;
const entries = async () => (await db.select().from(timeEntries).orderBy(timeEntries.id)).map((e) => `${e.personId === tom.id ? 'Tom' : 'Ada'} ${e.workedOn} ${e.hours}`);

const { page, documents, audit } = await openAuditedPage(browser, app.baseURL);
const status = page.locator('#live-status');

t.test('with JavaScript: backdated time refused, then added once granted; time for someone else', async (t) => {
  await page.goto('/login');
  await signInWith(page, ADMIN.email, ADMIN.password);
  await page.goto(`/projects/${project}`);
  await navigation(page, () => page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'Time tracking' }).click());
  t.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Time tracking: Apollo');
  t.equal(await page.getByLabel('Date', { exact: true }).inputValue(), '2025-06-15', 'today to start with');
  t.ok(await page.getByText('No time has been entered in this project yet.').isVisible());
  await audit(t, 'time: empty, editor');

  await page.evaluate(() => ((window as unknown as { mark: boolean }).mark = true));
  await page.getByLabel('Date', { exact: true }).fill('2025-06-14');
  await page.getByLabel('Hours').fill('2');
  await page.getByRole('button', { name: 'Add time' }).click();
  await page.getByRole('alert').getByRole('link', { name: BACKDATING }).waitFor();
  t.equal(await page.getByLabel('Date', { exact: true }).getAttribute('aria-invalid'), 'true');
  t.match(await page.locator('#date-error').textContent(), BACKDATING, 'the message next to Date');
  t.same(await entries(), [], 'nothing saved');
  await audit(t, 'time: backdating refused', 'dom');

  await setRolePermissions(db, 'managers', [...MANAGERS, 'time.backdate']);
  await page.getByRole('button', { name: 'Add time' }).click();
  await status.filter({ hasText: 'Saved. 2 hours on 14 June 2025 added for you.' }).waitFor();
  t.equal(await page.getByRole('alert').count(), 0, 'the error summary is gone');
  t.ok(await isFocused(page.getByRole('button', { name: 'Add time' })), 'focus stays on the button');
  t.equal(await page.getByLabel('Hours').inputValue(), '', 'the form starts again');
  t.match(await page.getByRole('table', { name: 'Time entries, newest first' }).innerText(), /14 June 2025\s+2\s+Ada Admin/);
  t.same(await entries(), ['Ada 2025-06-14 2.00']);

  await page.getByLabel('Hours').fill('1.25');
  await page.getByLabel('Person').selectOption({ label: 'Tom Team' });
  await page.getByRole('button', { name: 'Add time' }).click();
  await status.filter({ hasText: 'Saved. 1.25 hours on 15 June 2025 added for Tom Team.' }).waitFor();
  t.match(await page.getByRole('table', { name: 'Time entries, newest first' }).innerText(), /15 June 2025\s+1\.25\s+Tom Team[\s\S]*Total on this page\s+3\.25/);
  t.ok(await page.evaluate(() => (window as unknown as { mark?: boolean }).mark), 'no page load');
  await audit(t, 'time: two entries', 'dom');
});

t.test('with JavaScript: change an entry and delete one', async (t) => {
  await navigation(page, () => page.getByRole('link', { name: 'Edit 15 June 2025, 1.25 hours, Tom Team' }).click());
  t.equal(await page.getByRole('heading', { level: 2, name: 'Change the time entry of 15 June 2025' }).count(), 1);
  await audit(t, 'time: edit page');
  await page.getByLabel('Hours').fill('24.5');
  t.equal((await navigation(page, () => page.getByRole('button', { name: 'Save time entry' }).click())).status, 422);
  t.ok(await page.getByRole('link', { name: 'Hours must be 24 or fewer' }).isVisible());
  await audit(t, 'time: edit refused');
  await page.getByLabel('Hours').fill('3');
  t.same(await navigation(page, () => page.getByRole('button', { name: 'Save time entry' }).click()), POSTED_AND_REDIRECTED);
  t.equal(await status.textContent(), 'Saved. The time entry is changed.');
  await audit(t, 'time: changed');

  await navigation(page, () => page.getByRole('link', { name: 'Delete 14 June 2025, 2 hours, Ada Admin' }).click());
  t.ok(await page.getByText('2 hours by Ada Admin on 14 June 2025. This can’t be undone.').isVisible());
  await audit(t, 'time: delete confirmation');
  t.same(await navigation(page, () => page.getByRole('button', { name: 'Delete time entry' }).click()), POSTED_AND_REDIRECTED);
  t.equal(await status.textContent(), 'The time entry is deleted.');
  t.same(await entries(), ['Tom 2025-06-15 3.00']);
  await audit(t, 'time: deleted');
});

t.test('with JavaScript: a budget refused, set and removed', async (t) => {
  await navigation(page, () => page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'Financials' }).click());
  t.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Financials: Apollo');
  t.equal(await page.locator('#budget-now').textContent(), 'No budget set.');
  await audit(t, 'financials: no budget');

  const amount = page.getByRole('textbox', { name: 'Budget' });
  await amount.fill('12.345');
  await page.getByRole('button', { name: 'Save budget' }).click();
  await page.getByRole('alert').getByRole('link', { name: 'The budget can have at most 2 decimals, for example 25000.50' }).waitFor();
  t.equal(await amount.getAttribute('aria-invalid'), 'true');
  await audit(t, 'financials: refused', 'dom');

  await amount.fill('25000.50');
  await page.getByLabel('Currency').selectOption({ label: 'USD – US Dollar' });
  await page.getByRole('button', { name: 'Save budget' }).click();
  await status.filter({ hasText: 'Saved. The budget is USD 25,000.50.' }).waitFor();
  t.equal(await page.locator('#budget-now').textContent(), 'The project’s budget is USD 25,000.50.');
  t.equal(await page.getByRole('alert').count(), 0, 'the error summary is gone');
  t.ok(await isFocused(page.getByRole('button', { name: 'Save budget' })), 'focus stays on the button');
  await audit(t, 'financials: budget set', 'dom');

  await page.getByRole('button', { name: 'Remove budget' }).click();
  await status.filter({ hasText: 'Saved. The project has no budget now.' }).waitFor();
  t.equal(await page.locator('#budget-now').textContent(), 'No budget set.');
  t.ok(await isFocused(page.locator('#budget-now')), 'focus on the budget’s line');
  await audit(t, 'financials: budget removed', 'dom');
  const [row] = await db.select().from(projects).where(eq(projects.id, project));
  t.same([row!.budgetAmount, row!.budgetCurrency], [null, null]);
});

const plainDocuments: HtmlDocument[] = [];

t.test('without JavaScript: backdated time refused, then added once granted; an entry changed; a budget set', async (t) => {
  const { context, page: plain } = await openTab(browser, app.baseURL, { javaScript: false });
  t.teardown(() => context.close());
  await plain.goto('/login');
  await signInWith(plain, 'tom@acme.test', PASSWORD);
  await plain.goto(TIME);
  t.equal(await plain.getByLabel('Person').count(), 0, 'own time only: no Person');
  await plain.getByLabel('Date', { exact: true }).fill('2025-06-14');
  await plain.getByLabel('Hours').fill('1.5');
  t.equal((await navigation(plain, () => plain.getByRole('button', { name: 'Add time' }).click())).status, 422);
  t.ok(await plain.getByRole('link', { name: BACKDATING }).isVisible());
  t.equal(await plain.getByLabel('Date', { exact: true }).inputValue(), '2025-06-14', 'the date kept');
  plainDocuments.push({ name: 'time without JavaScript: backdating refused', html: await plain.content() });
  t.same(await entries(), ['Tom 2025-06-15 3.00'], 'nothing saved');

  await setRolePermissions(db, 'team', ['project.read', 'time.editOwn', 'time.backdate']);
  t.same(await navigation(plain, () => plain.getByRole('button', { name: 'Add time' }).click()), POSTED_AND_REDIRECTED);
  t.equal(await plain.locator('#live-status').textContent(), 'Saved. The time entry is added.');
  t.match(await plain.getByRole('table', { name: 'Time entries, newest first' }).innerText(), /14 June 2025\s+1\.5\s+Tom Team/);
  plainDocuments.push({ name: 'time without JavaScript: added', html: await plain.content() });

  await navigation(plain, () => plain.getByRole('link', { name: 'Edit 14 June 2025, 1.5 hours, Tom Team' }).click());
  await plain.getByLabel('Date', { exact: true }).fill('2025-06-16');
  t.same(await navigation(plain, () => plain.getByRole('button', { name: 'Save time entry' }).click()), POSTED_AND_REDIRECTED);
  t.equal(await plain.locator('#live-status').textContent(), 'Saved. The time entry is changed.');
  t.same(await entries(), ['Tom 2025-06-15 3.00', 'Tom 2025-06-16 1.50']);

  const admin = await openTab(browser, app.baseURL, { javaScript: false });
  t.teardown(() => admin.context.close());
  await admin.page.goto('/login');
  await signInWith(admin.page, ADMIN.email, ADMIN.password);
  await admin.page.goto(FINANCIALS);
  await admin.page.getByRole('textbox', { name: 'Budget' }).fill('1,000');
  t.same(await navigation(admin.page, () => admin.page.getByRole('button', { name: 'Save budget' }).click()), POSTED_AND_REDIRECTED);
  t.equal(await admin.page.locator('#live-status').textContent(), 'Saved. The budget is changed.');
  t.equal(await admin.page.locator('#budget-now').textContent(), 'The project’s budget is EUR 1,000.00.');
  plainDocuments.push({ name: 'financials without JavaScript: budget set', html: await admin.page.content() });
  t.same(await navigation(admin.page, () => admin.page.getByRole('button', { name: 'Remove budget' }).click()), POSTED_AND_REDIRECTED);
  t.equal(await admin.page.locator('#live-status').textContent(), 'Saved. The project has no budget now.');
});

t.test('a reader: both pages without forms', async (t) => {
  await db.update(projects).set({ budgetAmount: '750.00', budgetCurrency: 'GBP' }).where(eq(projects.id, project));
  const reader = await openAuditedPage(browser, app.baseURL);
  t.teardown(() => reader.context.close());
  await reader.page.goto('/login');
  await signInWith(reader.page, 'rae@acme.test', PASSWORD);
  await reader.page.goto(TIME);
  t.equal(await reader.page.getByRole('button').filter({ hasText: /Add time/ }).count(), 0, 'no form');
  t.equal(await reader.page.getByRole('link', { name: /^(Edit|Delete) / }).count(), 0, 'no links');
  t.match(await reader.page.getByRole('table', { name: 'Time entries, newest first' }).innerText(), /Tom Team/);
  await reader.audit(t, 'time: reader');
  await reader.page.goto(FINANCIALS);
  t.equal(await reader.page.locator('#budget-now').textContent(), 'The project’s budget is GBP 750.00.');
  t.equal(await reader.page.getByRole('button', { name: /budget/ }).count(), 0, 'no form');
  await reader.audit(t, 'financials: reader');
  // the edit page of someone else's entry, for a reader: 403, with the reason
  const [entry] = await db.select().from(timeEntries).limit(1);
  const refused = await reader.page.goto(`${TIME}/${entry!.id}/edit`);
  t.equal(refused!.status(), 403);
  t.ok(await reader.page.getByText('This change needs the permission “Edit all time entries” in this project.').isVisible());
  await reader.audit(t, 'time: an entry a reader may not change');
  documents.push(...reader.documents);
});

t.test('the Nu Html Checker finds no error on any page', async (t) => {
  t.same(await htmlErrors([...documents, ...plainDocuments]), []);
});
