import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { eq } from 'drizzle-orm';
import { chromium, type Browser, type Locator, type Page, type Response } from 'playwright-core';
import { hashPassword } from '../../src/auth/passwords.js';
import { newId } from '../../src/crypto.js';
import type { Db } from '../../src/db/client.js';
import { accounts, persons } from '../../src/db/schema.js';
import type { Test } from 'tap';
import { EDITIONS, FOUND_US } from '../../src/auth/forms.js';
import { SIGNUP } from './agent.js';
import { build, type TestApp } from './build.js';

/** Debian's chromium; never a downloaded browser. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
// Without the background-networking flags Chromium stalls on a closed network (no internet in CI).
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

interface Tap {
  teardown(fn: () => unknown): void;
}

/** One browser per test file, closed when the file's test ends. */
export async function launchBrowser(t: Tap): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`chromium not found at ${CHROMIUM_PATH}: apt-get install chromium, or set CHROMIUM_PATH`);
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true, timeout: 60_000 });
  t.teardown(() => browser.close());
  return browser;
}

export interface RunningApp extends TestApp {
  baseURL: string;
}

/** The app for real on 127.0.0.1 and a random port, on a fresh database (see build()). */
export async function startApp(t: Tap, env: Record<string, string> = {}): Promise<RunningApp> {
  const testApp = await build(t, env);
  await testApp.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = testApp.app.server.address() as AddressInfo;
  return { ...testApp, baseURL: `http://127.0.0.1:${port}` };
}

/** The route tests' administrator, with the select options as a person sees them (their text, not their value). */
export const ADMIN = { ...SIGNUP, foundUs: FOUND_US[SIGNUP.foundUs as keyof typeof FOUND_US], edition: EDITIONS.enterprise as string };

/** Fills the sign-up form by its labels, as a person would (select options are chosen by their text). */
export async function fillSignup(page: Page, values: Partial<typeof ADMIN> = {}) {
  const v = { ...ADMIN, ...values };
  await page.getByLabel('Organization name').fill(v.organizationName);
  await page.getByLabel('Your name').fill(v.name);
  await page.getByLabel('Email').fill(v.email);
  await page.getByLabel('Phone number').fill(v.phone);
  await page.getByLabel('Password', { exact: true }).fill(v.password);
  await page.getByLabel('Password reminder (optional)').fill(v.passwordReminder);
  await page.getByLabel('How did you find us?').selectOption({ label: v.foundUs });
  await page.getByLabel('Edition').selectOption({ label: v.edition });
  await page.getByLabel('Read & Write licenses').fill(v.readWriteLicenses);
}

export async function signInWith(page: Page, email: string, password: string) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  return navigation(page, () => page.getByRole('button', { name: 'Sign in' }).click());
}

/**
 * Runs an action that loads a new page (a link, a form POST) and waits until that page has loaded.
 * Returns the final document response; for a POST answered by 303, `redirectStatus` is 303.
 */
export async function navigation(page: Page, action: () => Promise<unknown>) {
  const loaded = page.waitForNavigation({ waitUntil: 'load' });
  loaded.catch(() => {}); // when the action itself fails, its error is the one to report
  await action();
  const response = (await loaded) as Response;
  const redirectedFrom = response.request().redirectedFrom();
  const redirectStatus = redirectedFrom ? (await redirectedFrom.response())?.status() : undefined;
  return { status: response.status(), redirectStatus, method: redirectedFrom?.method() ?? response.request().method() };
}

/** A non-administrator with a Read & Write license, inserted straight into the account (no UI for this yet). */
export async function insertMember(db: Db, accountName: string, person: { name: string; email: string; password: string }) {
  const [account] = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.name, accountName));
  if (!account) throw new Error(`no account named ${accountName}`);
  await db.insert(persons).values({
    id: newId(),
    accountId: account.id,
    name: person.name,
    email: person.email,
    passwordHash: await hashPassword(person.password),
    license: 'read_write',
    isAdmin: false,
    invitationState: 'accepted',
  });
}

/** What went wrong in the page that a person would not see: script errors, CSP refusals, missing assets. */
export interface PageWatch {
  problems: string[];
  /** the HTML the server sent for the page now shown */
  documentHtml(): Promise<string>;
}

