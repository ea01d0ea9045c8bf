import { eq, sql } from 'drizzle-orm';
import { newId } from '../../src/crypto.js';
import { type Db, rowsOf as dbRows } from '../../src/db/client.js';
import t from 'tap';
import { accounts, globalGrants, persons } from '../../src/db/schema.js';
import { READ_ONLY_REFUSED } from '../../src/permissions/guard.js';
import { EMAIL_TAKEN } from '../../src/people/people.js';
import { encodeCursor } from '../../src/people/cursor.js';
import { EDIT_PEOPLE_REFUSED } from '../../src/people/rules.js';
import { Agent, SIGNUP, signIn, signUp } from '../helpers/agent.js';
import { build } from '../helpers/build.js';
import { insertPerson } from '../helpers/factories.js';
import { pageLink, walkPages } from '../helpers/pages.js';

type Test = Parameters<typeof build>[0];

async function setup(t: Test) {
  const ctx = await build(t);
  const admin = await signUp(ctx.app);
  const [account] = await ctx.db.select().from(accounts);
  const member = await insertPerson(ctx.db, { name: 'Mia Member', email: 'mia@acme.test', password: 'member password 1' });
  const memberAgent = await signIn(ctx.app, 'mia@acme.test', 'member password 1');
  return { ...ctx, admin, account: account!, member, memberAgent };
}

const rowsOf = (body: string) => [...body.matchAll(/<tr>\s*<td><a href="\/people\/([^"]+)">([^<]+)<\/a><\/td>/g)].map((m) => m[2]);

t.test('/people needs a signed-in person', async (t) => {
  const { app } = await build(t);
  const res = await new Agent(app).get('/people');
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, '/login?next=%2Fpeople');
});

t.test('everyone signed in sees People in the navigation and the list with each person’s status', async (t) => {
  const { db, memberAgent, account } = await setup(t);
  await insertPerson(db, { name: 'Ivy Invited', email: 'ivy@acme.test', invitationState: 'invited', license: 'none' });
  await insertPerson(db, { name: 'Carl Contact', email: 'carl@acme.test', invitationState: 'none', license: 'none' });
  await insertPerson(db, { name: 'Ned NoAccess', email: 'ned@acme.test', invitationState: 'accepted', license: 'none' });
  const res = await memberAgent.get('/people');
  t.equal(res.statusCode, 200);
  t.match(res.body, '<h1>People</h1>');
  t.match(res.body, '<li><a href="/people" aria-current="page">People</a></li>', 'in the main navigation');
  t.equal(res.body.match(/<h1[ >]/g)!.length, 1, 'one h1');
  t.same(rowsOf(res.body), ['Ada Admin', 'Carl Contact', 'Ivy Invited', 'Mia Member', 'Ned NoAccess'], 'ordered by name');
  t.match(res.body, /<td>\s*<span class="tag tag--invited"><svg aria-hidden="true" focusable="false"[^>]*>.*<\/svg>Invited<\/span>\s*<\/td>/, 'key icon, hidden from screen readers, with the text "Invited"');
  t.equal(res.body.match(/>Has access</g)!.length, 2);
  t.match(res.body, '>Not invited<');
  t.match(res.body, '>No Access<');
  t.match(res.body, '<p id="people-count" role="status">5 people in your contacts</p>');
  t.match(res.body, '<form method="get" action="/people" role="search" aria-label="People">', 'search works without JavaScript');
  t.match(res.body, '<label for="q">Search by name or email</label>');
  t.match(res.body, 'data-hx-get="/people" data-hx-trigger="input changed delay:300ms, search" data-hx-target="#people-results" data-hx-replace-url="true"');
  t.notMatch(res.body, / hx-[a-z]/, 'only data-hx-* attributes');
  t.notMatch(res.body, 'New contact', 'no "New contact" without "Edit people"');
  t.notMatch(res.body, 'href="/people/invite"', 'no "Invite" while only administrators may invite');
  t.notMatch(res.body, '/settings/organization', 'no links to account settings for non-administrators');
  await db.update(accounts).set({ usersMayInvite: true }).where(eq(accounts.id, account.id));
  t.match((await memberAgent.get('/people')).body, '<a class="button button--secondary" href="/people/invite">Invite</a>');
});

