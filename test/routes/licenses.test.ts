import { eq, sql } from 'drizzle-orm';
import { newId } from '../../src/crypto.js';
import { type Db, rowsOf as dbRows } from '../../src/db/client.js';
import t from 'tap';
import { accounts, persons, sessions } from '../../src/db/schema.js';
import { encodeCursor } from '../../src/people/cursor.js';
import { signIn, signUp } from '../helpers/agent.js';
import { build } from '../helpers/build.js';
import { findPerson, insertPerson } from '../helpers/factories.js';
import { pageLink, walkPages } from '../helpers/pages.js';

const findPersonByName = async (db: Db, name: string) => (await db.select().from(persons).where(eq(persons.name, name)))[0];

const ALL_TAKEN = 'All Read &amp; Write licenses are distributed.';
const LAST_ADMIN = 'The account needs at least one administrator with a Read &amp; Write license.';

/** The radio group of one person in a page or fragment: its checked value and its inline error. */
function radioGroup(body: string, personId: string) {
  const start = body.indexOf(`<form id="p-${personId}-license-form"`);
  if (start < 0) return undefined;
  const html = body.slice(start, body.indexOf('</form>', start));
  return {
    html,
    checked: /value="([a-z_]+)" checked/.exec(html)?.[1],
    error: /-license-error"><span class="visually-hidden">Error:<\/span> (.*?)<\/p>/.exec(html)?.[1],
  };
}

