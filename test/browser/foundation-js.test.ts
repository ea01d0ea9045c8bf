// The foundation in a real browser with JavaScript: sign-up → privacy → sign-in → password reset, htmx autosave,
// axe on every page and state, and the Nu Html Checker over every page's HTML (one JVM run at the end).
import { eq } from 'drizzle-orm';
import t, { type Test } from 'tap';
import { accounts, persons } from '../../src/db/schema.js';
import {
  ADMIN,
  description,
  fillSignup,
  htmlErrors,
  insertMember,
  isFocused,
  launchBrowser,
  openAuditedPage,
  navigation,
  signInWith,
  startApp,
} from '../helpers/browser.js';

const MEMBER = { name: 'Max Member', email: 'max@acme.test', password: 'member password 1' };
const CHANGED_PASSWORD = 'changed from the personal page';
const NEW_PASSWORD = 'a brand new passphrase';

const [browser, app] = await Promise.all([launchBrowser(t), startApp(t)]);
const { context, page, watch, documents, audit } = await openAuditedPage(browser, app.baseURL);

const status = page.getByRole('status');
const button = (name: string) => page.getByRole('button', { name, exact: true });
const adminPersonRow = async () => (await app.db.select().from(persons).where(eq(persons.email, ADMIN.email)))[0]!;
const accountRow = async () => (await app.db.select().from(accounts))[0]!;

/** Marks the current document; the check it returns is true only if no page load happened since. */
async function markDocument() {
  await page.evaluate(() => ((window as unknown as { accordMark: boolean }).accordMark = true));
  return () => page.evaluate(() => (window as unknown as { accordMark?: boolean }).accordMark === true);
}

t.test('sign-up: empty form, then errors with a summary that links to the fields', async (t) => {
  await page.goto('/signup');
  t.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Create your organization');
  await audit(t, 'sign-up');
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to main content' });
  t.ok(await isFocused(skip), 'the first Tab reaches the skip link');
  await page.keyboard.press('Enter');
  t.ok(await isFocused(page.getByRole('main')), 'the skip link moves focus to the main content');

  await fillSignup(page, { email: 'not-an-email', password: 'short', passwordReminder: '', readWriteLicenses: '0' });
  const res = await navigation(page, () => button('Create organization').click());
  t.equal(res.status, 422);
  t.match(await page.title(), /^Error: /, 'the title says there is an error');
  const summary = page.getByRole('alert');
  t.equal(await summary.getByRole('heading').textContent(), 'There is a problem');
  t.ok(await isFocused(summary), 'focus moves to the error summary');
  const emailLink = summary.getByRole('link', { name: 'Enter an email address in the correct format, like name@example.com' });
  t.equal(await emailLink.getAttribute('href'), '#email');
  t.equal(await summary.getByRole('link', { name: 'Password must be at least 12 characters' }).getAttribute('href'), '#password');
  t.equal(await summary.getByRole('link', { name: 'You need at least 1 Read & Write license' }).getAttribute('href'), '#readWriteLicenses');
  const email = page.getByLabel('Email');
  t.equal(await email.getAttribute('aria-invalid'), 'true');
  t.match(await description(email), 'Error: Enter an email address in the correct format', 'the inline message describes the field');
  t.equal(await email.inputValue(), 'not-an-email', 'what was typed is kept');
  t.equal(await page.getByLabel('Password', { exact: true }).inputValue(), '', 'the password is never sent back');
  await audit(t, 'sign-up with errors');
  await emailLink.click();
  t.ok(await isFocused(email), 'the summary link takes the person to the field');
  t.equal((await app.db.select().from(accounts)).length, 0, 'nothing saved');
});

t.test('sign-up creates the organization and lands on its page', async (t) => {
  await fillSignup(page);
  const res = await navigation(page, () => button('Create organization').click());
  t.same(res, { status: 200, redirectStatus: 303, method: 'POST' });
  t.equal(new URL(page.url()).pathname, '/settings/organization');
  t.equal(await status.textContent(), 'Welcome to Accord. Your organization is ready.');
  t.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Organization');
  await audit(t, 'organization');
  await insertMember(app.db, ADMIN.organizationName, MEMBER);
});

