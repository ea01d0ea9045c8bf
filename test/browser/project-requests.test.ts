// Project requests in a real browser, with and without JavaScript: Rita requests projects from /projects (an error
// first), Eddie finds them under "Project requests", rejects one (an error first: the reason is required) and
// approves another; Rita reads the reason and opens her new project. axe on every page and state (JavaScript
// contexts); the Nu Html Checker over every page.
import { eq } from 'drizzle-orm';
import t from 'tap';
import { newId } from '../../src/crypto.js';
import { accounts, divisions, globalGrants, projectRoles, projects } from '../../src/db/schema.js';
import { signUp } from '../helpers/agent.js';
import { htmlErrors, launchBrowser, navigation, openAuditedPage, openTab, POSTED_AND_REDIRECTED, signInWith, startApp } from '../helpers/browser.js';
import { insertPerson } from '../helpers/factories.js';

const PASSWORD = 'a long enough password';
const [browser, app] = await Promise.all([launchBrowser(t), startApp(t)]);
await signUp(app.app, { readWriteLicenses: '5', edition: 'enterprise' });
const [account] = await app.db.select().from(accounts);
await app.db.update(accounts).set({ edition: 'enterprise' }).where(eq(accounts.id, account!.id));
await app.db.insert(divisions).values({ id: newId(), accountId: account!.id, name: 'Sales' });
const rita = await insertPerson(app.db, { accountId: account!.id, name: 'Rita Requester', email: 'rita@acme.test', license: 'read_write', password: PASSWORD });
const eddie = await insertPerson(app.db, { accountId: account!.id, name: 'Eddie Editor', email: 'eddie@acme.test', license: 'read_write', password: PASSWORD });
await app.db.insert(globalGrants).values([
  { accountId: account!.id, personId: rita.id, permission: 'projectRequests.create' },
  { accountId: account!.id, personId: eddie.id, permission: 'projectRequests.edit' },
]);

const requester = await openAuditedPage(browser, app.baseURL);
const editor = await openAuditedPage(browser, app.baseURL);
const documents = () => [...requester.documents, ...editor.documents];
const h1 = (page: typeof requester.page) => page.getByRole('heading', { level: 1 }).textContent();

t.test('with JavaScript: request two projects, reject one with a reason, approve the other', async (t) => {
  const { page, audit } = requester;
  await page.goto('/login');
  await signInWith(page, 'rita@acme.test', PASSWORD);
  await page.goto('/projects');
  t.equal(await page.getByRole('link', { name: 'Project requests' }).count(), 0, 'no requests yet: no link');
  await audit(t, 'projects, may request');
  await navigation(page, () => page.getByRole('link', { name: 'New project request' }).click());
  t.equal(await h1(page), 'New project request');
  await audit(t, 'new project request');

  t.equal((await navigation(page, () => page.getByRole('button', { name: 'Request project' }).click())).status, 422, 'no name');
  t.ok(await page.getByRole('link', { name: 'Enter a project name' }).isVisible());
  t.equal(await page.getByLabel('Project name').getAttribute('aria-invalid'), 'true');
  await audit(t, 'new project request with an error');

  await page.getByLabel('Project name').fill('Apollo');
  await page.getByLabel('Division').selectOption({ label: 'Sales' });
  await page.getByLabel('Why is this project needed?').fill('The launch needs a home.\nSoon, please.');
  t.same(await navigation(page, () => page.getByRole('button', { name: 'Request project' }).click()), POSTED_AND_REDIRECTED);
  t.equal(await h1(page), 'Project request: Apollo');
  t.match(await page.locator('#live-status').textContent(), 'Project requested.');
  t.equal(await page.locator('#request-state').textContent(), 'Requested');
  await audit(t, 'request, requester, waiting');

  await page.goto('/projects/requests/new');
  await page.getByLabel('Project name').fill('Zeus');
  await navigation(page, () => page.getByRole('button', { name: 'Request project' }).click());
  await page.goto('/projects');
  t.equal(await page.getByRole('cell', { name: 'Zeus' }).count(), 0, 'a requested project is not on /projects');
  await navigation(page, () => page.getByRole('link', { name: 'Project requests' }).click());
  t.equal(await h1(page), 'Project requests');
  t.equal(await page.getByRole('row').count(), 3, 'a header and two requests');
  await audit(t, 'requests list, requester');

  const { page: ed, audit: edAudit } = editor;
  await ed.goto('/login');
  await signInWith(ed, 'eddie@acme.test', PASSWORD);
  await ed.goto('/projects');
  t.equal(await ed.getByRole('link', { name: 'New project request' }).count(), 0, 'Eddie requests nothing');
  await navigation(ed, () => ed.getByRole('link', { name: 'Project requests' }).click());
  await ed.getByRole('radio', { name: 'Waiting for a decision' }).check();
  await navigation(ed, () => ed.getByRole('button', { name: 'Show requests' }).click());
  t.equal(new URL(ed.url()).search, '?show=waiting');
  await edAudit(t, 'requests list, editor, waiting');
  await navigation(ed, () => ed.getByRole('link', { name: 'Zeus' }).click());
  t.ok(await ed.getByRole('button', { name: 'Approve' }).isVisible());
  await edAudit(t, 'request, editor');

  t.equal((await navigation(ed, () => ed.getByRole('button', { name: 'Reject' }).click())).status, 422, 'no reason');
  t.ok(await ed.getByRole('link', { name: 'Enter a reason for rejecting' }).isVisible());
  t.equal(await ed.getByLabel('Reason for rejecting').getAttribute('aria-invalid'), 'true');
  await edAudit(t, 'request, editor, reject error');
  await ed.getByLabel('Reason for rejecting').fill('Not this year.');
  t.same(await navigation(ed, () => ed.getByRole('button', { name: 'Reject' }).click()), POSTED_AND_REDIRECTED);
  t.match(await ed.locator('#live-status').textContent(), 'Request rejected.');
  t.equal(await ed.locator('#request-state').textContent(), 'Rejected');
  t.equal(await ed.getByRole('button', { name: 'Approve' }).count(), 0, 'decided: no forms');
  await edAudit(t, 'request, rejected');

  await ed.goto('/projects/requests');
  await navigation(ed, () => ed.getByRole('link', { name: 'Apollo' }).click());
  t.match(await ed.locator('main').textContent(), 'with Rita Requester as its manager');
  t.same(await navigation(ed, () => ed.getByRole('button', { name: 'Approve' }).click()), POSTED_AND_REDIRECTED);
  t.match(await ed.locator('#live-status').textContent(), 'Project request approved.');
  t.match(await ed.locator('#decision').textContent(), 'you don’t have access to it');
  await edAudit(t, 'request, approved, editor');

  await page.goto('/projects/requests');
  await navigation(page, () => page.getByRole('link', { name: 'Zeus' }).click());
  t.match(await page.locator('#decision').textContent(), /^Rejected by Eddie Editor on \d{1,2} \w+ \d{4}: Not this year\.$/);
  await audit(t, 'request, rejected, requester');
  await page.goto('/projects/requests');
  await navigation(page, () => page.getByRole('link', { name: 'Apollo' }).click());
  await audit(t, 'request, approved, requester');
  await navigation(page, () => page.getByRole('link', { name: 'Go to the project Apollo' }).click());
  t.equal(await h1(page), 'Apollo');
  t.ok(await page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'Manage' }).isVisible(), 'Rita manages it');
  const [apollo] = await app.db.select().from(projects).where(eq(projects.name, 'Apollo'));
  const [role] = await app.db.select().from(projectRoles).where(eq(projectRoles.projectId, apollo!.id));
  t.match(role, { roleKey: 'managers', personId: rita.id });
  t.same(requester.watch.problems, []);
  t.same(editor.watch.problems, []);
});