t.test('each result shows the license as a radio group with the person as legend, and the last sign-in', async (t) => {
  const { app, db } = await build(t);
  const admin = await signUp(app);
  const bea = await insertPerson(db, { name: 'Bea Reader', email: 'bea@acme.test', license: 'read_only' });
  await db.update(persons).set({ lastSignInAt: new Date('2026-03-04T05:06:00Z') }).where(eq(persons.id, bea.id));
  const cy = await insertPerson(db, { name: 'Cy Contact', email: 'cy@acme.test', license: 'none' });
  const page = await admin.get('/settings/users');
  const group = radioGroup(page.body, bea.id)!;
  t.match(group.html, '<legend>Bea Reader</legend>');
  t.match(group.html, /<fieldset class="radios" aria-describedby="p-[^"]+-license-hint">/);
  t.match(group.html, `<label class="radio"><input type="radio" id="p-${bea.id}-license" name="license" value="read_only" checked>Read-Only</label>`);
  t.match(group.html, '<label class="radio"><input type="radio" name="license" value="read_write">Read &amp; Write</label>');
  t.match(group.html, '<label class="radio"><input type="radio" name="license" value="none">No Access</label>');
  t.equal(group.checked, 'read_only');
  t.match(group.html, 'bea@acme.test · Last sign-in: 4 Mar 2026, 05:06 UTC');
  t.match(group.html, `data-hx-post="/settings/users/licenses/${bea.id}" data-hx-trigger="change, submit" data-hx-swap="outerMorph"`);
  t.match(group.html, '<input type="hidden" name="_csrf"');
  t.match(group.html, 'Save<span class="visually-hidden"> license of Bea Reader</span></button>');
  t.equal(radioGroup(page.body, cy.id)!.checked, 'none');
  t.match(radioGroup(page.body, cy.id)!.html, 'Last sign-in: Never');
  const ids = [...page.body.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
  t.equal(new Set(ids).size, ids.length, 'ids are unique on the page');
});

t.test('search people by name or email: plain GET, htmx fragment, pages', async (t) => {
  const { app, db } = await build(t);
  const admin = await signUp(app);
  await insertPerson(db, { name: 'Grace Hopper', email: 'grace@navy.test', license: 'read_only' });
  for (let i = 1; i <= 30; i++) await insertPerson(db, { name: `Tester ${String(i).padStart(2, '0')}`, email: `t${i}@acme.test`, license: 'read_only' });
  const byName = await admin.get('/settings/users?q=hopp');
  t.match(byName.body, '<legend>Grace Hopper</legend>');
  t.notMatch(byName.body, '<legend>Ada Admin</legend>');
  t.match(byName.body, 'Showing 1 person');
  t.match(byName.body, 'id="q" name="q" type="search" value="hopp"');
  const byEmail = await admin.get('/settings/users?q=NAVY.test', { htmx: true });
  t.equal(byEmail.statusCode, 200);
  t.notMatch(byEmail.body, '<html', 'htmx gets the results fragment');
  t.match(byEmail.body, '<legend>Grace Hopper</legend>');
  t.match(byEmail.body, '<hx-partial hx-target="#live-status" hx-swap="innerHTML">Showing 1 person</hx-partial>', 'the count is announced');
  t.equal(byEmail.headers['hx-replace-url'], '/settings/users?q=NAVY.test', 'the address shows the search');
  t.equal((await admin.get('/settings/users?q=', { htmx: true })).headers['hx-replace-url'], '/settings/users', 'a cleared search leaves no "?q="');
  const none = await admin.get('/settings/users?q=nobody%25', { htmx: true });
  t.match(none.body, 'No one matches “nobody%”.');
  const first = await admin.get('/settings/users?q=tester');
  t.match(first.body, 'Showing 25 of 30 people');
  t.notMatch(first.body, /Page \d+ of/, 'no page numbers');
  t.equal((first.body.match(/<legend>Tester/g) ?? []).length, 25);
  const lastShown = (await findPersonByName(db, 'Tester 25'))!;
  t.equal(pageLink(first.body, 'next'), `/settings/users?q=tester&after=${encodeCursor(lastShown)}`, 'after the last row shown');
  t.notMatch(first.body, 'rel="prev"');
  t.match(first.body, '<nav class="pagination" aria-label="Search results pages">');
  const second = await admin.get(pageLink(first.body, 'next')!);
  t.match(second.body, 'Showing 5 of 30 people');
  t.match(second.body, '<legend>Tester 30</legend>');
  t.notMatch(second.body, '<legend>Tester 25</legend>');
  t.notMatch(second.body, 'rel="next"', 'the last page');
  t.match(pageLink(second.body, 'prev')!, /^\/settings\/users\?q=tester&before=/);
  const token = new URL(pageLink(first.body, 'next')!, 'http://x').searchParams.get('after')!;
  t.match(second.body, `<input type="hidden" name="q" value="tester"><input type="hidden" name="after" value="${token}">`, 'license forms carry the list position back');
  const back = await admin.get(pageLink(second.body, 'prev')!);
  t.match(back.body, 'Showing 25 of 30 people');
  t.match(back.body, '<legend>Tester 01</legend>');
  t.notMatch(back.body, 'rel="prev"', 'back on the first page');
  const everyone = await admin.get('/settings/users');
  t.match(everyone.body, 'Showing 25 of 32 people', 'without a search, the total is the account’s count');
  const odd = await admin.get('/settings/users?page=-3&q[]=x&after=%%%');
  t.equal(odd.statusCode, 200, 'odd search parameters fall back to the first page of everyone');
  t.match(odd.body, 'Showing 25 of 32 people');
  const beyond = await admin.get(`/settings/users?q=tester&after=${encodeCursor({ name: 'Tester 99', id: 'x' })}`);
  t.match(beyond.body, 'There are no more results.');
  t.match(beyond.body, '<a href="/settings/users?q=tester">Go to the first page</a>', 'a stale cursor: back to the first page of the search');
  t.notMatch(beyond.body, 'class="pagination"');
});

t.test('the license forms keep the administrator’s place in the list: the redirect and the refused page return to it', async (t) => {
  const { app, db } = await build(t);
  const admin = await signUp(app, { readWriteLicenses: '1' });
  for (let i = 1; i <= 30; i++) await insertPerson(db, { name: `Tester ${String(i).padStart(2, '0')}`, email: `t${i}@acme.test`, license: 'read_only' });
  const first = await admin.get('/settings/users?q=tester');
  const after = new URL(pageLink(first.body, 'next')!, 'http://x').searchParams.get('after')!;
  const t28 = (await findPersonByName(db, 'Tester 28'))!;
  const saved = await admin.post(`/settings/users/licenses/${t28.id}`, { license: 'none', q: 'tester', after });
  t.equal(saved.statusCode, 303);
  t.equal(saved.headers.location, `/settings/users?q=tester&after=${after}&notice=license-saved`, 'back to the same page of the same search');
  const landed = await admin.get(saved.headers.location as string);
  t.match(landed.body, /role="status">License saved.</);
  t.equal(radioGroup(landed.body, t28.id)!.checked, 'none', 'the person is on the page the administrator returns to');
  t.match(landed.body, 'Showing 5 of 30 people');

  const htmx = await admin.post(`/settings/users/licenses/${t28.id}`, { license: 'read_only', q: 'tester', before: after }, { htmx: true });
  t.equal(htmx.statusCode, 200);
  t.match(htmx.body, `<input type="hidden" name="before" value="${after}">`, 'the answered form still carries the position');

  const refused = await admin.post(`/settings/users/licenses/${t28.id}`, { license: 'read_write', q: 'tester', after });
  t.equal(refused.statusCode, 422, 'every seat is taken');
  t.equal(radioGroup(refused.body, t28.id)!.error, ALL_TAKEN, 'the refused page is the same list page, with the message');
  t.match(refused.body, 'Showing 5 of 30 people');
  const odd = await admin.post(`/settings/users/licenses/${t28.id}`, { license: 'none', q: 'tester', after: 'not a cursor' });
  t.equal(odd.headers.location, '/settings/users?q=tester&notice=license-saved', 'an odd position: the first page');
});

t.test('walking the search results forward page by page, then backward, gives every person exactly once, in order', async (t) => {
  const { app, db } = await build(t);
  const admin = await signUp(app);
  const [account] = await db.select().from(accounts);
  await db.insert(persons).values(
    Array.from({ length: 60 }, (_, i) => ({ id: newId(), accountId: account!.id, name: `Walker ${String(i % 20).padStart(2, '0')}`, email: `w${i}@acme.test` })),
  );
  const idsOf = (body: string) => [...body.matchAll(/<form id="p-([^"]+)-license-form"/g)].map((m) => m[1]!);
  for (const q of ['', 'walker']) {
    const expected = dbRows<{ id: string }>(
      await db.execute(sql`select id from persons where account_id = ${account!.id} and search_text like ${`%${q}%`} order by name, id`),
    ).map((r) => r.id);
    t.equal(expected.length, q ? 60 : 61);
    const forward = await walkPages(admin, q ? `/settings/users?q=${q}` : '/settings/users', 'next', idsOf);
    t.same(forward.pages.map((p) => p.length), [25, 25, expected.length - 50], `q=${q}: pages of 25`);
    t.same(forward.pages.flat(), expected, `q=${q}: forward, everyone once, in order`);
    const backward = await walkPages(admin, forward.urls.at(-1)!, 'prev', idsOf);
    t.same(backward.pages.reverse().flat(), expected, `q=${q}: backward, everyone once, in order`);
  }
});

t.test('choosing a license saves it: 303 back to the same search with a confirmation; htmx gets the group and the new summary', async (t) => {
  const { app, db } = await build(t);
  const admin = await signUp(app, { readWriteLicenses: '3' });
  const bea = await insertPerson(db, { name: 'Bea Reader', license: 'read_only' });
  const res = await admin.post(`/settings/users/licenses/${bea.id}`, { license: 'read_write', q: 'bea' });
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, '/settings/users?q=bea&notice=license-saved');
  t.equal((await findPerson(db, bea.id))!.license, 'read_write');
  const page = await admin.get(res.headers.location as string);
  t.match(page.body, /role="status">License saved.</);
  t.equal(radioGroup(page.body, bea.id)!.checked, 'read_write');
  t.match(page.body, '2 of 3 Read &amp; Write licenses distributed, 1 available');
  t.notMatch(page.body, 'Every Read &amp; Write license is in use', 'said only when every seat is taken');

  const htmx = await admin.post(`/settings/users/licenses/${bea.id}`, { license: 'none', q: '' }, { htmx: true });
  t.equal(htmx.statusCode, 200);
  t.match(htmx.body, new RegExp(`^\\s*<form id="p-${bea.id}-license-form"`));
  t.equal(radioGroup(htmx.body, bea.id)!.checked, 'none');
  t.match(htmx.body, '<hx-partial hx-target="#seat-summary" hx-swap="innerHTML">');
  t.match(htmx.body, '1 of 3 Read &amp; Write licenses distributed, 2 available');
  t.match(htmx.body, 'No Access: 1 person');
  t.match(htmx.body, 'Saved. Bea Reader has No Access now and is signed out everywhere.');
  t.equal((await findPerson(db, bea.id))!.license, 'none');
});

