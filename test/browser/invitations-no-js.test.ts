// Invitations with JavaScript turned off: automatic distribution saved with its "Save" button, the invitation form,
// the emailed link accepted in a fresh browser without scripts (Read & Write), the Read-Only warning and fallback
// once the seats are full, a used link, and a member limited to the allowed domains without "Full permissions".
// Behaviour here (axe needs scripts: it runs in the JS file); the Nu Html Checker over every page as served.
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import t, { type Test } from 'tap';
import { accounts, persons } from '../../src/db/schema.js';
import { FALLS_BACK_TO_READ_ONLY } from '../../src/invitations/pages.js';
import { signUp } from '../helpers/agent.js';
import { ADMIN, description, htmlErrors, launchBrowser, navigation, signInWith, startApp, openTab, type HtmlDocument, type PageWatch, POSTED_AND_REDIRECTED } from '../helpers/browser.js';
import { insertPerson } from '../helpers/factories.js';

const MEMBER = { name: 'Mia Member', email: 'mia@acme.test', password: 'member password 1' };
const INVITEE_PASSWORD = 'a long new password';

const [browser, app] = await Promise.all([launchBrowser(t), startApp(t)]);
await signUp(app.app, { readWriteLicenses: '3' });
await insertPerson(app.db, { ...MEMBER, license: 'read_write' }); // Ada and Mia: 2 of 3 Read & Write licenses

const watches: PageWatch[] = [];
const documents: HtmlDocument[] = [];
/** A new browser context without JavaScript (its own cookies: another person), and one tab in it. */
async function newTab(): Promise<{ page: Page; watch: PageWatch }> {
  const { page, watch } = await openTab(browser, app.baseURL, { javaScript: false });
  watches.push(watch);
  return { page, watch };
}
const keep = async (tab: { watch: PageWatch }, name: string) => void documents.push({ name, html: await tab.watch.documentHtml() });

const admin = await newTab();
const page = admin.page;
const button = (p: Page, name: string) => p.getByRole('button', { name, exact: true });
const notice = (p: Page) => p.locator('#live-status');
const path = (p: Page) => new URL(p.url()).pathname + new URL(p.url()).search;
const h1 = (p: Page) => p.getByRole('heading', { level: 1 }).textContent();
const dd = (p: Page, term: string) => p.getByRole('term').filter({ hasText: term }).locator('xpath=following-sibling::dd[1]').innerText();
const person = async (email: string) => (await app.db.select().from(persons).where(eq(persons.email, email)))[0]!;
const newestLink = (to: string) => {
  const mail = app.outbox.at(-1)!;
  if (mail.to !== to) throw new Error(`the newest email is to ${mail.to}, not ${to}`);
  return new URL(mail.link!).pathname;
};
async function invite(p: Page, name: string, email: string, access = 'Inherited by role') {
  await p.getByLabel('Name').fill(name);
  await p.getByLabel('Email').fill(email);
  await p.getByRole('group', { name: 'Access' }).getByRole('radio', { name: access }).check();
  return navigation(p, () => button(p, 'Send invitation').click());
}

t.test('automatic distribution is turned on with the form’s Save button', async (t) => {
  await page.goto('/login');
  await signInWith(page, ADMIN.email, ADMIN.password);
  await page.goto('/settings/users');
  await page.getByRole('switch', { name: 'Users will automatically receive a license of type "Read & Write", if available' }).check();
  t.same(await navigation(page, () => page.locator('#auto-license').getByRole('button', { name: 'Save' }).click()), POSTED_AND_REDIRECTED);
  t.equal(await notice(page).textContent(), 'Saved');
  t.equal((await app.db.select().from(accounts))[0]!.autoLicense, true);
});

let beaLink = '';
t.test('inviting: 422 with errors, then 303 to the person marked "Invited"; the email carries the link', async (t) => {
  await page.goto('/people');
  await navigation(page, () => page.getByRole('main').getByRole('link', { name: 'Invite', exact: true }).click());
  t.equal(path(page), '/people/invite');
  t.equal(await page.getByText(FALLS_BACK_TO_READ_ONLY).count(), 0, 'a seat is free: no warning');
  await keep(admin, 'invite');
  t.equal((await invite(page, '', 'bea@acme')).status, 422);
  t.equal(await page.getByRole('alert').getByRole('link', { name: 'Enter a name' }).getAttribute('href'), '#name');
  t.match(await description(page.getByLabel('Email')), 'Error: Enter an email address in the correct format');
  t.equal(app.outbox.length, 0);
  await keep(admin, 'invite with errors');

  t.same(await invite(page, 'Bea Baker', 'bea@acme.test'), POSTED_AND_REDIRECTED);
  t.equal(path(page), `/people/${(await person('bea@acme.test')).id}?notice=invited`);
  t.equal(await notice(page).textContent(), 'Invitation sent.');
  t.equal(await dd(page, 'Status'), 'Invited');
  await keep(admin, 'person page: invited');
  await page.goto('/people');
  t.match(await page.getByRole('row', { name: /Bea Baker/ }).textContent(), 'Invited');
  beaLink = newestLink('bea@acme.test');
  t.match(beaLink, /^\/invite\/[A-Za-z0-9_-]{43}$/);
  t.match(app.outbox.at(-1)!.text, 'Hello Bea Baker,');
});

