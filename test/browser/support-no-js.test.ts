// "Contact support" with JavaScript turned off: the form is a plain POST answered by 422 with the error summary,
// or by 303 and a visible confirmation. Behaviour only (axe and the Nu Html Checker run in support-js).
import t from 'tap';
import { POSTED_AND_REDIRECTED, description, isFocused, launchBrowser, navigation, openTab, startApp } from '../helpers/browser.js';

const SUPPORT_EMAIL = 'help@accord.test';
const [browser, app] = await Promise.all([launchBrowser(t), startApp(t, { SUPPORT_EMAIL })]);
const { page, watch } = await openTab(browser, app.baseURL, { javaScript: false });

const send = () => navigation(page, () => page.getByRole('button', { name: 'Send message', exact: true }).click());

t.test('a message with a missing field gets the error summary, whose links reach the fields', async (t) => {
  await page.goto('/privacy');
  await navigation(page, () => page.getByRole('contentinfo').getByRole('link', { name: 'Contact support' }).click());
  t.equal(new URL(page.url()).pathname, '/support');
  await page.getByLabel('Name').fill('Sam Sender');
  await page.getByLabel('Email').fill('sam@example.org');
  t.equal((await send()).status, 422);
  const summary = page.getByRole('alert');
  t.equal(await summary.getByRole('heading').textContent(), 'There is a problem');
  await summary.getByRole('link', { name: 'Enter your message' }).click();
  t.equal(new URL(page.url()).hash, '#message');
  t.ok(await isFocused(page.getByLabel('Message')), 'the link takes the person to the field, without scripts too');
  t.match(await description(page.getByLabel('Message')), 'Error: Enter your message');
  t.equal(await page.getByLabel('Email').inputValue(), 'sam@example.org', 'what was typed is kept');
  t.equal(app.outbox.length, 0);
});

t.test('a complete message is sent: 303 back to the form with the confirmation', async (t) => {
  await page.getByLabel('Message').fill('Where do I change our plan?');
  t.same(await send(), POSTED_AND_REDIRECTED);
  t.equal(new URL(page.url()).pathname + new URL(page.url()).search, '/support?notice=support-sent');
  t.equal(await page.getByRole('status').textContent(), 'Your message has been sent to support. We will answer by email.');
  t.equal(app.outbox.length, 1);
  t.equal(app.outbox[0]!.to, SUPPORT_EMAIL);
  t.same(app.outbox[0]!.replyTo, { name: 'Sam Sender', address: 'sam@example.org' });
});

t.test('the policy’s contents links work without scripts', async (t) => {
  await page.goto('/privacy');
  await page.getByRole('navigation', { name: 'Contents' }).getByRole('link', { name: 'Contact support' }).click();
  t.equal(new URL(page.url()).hash, '#support');
});

t.test('no errors or missing assets in any page', async (t) => {
  t.same(watch.problems, []);
});