t.test('Read & Write with no seat free: the exact error, 422, nothing changes', async (t) => {
  const { app, db } = await build(t);
  const admin = await signUp(app, { readWriteLicenses: '2' });
  await insertPerson(db, { license: 'read_write' });
  const bea = await insertPerson(db, { name: 'Bea Reader', license: 'read_only' });
  const res = await admin.post(`/settings/users/licenses/${bea.id}`, { license: 'read_write', q: '' });
  t.equal(res.statusCode, 422);
  t.match(res.body, `href="#p-${bea.id}-license">${ALL_TAKEN}</a>`, 'in the error summary, linking to the group');
  const group = radioGroup(res.body, bea.id)!;
  t.equal(group.error, ALL_TAKEN, 'next to the radio group');
  t.equal(group.checked, 'read_only', 'the saved value');
  t.match(res.body, '2 of 2 Read &amp; Write licenses distributed, 0 available');
  t.match(res.body, 'Every Read &amp; Write license is in use: people who accept an invitation get Read-Only until one is free.');
  t.equal((await findPerson(db, bea.id))!.license, 'read_only');

  const htmx = await admin.post(`/settings/users/licenses/${bea.id}`, { license: 'read_write', q: '' }, { htmx: true });
  t.equal(htmx.statusCode, 422);
  const fragment = radioGroup(htmx.body, bea.id)!;
  t.equal(fragment.error, ALL_TAKEN);
  t.equal(fragment.checked, 'read_only');
  t.match(htmx.body, `<hx-partial hx-target="#error-summary-slot" hx-swap="innerHTML">`);
  t.match(htmx.body, `href="#p-${bea.id}-license">${ALL_TAKEN}</a>`);
  t.notMatch(htmx.body, '#seat-summary', 'the summary is unchanged');
  t.equal((await findPerson(db, bea.id))!.license, 'read_only');

  const moved = await admin.post(`/settings/users/licenses/${bea.id}`, { license: 'none' });
  t.equal(moved.statusCode, 303, 'other licenses need no seat');
});

