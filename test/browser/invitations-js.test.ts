// Invitations in a real browser with JavaScript: an administrator turns on automatic distribution and invites
// someone, the invitee accepts with the link from the email the app sent (a fresh browser) and has Read & Write;
// with the seats full the inviter is warned and the next invitee gets Read-Only; used, withdrawn, expired and
// unknown links get clear pages; a member may invite only within the allowed domains and never with "Full
// permissions". axe on every state and the Nu Html Checker over every page.
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import t, { type Test } from 'tap';
import { invitations, persons } from '../../src/db/schema.js';
import { FALLS_BACK_TO_READ_ONLY } from '../../src/invitations/pages.js';
import { signUp } from '../helpers/agent.js';
import {
  ADMIN,
  POSTED_AND_REDIRECTED,
  axeViolations,
  description,
  htmlErrors,
  isFocused,
  launchBrowser,
  navigation,
  signInWith,
  startApp,
  openTab,
  type HtmlDocument,
  type PageWatch,
} from '../helpers/browser.js';
import { insertPerson } from '../helpers/factories.js';

const MEMBER = { name: 'Mia Member', email: 'mia@acme.test', password: 'member password 1' };
const INVITEE_PASSWORD = 'a long new password';

const [browser, app] = await Promise.all([launchBrowser(t), startApp(t)]);
await signUp(app.app, { readWriteLicenses: '3' });
await insertPerson(app.db, { ...MEMBER, license: 'read_write' }); // Ada and Mia: 2 of 3 Read & Write licenses

const watches: PageWatch[] = [];
const documents: HtmlDocument[] = [];
/** A new browser context (its own cookies: another person) with JavaScript, and one tab in it. */
async function newTab(): Promise<{ page: Page; watch: PageWatch }> {
  const { page, watch } = await openTab(browser, app.baseURL);
  watches.push(watch);
  return { page, watch };
}
/** axe over the tab as shown now (zero violations), and its HTML kept for the Nu Html Checker. */
async function audit(t: Test, tab: { page: Page; watch: PageWatch }, name: string, html: 'served' | 'dom' = 'served') {
  t.same(await axeViolations(tab.page), [], `axe finds no violations: ${name}`);
  documents.push({ name, html: html === 'served' ? await tab.watch.documentHtml() : await tab.page.content() });
}

const admin = await newTab();
const page = admin.page;
const button = (p: Page, name: string) => p.getByRole('button', { name, exact: true });
const notice = (p: Page) => p.locator('#live-status');
const path = (p: Page) => new URL(p.url()).pathname + new URL(p.url()).search;
const h1 = (p: Page) => p.getByRole('heading', { level: 1 }).textContent();
const dd = (p: Page, term: string) => p.getByRole('term').filter({ hasText: term }).locator('xpath=following-sibling::dd[1]').innerText();
const person = async (email: string) => (await app.db.select().from(persons).where(eq(persons.email, email)))[0]!;
/** The /invite/<token> path of the newest email the app sent to `to`. */
function invitationLink(t: Test, to: string) {
  const mail = app.outbox.at(-1)!;
  t.equal(mail.to, to, `the newest email is to ${to}`);
  t.equal(mail.subject, 'Ada Admin invited you to Acme Ltd on Accord');
  t.match(mail.text, mail.link!, 'the email’s text carries the link');
  const link = new URL(mail.link!).pathname;
  t.match(link, /^\/invite\/[A-Za-z0-9_-]{43}$/);
  return link;
}
/** The invitee opens the link in a fresh browser, chooses a name and a password, and is signed in. */
async function accept(t: Test, link: string, name: string) {
  const tab = await newTab();
  await tab.page.goto(link);
  await tab.page.getByLabel('Your name').fill(name);
  await tab.page.getByLabel('Password').fill(INVITEE_PASSWORD);
  t.same(await navigation(tab.page, () => button(tab.page, 'Accept invitation').click()), POSTED_AND_REDIRECTED);
  t.equal(new URL(tab.page.url()).pathname, '/settings/personal');
  t.equal(await tab.page.getByText(`${name}, Acme Ltd`).count(), 1, 'signed in as themselves');
  return tab;
}

