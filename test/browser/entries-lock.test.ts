// Titled entries (Lists, Mind maps, …) and a project's lock in a real browser, with and without JavaScript: add an
// entry (an error first), rename it in its row, delete it after the confirmation; lock the project from its Manage
// page (the lock note on every page of it, no forms), unlock it; without JavaScript also delete a project through
// its confirmation. A reader sees the entries without forms. axe on every page and state with JavaScript; the Nu Html
// Checker over every page.
import { eq } from 'drizzle-orm';
import t from 'tap';
import { newId } from '../../src/crypto.js';
import { accounts, persons, projectEntries, projectRoles, projects, rolePermissions } from '../../src/db/schema.js';
import { signUp } from '../helpers/agent.js';
import { ADMIN, htmlErrors, isFocused, launchBrowser, navigation, openAuditedPage, openTab, POSTED_AND_REDIRECTED, signInWith, startApp } from '../helpers/browser.js';
import { insertPerson } from '../helpers/factories.js';

const [browser, app] = await Promise.all([launchBrowser(t), startApp(t)]);
await signUp(app.app, { readWriteLicenses: '5', edition: 'enterprise' });
const [account] = await app.db.select().from(accounts);
const [ada] = await app.db.select().from(persons);
const project = newId();
const doomed = newId();
await app.db.insert(projects).values([
  { id: project, accountId: account!.id, name: 'Apollo' },
  { id: doomed, accountId: account!.id, name: 'Zeus' },
]);
await app.db.insert(projectRoles).values([project, doomed].map((projectId) => ({ accountId: account!.id, projectId, roleKey: 'managers' as const, personId: ada!.id })));
// Managers may delete projects here (not by default)
await app.db.insert(rolePermissions).values({ accountId: account!.id, roleKey: 'managers', permission: 'project.delete' });
await app.db.insert(projectEntries).values({ accountId: account!.id, projectId: doomed, section: 'documents', title: 'Goes too', createdBy: ada!.id });
const rae = await insertPerson(app.db, { accountId: account!.id, name: 'Rae Reader', email: 'rae@acme.test', password: 'a long enough password' });
await app.db.insert(projectRoles).values({ accountId: account!.id, projectId: project, roleKey: 'additional', personId: rae.id });
await app.db.insert(rolePermissions).values((['lists.read', 'mindmaps.read', 'manage.read'] as const).map((permission) => ({ accountId: account!.id, roleKey: 'additional' as const, permission })));
const LISTS = `/projects/${project}/lists`;
const MANAGE = `/projects/${project}/manage`;

const { page, documents, audit } = await openAuditedPage(browser, app.baseURL);
const status = page.locator('#live-status');

t.test('with JavaScript: add a list (an error first), rename it in its row, delete it after confirming', async (t) => {
  await page.goto('/login');
  await signInWith(page, ADMIN.email, ADMIN.password);
  await page.goto(`/projects/${project}`);
  await navigation(page, () => page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'Lists' }).click());
  t.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Lists: Apollo');
  t.ok(await page.getByText('This project has no lists yet.').isVisible());
  await audit(t, 'lists page, empty');

  await page.getByRole('button', { name: 'Add list' }).click();
  await page.getByRole('link', { name: 'Enter a list title' }).waitFor();
  t.equal(await page.getByLabel('List title').getAttribute('aria-invalid'), 'true');
  await audit(t, 'lists page with an error', 'dom');

  await page.getByLabel('List title').fill('Groceries');
  await page.getByRole('button', { name: 'Add list' }).click();
  await status.filter({ hasText: 'Saved. List “Groceries” added.' }).waitFor();
  const table = page.getByRole('table', { name: 'Lists' });
  t.match(await table.getByRole('row').nth(1).innerText(), /Groceries\s+Ada Admin/, 'listed with its author');
  t.equal(await page.getByLabel('List title').inputValue(), '', 'the field is empty again');
  t.ok(await isFocused(page.getByLabel('List title')), 'the focus is in the field, for the next one');
  t.equal(await page.locator('.error-summary').count(), 0, 'the error summary is gone');
  await audit(t, 'lists page after adding', 'dom');

  await page.getByText('Rename Groceries').click();
  await page.getByLabel('New title for Groceries').fill('   ');
  await page.getByRole('button', { name: 'Save title of Groceries' }).click();
  await page.getByRole('link', { name: 'Enter a list title' }).waitFor();
  t.equal(await page.getByLabel('New title for Groceries').getAttribute('aria-invalid'), 'true', 'the row’s form open, with the error');
  await audit(t, 'lists page with a rename error', 'dom');
  await page.getByLabel('New title for Groceries').fill('Shopping');
  await page.getByRole('button', { name: 'Save title of Groceries' }).click();
  await status.filter({ hasText: 'Saved. The list is called “Shopping” now.' }).waitFor();
  t.match(await table.getByRole('row').nth(1).innerText(), /^Shopping/);
  t.ok(await isFocused(page.locator('summary', { hasText: 'Rename Shopping' })), 'the focus back on the row’s Rename');
  t.equal(await page.locator('.error-summary').count(), 0);
  await audit(t, 'lists page after renaming', 'dom');

  await navigation(page, () => page.getByRole('link', { name: 'Delete Shopping' }).click());
  t.equal(await page.getByRole('heading', { level: 2, name: 'Delete the list “Shopping”?' }).count(), 1);
  await audit(t, 'delete confirmation');
  await navigation(page, () => page.getByRole('link', { name: 'Cancel' }).click());
  t.equal(await table.getByRole('row').count(), 2, 'Cancel: nothing deleted');
  await navigation(page, () => page.getByRole('link', { name: 'Delete Shopping' }).click());
  t.same(await navigation(page, () => page.getByRole('button', { name: 'Delete list' }).click()), POSTED_AND_REDIRECTED);
  t.equal(await status.textContent(), 'List deleted.');
  t.ok(await page.getByText('This project has no lists yet.').isVisible());
  await audit(t, 'lists page after deleting');
});

