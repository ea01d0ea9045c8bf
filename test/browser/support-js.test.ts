// The privacy policy and "Contact support" in a browser with JavaScript: the policy's contents links, the support
// form reached from the footer (empty, with errors, sent, rate limited, filled in for a signed-in person); axe on
// every page and state, and the Nu Html Checker over them all.
import t from 'tap';
import { SUPPORT_LIMIT } from '../../src/support/forms.js';
import {
  ADMIN,
  POSTED_AND_REDIRECTED,
  description,
  fillSignup,
  htmlErrors,
  isFocused,
  launchBrowser,
  navigation,
  openAuditedPage,
  startApp,
} from '../helpers/browser.js';

const SUPPORT_EMAIL = 'help@accord.test';
const [browser, app] = await Promise.all([launchBrowser(t), startApp(t, { SUPPORT_EMAIL })]);
const { page, watch, documents, audit } = await openAuditedPage(browser, app.baseURL);

const status = page.getByRole('status');
const send = () => navigation(page, () => page.getByRole('button', { name: 'Send message', exact: true }).click());
const fill = async (v: { name: string; email: string; message: string }) => {
  await page.getByLabel('Name').fill(v.name);
  await page.getByLabel('Email').fill(v.email);
  await page.getByLabel('Message').fill(v.message);
};
const SENDER = { name: 'Sam Sender', email: 'sam@example.org', message: 'How do I give someone a Read-Only license?' };

t.test('the privacy policy: one h1, and each contents link takes the reader to its section', async (t) => {
  await page.goto('/privacy');
  t.equal(await page.getByRole('heading', { level: 1 }).count(), 1);
  t.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Privacy');
  await audit(t, 'privacy policy');
  const contents = page.getByRole('navigation', { name: 'Contents' });
  t.equal(await contents.getByRole('link').count(), 9);
  await contents.getByRole('link', { name: 'Cookies' }).click();
  await page.waitForURL(/#cookies$/);
  const heading = page.getByRole('heading', { level: 2, name: 'Cookies' });
  const top = await heading.evaluate((el) => el.getBoundingClientRect().top);
  t.ok(top > -2 && top < 50, `the Cookies section is at the top of the window (${top}px)`);
  t.ok(await page.getByRole('table', { name: 'How long each kind of data is kept' }).isVisible(), 'the retention table has a name');
});

t.test('Contact support from the footer: an empty form', async (t) => {
  await page.goto('/login');
  const footer = page.getByRole('contentinfo');
  t.ok(await footer.getByRole('link', { name: 'Privacy' }).isVisible());
  await navigation(page, () => footer.getByRole('link', { name: 'Contact support' }).click());
  t.equal(new URL(page.url()).pathname, '/support');
  t.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Contact support');
  t.equal(await page.getByLabel('Name').inputValue(), '');
  await audit(t, 'support');
});

t.test('bad input: the error summary gets focus and links to each field', async (t) => {
  await fill({ name: '', email: 'not-an-email', message: '' });
  const res = await send();
  t.equal(res.status, 422);
  const summary = page.getByRole('alert');
  t.ok(await isFocused(summary), 'focus moves to the error summary');
  t.match(await page.title(), /^Error: /);
  const messageLink = summary.getByRole('link', { name: 'Enter your message' });
  t.equal(await messageLink.getAttribute('href'), '#message');
  t.ok(await summary.getByRole('link', { name: 'Enter your name' }).isVisible());
  t.match(await description(page.getByLabel('Message')), 'Error: Enter your message');
  t.equal(await page.getByLabel('Email').inputValue(), 'not-an-email', 'what was typed is kept');
  await audit(t, 'support with errors');
  await messageLink.click();
  t.ok(await isFocused(page.getByLabel('Message')), 'the link takes the person to the field');
  t.equal(app.outbox.length, 0);
});

t.test('a message is sent, confirmed in the live region, and mailed to support with Reply-To the sender', async (t) => {
  await fill(SENDER);
  t.same(await send(), POSTED_AND_REDIRECTED);
  t.equal(await status.textContent(), 'Your message has been sent to support. We will answer by email.');
  t.equal(await page.getByLabel('Message').inputValue(), '', 'an empty form for the next message');
  await audit(t, 'support sent');
  const mail = app.outbox.at(-1)!;
  t.equal(mail.to, SUPPORT_EMAIL);
  t.same(mail.replyTo, { name: SENDER.name, address: SENDER.email });
  t.match(mail.text, SENDER.message);
});

t.test('too many messages from one address: the error summary says when to try again, the message stays', async (t) => {
  for (let i = 1; i < SUPPORT_LIMIT.max; i++) {
    await fill(SENDER);
    t.same(await send(), POSTED_AND_REDIRECTED);
  }
  await fill({ ...SENDER, message: 'One more question' });
  const res = await send();
  t.equal(res.status, 429);
  const summary = page.getByRole('alert');
  t.ok(await isFocused(summary));
  t.match(await summary.textContent(), `You have sent ${SUPPORT_LIMIT.max} messages from your address`);
  t.equal(await page.getByLabel('Message').inputValue(), 'One more question');
  t.equal(app.outbox.length, SUPPORT_LIMIT.max);
  await audit(t, 'support rate limited');
});

t.test('a signed-in person finds their name and email filled in', async (t) => {
  await page.goto('/signup');
  await fillSignup(page);
  t.same(await navigation(page, () => page.getByRole('button', { name: 'Create organization' }).click()), POSTED_AND_REDIRECTED);
  await navigation(page, () => page.getByRole('contentinfo').getByRole('link', { name: 'Contact support' }).click());
  t.equal(await page.getByLabel('Name').inputValue(), ADMIN.name);
  t.equal(await page.getByLabel('Email').inputValue(), ADMIN.email);
  await audit(t, 'support signed in');
  await page.goto('/privacy');
  await audit(t, 'privacy policy signed in');
});

t.test('every page is valid HTML (Nu Html Checker)', async (t) => {
  t.equal(documents.length, 7, 'every page and state above was collected');
  t.same(await htmlErrors(documents), []);
});

t.test('no script errors, CSP refusals or missing assets in any page', async (t) => {
  t.same(watch.problems, []);
});