t.test('the administrator turns on automatic distribution of Read & Write', async (t) => {
  await page.goto('/login');
  await signInWith(page, ADMIN.email, ADMIN.password);
  await page.goto('/settings/users');
  await page.getByRole('switch', { name: 'Users will automatically receive a license of type "Read & Write", if available' }).check();
  await notice(page).filter({ hasText: 'Saved. Automatic Read & Write licenses are on.' }).waitFor();
  t.match(await page.locator('#seat-summary').textContent(), '2 of 3 Read & Write licenses distributed, 1 available');
});

t.test('the invitation form, first with errors', async (t) => {
  await page.goto('/people');
  await navigation(page, () => page.getByRole('main').getByRole('link', { name: 'Invite', exact: true }).click());
  t.equal(path(page), '/people/invite');
  t.equal(await h1(page), 'Invite someone');
  const access = page.getByRole('group', { name: 'Access' });
  t.same(await access.getByRole('radio').evaluateAll((els) => els.map((el) => (el as HTMLInputElement).labels?.[0]?.textContent)), ['Inherited by role', 'Read all projects', 'Full permissions']);
  t.ok(await access.getByRole('radio', { name: 'Inherited by role' }).isChecked(), 'inherited by default');
  t.equal(await page.getByText(FALLS_BACK_TO_READ_ONLY).count(), 0, 'a seat is free: no warning');
  await audit(t, admin, 'invite');

  await page.getByLabel('Email').fill('bea@');
  const res = await navigation(page, () => button(page, 'Send invitation').click());
  t.equal(res.status, 422);
  const summary = page.getByRole('alert');
  t.ok(await isFocused(summary), 'focus moves to the error summary');
  t.equal(await summary.getByRole('link', { name: 'Enter a name' }).getAttribute('href'), '#name');
  t.equal(await summary.getByRole('link', { name: 'Enter an email address in the correct format, like name@example.com' }).getAttribute('href'), '#email');
  t.match(await description(page.getByLabel('Email')), 'Error: Enter an email address in the correct format');
  t.equal(await page.getByLabel('Email').inputValue(), 'bea@');
  t.equal(app.outbox.length, 0, 'nothing sent');
  await audit(t, admin, 'invite with errors');
});

let beaLink = '';
t.test('inviting: the person appears on /people marked "Invited", and the email carries a one-time link', async (t) => {
  await page.getByLabel('Name').fill('Bea Baker');
  await page.getByLabel('Email').fill('bea@acme.test');
  await page.getByRole('group', { name: 'Access' }).getByRole('radio', { name: 'Inherited by role' }).check();
  t.same(await navigation(page, () => button(page, 'Send invitation').click()), POSTED_AND_REDIRECTED);
  const bea = await person('bea@acme.test');
  t.equal(path(page), `/people/${bea.id}?notice=invited`);
  t.equal(await notice(page).textContent(), 'Invitation sent.');
  t.equal(await dd(page, 'Status'), 'Invited');
  t.equal(await dd(page, 'License'), 'No Access', 'no license before accepting');
  await page.goto('/people');
  t.match(await page.getByRole('row', { name: /Bea Baker/ }).textContent(), 'Invited');
  beaLink = invitationLink(t, 'bea@acme.test');
  t.match(app.outbox.at(-1)!.text, 'Hello Bea Baker,');
});

