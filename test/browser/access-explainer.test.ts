// The access explainer in a real browser, with and without JavaScript: from a person's page to a project, the
// verdicts and the grants of every level behind them; axe on every state and the Nu Html Checker over every page.
import { eq } from 'drizzle-orm';
import t from 'tap';
import { newId } from '../../src/crypto.js';
import { accounts, divisionGrants, divisions, globalGrants, groupMembers, projectRoles, projects, userGroups } from '../../src/db/schema.js';
import { signUp } from '../helpers/agent.js';
import { ADMIN, htmlErrors, launchBrowser, navigation, openAuditedPage, openTab, signInWith, startApp } from '../helpers/browser.js';
import { insertPerson } from '../helpers/factories.js';

const [browser, app] = await Promise.all([launchBrowser(t), startApp(t)]);
await signUp(app.app, { readWriteLicenses: '5', edition: 'enterprise_plus' });
const db = app.db;
const [account] = await db.select().from(accounts);
await db.update(accounts).set({ edition: 'enterprise_plus' }).where(eq(accounts.id, account!.id));
const bo = await insertPerson(db, { name: 'Bo Brown', email: 'bo@acme.test', license: 'read_only' });
const sales = newId();
await db.insert(divisions).values({ id: sales, accountId: account!.id, name: 'Sales' });
const designers = newId();
await db.insert(userGroups).values({ id: designers, accountId: account!.id, name: 'Designers' });
await db.insert(groupMembers).values({ accountId: account!.id, groupId: designers, personId: bo.id });
const apollo = newId();
await db.insert(projects).values({ id: apollo, accountId: account!.id, name: 'Apollo', divisionId: sales });
await db.insert(projects).values({ id: newId(), accountId: account!.id, name: 'Zeus' });
await db.insert(projectRoles).values({ accountId: account!.id, projectId: apollo, roleKey: 'team', groupId: designers });
await db.insert(globalGrants).values({ accountId: account!.id, personId: bo.id, permission: 'documents.read' });
await db.insert(divisionGrants).values({ accountId: account!.id, personId: bo.id, divisionId: sales, permission: 'time.read' });

const { page, documents, audit } = await openAuditedPage(browser, app.baseURL);
const row = (label: string) => page.getByRole('row', { name: new RegExp(`^${label}\\b`) });

t.test('with JavaScript: from the person page to a project, then every level of grant is shown', async (t) => {
  await page.goto('/login');
  await signInWith(page, ADMIN.email, ADMIN.password);
  await page.goto(`/people/${bo.id}`);
  await navigation(page, () => page.getByRole('link', { name: 'Explain Bo Brown’s access in a project' }).click());
  t.equal(await page.getByRole('heading', { level: 1 }).count(), 1);
  t.equal(await page.getByRole('navigation', { name: 'User management' }).getByRole('link', { name: 'Access explainer' }).getAttribute('aria-current'), 'page');
  await audit(t, 'explainer: pick a project');
  await page.getByLabel('Search projects by name').fill('apo');
  await navigation(page, () => page.getByRole('button', { name: 'Search', exact: true }).click());
  t.equal(await page.getByRole('list', { name: 'Projects' }).getByRole('link').count(), 1, 'the search narrows the list');
  await navigation(page, () => page.getByRole('link', { name: 'Apollo' }).click());
  t.ok(await page.getByRole('table', { name: 'Reading permissions' }).isVisible());
  t.ok(await page.getByRole('table', { name: 'Editing permissions' }).isVisible());
  t.match(await row('Read documents').innerText(), /Granted\s+Global/);
  t.match(await row('Read time tracking').innerText(), /Granted\s+Division: Sales/);
  t.match(await row('Read tasks').innerText(), /Role: Team via group Designers/);
  t.match(await row('Edit tasks').innerText(), /Not granted\s+Role: Team via group Designers\s+Cut by the Read-Only license/);
  // a screen reader reads a cell with its row and column headers
  t.equal(await page.getByRole('table', { name: 'Editing permissions' }).getByRole('columnheader').allTextContents().then((h) => h.join('|')), 'Permission|Verdict|Granted by|Cut');
  await audit(t, 'explainer: Bo in Apollo');
  await navigation(page, () => page.getByRole('link', { name: 'Another person in Apollo' }).click());
  await audit(t, 'explainer: pick a person');
});

t.test('without JavaScript: the same pages and links work', async (t) => {
  const { context, page: plain } = await openTab(browser, app.baseURL, { javaScript: false });
  t.teardown(() => context.close());
  await plain.goto('/login');
  await signInWith(plain, ADMIN.email, ADMIN.password);
  await plain.goto('/settings/users/access');
  await plain.getByLabel('Search people by name or email').fill('bo');
  await navigation(plain, () => plain.getByRole('button', { name: 'Search', exact: true }).click());
  await navigation(plain, () => plain.getByRole('link', { name: 'Bo Brown' }).click());
  await navigation(plain, () => plain.getByRole('link', { name: 'Apollo' }).click());
  t.match(await plain.getByRole('row', { name: /^Read time tracking\b/ }).innerText(), /Division: Sales/);
});

t.test('the Nu Html Checker finds no error on any page', async (t) => {
  t.same(await htmlErrors(documents), []);
});
