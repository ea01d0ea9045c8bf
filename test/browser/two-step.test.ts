// Two-step verification in a real browser, with and without JavaScript: an administrator sets it up from Personal
// (the key read off the page, a wrong code, then the code an authenticator app would show), gets the 10 recovery
// codes and downloads them; signs out and in again with a code from the app, then with a recovery code. Then they
// require it of everyone (an htmx autosave, or the Save button): a person signing in is sent to set it up; the
// administrator resets that person's two-step verification from their page, and the person must set it up again.
// Codes are made here with otpauth, as an app would; each sign-in uses a step not used yet (no waiting, no clock).
// axe on every page and state with JavaScript; the Nu Html Checker over every page.
import fs from 'node:fs';
import * as OTPAuth from 'otpauth';
import t, { type Test } from 'tap';
import type { Page } from 'playwright-core';
import { accounts } from '../../src/db/schema.js';
import { signUp } from '../helpers/agent.js';
import { ADMIN, type HtmlDocument, htmlErrors, launchBrowser, navigation, openAuditedPage, openTab, POSTED_AND_REDIRECTED, signInWith, startApp } from '../helpers/browser.js';
import { insertPerson } from '../helpers/factories.js';

const PAGE = '/settings/personal/two-step';
const RECOVERY_CODE = /^[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}$/;

// 10 sign-ins and 4 wrong codes from one address: more than its default 10 attempts (the limit is the route tests' job)
const [browser, app] = await Promise.all([launchBrowser(t), startApp(t, { LOGIN_RATE_LIMIT_MAX: '100' })]);
await signUp(app.app);
const documents: HtmlDocument[] = [];

// Each run has its own administrator (who sets two-step verification up) and its own person for the policy.
const RUNS = [
  { javaScript: true, admin: ADMIN, person: { name: 'Cy Cole', email: 'cy@acme.test', password: 'cy password here' } },
  {
    javaScript: false,
    admin: { name: 'Bo Boss', email: 'bo@acme.test', password: 'bo password here' },
    person: { name: 'Di Dunn', email: 'di@acme.test', password: 'di password here' },
  },
];
await insertPerson(app.db, { ...RUNS[1]!.admin, isAdmin: true });

/** The code an authenticator app holding `secret` shows `steps` periods of 30 seconds from now. */
const codeFor = (secret: string, steps = 0) =>
  new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: Date.now() + steps * 30_000 });
/** A six-digit code that is none of the app's codes around now: surely wrong. */
const wrongCodeFor = (secret: string) => {
  const near = [-1, 0, 1, 2].map((steps) => codeFor(secret, steps));
  return ['000000', '111111', '222222', '333333', '444444'].find((code) => !near.includes(code))!;
};
const pathOf = (page: Page) => new URL(page.url()).pathname + new URL(page.url()).search;
const policy = async () => (await app.db.select({ everyone: accounts.twoStepForEveryone }).from(accounts))[0]!.everyone;

/** On the set-up page: reads the key as a person would type it into their app, and turns it on with its code. */
async function turnOn(page: Page) {
  const secret = (await page.locator('#secret').textContent())!.replace(/\s/g, '');
  await page.getByLabel('Code from your app').fill(codeFor(secret));
  const res = await navigation(page, () => page.getByRole('button', { name: 'Turn on' }).click());
  const codes = await page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem').allTextContents();
  return { res, secret, codes: codes.map((c) => c.trim()) };
}