t.test('organization privacy switch autosaves with htmx, announces "Saved" and keeps focus', async (t) => {
  const privacy = page.getByRole('switch', { name: 'Enable privacy settings in this account' });
  t.notOk(await privacy.isChecked(), 'off by default');
  t.ok(await page.getByRole('switch', { name: 'Allow AI assistance' }).isChecked(), 'AI assistance on by default');
  const sameDocument = await markDocument();
  await privacy.check();
  await status.filter({ hasText: /^Saved\. Enable privacy settings in this account is on/ }).waitFor();
  t.ok(await sameDocument(), 'saved without a page load');
  t.ok(await isFocused(privacy), 'focus stays on the switch');
  t.ok(await privacy.isChecked());
  t.equal((await accountRow()).privacyEnabled, true, 'saved in the database');
  await audit(t, 'organization after an htmx save', 'dom');
});

t.test('quick changes while a save is on its way are all saved', async (t) => {
  const privacy = page.getByRole('switch', { name: 'Enable privacy settings in this account' });
  const ai = page.getByRole('switch', { name: 'Allow AI assistance' });
  // A slow network: each save takes 400 ms, so the next changes are made while the first is still on its way.
  const url = `${app.baseURL}/settings/organization/privacy`;
  await page.route(url, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 400));
    await route.continue();
  });
  let requests = 0;
  page.on('request', (req) => void (req.url() === url && requests++));
  await page.evaluate(() => {
    const w = window as unknown as { accordSwaps: number };
    w.accordSwaps = 0;
    document.addEventListener('htmx:after:swap', () => w.accordSwaps++);
  });
  await privacy.focus();
  await page.keyboard.press('Space'); // privacy off: sent at once
  await ai.focus();
  await page.keyboard.press('Space'); // AI off: waits for the first save
  await privacy.focus();
  await page.keyboard.press('Space'); // privacy on again: must not be dropped
  await page.waitForFunction(() => (window as unknown as { accordSwaps: number }).accordSwaps === 2);
  await page.unroute(url);
  t.equal(requests, 2, 'the changes made during the first save are sent together once it is done');
  const account = await accountRow();
  t.same({ privacyEnabled: account.privacyEnabled, aiAllowed: account.aiAllowed }, { privacyEnabled: true, aiAllowed: false }, 'the last state the person set is saved');
  t.ok(await privacy.isChecked());
  t.notOk(await ai.isChecked());
  t.equal(await status.textContent(), 'Saved. Enable privacy settings in this account is on; Allow AI assistance is off.');
  await ai.check();
  await status.filter({ hasText: 'Allow AI assistance is on.' }).waitFor();
  t.equal((await accountRow()).aiAllowed, true);
});

t.test('personal telemetry switch: keyboard toggle autosaves and persists', async (t) => {
  await page.goto('/settings/personal');
  t.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Personal');
  await audit(t, 'personal (allowed)');
  const telemetry = page.getByRole('switch', { name: 'Send telemetry data' });
  t.notOk(await telemetry.isChecked(), 'off by default');
  t.notOk(await telemetry.isDisabled());
  t.equal(await page.locator('#personal-privacy').getByRole('button', { name: 'Save' }).count(), 0, 'it saves on change: no Save button');
  const sameDocument = await markDocument();
  await telemetry.focus();
  await page.keyboard.press('Space');
  await status.filter({ hasText: 'Saved. Send telemetry data is on.' }).waitFor();
  t.ok(await sameDocument(), 'saved without a page load');
  t.ok(await isFocused(telemetry), 'focus stays on the switch');
  t.equal((await adminPersonRow()).telemetry, true);
  await page.reload();
  t.ok(await telemetry.isChecked(), 'still on after a reload');
});

t.test('sign out, a wrong password, then sign in again', async (t) => {
  const out = await navigation(page, () => button('Sign out').click());
  t.same(out, { status: 200, redirectStatus: 303, method: 'POST' });
  t.equal(new URL(page.url()).pathname, '/login');
  t.equal(await status.textContent(), 'You have been signed out.');
  await audit(t, 'sign-in');

  const bad = await signInWith(page, ADMIN.email, 'not the password');
  t.equal(bad.status, 422);
  t.equal(await page.getByRole('alert').getByRole('heading').textContent(), 'There is a problem');
  t.ok(await page.getByRole('alert').getByRole('link', { name: /The email or password is not right/ }).isVisible());
  t.equal(await page.getByLabel('Email').inputValue(), ADMIN.email);
  await audit(t, 'sign-in with errors');

  const good = await signInWith(page, ADMIN.email, ADMIN.password);
  t.same(good, { status: 200, redirectStatus: 303, method: 'POST' });
  t.equal(new URL(page.url()).pathname, '/settings/personal');
  t.ok(await page.getByRole('switch', { name: 'Send telemetry data' }).isChecked(), 'the setting survived signing out');
});