t.test('with JavaScript: lock the project (the note, no forms, on every page of it), then unlock it', async (t) => {
  await page.getByLabel('List title').fill('Packing');
  await page.getByRole('button', { name: 'Add list' }).click();
  await status.filter({ hasText: 'Saved. List “Packing” added.' }).waitFor();
  await navigation(page, () => page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'Manage' }).click());
  await audit(t, 'manage page, unlocked');

  await page.getByRole('button', { name: 'Lock project for editing' }).click();
  await status.filter({ hasText: 'Locked. Nothing in the project can be changed' }).waitFor();
  t.ok(await page.getByRole('heading', { level: 2, name: 'This project is locked' }).isVisible(), 'the lock note');
  t.match(await page.locator('#lock-note').innerText(), 'locked for editing by Ada Admin');
  t.ok(await isFocused(page.getByRole('button', { name: 'Unlock project' })), 'the focus on Unlock project');
  t.equal(await page.getByRole('button', { name: /Save details|Add selected|Remove/ }).count(), 0, 'no forms but the lock');
  t.equal(await page.getByRole('link', { name: 'Delete project' }).count(), 0);
  await audit(t, 'manage page, locked', 'dom');

  await navigation(page, () => page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'Lists' }).click());
  t.ok(await page.getByRole('heading', { level: 2, name: 'This project is locked' }).isVisible(), 'the lock note on the lists too');
  t.equal(await page.getByRole('button', { name: 'Add list' }).count(), 0, 'no Add');
  t.equal(await page.getByText('Rename Packing').count(), 0, 'no Rename');
  t.equal(await page.getByRole('link', { name: 'Delete Packing' }).count(), 0, 'no Delete');
  await audit(t, 'lists page, locked');

  await navigation(page, () => page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'Manage' }).click());
  await page.getByRole('button', { name: 'Unlock project' }).click();
  await status.filter({ hasText: 'Unlocked. The project can be changed again.' }).waitFor();
  t.equal(await page.locator('#lock-note').count(), 0, 'the note is gone');
  t.ok(await isFocused(page.getByRole('button', { name: 'Lock project for editing' })), 'the focus on the lock button');
  t.ok(await page.getByRole('button', { name: 'Save details' }).isVisible(), 'the forms are back');
  await audit(t, 'manage page, unlocked again', 'dom');
});

