// The same foundation flow with JavaScript turned off: every form is a plain POST answered by 303 (or 422),
// and the switches are saved with their form's "Save" button. Behaviour only; axe and vnu run in the JS file.
import { eq } from 'drizzle-orm';
import t from 'tap';
import { accounts, persons } from '../../src/db/schema.js';
import {
  ADMIN,
  POSTED_AND_REDIRECTED,
  description,
  fillSignup,
  isFocused,
  launchBrowser,
  navigation,
  signInWith,
  startApp,
  watchPage,
} from '../helpers/browser.js';

const CHANGED_PASSWORD = 'changed from the personal page';
const NEW_PASSWORD = 'a brand new passphrase';

const [browser, app] = await Promise.all([launchBrowser(t), startApp(t)]);
const context = await browser.newContext({ baseURL: app.baseURL, javaScriptEnabled: false });
context.setDefaultTimeout(10_000);
const page = await context.newPage();
const watch = watchPage(page);

const status = page.getByRole('status');
const button = (name: string) => page.getByRole('button', { name, exact: true });
const path = () => {
  const url = new URL(page.url());
  return url.pathname + url.search;
};
const adminRow = async () => (await app.db.select().from(persons).where(eq(persons.email, ADMIN.email)))[0]!;
const accountRow = async () => (await app.db.select().from(accounts))[0]!;

t.test('a bad sign-up shows the error summary with links to the fields', async (t) => {
  await page.goto('/signup');
  await fillSignup(page, { email: 'not-an-email', password: 'short', passwordReminder: '' });
  const res = await navigation(page, () => button('Create organization').click());
  t.equal(res.status, 422);
  const summary = page.getByRole('alert');
  t.equal(await summary.getByRole('heading').textContent(), 'There is a problem');
  const link = summary.getByRole('link', { name: 'Enter an email address in the correct format, like name@example.com' });
  t.match(await description(page.getByLabel('Email')), 'Error: Enter an email address in the correct format');
  await link.click();
  t.equal(new URL(page.url()).hash, '#email');
  t.ok(await isFocused(page.getByLabel('Email')), 'the link takes the person to the field, without scripts too');
  t.equal((await app.db.select().from(accounts)).length, 0, 'nothing saved');
});

t.test('sign-up lands on the organization page', async (t) => {
  await fillSignup(page);
  t.same(await navigation(page, () => button('Create organization').click()), POSTED_AND_REDIRECTED);
  t.equal(path(), '/settings/organization?notice=welcome');
  t.equal(await status.textContent(), 'Welcome to Accord. Your organization is ready.');
});

t.test('organization privacy switch is saved with the form’s Save button', async (t) => {
  const privacy = page.getByRole('switch', { name: 'Enable privacy settings in this account' });
  await privacy.check();
  t.equal((await accountRow()).privacyEnabled, false, 'turning the switch alone sends nothing without scripts');
  t.same(await navigation(page, () => button('Save').click()), POSTED_AND_REDIRECTED);
  t.equal(path(), '/settings/organization?notice=saved');
  t.equal(await status.textContent(), 'Saved');
  t.ok(await privacy.isChecked(), 'the reloaded page shows it on');
  t.ok(await page.getByRole('switch', { name: 'Allow AI assistance' }).isChecked(), 'the other switch kept its value');
  t.equal((await accountRow()).privacyEnabled, true);
});

t.test('personal telemetry switch is saved with Save and persists', async (t) => {
  await page.goto('/settings/personal');
  const telemetry = page.getByRole('switch', { name: 'Send telemetry data' });
  t.notOk(await telemetry.isChecked(), 'off by default');
  await telemetry.check();
  t.same(await navigation(page, () => button('Save').click()), POSTED_AND_REDIRECTED);
  t.equal(path(), '/settings/personal?notice=saved');
  t.equal(await status.textContent(), 'Saved');
  await page.reload();
  t.ok(await telemetry.isChecked(), 'still on after a reload');
  t.equal((await adminRow()).telemetry, true);
});