let invitee: { page: Page; watch: PageWatch };
t.test('the invitee opens the link in a fresh browser: errors first, then signed in', async (t) => {
  invitee = await newTab();
  const p = invitee.page;
  t.equal((await p.goto(beaLink))?.status(), 200);
  t.equal(await h1(p), 'Join Acme Ltd');
  t.equal(await p.getByLabel('Your name').inputValue(), 'Bea Baker', 'the name the inviter typed');
  t.equal(await p.getByText('bea@acme.test').count(), 1, 'says which email they will sign in with');
  await audit(t, invitee, 'accept invitation');
  await p.getByLabel('Your name').fill('');
  await p.getByLabel('Password').fill('short');
  t.equal((await navigation(p, () => button(p, 'Accept invitation').click())).status, 422);
  const summary = p.getByRole('alert');
  t.ok(await isFocused(summary));
  t.equal(await summary.getByRole('link', { name: 'Enter your name' }).getAttribute('href'), '#name');
  t.equal(await summary.getByRole('link', { name: 'Password must be at least 12 characters' }).getAttribute('href'), '#password');
  t.equal(await p.getByLabel('Password').inputValue(), '', 'the password is never sent back');
  t.equal((await person('bea@acme.test')).invitationState, 'invited', 'nothing saved');
  await audit(t, invitee, 'accept invitation with errors');

  await p.getByLabel('Your name').fill('Beatrice Baker');
  await p.getByLabel('Password').fill(INVITEE_PASSWORD);
  t.same(await navigation(p, () => button(p, 'Accept invitation').click()), POSTED_AND_REDIRECTED);
  t.equal(path(p), '/settings/personal?notice=invitation-accepted');
  t.equal(await notice(p).textContent(), 'Welcome to Accord. You have joined the organization and are signed in.');
  t.equal(await p.getByText('Beatrice Baker, Acme Ltd').count(), 1, 'signed in');
  t.equal(await p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'User management' }).count(), 0, 'not an administrator');
});

t.test('the administrator sees them with access and a Read & Write license', async (t) => {
  await page.goto('/people?q=beatrice');
  t.match(await page.getByRole('row', { name: /Beatrice Baker/ }).textContent(), 'Has access');
  await navigation(page, () => page.getByRole('link', { name: 'Beatrice Baker' }).click());
  t.equal(await dd(page, 'Status'), 'Has access');
  t.equal(await dd(page, 'License'), 'Read & Write');
  await page.goto('/settings/users?q=beatrice');
  t.ok(await page.getByRole('group', { name: 'Beatrice Baker' }).getByRole('radio', { name: 'Read & Write' }).isChecked());
  t.match(await page.locator('#seat-summary').textContent(), '3 of 3 Read & Write licenses distributed, 0 available');
});

t.test('with every seat taken the inviter is warned, and the next invitee gets Read-Only', async (t) => {
  await page.goto('/people/invite');
  const warning = page.getByText(FALLS_BACK_TO_READ_ONLY);
  t.ok(await warning.isVisible(), 'warned before sending');
  t.equal(await description(button(page, 'Send invitation')), FALLS_BACK_TO_READ_ONLY, 'the button is described by the warning');
  await audit(t, admin, 'invite with the Read-Only warning');
  await page.getByLabel('Name').fill('Olga Over');
  await page.getByLabel('Email').fill('olga@acme.test');
  t.same(await navigation(page, () => button(page, 'Send invitation').click()), POSTED_AND_REDIRECTED);
  t.ok(await page.getByText(FALLS_BACK_TO_READ_ONLY).isVisible(), 'and again next to "Resend invitation"');
  t.equal(await description(button(page, 'Resend invitation')), FALLS_BACK_TO_READ_ONLY);
  await audit(t, admin, 'person page: invited, Read-Only warning');

  const olga = await accept(t, invitationLink(t, 'olga@acme.test'), 'Olga Over');
  t.match(await notice(olga.page).textContent(), 'You have joined the organization with a Read-Only license');
  await page.reload();
  t.equal(await dd(page, 'Status'), 'Has access');
  t.equal(await dd(page, 'License'), 'Read-Only');
  t.equal((await person('olga@acme.test')).license, 'read_only');
});

t.test('links that no longer work get a clear page, never a 500', async (t) => {
  const p = invitee.page;
  const used = await p.goto(beaLink);
  t.equal(used?.status(), 410);
  t.equal(await h1(p), 'This invitation has already been accepted');
  t.equal(await p.getByText('This invitation has already been accepted. You are signed in as Beatrice Baker.').count(), 1);
  t.equal(await p.getByRole('link', { name: 'Sign in' }).count(), 0, 'not told to sign in while signed in');
  await audit(t, invitee, 'used link');
  await navigation(p, () => p.getByRole('main').getByRole('link', { name: 'Go to People' }).click());
  t.equal(path(p), '/people');

  await page.goto('/people/invite');
  await page.getByLabel('Name').fill('Eve Early');
  await page.getByLabel('Email').fill('eve@acme.test');
  await navigation(page, () => button(page, 'Send invitation').click());
  const first = invitationLink(t, 'eve@acme.test');
  await navigation(page, () => button(page, 'Resend invitation').click());
  t.equal(await notice(page).textContent(), 'Invitation sent again.');
  const second = invitationLink(t, 'eve@acme.test');
  const withdrawn = await p.goto(first);
  t.equal(withdrawn?.status(), 410);
  t.equal(await h1(p), 'This invitation was withdrawn');
  await audit(t, invitee, 'withdrawn link');
  await app.db.update(invitations).set({ expiresAt: new Date(Date.now() - 60_000) }).where(eq(invitations.personId, (await person('eve@acme.test')).id));
  const expired = await p.goto(second);
  t.equal(expired?.status(), 410);
  t.equal(await h1(p), 'This invitation has expired');
  await audit(t, invitee, 'expired link');
  const unknown = await p.goto('/invite/not-a-real-token-at-all-0123456789');
  t.equal(unknown?.status(), 404);
  t.equal(await h1(p), 'This invitation link is not valid');
  await audit(t, invitee, 'unknown link');
});