t.test('without JavaScript: a mind map added, renamed and deleted; lock and unlock; delete a project', async (t) => {
  const { context, page: plain, watch } = await openTab(browser, app.baseURL, { javaScript: false });
  t.teardown(() => context.close());
  const plainStatus = plain.locator('#live-status');
  const keep = async (name: string) => documents.push({ name: `no JS: ${name}`, html: await watch.documentHtml() });
  await plain.goto('/login');
  await signInWith(plain, ADMIN.email, ADMIN.password);
  await plain.goto(`/projects/${project}/mind-maps`);
  t.equal((await navigation(plain, () => plain.getByRole('button', { name: 'Add mind map' }).click())).status, 422, 'an empty title');
  t.ok(await plain.getByRole('link', { name: 'Enter a mind map title' }).isVisible());
  await keep('mind maps with an error');
  await plain.getByLabel('Mind map title').fill('Ideas');
  t.same(await navigation(plain, () => plain.getByRole('button', { name: 'Add mind map' }).click()), POSTED_AND_REDIRECTED);
  t.equal(await plainStatus.textContent(), 'Saved. Mind map added.');
  await keep('mind maps after adding');

  await plain.getByText('Rename Ideas').click(); // a disclosure: no script needed
  await plain.getByLabel('New title for Ideas').fill('');
  t.equal((await navigation(plain, () => plain.getByRole('button', { name: 'Save title of Ideas' }).click())).status, 422);
  t.equal(await plain.getByLabel('New title for Ideas').getAttribute('aria-invalid'), 'true', 'the form open, with the error');
  await keep('mind maps with a rename error');
  await plain.getByLabel('New title for Ideas').fill('Big ideas');
  t.same(await navigation(plain, () => plain.getByRole('button', { name: 'Save title of Ideas' }).click()), POSTED_AND_REDIRECTED);
  t.equal(await plainStatus.textContent(), 'Saved. Mind map renamed.');
  t.ok(await plain.getByRole('rowheader', { name: 'Big ideas' }).isVisible());

  await navigation(plain, () => plain.getByRole('link', { name: 'Delete Big ideas' }).click());
  await keep('mind map delete confirmation');
  t.same(await navigation(plain, () => plain.getByRole('button', { name: 'Delete mind map' }).click()), POSTED_AND_REDIRECTED);
  t.equal(await plainStatus.textContent(), 'Mind map deleted.');

  await plain.goto(MANAGE);
  t.same(await navigation(plain, () => plain.getByRole('button', { name: 'Lock project for editing' }).click()), POSTED_AND_REDIRECTED);
  t.match(await plainStatus.textContent(), 'Locked. Nothing in the project can be changed');
  t.ok(await plain.getByRole('heading', { level: 2, name: 'This project is locked' }).isVisible());
  await keep('manage page, locked');
  t.same(await navigation(plain, () => plain.getByRole('button', { name: 'Unlock project' }).click()), POSTED_AND_REDIRECTED);
  t.equal(await plainStatus.textContent(), 'Unlocked. The project can be changed again.');
  t.equal(await plain.locator('#lock-note').count(), 0);

  await plain.goto(`/projects/${doomed}/manage`);
  await navigation(plain, () => plain.getByRole('link', { name: 'Delete project' }).click());
  t.match(await plain.locator('#delete-contents').innerText(), '1 document', 'names what goes with it');
  await keep('project delete confirmation');
  t.same(await navigation(plain, () => plain.getByRole('button', { name: 'Delete project' }).click()), POSTED_AND_REDIRECTED);
  t.equal(new URL(plain.url()).pathname, '/projects');
  t.equal(await plainStatus.textContent(), 'Project “Zeus” deleted.');
  t.equal(await plain.getByRole('link', { name: 'Zeus' }).count(), 0, 'no longer listed');
  await keep('projects after deleting one');
  t.equal((await app.db.select().from(projects).where(eq(projects.id, doomed))).length, 0);
});

t.test('a reader: the entries without forms, the Manage page without the lock', async (t) => {
  const reader = await openAuditedPage(browser, app.baseURL);
  t.teardown(() => reader.context.close());
  await reader.page.goto('/login');
  await signInWith(reader.page, 'rae@acme.test', 'a long enough password');
  await reader.page.goto(LISTS);
  t.ok(await reader.page.getByRole('rowheader', { name: 'Packing' }).isVisible());
  t.equal(await reader.page.getByRole('button').filter({ hasNotText: 'Sign out' }).count(), 0, 'no buttons');
  t.equal(await reader.page.getByText('Rename Packing').count(), 0);
  await reader.audit(t, 'lists page, reader');
  await reader.page.goto(MANAGE);
  t.equal(await reader.page.getByRole('button', { name: /Lock|Unlock/ }).count(), 0, 'no lock for a reader');
  await reader.audit(t, 'manage page, reader');
  documents.push(...reader.documents);
});

t.test('the Nu Html Checker finds no error on any page', async (t) => {
  t.same(await htmlErrors(documents), []);
});