t.test('the invitee accepts in a fresh browser without scripts and is signed in with Read & Write', async (t) => {
  const invitee = await newTab();
  const p = invitee.page;
  t.equal((await p.goto(beaLink))?.status(), 200);
  t.equal(await h1(p), 'Join Acme Ltd');
  await keep(invitee, 'accept invitation');
  await p.getByLabel('Password').fill('short');
  t.equal((await navigation(p, () => button(p, 'Accept invitation').click())).status, 422);
  t.match(await description(p.getByLabel('Password')), 'Error: Password must be at least 12 characters');
  t.equal(await p.getByLabel('Your name').inputValue(), 'Bea Baker', 'the name is kept');
  await keep(invitee, 'accept invitation with errors');
  await p.getByLabel('Your name').fill('Beatrice Baker');
  await p.getByLabel('Password').fill(INVITEE_PASSWORD);
  t.same(await navigation(p, () => button(p, 'Accept invitation').click()), POSTED_AND_REDIRECTED);
  t.equal(path(p), '/settings/personal?notice=invitation-accepted');
  t.equal(await notice(p).textContent(), 'Welcome to Accord. You have joined the organization and are signed in.');
  t.equal(await p.getByText('Beatrice Baker, Acme Ltd').count(), 1, 'signed in');
  await keep(invitee, 'personal after accepting');

  await page.goto('/people?q=beatrice');
  t.match(await page.getByRole('row', { name: /Beatrice Baker/ }).textContent(), 'Has access');
  await navigation(page, () => page.getByRole('link', { name: 'Beatrice Baker' }).click());
  t.equal(await dd(page, 'License'), 'Read & Write');
  await keep(admin, 'person page: has access');
});

t.test('with every seat taken the inviter is warned, and the next invitee gets Read-Only', async (t) => {
  await page.goto('/people/invite');
  t.ok(await page.getByText(FALLS_BACK_TO_READ_ONLY).isVisible());
  t.equal(await description(button(page, 'Send invitation')), FALLS_BACK_TO_READ_ONLY);
  await keep(admin, 'invite with the Read-Only warning');
  t.same(await invite(page, 'Olga Over', 'olga@acme.test'), POSTED_AND_REDIRECTED);
  const olga = await newTab();
  await olga.page.goto(newestLink('olga@acme.test'));
  await olga.page.getByLabel('Password').fill(INVITEE_PASSWORD);
  t.same(await navigation(olga.page, () => button(olga.page, 'Accept invitation').click()), POSTED_AND_REDIRECTED);
  t.equal(path(olga.page), '/settings/personal?notice=invitation-accepted-read-only');
  t.match(await notice(olga.page).textContent(), 'You have joined the organization with a Read-Only license');
  await page.reload();
  t.equal(await dd(page, 'License'), 'Read-Only');
  t.equal((await person('olga@acme.test')).license, 'read_only');
});

t.test('a used link, opened in a browser that is not signed in, says so and leads to sign-in', async (t) => {
  const stranger = await newTab();
  const used = await stranger.page.goto(beaLink);
  t.equal(used?.status(), 410);
  t.equal(await h1(stranger.page), 'This invitation has already been accepted');
  await keep(stranger, 'used link');
  await navigation(stranger.page, () => stranger.page.getByRole('main').getByRole('link', { name: 'Sign in' }).click());
  t.equal(path(stranger.page), '/login');
  t.equal((await signInWith(stranger.page, 'bea@acme.test', INVITEE_PASSWORD)).redirectStatus, 303, 'the chosen password works');
});

t.test('a member may invite within the allowed domains only, and is not offered "Full permissions"', async (t) => {
  await page.goto('/settings/users');
  await page.getByRole('switch', { name: 'Allow users to invite other users' }).check();
  await page.getByLabel('Allowed email domains').fill('Acme.test');
  t.same(await navigation(page, () => page.locator('#invitation-settings').getByRole('button', { name: 'Save' }).click()), POSTED_AND_REDIRECTED);

  const mia = await newTab();
  const p = mia.page;
  await p.goto('/login');
  await signInWith(p, MEMBER.email, MEMBER.password);
  await p.goto('/people');
  await navigation(p, () => p.getByRole('main').getByRole('link', { name: 'Invite', exact: true }).click());
  const access = p.getByRole('group', { name: 'Access' });
  t.equal(await access.getByRole('radio').count(), 2);
  t.equal(await p.getByText('Full permissions').count(), 0, '"Full permissions" is not offered');
  await keep(mia, 'invite as a member');
  t.equal((await invite(p, 'Xavier Outside', 'xavier@acme.test.other.test')).status, 422);
  const message = 'You can only invite email addresses in these domains: acme.test.';
  t.equal(await p.getByRole('alert').getByRole('link', { name: message }).getAttribute('href'), '#email');
  t.equal(await description(p.getByLabel('Email')), `Error: ${message}`);
  await keep(mia, 'invite as a member, domain refused');
  t.same(await invite(p, 'Dan Domain', 'dan@acme.test', 'Read all projects'), POSTED_AND_REDIRECTED);
  t.equal(await notice(p).textContent(), 'Invitation sent.');
  t.equal(await dd(p, 'Status'), 'Invited');
  t.equal(app.outbox.at(-1)!.to, 'dan@acme.test');
  await keep(mia, 'person page as a member');
});

t.test('every page is valid HTML (Nu Html Checker)', async (t) => {
  t.equal(documents.length, 12, 'every page above was collected');
  t.same(await htmlErrors(documents), []);
});

t.test('no missing assets or failed requests in any tab', async (t) => {
  t.same(watches.flatMap((w) => w.problems), []);
});