t.test('the license forms are kept with a cached page of people: each request’s own token, each reader’s own forms, never a message', async (t) => {
  const { app, db } = await build(t);
  const admin = await signUp(app, { readWriteLicenses: '2' });
  await insertPerson(db, { license: 'read_write' });
  const bea = await insertPerson(db, { name: 'Bea Reader', email: 'bea@acme.test', license: 'read_only' });
  await insertPerson(db, { name: 'Ro Admin', email: 'ro@acme.test', license: 'read_only', isAdmin: true, password: 'a long enough password' });
  const url = '/settings/users?q=bea';
  const tokens = (body: string) => [...body.matchAll(/<input type="hidden" name="_csrf" value="([^"]*)">/g)].map((m) => m[1]);
  const metaToken = (body: string) => /<meta name="csrf-token" content="([^"]+)">/.exec(body)?.[1];
  const listOf = (body: string) => /<ul class="license-list">[^]*?<\/ul>/.exec(body)?.[0] ?? '';
  const bodies = [(await admin.get(url)).body, (await admin.get(url)).body, (await admin.get(url)).body];
  for (const [i, body] of bodies.entries()) {
    t.equal(tokens(listOf(body)).length, 1, `request ${i + 1}: Bea’s form`);
    t.same(new Set(tokens(body)), new Set([metaToken(body)]), `request ${i + 1}: each form has the request's own token`);
  }
  const [, second, third] = bodies as [string, string, string];
  t.not(metaToken(second), metaToken(third), 'two requests, two tokens');
  t.equal(third, second.replaceAll(metaToken(second)!, metaToken(third)!), 'the same page but for the token');
  // the search's own hidden fields: another search shows its own, though the people are the same
  const other = (await admin.get('/settings/users?q=Bea')).body;
  t.match(listOf(other), '<input type="hidden" name="q" value="Bea">');
  t.notMatch(listOf(other), 'value="bea"');
  // a refused change shows its message (422); the next page shows none
  const refused = await admin.post(`/settings/users/licenses/${bea.id}`, { license: 'read_write', q: 'bea', _csrf: tokens(third)[0] }, { csrf: false });
  t.equal(refused.statusCode, 422, 'the kept form’s token is accepted (the change is refused for want of a seat)');
  t.equal(radioGroup(refused.body, bea.id)!.error, ALL_TAKEN);
  t.equal(radioGroup((await admin.get(url)).body, bea.id)!.error, undefined, 'the message is not kept');
  // a Read-Only administrator, right after: disabled forms; the administrator then gets enabled ones again
  const ro = await signIn(app, 'ro@acme.test', 'a long enough password');
  for (let i = 0; i < 3; i++) t.match(radioGroup((await ro.get(url)).body, bea.id)!.html, '<fieldset class="radios" aria-describedby="p-' + bea.id + '-license-hint" disabled>', `Read-Only, request ${i + 1}: disabled`);
  t.notMatch(radioGroup((await admin.get(url)).body, bea.id)!.html, ' disabled', 'Read & Write: enabled');
  const saved = await admin.post(`/settings/users/licenses/${bea.id}`, { license: 'none', q: 'bea', _csrf: tokens(third)[0] }, { csrf: false });
  t.equal(saved.statusCode, 303, 'saved with the kept form’s token');
  t.equal(radioGroup((await admin.get(url)).body, bea.id)!.checked, 'none', 'the next page shows the change');
});