t.test('subscription: fewer licenses than distributed is refused with a clear error', async (t) => {
  await page.goto('/settings/organization');
  await page.getByLabel('Read & Write licenses').fill('1');
  const res = await navigation(page, () => button('Save subscription').click());
  t.equal(res.status, 422);
  const message = 'You can’t have fewer Read & Write licenses than are distributed (2). Change people’s licenses first.';
  t.ok(await isFocused(page.getByRole('alert')), 'focus moves to the error summary');
  t.equal(await page.getByRole('alert').getByRole('link', { name: message }).getAttribute('href'), '#readWriteLicenses');
  t.match(await description(page.getByLabel('Read & Write licenses')), message);
  t.equal((await accountRow()).readWriteLicenses, 5, 'nothing changed');
  await audit(t, 'organization with a subscription error');
});

t.test('privacy off again: the personal switch is off, disabled and says why', async (t) => {
  await page.goto('/settings/organization');
  const privacy = page.getByRole('switch', { name: 'Enable privacy settings in this account' });
  t.ok(await privacy.isChecked());
  await privacy.uncheck();
  await status.filter({ hasText: /^Saved\. Enable privacy settings in this account is off/ }).waitFor();
  t.equal((await adminPersonRow()).telemetry, false, 'everyone’s telemetry was turned off');

  await page.goto('/settings/personal');
  const telemetry = page.getByRole('switch', { name: 'Send telemetry data' });
  t.notOk(await telemetry.isChecked());
  t.ok(await telemetry.isDisabled());
  t.equal(await description(telemetry), 'Your administrator has not enabled this setting for the account.');
  t.ok(await page.getByText('Your administrator has not enabled this setting for the account.').isVisible());
  await audit(t, 'personal (not allowed)');
});

t.test('a change refused because the administrator just disabled it shows the saved state', async (t) => {
  // A second tab of the administrator turns privacy on, the personal page is opened, then the tab turns it off.
  const adminTab = await context.newPage();
  await adminTab.goto('/settings/organization');
  const privacy = adminTab.getByRole('switch', { name: 'Enable privacy settings in this account' });
  await privacy.check();
  await adminTab.getByRole('status').filter({ hasText: /is on;/ }).waitFor();
  await page.reload();
  const telemetry = page.getByRole('switch', { name: 'Send telemetry data' });
  t.notOk(await telemetry.isDisabled(), 'allowed when the page was loaded');
  await privacy.uncheck();
  await adminTab.getByRole('status').filter({ hasText: /is off;/ }).waitFor();
  await adminTab.close();

  await telemetry.focus();
  await page.keyboard.press('Space');
  const summary = page.getByRole('alert');
  await summary.waitFor();
  t.equal(await summary.getByRole('heading').textContent(), 'There is a problem');
  t.ok(await summary.getByRole('link', { name: 'Your administrator has not enabled this setting for the account.' }).isVisible());
  t.notOk(await telemetry.isChecked(), 'the switch shows what is saved: off');
  t.ok(await telemetry.isDisabled());
  t.ok(await isFocused(summary), 'focus is not lost: it moves to the error summary');
  t.equal((await adminPersonRow()).telemetry, false);
  await audit(t, 'personal after a refused htmx save', 'dom');
});

t.test('a switch refused with 403 (the license became Read-Only meanwhile) says why in the error summary only', async (t) => {
  await page.goto('/settings/organization');
  const ai = page.getByRole('switch', { name: 'Allow AI assistance' });
  const before = await ai.isChecked();
  await app.db.update(persons).set({ license: 'read_only' }).where(eq(persons.email, ADMIN.email));
  try {
    await ai.focus();
    await page.keyboard.press('Space');
    const summary = page.getByRole('alert');
    await summary.waitFor();
    t.equal(await summary.getByRole('heading').textContent(), 'You can’t do that');
    t.match(await summary.textContent(), 'Your license is Read-Only');
    t.equal(await ai.isChecked(), before, 'the switch shows what is saved');
    t.equal(await page.getByRole('heading', { level: 1 }).count(), 1, 'one h1: no error page inside the form');
    t.equal(await page.getByRole('main').count(), 1, 'one main');
    t.equal(await page.locator('#live-status').count(), 1, 'one live region');
    t.ok(await isFocused(ai), 'focus stays on the switch');
    t.equal((await accountRow()).aiAllowed, before, 'nothing saved');
    await audit(t, 'organization after a 403 on an htmx save', 'dom');
  } finally {
    await app.db.update(persons).set({ license: 'read_write' }).where(eq(persons.email, ADMIN.email));
  }
});