t.test('without JavaScript: request, reject with a reason the requester reads, approve', async (t) => {
  const { context: rc, page: rp, watch: rw } = await openTab(browser, app.baseURL, { javaScript: false });
  const { context: ec, page: ep, watch: ew } = await openTab(browser, app.baseURL, { javaScript: false });
  t.teardown(async () => {
    await rc.close();
    await ec.close();
  });
  await rp.goto('/login');
  await signInWith(rp, 'rita@acme.test', PASSWORD);
  await rp.goto('/projects');
  await navigation(rp, () => rp.getByRole('link', { name: 'New project request' }).click());
  await rp.getByLabel('Project name').fill('x'.repeat(121));
  t.equal((await navigation(rp, () => rp.getByRole('button', { name: 'Request project' }).click())).status, 422);
  t.ok(await rp.getByRole('link', { name: 'Project name must be 120 characters or fewer' }).isVisible());
  await rp.getByLabel('Project name').fill('Hermes');
  t.same(await navigation(rp, () => rp.getByRole('button', { name: 'Request project' }).click()), POSTED_AND_REDIRECTED);
  t.match(await rp.locator('#live-status').textContent(), 'Project requested.');
  await rp.goto('/projects/requests/new');
  await rp.getByLabel('Project name').fill('Iris');
  t.same(await navigation(rp, () => rp.getByRole('button', { name: 'Request project' }).click()), POSTED_AND_REDIRECTED);

  await ep.goto('/login');
  await signInWith(ep, 'eddie@acme.test', PASSWORD);
  await ep.goto('/projects/requests');
  await navigation(ep, () => ep.getByRole('link', { name: 'Hermes' }).click());
  t.equal((await navigation(ep, () => ep.getByRole('button', { name: 'Reject' }).click())).status, 422, 'no reason');
  t.ok(await ep.getByRole('link', { name: 'Enter a reason for rejecting' }).isVisible());
  await ep.getByLabel('Reason for rejecting').fill('We have Apollo.');
  t.same(await navigation(ep, () => ep.getByRole('button', { name: 'Reject' }).click()), POSTED_AND_REDIRECTED);
  t.equal(await ep.locator('#live-status').textContent(), 'Request rejected. The requester sees your reason on this page.');
  await ep.goto('/projects/requests');
  await navigation(ep, () => ep.getByRole('link', { name: 'Iris' }).click());
  t.same(await navigation(ep, () => ep.getByRole('button', { name: 'Approve' }).click()), POSTED_AND_REDIRECTED);
  t.equal(await ep.locator('#request-state').textContent(), 'Approved');

  await rp.goto('/projects/requests');
  await navigation(rp, () => rp.getByRole('link', { name: 'Hermes' }).click());
  t.match(await rp.locator('#decision').textContent(), 'Rejected by Eddie Editor on');
  t.match(await rp.locator('#decision').textContent(), 'We have Apollo.');
  await rp.goto('/projects');
  t.ok(await rp.getByRole('link', { name: 'Iris' }).isVisible(), 'the approved project is on her /projects');
  t.same(rw.problems, []);
  t.same(ew.problems, []);
});

t.test('the Nu Html Checker finds no error on any page', async (t) => {
  t.same(await htmlErrors(documents()), []);
});