export function watchPage(page: Page): PageWatch {
  const problems: string[] = [];
  let lastDocument: { url: string; body: Promise<string> } | undefined;
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() !== 'error' && msg.type() !== 'warning') return;
    // Chrome logs every 4xx document as "Failed to load resource"; 4xx pages are expected here, subresources are checked below.
    if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(msg.text())) return;
    problems.push(`console ${msg.type()}: ${msg.text()}`);
  });
  page.on('response', (res) => {
    const req = res.request();
    if (req.resourceType() === 'document' && req.frame() === page.mainFrame()) {
      if (res.status() < 300 || res.status() >= 400) {
        const body = res.text();
        // The page may navigate on before the body is read (a redirect after a POST): that is only an error if
        // documentHtml() is asked for this document, where awaiting `body` still throws. Until then, not unhandled.
        body.catch(() => {});
        lastDocument = { url: res.url(), body };
      }
    } else if (res.status() >= 400 && req.resourceType() !== 'fetch') {
      problems.push(`${res.status()} for ${req.resourceType()} ${res.url()}`);
    }
  });
  page.on('requestfailed', (req) => {
    // an htmx request that a newer one replaced (data-hx-sync="replace": search as you type, the history filter) is
    // aborted by design, not a failure
    if (req.failure()?.errorText === 'net::ERR_ABORTED' && req.headers()['hx-request'] === 'true') return;
    problems.push(`request failed: ${req.url()} ${req.failure()?.errorText}`);
  });
  return {
    problems,
    async documentHtml() {
      if (!lastDocument) throw new Error('no document loaded yet');
      if (lastDocument.url !== page.url()) throw new Error(`last document ${lastDocument.url} is not the page shown (${page.url()})`);
      return lastDocument.body;
    },
  };
}

/**
 * axe (every rule it runs by default) over the page as it is now; one line per violation, empty when there is none.
 * Legacy mode runs axe.run() in the page itself instead of opening a blank page per scan to merge frame results:
 * about twice as fast, and the app has no iframes (cross-origin frames are what legacy mode can't check).
 */
export async function axeViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).setLegacyMode(true).options({ resultTypes: ['violations'] }).analyze();
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/**
 * A tab with JavaScript whose pages are checked as a person meets them: `audit(t, name)` asserts axe finds
 * no violation on what is shown now, and keeps the page's HTML (as served, or the live DOM) for the Nu Html Checker.
 */
/** What `navigation()` expects from a form POST answered by 303 and the page it redirects to. */
export const POSTED_AND_REDIRECTED = { status: 200, redirectStatus: 303, method: 'POST' };

/** A new browser context (its own cookies: another person), with or without JavaScript, and one watched tab in it. */
export async function openTab(browser: Browser, baseURL: string, opts: { javaScript?: boolean } = {}) {
  const context = await browser.newContext({ baseURL, javaScriptEnabled: opts.javaScript ?? true });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  return { context, page, watch: watchPage(page) };
}

export async function openAuditedPage(browser: Browser, baseURL: string) {
  const { context, page, watch } = await openTab(browser, baseURL);
  const documents: HtmlDocument[] = [];
  async function audit(t: Test, name: string, html: 'served' | 'dom' = 'served') {
    t.same(await axeViolations(page), [], `axe finds no violations: ${name}`);
    documents.push({ name, html: html === 'served' ? await watch.documentHtml() : await page.content() });
  }
  return { context, page, watch, documents, audit };
}

const require = createRequire(import.meta.url);
/** vnu-jar's main export is the path of vnu.jar inside the package. */
export const VNU_JAR = String(require('vnu-jar'));

export interface HtmlDocument {
  name: string;
  html: string;
}

/**
 * Checks every document with the Nu Html Checker in one JVM (its start is slow).
 * Returns one line per error, prefixed with the document's name.
 */
export async function htmlErrors(docs: HtmlDocument[]): Promise<string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'accord-vnu-'));
  try {
    const files = docs.map((doc, i) => {
      const file = path.join(dir, `${String(i).padStart(2, '0')}-${doc.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.html`);
      fs.writeFileSync(file, doc.html);
      return { file, name: doc.name };
    });
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(
        'java',
        // a larger thread stack (vnu asks for it), and JVM flags that start faster for a short run
        ['-Xss4m', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-jar', VNU_JAR, '--format', 'json', '--stdout', '--exit-zero-always', ...files.map((f) => f.file)],
        { maxBuffer: 32 * 1024 * 1024 },
        (err, out, stderr) => (err ? reject(new Error(`vnu failed: ${err.message}\n${stderr}`)) : resolve(out)),
      );
    });
    const report = JSON.parse(stdout) as { messages: { type: string; subType?: string; url?: string; lastLine?: number; message: string; extract?: string }[] };
    const nameOf = new Map(files.map((f) => [path.basename(f.file), f.name]));
    return report.messages
      .filter((m) => m.type === 'error' || m.type === 'non-document-error' || m.subType === 'fatal')
      .map((m) => {
        const file = m.url ? path.basename(decodeURIComponent(new URL(m.url).pathname)) : '?';
        return `${nameOf.get(file) ?? file}:${m.lastLine ?? '?'}: ${m.message}${m.extract ? ` [${m.extract.trim()}]` : ''}`;
      });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** True while the locator's element has the keyboard focus. */
export function isFocused(locator: Locator): Promise<boolean> {
  return locator.evaluate((el) => el === document.activeElement);
}

/** The accessible description of an element: the text of the elements its aria-describedby names. */
export function description(locator: Locator): Promise<string> {
  return locator.evaluate((el) =>
    (el.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .map((id) => document.getElementById(id)?.textContent?.replace(/\s+/g, ' ').trim() ?? '')
      .join(' '),
  );
}