t.test('search by name or email, as you type (htmx fragment) and by submit', async (t) => {
  const { db, admin } = await setup(t);
  await insertPerson(db, { name: 'Anna Smith', email: 'anna@acme.test' });
  await insertPerson(db, { name: 'Joanne Bloggs', email: 'jo@example.org' });
  await insertPerson(db, { name: 'Bob 50% Off', email: 'bob@acme.test' });
  const byName = await admin.get('/people?q=ANN');
  t.same(rowsOf(byName.body), ['Anna Smith', 'Joanne Bloggs'], 'case-insensitive substring of the name');
  t.match(byName.body, 'value="ANN"', 'the search box keeps the query');
  t.match(byName.body, '2 people found');
  t.same(rowsOf((await admin.get('/people?q=example.org')).body), ['Joanne Bloggs'], 'by email');
  t.same(rowsOf((await admin.get('/people?q=50%25')).body), ['Bob 50% Off'], 'LIKE wildcards are taken literally');
  const none = await admin.get('/people?q=zzz');
  t.match(none.body, 'No one in your contacts matches this search.');
  t.match(none.body, '0 people found');

  const fragment = await admin.get('/people?q=jo', { htmx: true });
  t.equal(fragment.statusCode, 200);
  t.notMatch(fragment.body, '<html', 'only the results');
  t.notMatch(fragment.body, '<h1>');
  t.same(rowsOf(fragment.body), ['Joanne Bloggs']);
  t.match(fragment.body, '<hx-partial hx-target="#people-count" hx-swap="innerHTML">1 person found</hx-partial>', 'the count is announced in the status region');
  t.equal(fragment.headers.vary, 'HX-Request');
  t.equal(fragment.headers['hx-replace-url'], '/people?q=jo', 'the address shows the search');
  const cleared = await admin.get('/people?q=', { htmx: true });
  t.equal(cleared.headers['hx-replace-url'], '/people', 'a cleared search leaves no "?q=" in the address');
  const at = encodeCursor({ name: 'Joanne', id: 'x' });
  t.equal((await admin.get(`/people?q=jo&after=${at}`, { htmx: true })).headers['hx-replace-url'], `/people?q=jo&after=${at}`, 'a page of a search keeps its cursor');
  t.equal((await admin.get('/people?q=jo&after=%ZZ&page=2', { htmx: true })).headers['hx-replace-url'], '/people?q=jo', 'an odd cursor: the first page, no cursor');
  t.notOk((await admin.get('/people?q=jo')).headers['hx-replace-url'], 'a whole page needs no header');
});

t.test('the list pages by keyset: Next and Previous links carry a cursor; odd or stale cursors never fail', async (t) => {
  const { db, admin, account } = await setup(t);
  await db.insert(persons).values(
    Array.from({ length: 30 }, (_, i) => ({ id: `p${String(i).padStart(3, '0')}`, accountId: account.id, name: `Zed ${String(i).padStart(2, '0')}`, email: `zed${i}@acme.test` })),
  );
  const first = await admin.get('/people');
  t.equal(rowsOf(first.body).length, 25);
  t.match(first.body, '32 people in your contacts');
  t.notMatch(first.body, /Page \d+ of/, 'no page numbers');
  t.equal(pageLink(first.body, 'next'), `/people?after=${encodeCursor({ name: 'Zed 22', id: 'p022' })}`, 'after the last row shown');
  t.notMatch(first.body, 'rel="prev"');
  t.match(first.body, '<nav class="pagination" aria-label="Pages of people">');
  const second = await admin.get(pageLink(first.body, 'next')!);
  t.same(rowsOf(second.body), ['Zed 23', 'Zed 24', 'Zed 25', 'Zed 26', 'Zed 27', 'Zed 28', 'Zed 29']);
  t.match(second.body, '32 people in your contacts');
  t.notMatch(second.body, 'rel="next"', 'the last page');
  t.equal(pageLink(second.body, 'prev'), `/people?before=${encodeCursor({ name: 'Zed 23', id: 'p023' })}`, 'before the first row shown');
  const back = await admin.get(pageLink(second.body, 'prev')!);
  t.same(rowsOf(back.body), rowsOf(first.body), 'back to the first page');
  t.notMatch(back.body, 'rel="prev"', 'nothing before it');
  t.equal(pageLink(back.body, 'next'), pageLink(first.body, 'next'));
  const searched = await admin.get('/people?q=zed');
  t.match(pageLink(searched.body, 'next')!, /^\/people\?q=zed&after=/, 'pages keep the search');
  const searchedSecond = await admin.get(pageLink(searched.body, 'next')!);
  t.match(pageLink(searchedSecond.body, 'prev')!, /^\/people\?q=zed&before=/);
  t.same(rowsOf(searchedSecond.body), ['Zed 25', 'Zed 26', 'Zed 27', 'Zed 28', 'Zed 29']);
  t.match(searchedSecond.body, '30 people found');

  const past = await admin.get(`/people?after=${encodeCursor({ name: 'Zzz', id: 'z' })}`);
  t.equal(past.statusCode, 200);
  t.match(past.body, 'There is nobody on this page.');
  t.match(past.body, '<a href="/people">Go to the first page</a>');
  t.match(past.body, '32 people in your contacts');
  const pastSearch = await admin.get(`/people?q=zed&before=${encodeCursor({ name: 'A', id: 'a' })}`);
  t.match(pastSearch.body, 'There is nobody on this page.');
  t.match(pastSearch.body, '<a href="/people?q=zed">Go to the first page</a>', 'the first page of the same search');
  t.match(pastSearch.body, 'No people on this page', 'no match count to give');
  const odd = [
    '/people?page=2', '/people?after=abc%25', '/people?after=' + 'A'.repeat(5000), `/people?after=${Buffer.from('{"a":1}').toString('base64url')}`,
    `/people?before=${Buffer.from('["a\\u0000","b"]').toString('base64url')}`, `/people?after=${encodeCursor({ name: 'Zed 05', id: 'p005' })}&after=x`,
    `/people?after=${encodeCursor({ name: 'Zed 05', id: 'p005' })}&before=${encodeCursor({ name: 'Zed 05', id: 'p005' })}`,
    '/people?q=a&q=b', `/people?q=${'x'.repeat(500)}`,
  ];
  for (const url of odd) {
    const res = await admin.get(url);
    t.equal(res.statusCode, 200, url);
    if (!url.includes('q=')) t.same(rowsOf(res.body), rowsOf(first.body), `${url.slice(0, 60)}: the first page`);
  }
});

