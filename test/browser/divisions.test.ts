// Divisions in a real browser, with and without JavaScript: create, rename and delete a division; on the Divisions
// tab give a person permissions in a division (autosave with JavaScript, Save without), see it listed, remove it.
// axe on every page and state, and the Nu Html Checker over them all.
import { eq } from 'drizzle-orm';
import t from 'tap';
import { accounts, divisionGrants } from '../../src/db/schema.js';
import { signUp } from '../helpers/agent.js';
import { ADMIN, htmlErrors, launchBrowser, navigation, openAuditedPage, openTab, signInWith, startApp } from '../helpers/browser.js';
import { insertPerson } from '../helpers/factories.js';

const [browser, app] = await Promise.all([launchBrowser(t), startApp(t)]);
await signUp(app.app, { readWriteLicenses: '5' });
const [account] = await app.db.select().from(accounts);
await app.db.update(accounts).set({ edition: 'enterprise' }).where(eq(accounts.id, account!.id));
const bo = await insertPerson(app.db, { name: 'Bo Brown', email: 'bo@acme.test' });
const grants = async () => (await app.db.select().from(divisionGrants).where(eq(divisionGrants.personId, bo.id))).map((g) => g.permission).sort();

const { page, documents, audit } = await openAuditedPage(browser, app.baseURL);
const button = (name: string) => page.getByRole('button', { name, exact: true });

t.test('create, mistype and rename a division', async (t) => {
  await page.goto('/login');
  await signInWith(page, ADMIN.email, ADMIN.password);
  await page.goto('/settings/divisions');
  t.match(await page.locator('main').innerText(), /no divisions yet/);
  await audit(t, 'divisions: none');
  await navigation(page, () => button('Create division').click());
  t.ok(await page.getByRole('alert').isVisible(), 'the error summary');
  t.match(await page.getByRole('alert').innerText(), /Enter the division name/);
  await audit(t, 'divisions: error');
  await page.getByLabel('Division name').fill('Sales');
  await navigation(page, () => button('Create division').click());
  t.match(await page.locator('#live-status').innerText(), /Division created/);
  await audit(t, 'divisions: one');
  await navigation(page, () => page.getByRole('link', { name: 'Sales' }).click());
  await audit(t, 'division page');
  await page.getByLabel('Division name').fill('Sales EMEA');
  await navigation(page, () => button('Save name').click());
  t.ok(await page.getByRole('link', { name: 'Sales EMEA' }).isVisible());
});

t.test('with JavaScript: a switch saves at once and says so; it is kept after a reload', async (t) => {
  await page.goto('/settings/users/divisions');
  await audit(t, 'divisions tab: pick a person');
  await navigation(page, () => page.getByRole('link', { name: 'Bo Brown' }).click());
  await page.getByLabel('Division', { exact: true }).selectOption({ label: 'Sales EMEA' });
  await navigation(page, () => button('Show permissions').click());
  t.notOk(await button('Save').isVisible(), 'no Save button with JavaScript: the switches save themselves');
  await audit(t, 'divisions tab: switches');
  await page.getByRole('switch', { name: 'Read tasks' }).check();
  await page.locator('#live-status').filter({ hasText: 'Saved. Bo Brown has 1 permission in every project of Sales EMEA.' }).waitFor();
  t.same(await grants(), ['tasks.read']);
  await page.reload();
  t.ok(await page.getByRole('switch', { name: 'Read tasks' }).isChecked(), 'kept');
  t.match(await page.getByRole('region', { name: 'Bo Brown’s divisions' }).innerText(), /Sales EMEA: Read tasks/);
});

t.test('without JavaScript: the same form saves with its button, then Remove', async (t) => {
  const { context, page: plain } = await openTab(browser, app.baseURL, { javaScript: false });
  t.teardown(() => context.close());
  await plain.goto('/login');
  await signInWith(plain, ADMIN.email, ADMIN.password);
  await plain.goto('/settings/users/divisions');
  await navigation(plain, () => plain.getByRole('link', { name: 'Bo Brown' }).click());
  await navigation(plain, () => plain.getByRole('link', { name: 'Sales EMEA' }).click());
  await plain.getByRole('switch', { name: 'Edit tasks' }).check();
  await navigation(plain, () => plain.getByRole('button', { name: 'Save', exact: true }).click());
  t.match(await plain.locator('#live-status').innerText(), /Division permissions saved/);
  t.same(await grants(), ['tasks.edit', 'tasks.read']);
  await navigation(plain, () => plain.getByRole('button', { name: 'Remove Bo Brown from Sales EMEA' }).click());
  t.match(await plain.locator('#live-status').innerText(), /Removed from the division/);
  t.same(await grants(), []);
});

t.test('delete a division after its confirmation', async (t) => {
  await page.goto('/settings/divisions');
  await navigation(page, () => page.getByRole('link', { name: 'Sales EMEA' }).click());
  await navigation(page, () => page.getByRole('link', { name: 'Delete division' }).click());
  await audit(t, 'delete division: confirmation');
  await navigation(page, () => button('Delete division').click());
  t.match(await page.locator('#live-status').innerText(), /Division deleted/);
});

t.test('the Nu Html Checker finds no error on any page', async (t) => {
  t.same(await htmlErrors(documents), []);
});