t.test('sign out and sign in again', async (t) => {
  t.same(await navigation(page, () => button('Sign out').click()), POSTED_AND_REDIRECTED);
  t.equal(path(), '/login?notice=signed-out');
  t.equal(await status.textContent(), 'You have been signed out.');
  t.equal((await page.goto('/settings/personal'))?.url().replace(app.baseURL, ''), '/login?next=%2Fsettings%2Fpersonal', 'signed out for real');
  t.same(await signInWith(page, ADMIN.email, ADMIN.password), POSTED_AND_REDIRECTED);
  t.equal(path(), '/settings/personal');
  t.ok(await page.getByRole('switch', { name: 'Send telemetry data' }).isChecked());
});

t.test('privacy off again: the personal switch is off, disabled and says why', async (t) => {
  await page.goto('/settings/organization');
  await page.getByRole('switch', { name: 'Enable privacy settings in this account' }).uncheck();
  t.same(await navigation(page, () => button('Save').click()), POSTED_AND_REDIRECTED);
  t.equal(await status.textContent(), 'Saved');
  t.equal((await adminRow()).telemetry, false, 'everyone’s telemetry was turned off');

  await page.goto('/settings/personal');
  const telemetry = page.getByRole('switch', { name: 'Send telemetry data' });
  t.notOk(await telemetry.isChecked());
  t.ok(await telemetry.isDisabled());
  t.ok(await button('Save').isDisabled(), 'nothing to save');
  t.equal(await description(telemetry), 'Your administrator has not enabled this setting for the account.');
  t.ok(await page.getByText('Your administrator has not enabled this setting for the account.').isVisible());
});

t.test('password reset through “Forgot password?”', async (t) => {
  await navigation(page, () => button('Sign out').click());
  await navigation(page, () => page.getByRole('link', { name: 'Forgot password?' }).click());
  await page.getByLabel('Email').fill(ADMIN.email);
  t.same(await navigation(page, () => button('Send reset link').click()), POSTED_AND_REDIRECTED);
  t.equal(path(), '/login?notice=reset-sent');
  const mail = app.outbox.at(-1);
  t.equal(mail?.to, ADMIN.email);
  await page.goto(new URL(mail!.link!).pathname);
  await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel('Confirm new password').fill('something else entirely');
  const mismatch = await navigation(page, () => button('Change password').click());
  t.equal(mismatch.status, 422);
  t.ok(await page.getByRole('alert').getByRole('link', { name: 'Passwords do not match' }).isVisible());
  await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel('Confirm new password').fill(NEW_PASSWORD);
  t.same(await navigation(page, () => button('Change password').click()), POSTED_AND_REDIRECTED);
  t.equal(path(), '/settings/personal?notice=password-reset');
  t.equal(await status.textContent(), 'Your password has been changed.');
  await navigation(page, () => button('Sign out').click());
  t.same(await signInWith(page, ADMIN.email, NEW_PASSWORD), POSTED_AND_REDIRECTED, 'the new password works');
});

t.test('change password from Personal, Security, with plain POSTs', async (t) => {
  await page.goto('/settings/personal');
  await navigation(page, () => page.getByRole('link', { name: 'Change password' }).click());
  t.equal(path(), '/settings/personal/password');
  await page.getByLabel('Current password').fill(NEW_PASSWORD);
  await page.getByLabel('New password', { exact: true }).fill('too short');
  await page.getByLabel('Confirm new password').fill('too short');
  const short = await navigation(page, () => button('Change password').click());
  t.equal(short.status, 422);
  t.ok(await page.getByRole('alert').getByRole('link', { name: 'Password must be at least 12 characters' }).isVisible());
  await page.getByLabel('Current password').fill(NEW_PASSWORD);
  await page.getByLabel('New password', { exact: true }).fill(CHANGED_PASSWORD);
  await page.getByLabel('Confirm new password').fill(CHANGED_PASSWORD);
  t.same(await navigation(page, () => button('Change password').click()), POSTED_AND_REDIRECTED);
  t.equal(path(), '/settings/personal?notice=password-changed');
  t.equal(await status.textContent(), 'Your password has been changed. Every other device signed in to your account has been signed out.');
  await navigation(page, () => button('Sign out').click());
  t.same(await signInWith(page, ADMIN.email, CHANGED_PASSWORD), POSTED_AND_REDIRECTED, 'the changed password works');
});

t.test('no failed requests or console errors', async (t) => {
  t.same(watch.problems, []);
});