/** The ids in (name, id) order as the database sorts them (its collation decides), optionally only the search's matches. */
async function idsInOrder(db: Db, accountId: string, q = '') {
  const rows = await db.execute(sql`select id from persons where account_id = ${accountId} and search_text like ${`%${q}%`} order by name, id`);
  return dbRows<{ id: string }>(rows).map((r) => r.id);
}

t.test('walking forward page by page, then backward, gives every person exactly once, in order, also while searching', async (t) => {
  const { db, admin, account } = await setup(t);
  // 60 people, three to a name: the id decides the order among namesakes
  await db.insert(persons).values(
    Array.from({ length: 60 }, (_, i) => ({ id: newId(), accountId: account.id, name: `Walker ${String(i % 20).padStart(2, '0')}`, email: `w${i}@acme.test` })),
  );
  const idsOf = (body: string) => [...body.matchAll(/<tr>\s*<td><a href="\/people\/([^"]+)">/g)].map((m) => m[1]!);
  for (const q of ['', 'walker']) {
    const expected = await idsInOrder(db, account.id, q);
    t.equal(expected.length, q ? 60 : 62);
    const forward = await walkPages(admin, q ? `/people?q=${q}` : '/people', 'next', idsOf);
    t.same(forward.pages.map((p) => p.length), [25, 25, expected.length - 50], `q=${q}: pages of 25`);
    t.same(forward.pages.flat(), expected, `q=${q}: forward, everyone once, in order`);
    const backward = await walkPages(admin, forward.urls.at(-1)!, 'prev', idsOf);
    t.same(backward.pages.reverse().flat(), expected, `q=${q}: backward, everyone once, in order`);
    t.notOk(backward.urls.slice(1).some((u) => u.includes('after=')), 'backward pages are addressed by `before`');
  }
});

t.test('a cursor still works when its person was deleted (the boundary need not exist)', async (t) => {
  const { db, admin, account } = await setup(t);
  await db.insert(persons).values(
    Array.from({ length: 60 }, (_, i) => ({ id: `d${String(i).padStart(2, '0')}`, accountId: account.id, name: `Dee ${String(i).padStart(2, '0')}`, email: `d${i}@acme.test` })),
  );
  const first = await admin.get('/people');
  const next = pageLink(first.body, 'next')!;
  const second = await admin.get(next);
  const prev = pageLink(second.body, 'prev')!;
  await db.delete(persons).where(eq(persons.name, rowsOf(first.body).at(-1)!));
  t.same(rowsOf((await admin.get(next)).body), rowsOf(second.body), 'the page after a deleted person: the same people');
  await db.delete(persons).where(eq(persons.name, rowsOf(second.body)[0]!));
  const before = await admin.get(prev);
  t.same(rowsOf(before.body), rowsOf(first.body).slice(0, -1), 'the page before a deleted person: the same people, less the deleted one');
  t.notMatch(before.body, 'rel="prev"');
});

