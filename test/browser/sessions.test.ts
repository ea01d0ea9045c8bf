// "Your sessions" in a real browser, with and without JavaScript: the person is signed in on three browsers (each a
// context of its own); from the first they see all three, this device marked, sign one out (that browser is signed
// out at its next request), then all the others. axe on every page and state with JavaScript; the Nu Html Checker
// over every page.
import t from 'tap';
import { signUp } from '../helpers/agent.js';
import { ADMIN, type HtmlDocument, htmlErrors, navigation, openAuditedPage, openTab, POSTED_AND_REDIRECTED, signInWith, launchBrowser, startApp } from '../helpers/browser.js';

const [browser, app] = await Promise.all([launchBrowser(t), startApp(t)]);
await signUp(app.app);
const documents: HtmlDocument[] = [];

/** A browser of its own, signed in as the administrator. */
async function signedInTab(javaScript: boolean) {
  const tab = await openTab(browser, app.baseURL, { javaScript });
  await tab.page.goto('/login');
  await signInWith(tab.page, ADMIN.email, ADMIN.password);
  return tab;
}
const signedOut = async (page: Awaited<ReturnType<typeof signedInTab>>['page']) => {
  await page.goto('/settings/personal');
  return new URL(page.url()).pathname === '/login';
};

for (const javaScript of [true, false]) {
  t.test(`${javaScript ? 'with' : 'without'} JavaScript: see every session, sign one out, then all the others`, async (t) => {
    const audited = javaScript ? await openAuditedPage(browser, app.baseURL) : undefined;
    const { page } = audited ?? (await openTab(browser, app.baseURL, { javaScript: false }));
    await page.goto('/login');
    await signInWith(page, ADMIN.email, ADMIN.password);
    const second = await signedInTab(javaScript);
    const third = await signedInTab(javaScript);
    const audit = async (name: string) => {
      if (audited) await audited.audit(t, name);
    };

    await page.goto('/settings/personal');
    await navigation(page, () => page.getByRole('link', { name: 'Your sessions' }).click());
    t.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Your sessions');
    const table = page.getByRole('table', { name: 'Signed-in sessions, the most recently active first' });
    const rows = table.getByRole('row');
    t.ok((await rows.count()) >= 4, 'a header and at least three sessions');
    t.match(await page.locator('#this-device').innerText(), /This device/);
    t.match(await page.locator('#this-device').innerText(), /HeadlessChrome|Chrome/, 'the browser, from its User-Agent');
    await audit('your sessions');

    // sign out the newest other session (the third browser): it is the row right after this device's
    const before = await table.getByRole('button', { name: /^Sign out / }).count();
    const lastOther = table.getByRole('button', { name: /^Sign out / }).first();
    t.same(await navigation(page, () => lastOther.click()), POSTED_AND_REDIRECTED);
    t.equal(await page.locator('#live-status').textContent(), 'Signed out. That session has ended: the device it was on is signed out.');
    t.equal(await table.getByRole('button', { name: /^Sign out / }).count(), before - 1, 'one session fewer');
    await audit('your sessions, one signed out');
    t.ok(await signedOut(third.page), 'the third browser is signed out');
    t.notOk(await signedOut(second.page), 'the second is not');

    t.same(await navigation(page, () => page.getByRole('button', { name: 'Sign out of all other sessions' }).click()), POSTED_AND_REDIRECTED);
    t.equal(await page.locator('#live-status').textContent(), 'You have been signed out of every other session.');
    t.ok(await page.getByText('You are signed in on this device only.').isVisible());
    t.equal(await table.getByRole('button', { name: /^Sign out / }).count(), 0);
    await audit('your sessions, this device only');
    t.ok(await signedOut(second.page), 'the second browser is signed out');
    t.equal(new URL(page.url()).pathname, '/settings/personal/sessions', 'this one is still signed in');
    if (audited) documents.push(...audited.documents);
    for (const tab of [second, third]) await tab.context.close();
  });
}

t.test('the Nu Html Checker finds no error on any page', async (t) => {
  t.equal(documents.length, 3);
  t.same(await htmlErrors(documents), []);
});