t.test('a member may invite within the allowed domains only, and is not offered "Full permissions"', async (t) => {
  await page.goto('/settings/users');
  await page.getByLabel('Allowed email domains').fill('acme.test');
  await page.getByRole('switch', { name: 'Allow users to invite other users' }).check();
  await notice(page).filter({ hasText: 'Saved. Users may invite other users; allowed email domains: acme.test.' }).waitFor();

  const mia = await newTab();
  const p = mia.page;
  await p.goto('/login');
  await signInWith(p, MEMBER.email, MEMBER.password);
  await p.goto('/people');
  t.equal(await p.getByRole('link', { name: 'New contact' }).count(), 0, 'no "New contact" without "Edit people"');
  await audit(t, mia, 'people as a member');
  await navigation(p, () => p.getByRole('main').getByRole('link', { name: 'Invite', exact: true }).click());
  const access = p.getByRole('group', { name: 'Access' });
  t.same(await access.getByRole('radio').evaluateAll((els) => els.map((el) => (el as HTMLInputElement).labels?.[0]?.textContent)), ['Inherited by role', 'Read all projects']);
  t.equal(await p.getByText('Full permissions').count(), 0, '"Full permissions" is not offered at all');
  await audit(t, mia, 'invite as a member');

  await p.getByLabel('Name').fill('Xavier Outside');
  await p.getByLabel('Email').fill('xavier@other.test');
  t.equal((await navigation(p, () => button(p, 'Send invitation').click())).status, 422);
  const message = 'You can only invite email addresses in these domains: acme.test.';
  t.equal(await p.getByRole('alert').getByRole('link', { name: message }).getAttribute('href'), '#email');
  t.equal(await description(p.getByLabel('Email')), `Error: ${message}`);
  t.equal(await p.getByLabel('Email').inputValue(), 'xavier@other.test');
  t.equal((await app.db.select().from(persons).where(eq(persons.email, 'xavier@other.test'))).length, 0, 'no contact created');
  await audit(t, mia, 'invite as a member, domain refused');

  await p.getByLabel('Name').fill('Dan Domain');
  await p.getByLabel('Email').fill('dan@ACME.test');
  await access.getByRole('radio', { name: 'Read all projects' }).check();
  t.same(await navigation(p, () => button(p, 'Send invitation').click()), POSTED_AND_REDIRECTED);
  t.equal(await notice(p).textContent(), 'Invitation sent.');
  t.equal(await dd(p, 'Status'), 'Invited');
  t.equal(app.outbox.at(-1)!.to, 'dan@ACME.test');
  t.equal(app.outbox.at(-1)!.subject, 'Mia Member invited you to Acme Ltd on Accord');
  t.equal(await button(p, 'Resend invitation').count(), 1, 'the member may resend their invitation');
  t.equal(await p.getByRole('link', { name: 'Delete person' }).count(), 0, 'no administrator controls');
  await audit(t, mia, 'person page as a member');
});

t.test('every page is valid HTML (Nu Html Checker)', async (t) => {
  t.equal(documents.length, 14, 'every page and state above was collected');
  t.same(await htmlErrors(documents), []);
});

t.test('no script errors, CSP refusals or missing assets in any tab', async (t) => {
  t.same(watches.flatMap((w) => w.problems), []);
});
