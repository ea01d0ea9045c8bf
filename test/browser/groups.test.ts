// The Groups tab (/settings/users/groups) in a real browser: create a group (and a refused name), add members with
// JavaScript (search as you type) and without, remove one, delete the group after its confirmation; axe on every
// state and the Nu Html Checker over every page.
import { eq } from 'drizzle-orm';
import t from 'tap';
import { newId } from '../../src/crypto.js';
import { groupMembers, projectRoles, projects, userGroups } from '../../src/db/schema.js';
import { signUp } from '../helpers/agent.js';
import { ADMIN, htmlErrors, isFocused, launchBrowser, navigation, openAuditedPage, openTab, POSTED_AND_REDIRECTED, signInWith, startApp } from '../helpers/browser.js';
import { insertPerson } from '../helpers/factories.js';

const [browser, app] = await Promise.all([launchBrowser(t), startApp(t)]);
await signUp(app.app, { readWriteLicenses: '5', edition: 'enterprise' });
const db = app.db;
const bea = await insertPerson(db, { name: 'Bea Baker', email: 'bea@acme.test', license: 'read_write' });
const cal = await insertPerson(db, { name: 'Cal Reader', email: 'cal@acme.test', license: 'read_only' });
const dan = await insertPerson(db, { name: 'Dan Writer', email: 'dan@acme.test', license: 'read_write' });
await insertPerson(db, { name: 'Nora Noaccess', email: 'nora@acme.test', license: 'none', invitationState: 'none' });

const { page, watch, documents, audit } = await openAuditedPage(browser, app.baseURL);
const status = page.locator('#live-status');
const search = page.getByLabel('Search people with a license');
const designers = async () => (await db.select().from(userGroups).where(eq(userGroups.name, 'Designers')))[0];
const memberIds = async (groupId: string) => (await db.select().from(groupMembers).where(eq(groupMembers.groupId, groupId))).map((m) => m.personId).sort();

t.test('with JavaScript: the empty list, a refused name, then a group created in place', async (t) => {
  await page.goto('/login');
  await signInWith(page, ADMIN.email, ADMIN.password);
  await page.goto('/settings/users');
  await navigation(page, () => page.getByRole('navigation', { name: 'User management' }).getByRole('link', { name: 'Groups' }).click());
  t.equal(await page.getByRole('navigation', { name: 'User management' }).getByRole('link', { name: 'Groups' }).getAttribute('aria-current'), 'page');
  t.ok(await page.getByText('There are no groups yet.').isVisible());
  await audit(t, 'groups: empty list');

  await page.evaluate(() => ((window as unknown as { mark: boolean }).mark = true));
  await page.getByRole('button', { name: 'Create group' }).click();
  await page.getByRole('alert').getByRole('link', { name: 'Enter a group name' }).waitFor();
  t.match(await page.locator('#name-error').textContent(), 'Enter a group name');
  t.equal(await page.getByLabel('Group name').getAttribute('aria-invalid'), 'true');
  await audit(t, 'groups: create refused', 'dom');

  await page.getByLabel('Group name').fill('Designers');
  await page.getByRole('button', { name: 'Create group' }).click();
  await status.filter({ hasText: 'Saved. Group “Designers” created.' }).waitFor();
  t.equal(await page.getByRole('alert').count(), 0, 'the error summary is gone');
  t.equal(await page.getByLabel('Group name').inputValue(), '', 'the field is empty again');
  t.ok(await page.evaluate(() => (window as unknown as { mark?: boolean }).mark), 'no page load');
  t.match(await page.getByRole('row', { name: /Designers/ }).innerText(), /Designers\s+0 members\s+0 projects/);
  t.ok(await designers(), 'saved');
  await audit(t, 'groups: list with a group', 'dom');
});