for (const { javaScript, admin, person } of RUNS) {
  const mode = javaScript ? 'with' : 'without';
  const audited = javaScript ? await openAuditedPage(browser, app.baseURL) : undefined;
  const { page, watch } = audited ?? (await openTab(browser, app.baseURL, { javaScript: false }));
  const audit = async (t: Test, name: string, html?: 'dom') => {
    if (audited) await audited.audit(t, name, html);
  };
  const button = (name: string) => page.getByRole('button', { name, exact: true });
  const status = page.locator('#live-status');
  let secret = '';
  let codes: string[] = [];

  /** Signs out, then in with the password: the "Enter your code" page. */
  async function password(t: Test) {
    t.same(await navigation(page, () => button('Sign out').click()), POSTED_AND_REDIRECTED);
    t.same(await signInWith(page, admin.email, admin.password), POSTED_AND_REDIRECTED);
    t.equal(pathOf(page), '/login/two-step', 'the password opens only the second step');
    t.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Enter your code');
  }

  t.test(`${mode} JavaScript: set up two-step verification, get and download the recovery codes`, async (t) => {
    await page.goto('/login');
    await signInWith(page, admin.email, admin.password);
    await page.goto('/settings/personal');
    await navigation(page, () => page.getByRole('link', { name: 'Set up two-step verification' }).click());
    t.equal(pathOf(page), PAGE);
    t.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Set up two-step verification');
    t.ok(await page.getByRole('img', { name: /^QR code to add Accord to your authenticator app/ }).isVisible(), 'the QR code, named');
    const shown = (await page.locator('#secret').textContent())!;
    t.match(shown, /^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/, 'the key in groups of four');
    await audit(t, 'set-up');

    await page.getByLabel('Code from your app').fill(wrongCodeFor(shown.replace(/ /g, '')));
    const wrong = await navigation(page, () => button('Turn on').click());
    t.equal(wrong.status, 422);
    t.ok(await page.getByRole('alert').getByRole('link', { name: /^That code is not right\./ }).isVisible(), 'the error summary links to the field');
    t.equal(await page.getByLabel('Code from your app').getAttribute('aria-invalid'), 'true');
    t.equal(await page.locator('#secret').textContent(), shown, 'the same key, which the app already holds');
    await audit(t, 'set-up with a wrong code');

    const on = await turnOn(page);
    ({ secret, codes } = on);
    t.same(on.res, { status: 200, redirectStatus: undefined, method: 'POST' });
    t.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Your recovery codes');
    t.equal(codes.length, 10);
    t.equal(new Set(codes).size, 10);
    t.ok(codes.every((c) => RECOVERY_CODE.test(c)), 'each xxxx-xxxx-xxxx-xxxx');
    await audit(t, 'recovery codes');

    const [download] = await Promise.all([page.waitForEvent('download'), button('Download').click()]);
    t.equal(download.suggestedFilename(), 'accord-recovery-codes.txt');
    const text = fs.readFileSync((await download.path())!, 'utf8');
    t.match(text, `Accord recovery codes for ${admin.email}`);
    t.same(codes.filter((c) => !text.includes(c)), [], 'the file holds every code');
    t.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Your recovery codes', 'the codes stay on screen');
    // Chromium reports the navigation a download replaces as aborted: that is the download itself, not a failure
    const aborted = watch.problems.indexOf(`request failed: ${download.url()} net::ERR_ABORTED`);
    if (aborted >= 0) watch.problems.splice(aborted, 1);

    await navigation(page, () => page.getByRole('link', { name: 'I have kept my codes: back to two-step verification' }).click());
    t.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Two-step verification');
    t.match(await page.locator('#two-step-state').textContent(), /^Two-step verification is on since \d+ \w+ \d{4}\./);
    t.equal(await page.locator('#codes-left').textContent(), '10 of 10 recovery codes are unused.');
    await audit(t, 'two-step verification on');
  });

  t.test(`${mode} JavaScript: sign in with a code from the app`, async (t) => {
    await password(t);
    await audit(t, 'enter your code');
    await page.getByLabel('Code').fill(wrongCodeFor(secret));
    t.equal((await navigation(page, () => button('Sign in').click())).status, 422);
    const message = /^That code is not right\. .* 4 tries are left before you start again with your password\.$/;
    t.ok(await page.getByRole('alert').getByRole('link', { name: message }).isVisible());
    t.equal(await page.getByLabel('Code').getAttribute('aria-invalid'), 'true');
    await audit(t, 'enter your code, wrong code');

    // the set-up used the code of its 30 seconds; the next step's code is one the server has not seen
    await page.getByLabel('Code').fill(codeFor(secret, 1));
    t.same(await navigation(page, () => button('Sign in').click()), POSTED_AND_REDIRECTED);
    t.equal(pathOf(page), '/settings/personal', 'signed in');
    t.match(await page.locator('#two-step-status').textContent(), 'Two-step verification is on');
  });

  t.test(`${mode} JavaScript: sign in with a recovery code`, async (t) => {
    await password(t);
    await page.getByLabel('Code').fill(codes[0]!);
    t.same(await navigation(page, () => button('Sign in').click()), POSTED_AND_REDIRECTED);
    t.equal(pathOf(page), `${PAGE}?notice=recovery-code-used`);
    t.equal(await status.textContent(), 'You signed in with a recovery code. It can’t be used again; make new codes if you are running out.');
    t.equal(await page.locator('#codes-left').textContent(), '9 of 10 recovery codes are unused.');
    await audit(t, 'two-step verification, signed in with a recovery code');
  });

  t.test(`${mode} JavaScript: required of everyone; an administrator resets a person’s two-step verification`, async (t) => {
    const { id } = await insertPerson(app.db, person);
    const theirsAudited = javaScript ? await openAuditedPage(browser, app.baseURL) : undefined;
    const theirs = theirsAudited ?? (await openTab(browser, app.baseURL, { javaScript: false }));
    const auditTheirs = async (name: string) => {
      if (theirsAudited) await theirsAudited.audit(t, name);
    };
    const security = page.getByRole('region', { name: 'Security' });
    const everyone = security.getByRole('switch', { name: 'Require two-step verification for everyone' });
    /** The switch saved: at once with JavaScript, with the Save button without. */
    async function setEveryone(on: boolean) {
      await everyone.setChecked(on);
      if (javaScript) {
        await status.filter({ hasText: `Saved. Require two-step verification for administrators is off; for everyone is ${on ? 'on' : 'off'}.` }).waitFor();
      } else {
        t.same(await navigation(page, () => security.getByRole('button', { name: 'Save' }).click()), POSTED_AND_REDIRECTED);
        t.equal(pathOf(page), '/settings/organization?notice=saved');
      }
      t.equal(await everyone.isChecked(), on);
      t.equal(await policy(), on, 'saved');
    }

    await page.goto('/settings/organization');
    t.notOk(await everyone.isChecked(), 'off');
    await audit(t, 'organization');
    await setEveryone(true);
    await audit(t, 'organization, two-step verification required of everyone', 'dom');

    await theirs.page.goto('/login');
    await signInWith(theirs.page, person.email, person.password);
    t.equal(pathOf(theirs.page), `${PAGE}?notice=two-step-required`, 'sent to set it up');
    t.equal(await theirs.page.locator('#two-step-why').textContent(), 'Your organization requires two-step verification. Set it up to go on using Accord.');
    await auditTheirs('set-up, required by the organization');
    await theirs.page.goto('/projects');
    t.equal(pathOf(theirs.page), `${PAGE}?notice=two-step-required`, 'and can go nowhere else');
    t.equal((await turnOn(theirs.page)).codes.length, 10);
    await theirs.page.goto('/projects');
    t.equal(pathOf(theirs.page), '/projects', 'set up: free to go');

    await page.goto(`/people/${id}`);
    t.match(await page.locator('#two-step-of-person').textContent(), /^Two-step verification: On since \d+ \w+ \d{4}\.$/);
    await navigation(page, () => page.getByRole('link', { name: 'Reset two-step verification' }).click());
    t.equal(await page.getByRole('heading', { level: 1 }).textContent(), `Reset two-step verification of ${person.name}?`);
    await audit(t, 'reset two-step verification: confirmation');
    t.same(await navigation(page, () => button('Reset two-step verification').click()), POSTED_AND_REDIRECTED);
    t.equal(pathOf(page), `/people/${id}?notice=two-step-reset`);
    t.equal(await status.textContent(), 'Two-step verification reset. They set it up again at their next sign-in, and they have been signed out.');
    t.equal(await page.locator('#two-step-of-person').textContent(), 'Two-step verification: Off; they set it up at their next sign-in.');
    await audit(t, 'person, two-step verification reset');

    await theirs.page.goto('/settings/personal');
    t.equal(pathOf(theirs.page), '/login?next=%2Fsettings%2Fpersonal', 'they were signed out');
    await signInWith(theirs.page, person.email, person.password);
    t.equal(pathOf(theirs.page), `${PAGE}?notice=two-step-required`, 'and must set it up again');
    t.equal(await theirs.page.locator('#two-step-why').textContent(), 'An administrator reset your two-step verification. Set it up again with your authenticator app to go on.');
    await auditTheirs('set-up after a reset');

    await page.goto('/settings/organization');
    await setEveryone(false);
    t.same(theirs.watch.problems, [], 'no failed requests or console errors in their browser');
    if (theirsAudited) documents.push(...theirsAudited.documents);
    await theirs.context.close();
  });

  t.test(`${mode} JavaScript: no failed requests or console errors`, async (t) => {
    t.same(watch.problems, []);
    if (audited) documents.push(...audited.documents);
  });
}

t.test('the Nu Html Checker finds no error on any page', async (t) => {
  t.equal(documents.length, 13);
  t.same(await htmlErrors(documents), []);
});