t.test('No Access ends the person’s sessions at once: their next request is signed out', async (t) => {
  const { app, db } = await build(t);
  const admin = await signUp(app);
  const bea = await insertPerson(db, { email: 'bea@acme.test', password: 'long enough password', license: 'read_only' });
  const user = await signIn(app, 'bea@acme.test', 'long enough password');
  t.equal((await user.get('/settings/personal')).statusCode, 200, 'Read-Only people can sign in');
  t.equal((await db.select().from(sessions).where(eq(sessions.userId, bea.id))).length, 1);
  const res = await admin.post(`/settings/users/licenses/${bea.id}`, { license: 'none' });
  t.equal(res.statusCode, 303);
  t.equal((await db.select().from(sessions).where(eq(sessions.userId, bea.id))).length, 0, 'sessions deleted');
  const next = await user.get('/settings/personal');
  t.equal(next.statusCode, 303);
  t.match(next.headers.location, /^\/login/);
  await t.rejects(signIn(app, 'bea@acme.test', 'long enough password'), 'and they can’t sign in again');
});

t.test('the last administrator with Read & Write can’t lose it; with another one they can', async (t) => {
  const { app, db } = await build(t);
  const admin = await signUp(app);
  const [ada] = await db.select().from(persons);
  for (const license of ['read_only', 'none']) {
    const res = await admin.post(`/settings/users/licenses/${ada!.id}`, { license });
    t.equal(res.statusCode, 422, license);
    t.equal(radioGroup(res.body, ada!.id)!.error, LAST_ADMIN);
    t.match(res.body, `href="#p-${ada!.id}-license">${LAST_ADMIN}</a>`);
  }
  const htmx = await admin.post(`/settings/users/licenses/${ada!.id}`, { license: 'none' }, { htmx: true });
  t.equal(htmx.statusCode, 422);
  t.equal(radioGroup(htmx.body, ada!.id)!.error, LAST_ADMIN);
  t.equal((await findPerson(db, ada!.id))!.license, 'read_write');

  const readOnlyAdmin = await insertPerson(db, { license: 'read_only', isAdmin: true });
  t.equal((await admin.post(`/settings/users/licenses/${ada!.id}`, { license: 'read_only' })).statusCode, 422, 'a Read-Only administrator does not count');
  await db.update(persons).set({ license: 'read_write' }).where(eq(persons.id, readOnlyAdmin.id));
  const ok = await admin.post(`/settings/users/licenses/${ada!.id}`, { license: 'read_only' });
  t.equal(ok.statusCode, 303, 'another administrator keeps Read & Write');
  t.equal((await findPerson(db, ada!.id))!.license, 'read_only');
  t.equal((await admin.get('/settings/users')).statusCode, 200, 'a Read-Only administrator still sees the page');
  t.equal((await admin.post(`/settings/users/licenses/${ada!.id}`, { license: 'read_write' })).statusCode, 403, 'but can’t change anything');
});

t.test('bad input and other accounts’ people', async (t) => {
  const { app, db } = await build(t);
  const admin = await signUp(app);
  await signUp(app, { organizationName: 'Other Ltd', email: 'olga@other.test' });
  const [other] = await db.select().from(accounts).where(eq(accounts.name, 'Other Ltd'));
  const stranger = await insertPerson(db, { accountId: other!.id, license: 'read_only' });
  const bea = await insertPerson(db, { name: 'Bea Reader', license: 'read_only', accountId: (await db.select().from(accounts).where(eq(accounts.name, 'Acme Ltd')))[0]!.id });

  const foreign = await admin.post(`/settings/users/licenses/${stranger.id}`, { license: 'none' });
  t.equal(foreign.statusCode, 404, 'another account’s person id answers 404');
  t.equal((await admin.post(`/settings/users/licenses/${stranger.id}`, { license: 'gold' })).statusCode, 404, 'also with bad input');
  t.equal((await admin.post('/settings/users/licenses/no-such-id', { license: 'none' })).statusCode, 404);
  t.equal((await findPerson(db, stranger.id))!.license, 'read_only');
  const list = await admin.get('/settings/users');
  t.notMatch(list.body, stranger.name, 'the search lists only this account’s people');

  const bad = await admin.post(`/settings/users/licenses/${bea.id}`, { license: 'gold' });
  t.equal(bad.statusCode, 422);
  t.equal(radioGroup(bad.body, bea.id)!.error, 'Choose Read-Only, Read &amp; Write or No Access');
  const missing = await admin.post(`/settings/users/licenses/${bea.id}`, {});
  t.equal(missing.statusCode, 422);
  const noToken = await admin.post(`/settings/users/licenses/${bea.id}`, { license: 'none' }, { csrf: false });
  t.equal(noToken.statusCode, 403, 'CSRF token required');
  t.equal((await findPerson(db, bea.id))!.license, 'read_only');
});