t.test('/people sends the same small number of SQL statements for 5 people as for 200', async (t) => {
  const { db, admin, memberAgent, account, stats } = await setup(t);
  const count = async (agent: Agent, url: string) => {
    const before = stats.queries;
    const res = await agent.get(url);
    t.equal(res.statusCode, 200);
    return stats.queries - before;
  };
  // deep pages: after and before a boundary far into the large account (the same addresses at both sizes)
  const deep = encodeCursor({ name: 'Big 90', id: 'b90' });
  const measure = async (q: string) => ({
    admin: await count(admin, '/people'),
    member: await count(memberAgent, '/people'),
    search: await count(admin, `/people?q=${q}`),
    htmx: await count(admin, '/people?q=s'),
    deepPage: await count(admin, `/people?after=${deep}`),
    deepPageBack: await count(admin, `/people?before=${deep}`),
    deepSearchPage: await count(admin, `/people?q=${q}&after=${deep}`),
  });
  await db.insert(persons).values(Array.from({ length: 3 }, (_, i) => ({ id: `s${i}`, accountId: account.id, name: `Small ${i}`, email: `s${i}@acme.test` })));
  const small = await measure('small');
  await db.insert(persons).values(Array.from({ length: 195 }, (_, i) => ({ id: `b${i}`, accountId: account.id, name: `Big ${i}`, email: `b${i}@acme.test`, invitationState: i % 2 ? ('invited' as const) : ('none' as const) })));
  t.equal((await db.select().from(persons)).length, 200);
  const large = await measure('big');
  t.same(large, small, 'independent of the number of people, and of how deep the page is');
  t.equal(large.deepPage, large.admin, 'a deep page: as many statements as the first');
  t.ok(large.admin <= 4, `administrator: ${large.admin} statements`);
  t.ok(large.member <= 5, `member: ${large.member} statements`);
  t.comment(`SQL statements per /people request: ${JSON.stringify(large)}`);
});

t.test('"New contact" needs "Edit people" or administrator, and a Read & Write license', async (t) => {
  const { db, app, admin, member, memberAgent, account } = await setup(t);
  const page = await admin.get('/people');
  t.match(page.body, '<a class="button" href="/people/new">New contact</a>');
  const form = await admin.get('/people/new');
  t.equal(form.statusCode, 200);
  t.match(form.body, '<h1>New contact</h1>');
  t.match(form.body, '>Name</label>');
  t.match(form.body, '>Email</label>');

  const refusedPage = await memberAgent.get('/people/new');
  t.equal(refusedPage.statusCode, 403);
  t.match(refusedPage.body, EDIT_PEOPLE_REFUSED.replace(/“|”/g, (c) => c));
  const refused = await memberAgent.post('/people/new', { name: 'Nope', email: 'nope@acme.test' });
  t.equal(refused.statusCode, 403);
  t.match(refused.body, 'You need the “Edit people” permission to add contacts. Ask an administrator.');
  t.equal((await db.select().from(persons).where(eq(persons.email, 'nope@acme.test'))).length, 0, 'nothing saved');

  await db.insert(globalGrants).values({ accountId: account.id, personId: member.id, permission: 'people.edit' });
  t.match((await memberAgent.get('/people')).body, 'href="/people/new">New contact</a>', 'shown with "Edit people"');
  const created = await memberAgent.post('/people/new', { name: '  Cleo Contact ', email: 'Cleo@Acme.test' });
  t.equal(created.statusCode, 303);
  const [cleo] = await db.select().from(persons).where(eq(persons.email, 'Cleo@Acme.test'));
  t.equal(cleo!.name, 'Cleo Contact');
  t.equal(cleo!.license, 'none', 'a plain contact has no license');
  t.equal(cleo!.invitationState, 'none');
  t.equal(created.headers.location, `/people/${cleo!.id}?notice=contact-created`);
  const shown = await memberAgent.get(created.headers.location as string);
  t.match(shown.body, /role="status">Contact created.<\/div>/);
  t.match(shown.body, '<h1>Cleo Contact</h1>');

  const duplicate = await admin.post('/people/new', { name: 'Other Cleo', email: 'CLEO@acme.TEST' });
  t.equal(duplicate.statusCode, 422);
  t.match(duplicate.body, `href="#email">${EMAIL_TAKEN}`);
  t.match(duplicate.body, 'id="email-error"');
  const bad = await admin.post('/people/new', { name: ' ', email: 'not an email' });
  t.equal(bad.statusCode, 422);
  t.match(bad.body, 'href="#name">Enter a name');
  t.match(bad.body, 'href="#email">Enter an email address in the correct format');
  t.match(bad.body, 'value="not an email"', 'keeps what was typed');
  t.equal((await db.select().from(persons)).length, 3, 'nothing else saved');

  await db.update(persons).set({ license: 'read_only' }).where(eq(persons.id, member.id));
  const readOnly = await signIn(app, 'mia@acme.test', 'member password 1');
  const ro = await readOnly.post('/people/new', { name: 'Nope', email: 'nope@acme.test' });
  t.equal(ro.statusCode, 403, 'Read-Only can sign in but not edit');
  t.match(ro.body, READ_ONLY_REFUSED);
  t.notMatch((await readOnly.get('/people')).body, 'New contact');
});