t.test('privacy page and a missing page', async (t) => {
  await page.goto('/privacy');
  t.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Privacy');
  await audit(t, 'privacy');
  const res = await page.goto('/no-such-page');
  t.equal(res?.status(), 404);
  t.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Page not found');
  await audit(t, 'not found');
});

t.test('password reset by the emailed link', async (t) => {
  await navigation(page, () => button('Sign out').click());
  await navigation(page, () => page.getByRole('link', { name: 'Forgot password?' }).click());
  t.equal(new URL(page.url()).pathname, '/password/forgot');
  await audit(t, 'forgot password');
  await page.getByLabel('Email').fill(ADMIN.email);
  const sent = await navigation(page, () => button('Send reset link').click());
  t.same(sent, { status: 200, redirectStatus: 303, method: 'POST' });
  t.match(await status.textContent(), /^If an account uses that email, we have sent a link/);
  const mail = app.outbox.at(-1);
  t.equal(mail?.to, ADMIN.email);
  const resetPath = new URL(mail!.link!).pathname;

  await page.goto(resetPath);
  t.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Choose a new password');
  await audit(t, 'reset password');
  await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel('Confirm new password').fill(NEW_PASSWORD);
  const changed = await navigation(page, () => button('Change password').click());
  t.same(changed, { status: 200, redirectStatus: 303, method: 'POST' });
  t.equal(new URL(page.url()).pathname, '/settings/personal');
  t.equal(await status.textContent(), 'Your password has been changed.');

  const used = await page.goto(resetPath);
  t.equal(used?.status(), 410, 'the link works once');
  t.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'This link no longer works');
  await audit(t, 'reset link no longer valid');

  await navigation(page, () => button('Sign out').click());
  t.equal((await signInWith(page, ADMIN.email, ADMIN.password)).status, 422, 'the old password no longer works');
  t.equal((await signInWith(page, ADMIN.email, NEW_PASSWORD)).redirectStatus, 303, 'the new one does');
});

t.test('change password from Personal, Security: a wrong current password, then the change', async (t) => {
  await page.goto('/settings/personal');
  await navigation(page, () => page.getByRole('link', { name: 'Change password' }).click());
  t.equal(new URL(page.url()).pathname, '/settings/personal/password');
  t.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Change your password');
  await audit(t, 'change password');
  await page.getByLabel('Current password').fill('not my password at all');
  await page.getByLabel('New password', { exact: true }).fill(CHANGED_PASSWORD);
  await page.getByLabel('Confirm new password').fill(CHANGED_PASSWORD);
  const wrong = await navigation(page, () => button('Change password').click());
  t.equal(wrong.status, 422);
  t.ok(await page.getByRole('alert').getByRole('link', { name: /Your current password is not right/ }).isVisible());
  t.equal(await page.getByLabel('Current password').inputValue(), '', 'no password is sent back');
  await audit(t, 'change password with errors');
  await page.getByLabel('Current password').fill(NEW_PASSWORD);
  await page.getByLabel('New password', { exact: true }).fill(CHANGED_PASSWORD);
  await page.getByLabel('Confirm new password').fill(CHANGED_PASSWORD);
  t.same(await navigation(page, () => button('Change password').click()), { status: 200, redirectStatus: 303, method: 'POST' });
  t.equal(new URL(page.url()).pathname, '/settings/personal');
  t.equal(await status.textContent(), 'Your password has been changed. Every other device signed in to your account has been signed out.');
  t.equal(app.outbox.at(-1)?.subject, 'Your Accord password was changed');
  await navigation(page, () => button('Sign out').click());
  t.equal((await signInWith(page, ADMIN.email, CHANGED_PASSWORD)).redirectStatus, 303, 'the changed password signs in');
});

t.test('a person who is not an administrator gets 403 on account settings and sees no link to them', async (t) => {
  await navigation(page, () => button('Sign out').click());
  await signInWith(page, MEMBER.email, MEMBER.password);
  t.equal(new URL(page.url()).pathname, '/settings/personal');
  const nav = page.getByRole('navigation', { name: 'Main' });
  t.equal(await nav.getByRole('link', { name: 'Personal' }).count(), 1);
  t.equal(await nav.getByRole('link', { name: 'Organization' }).count(), 0, 'no link to account settings');
  const res = await page.goto('/settings/organization');
  t.equal(res?.status(), 403);
  t.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'You can’t do that');
  await audit(t, 'forbidden');
});

t.test('every page is valid HTML (Nu Html Checker)', async (t) => {
  t.equal(documents.length, 19, 'every page and state above was collected');
  t.same(await htmlErrors(documents), []);
});

t.test('no script errors, CSP refusals or missing assets in any page', async (t) => {
  t.same(watch.problems, []);
});
