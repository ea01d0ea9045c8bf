// Projects in a real browser, with and without JavaScript: the list (empty, then with projects; search as you type),
// "New project" with an error and then created, the project page with its section navigation and a section page.
// axe on every state with JavaScript; the Nu Html Checker over every page.
import { eq } from 'drizzle-orm';
import t from 'tap';
import { newId } from '../../src/crypto.js';
import { accounts, divisions } from '../../src/db/schema.js';
import { signUp } from '../helpers/agent.js';
import { ADMIN, htmlErrors, launchBrowser, navigation, openAuditedPage, openTab, POSTED_AND_REDIRECTED, signInWith, startApp } from '../helpers/browser.js';

const [browser, app] = await Promise.all([launchBrowser(t), startApp(t)]);
await signUp(app.app, { readWriteLicenses: '5', edition: 'enterprise' });
const [account] = await app.db.select().from(accounts);
await app.db.update(accounts).set({ edition: 'enterprise' }).where(eq(accounts.id, account!.id));
await app.db.insert(divisions).values({ id: newId(), accountId: account!.id, name: 'Sales' });

const SECTION_NAMES = ['Comments', 'Lists', 'Mind maps', 'Tasks', 'Planning', 'Time tracking', 'Documents', 'Financials', 'Manage'];
const { page, documents, audit } = await openAuditedPage(browser, app.baseURL);
const path = () => new URL(page.url()).pathname + new URL(page.url()).search;

t.test('with JavaScript: an empty list, a form error, a new project, its page and a section', async (t) => {
  await page.goto('/login');
  await signInWith(page, ADMIN.email, ADMIN.password);
  await navigation(page, () => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Projects' }).click());
  t.equal(path(), '/projects');
  t.ok(await page.getByText('There are no projects you can see yet.').isVisible());
  await audit(t, 'projects, empty');

  await navigation(page, () => page.getByRole('link', { name: 'New project' }).click());
  t.ok(await page.getByLabel('Division (optional)').isVisible(), 'Enterprise: the division select');
  const res = await navigation(page, () => page.getByRole('button', { name: 'Create project' }).click());
  t.equal(res.status, 422);
  t.ok(await page.getByRole('link', { name: 'Enter a project name' }).isVisible(), 'the error summary');
  t.equal(await page.getByLabel('Project name').getAttribute('aria-invalid'), 'true');
  await audit(t, 'new project with an error');

  await page.getByLabel('Project name').fill('Apollo');
  await page.getByLabel('Division (optional)').selectOption({ label: 'Sales' });
  t.same(await navigation(page, () => page.getByRole('button', { name: 'Create project' }).click()), POSTED_AND_REDIRECTED);
  t.equal(await page.locator('#live-status').textContent(), 'Project created. You are its manager.');
  t.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Apollo');
  const nav = page.getByRole('navigation', { name: 'Project' });
  t.same(await nav.getByRole('link').allTextContents(), SECTION_NAMES, 'the creator manages it and reads every section');
  await audit(t, 'project page');

  await navigation(page, () => nav.getByRole('link', { name: 'Tasks' }).click());
  t.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Tasks: Apollo');
  t.equal(await nav.getByRole('link', { name: 'Tasks' }).getAttribute('aria-current'), 'page');
  await audit(t, 'section page');

  await page.goto('/projects');
  t.same(await page.getByRole('table').getByRole('link').allTextContents(), ['Apollo']);
  await audit(t, 'projects with a project');
  await page.getByLabel('Search by project name').fill('zzz');
  await page.waitForURL('**/projects?q=zzz');
  await page.getByText('No project you can see matches this search.').waitFor();
  t.equal(await page.locator('#projects-count').textContent(), '0 projects found', 'search as you type');
  await page.getByLabel('Search by project name').fill('apo');
  await page.waitForURL('**/projects?q=apo');
  await page.getByRole('table').getByRole('link', { name: 'Apollo' }).waitFor();
  await audit(t, 'projects, searched', 'dom');
});

t.test('without JavaScript: create a project, see its page and search the list', async (t) => {
  const { context, page: plain } = await openTab(browser, app.baseURL, { javaScript: false });
  t.teardown(() => context.close());
  await plain.goto('/login');
  await signInWith(plain, ADMIN.email, ADMIN.password);
  await plain.goto('/projects/new');
  await plain.getByLabel('Project name').fill('x'.repeat(121));
  t.equal((await navigation(plain, () => plain.getByRole('button', { name: 'Create project' }).click())).status, 422);
  t.ok(await plain.getByRole('link', { name: 'Project name must be 120 characters or fewer' }).isVisible());
  await plain.getByLabel('Project name').fill('Hermes');
  t.same(await navigation(plain, () => plain.getByRole('button', { name: 'Create project' }).click()), POSTED_AND_REDIRECTED);
  t.equal(await plain.locator('#live-status').textContent(), 'Project created. You are its manager.');
  const nav = plain.getByRole('navigation', { name: 'Project' });
  t.same(await nav.getByRole('link').allTextContents(), SECTION_NAMES);
  await navigation(plain, () => nav.getByRole('link', { name: 'Time tracking' }).click());
  t.equal(await plain.getByRole('heading', { level: 1 }).textContent(), 'Time tracking: Hermes');
  await plain.goto('/projects');
  await plain.getByLabel('Search by project name').fill('her');
  await navigation(plain, () => plain.getByRole('button', { name: 'Search', exact: true }).click());
  t.equal(new URL(plain.url()).search, '?q=her');
  t.same(await plain.getByRole('table').getByRole('link').allTextContents(), ['Hermes']);
});

t.test('the Nu Html Checker finds no error on any page', async (t) => {
  t.same(await htmlErrors(documents), []);
});