t.test('a person’s page shows their license and status; administrators get the administrator switch and "Delete person"', async (t) => {
  const { db, admin, member, memberAgent } = await setup(t);
  const ro = await insertPerson(db, { name: 'Rita Reader', email: 'rita@acme.test', license: 'read_only' });
  const page = await admin.get(`/people/${ro.id}`);
  t.equal(page.statusCode, 200);
  t.match(page.body, '<h1>Rita Reader</h1>');
  t.match(page.body, '<dt>License</dt><dd>Read-Only</dd>');
  t.match(page.body, '<dt>Administrator</dt><dd>No</dd>');
  t.match(page.body, `action="/people/${ro.id}/admin"`);
  t.match(page.body, '>Administrator</label>');
  t.match(page.body, `<a class="button button--warning" href="/people/${ro.id}/delete">Delete person</a>`);
  const asMember = await memberAgent.get(`/people/${member.id}`);
  t.equal(asMember.statusCode, 200);
  t.match(asMember.body, '<dt>License</dt><dd>Read &amp; Write</dd>');
  t.notMatch(asMember.body, '/admin"', 'no administrator switch for non-administrators');
  t.notMatch(asMember.body, 'Delete person');
  t.equal((await admin.get('/people/no-such-id')).statusCode, 404);
});

t.test('another account’s people are invisible: not listed, and their ids answer 404', async (t) => {
  const { app, db, admin } = await setup(t);
  const other = await signUp(app, { organizationName: 'Other Org', email: 'owner@other.test', name: 'Otto Owner' });
  const [otto] = await db.select().from(persons).where(eq(persons.email, 'owner@other.test'));
  t.notMatch((await admin.get('/people')).body, 'Otto Owner');
  t.notMatch((await admin.get('/people?q=otto')).body, 'Otto Owner');
  const res = await admin.get(`/people/${otto!.id}`);
  t.equal(res.statusCode, 404);
  t.match(res.body, 'There is no such person in your contacts.');
  t.equal((await other.get(`/people/${otto!.id}`)).statusCode, 200);
  t.ok(SIGNUP);
});

t.test('search by one or two characters and by longer text finds the same kind of matches, only in this account', async (t) => {
  const { db, admin, account } = await setup(t);
  const [other] = await db.insert(accounts).values({ id: 'other-account', name: 'Other', edition: 'professional', readWriteLicenses: 5 }).returning();
  await insertPerson(db, { accountId: other!.id, name: 'Ada Elsewhere', email: 'ada@other.test' });
  for (const [name, email] of [['Ada Lovelace', 'lovelace@acme.test'], ['Zoë Ümlaut', 'zoe@acme.test'], ['Sale 50% Off', 'sale@acme.test'], ['Under_Score', 'under@acme.test']]) {
    await insertPerson(db, { accountId: account.id, name, email });
  }
  const found = async (q: string) => rowsOf((await admin.get(`/people?q=${encodeURIComponent(q)}`, { htmx: true })).body);
  t.same(await found('ad'), ['Ada Admin', 'Ada Lovelace'], 'two letters: substring of name or email, this account only');
  t.same(await found('ada'), ['Ada Admin', 'Ada Lovelace'], 'three letters (trigram index): the same');
  t.same(await found('ADA LOVE'), ['Ada Lovelace'], 'case-insensitive');
  t.same(await found('%'), ['Sale 50% Off'], 'a lone % is a character, not a wildcard');
  t.same(await found('0% o'), ['Sale 50% Off'], 'in a short run too');
  t.same(await found('_'), ['Under_Score']);
  t.same(await found('r_s'), ['Under_Score'], 'an underscore is not a wildcard in a longer pattern');
  t.same(await found('ë'), ['Zoë Ümlaut'], 'one non-ASCII letter');
  t.same(await found('zoë ü'), ['Zoë Ümlaut'], 'non-ASCII letters in a longer pattern');
  t.same(await found('elsewhere'), [], 'never another account’s people');
  t.same(await found('z'), ['Zoë Ümlaut'], 'one letter');
  t.equal((await found('e')).length, 6, 'one letter every address has (acme.test): everyone in this account');
});