t.test('with JavaScript: search as you type, add two people; people with No Access are not offered', async (t) => {
  await navigation(page, () => page.getByRole('link', { name: 'Designers' }).click());
  t.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Designers');
  await audit(t, 'group page');
  await page.evaluate(() => ((window as unknown as { mark: boolean }).mark = true));
  await search.pressSequentially('nora', { delay: 30 });
  await status.filter({ hasText: 'No one with a license who is not a member matches “nora”.' }).waitFor();
  t.equal(await page.getByRole('checkbox').count(), 0, 'No Access: not offered');

  await search.fill('');
  await search.pressSequentially('bea', { delay: 30 });
  await status.filter({ hasText: '1 person with a license matches “bea”.' }).waitFor();
  t.match(page.url(), /\/settings\/users\/groups\/[^/?]+\?q=bea$/, 'the address shows the search');
  t.ok(await isFocused(search), 'focus stays in the field');
  await page.getByRole('checkbox', { name: 'Bea Baker' }).check();
  await page.getByRole('button', { name: 'Add selected' }).click();
  await status.filter({ hasText: 'Saved. 1 person added to Designers; it has 1 member.' }).waitFor();
  t.ok(await page.getByRole('button', { name: 'Remove Bea Baker' }).isVisible(), 'listed as a member');

  await search.fill('');
  await search.pressSequentially('cal', { delay: 30 });
  await status.filter({ hasText: '1 person with a license matches “cal”.' }).waitFor();
  await page.getByRole('checkbox', { name: 'Cal Reader' }).check();
  await page.getByRole('button', { name: 'Add selected' }).click();
  await status.filter({ hasText: 'Saved. 1 person added to Designers; it has 2 members.' }).waitFor();
  t.ok(await isFocused(page.locator('#candidates-count')), 'nobody left to pick: focus on the count');
  t.ok(await page.evaluate(() => (window as unknown as { mark?: boolean }).mark), 'no page load');
  t.same(await memberIds((await designers())!.id), [bea.id, cal.id].sort());
  await audit(t, 'group page: two members added', 'dom');
});

t.test('without JavaScript: search, tick and add a third member; the confirmation shows', async (t) => {
  const { context, page: plain } = await openTab(browser, app.baseURL, { javaScript: false });
  t.teardown(() => context.close());
  await plain.goto('/login');
  await signInWith(plain, ADMIN.email, ADMIN.password);
  await plain.goto(`/settings/users/groups/${(await designers())!.id}`);
  await plain.getByLabel('Search people with a license').fill('dan');
  await navigation(plain, () => plain.getByRole('button', { name: 'Search', exact: true }).click());
  await plain.getByRole('checkbox', { name: 'Dan Writer' }).check();
  t.same(await navigation(plain, () => plain.getByRole('button', { name: 'Add selected' }).click()), POSTED_AND_REDIRECTED);
  t.match(await plain.locator('#live-status').textContent(), 'Saved. The selected people are members of Designers now.');
  t.ok(await plain.getByRole('button', { name: 'Remove Dan Writer' }).isVisible());
  t.same(await memberIds((await designers())!.id), [bea.id, cal.id, dan.id].sort());
});

t.test('with JavaScript: remove a member; focus moves to the next Remove button', async (t) => {
  await page.reload();
  await page.getByRole('button', { name: 'Remove Bea Baker' }).click();
  await status.filter({ hasText: 'Saved. Bea Baker is no longer a member of Designers; it has 2 members.' }).waitFor();
  t.equal(await page.getByRole('button', { name: 'Remove Bea Baker' }).count(), 0);
  t.ok(await isFocused(page.getByRole('button', { name: 'Remove Cal Reader' })), 'focus on the next member');
  t.same(await memberIds((await designers())!.id), [cal.id, dan.id].sort());
  await audit(t, 'group page: a member removed', 'dom');
});

t.test('delete the group after the confirmation, which names its projects', async (t) => {
  const group = (await designers())!;
  const projectId = newId();
  await db.insert(projects).values({ id: projectId, accountId: group.accountId, name: 'Apollo' });
  await db.insert(projectRoles).values({ accountId: group.accountId, projectId, roleKey: 'team', groupId: group.id });
  await page.reload();
  await navigation(page, () => page.getByRole('link', { name: 'Delete group' }).click());
  t.match(await page.locator('#delete-impact').textContent(), 'Designers holds a role in 1 project. Deleting it removes it from every project role; its members keep their other access.');
  await audit(t, 'delete confirmation');
  t.same(await navigation(page, () => page.getByRole('button', { name: 'Delete group' }).click()), POSTED_AND_REDIRECTED);
  t.match(await status.textContent(), 'Group deleted. Its members keep their other access.');
  t.ok(await page.getByText('There are no groups yet.').isVisible());
  t.equal(await designers(), undefined);
  t.equal((await db.select().from(projectRoles).where(eq(projectRoles.groupId, group.id))).length, 0);
  await audit(t, 'groups: list after deletion');
  t.same(watch.problems, [], 'no script errors, CSP refusals or missing assets');
});

t.test('the Nu Html Checker finds no error on any page', async (t) => {
  t.same(await htmlErrors(documents), []);
});
