import { eq, sql } from 'drizzle-orm';
import t from 'tap';
import { historyEntries, persons } from '../../src/db/schema.js';
import { neutraliseFormula } from '../../src/history/csv.js';
import { Agent, signIn, signUp } from '../helpers/agent.js';
import { insertPerson } from '../helpers/factories.js';
import { signedUpAccount } from '../helpers/signed-up.js';


const setup = signedUpAccount;

/** The entries' rows as text, cell by cell (tags dropped, whitespace collapsed). */
function tableRows(body: string): string[][] {
  const tbody = /<tbody>([\s\S]*?)<\/tbody>/.exec(body)?.[1] ?? '';
  return [...tbody.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((tr) =>
    [...tr[1]!.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((td) => td[1]!.replace(/<\/li><li>/g, '; ').replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim()),
  );
}
const decode = (s: string) => s.replace(/&amp;/g, '&').replace(/&#39;/g, "'").replace(/&quot;/g, '"');

t.test('administrators see the history newest first: who, what, subject, before and after, by current names', async (t) => {
  const { admin, app, db } = await setup(t);
  t.equal((await admin.post('/settings/organization/name', { organizationName: 'Acme Group' })).statusCode, 303);
  const bea = await insertPerson(db, { name: 'Bea Baker', email: 'bea@acme.test', license: 'read_only' });
  t.equal((await admin.post(`/settings/users/licenses/${bea.id}`, { license: 'read_write' })).statusCode, 303);
  await db.update(persons).set({ name: 'Beatrice Baker' }).where(eq(persons.id, bea.id));
  const res = await admin.get('/settings/history');
  t.equal(res.statusCode, 200);
  t.match(res.body, '<h1>History</h1>');
  t.equal(res.body.match(/<h1[ >]/g)!.length, 1, 'one h1');
  t.match(res.body, '<li><a href="/settings/history" aria-current="page">History</a></li>', 'in the navigation');
  t.match(res.body, '<caption class="visually-hidden">Changes, newest first</caption>');
  t.match(res.body, '<th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">Subject</th><th scope="col">Before</th><th scope="col">After</th>');
  t.match(res.body, /<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z">\d{4}-\d\d-\d\d \d\d:\d\d UTC<\/time>/, 'times in <time datetime>');
  const rows = tableRows(decode(res.body)).map((r) => r.slice(1));
  t.same(rows, [
    ['Ada Admin', 'License changed', 'Beatrice Baker', 'License: Read-Only', 'License: Read & Write'],
    ['Ada Admin', 'Organization name changed', 'Organization', 'Name: Acme Ltd', 'Name: Acme Group'],
    ['Ada Admin', 'Organization created', 'Organization', '–', 'Edition: Professional; Read & Write licenses: 5'],
  ], 'newest first, with the subject’s current name');
  t.match(res.body, '<p id="history-status" role="status">3 changes on this page, newest first.</p>');
  t.match(res.body, '<form id="history-filter" method="get" action="/settings/history" role="search" aria-label="Filter the history"');
  t.match(res.body, '<a class="button button--secondary" href="/settings/history/export">Export CSV</a>');
  t.notMatch(res.body, / hx-[a-z]/, 'only data-hx-* attributes');
  t.notMatch(res.body, 'class="pagination"', 'one page: no page links');
  // erased: the entries stay, by "Deleted person"
  t.equal((await admin.post(`/people/${bea.id}/delete`, {})).statusCode, 303);
  const after = tableRows(decode((await admin.get('/settings/history')).body)).map((r) => r.slice(1, 4));
  t.same(after.slice(0, 2), [['Ada Admin', 'Person deleted', 'Deleted person'], ['Ada Admin', 'License changed', 'Deleted person']]);
  t.notMatch((await admin.get('/settings/history')).body, 'Bea', 'nothing of the erased person’s name is left');
  void app;
});

t.test('people who are not administrators get 403 and no link; visitors are sent to sign in', async (t) => {
  const { app, db, admin } = await setup(t);
  await insertPerson(db, { name: 'Mia Member', email: 'mia@acme.test', password: 'member password 1' });
  const member = await signIn(app, 'mia@acme.test', 'member password 1');
  for (const url of ['/settings/history', '/settings/history?kind=person.license', '/settings/history/export']) {
    t.equal((await member.get(url)).statusCode, 403, `${url}: 403`);
    t.equal((await member.get(url, { htmx: true })).statusCode, 403, `${url} (htmx): 403`);
    const visitor = await new Agent(app).get(url);
    t.equal(visitor.statusCode, 303);
    t.match(visitor.headers.location, /^\/login\?next=/);
  }
  t.notMatch((await member.get('/people')).body, '/settings/history', 'no link for a member');
  t.match((await admin.get('/people')).body, '<a href="/settings/history">History</a>', 'a link for an administrator');
  // a Read-Only administrator may look (nothing to change here)
  await insertPerson(db, { name: 'Rob ReadOnly', email: 'rob@acme.test', license: 'read_only', isAdmin: true, password: 'read only admin 1' });
  t.equal((await (await signIn(app, 'rob@acme.test', 'read only admin 1')).get('/settings/history')).statusCode, 200);
});

t.test('another account’s history is never shown, not even through the person filter or the export', async (t) => {
  const { app, admin } = await setup(t);
  const other = await signUp(app, { organizationName: 'Other Org', name: 'Otto Other', email: 'otto@other.test' });
  t.equal((await other.post('/settings/organization/name', { organizationName: 'Other Secret Name' })).statusCode, 303);
  for (const url of ['/settings/history', '/settings/history?person=otto', '/settings/history?kind=account.renamed', '/settings/history/export']) {
    const body = (await admin.get(url)).body;
    t.notMatch(body, 'Otto', url);
    t.notMatch(body, 'Other Secret Name', url);
  }
  const own = (await other.get('/settings/history')).body;
  t.match(own, 'Other Secret Name', 'the other administrator sees their own');
  t.notMatch(own, 'Ada Admin');
});

t.test('filter by person, kind and dates: a GET form (page) and its htmx answer (results only, address in step)', async (t) => {
  const { admin, db, account, ada } = await setup(t);
  const bea = await insertPerson(db, { name: 'Bea Baker', email: 'bea@acme.test', license: 'read_only' });
  const cy = await insertPerson(db, { name: 'Cy Clark', email: 'cy@acme.test', license: 'read_only' });
  await admin.post(`/settings/users/licenses/${bea.id}`, { license: 'read_write' });
  await admin.post(`/settings/users/licenses/${cy.id}`, { license: 'none' });
  await admin.post(`/people/${bea.id}/admin`, { admin: 'on' });
  const subjects = (body: string) => tableRows(decode(body)).map((r) => `${r[2]}: ${r[3]}`);

  const byPerson = await admin.get('/settings/history?person=bea');
  t.equal(byPerson.statusCode, 200);
  t.same(subjects(byPerson.body), ['Administrator rights changed: Bea Baker', 'License changed: Bea Baker']);
  t.match(byPerson.body, 'value="bea"', 'the field keeps what was typed');
  t.match(byPerson.body, '2 changes matching the filter on this page, newest first.');
  t.match(byPerson.body, 'href="/settings/history/export?person=bea"', 'the export takes the filter');
  t.same(subjects((await admin.get('/settings/history?person=ada')).body).length, 4, 'the actor matches too: everything Ada did');
  t.same(subjects((await admin.get('/settings/history?person=BEA%40ACME')).body).length, 2, 'by email, any case');
  t.same(subjects((await admin.get('/settings/history?person=%25')).body), [], 'LIKE wildcards are plain text');

  const byKind = await admin.get('/settings/history?kind=person.license');
  t.same(subjects(byKind.body), ['License changed: Cy Clark', 'License changed: Bea Baker']);
  t.match(byKind.body, '<option value="person.license" selected>License changed</option>');

  const fragment = await admin.get('/settings/history?person=cy&kind=person.license', { htmx: true });
  t.equal(fragment.statusCode, 200);
  t.notMatch(fragment.body, '<html', 'only the results');
  t.notMatch(fragment.body, '<form id="history-filter"', 'the form stays as it is');
  t.same(subjects(fragment.body), ['License changed: Cy Clark']);
  t.equal(fragment.headers['hx-replace-url'], '/settings/history?person=cy&kind=person.license', 'the address follows the filter');
  t.match(fragment.body, '<hx-partial hx-target="#history-status" hx-swap="innerHTML">1 change matching the filter on this page, newest first.</hx-partial>');
  t.match(fragment.body, /<hx-partial hx-target="#error-summary-slot" hx-swap="innerHTML">\s*<\/hx-partial>/, 'clears an earlier error summary');
  t.match(fragment.body, /<hx-partial hx-target="#from-error-slot" hx-swap="innerHTML">\s*<\/hx-partial>/, 'and the messages next to the fields');
  t.equal((await admin.get('/settings/history?person=&kind=', { htmx: true })).headers['hx-replace-url'], '/settings/history', 'no empty parameters left');

  // dates: whole days in UTC, from … to inclusive
  await db.update(historyEntries).set({ createdAt: new Date('2030-01-10T23:59:59.999Z') }).where(eq(historyEntries.kind, 'person.admin'));
  await db.update(historyEntries).set({ createdAt: new Date('2030-01-11T00:00:00.000Z') }).where(eq(historyEntries.kind, 'account.created'));
  t.same(subjects((await admin.get('/settings/history?from=2030-01-10&to=2030-01-10')).body), ['Administrator rights changed: Bea Baker']);
  t.same(subjects((await admin.get('/settings/history?from=2030-01-11')).body), ['Organization created: Organization']);
  t.same(subjects((await admin.get('/settings/history?to=2030-01-09')).body), ['License changed: Cy Clark', 'License changed: Bea Baker']);
  const none = await admin.get('/settings/history?kind=invitation.sent');
  t.match(none.body, '<p id="history-status" role="status">No changes match this filter.</p>');
  t.match(none.body, '<a href="/settings/history">Show all changes</a>');
  t.notMatch(none.body, '<table');
  void account;
  void ada;
});

t.test('a person filter naming many people (more than 50) finds the entries of each of them', async (t) => {
  const { admin, db, account, ada } = await setup(t);
  const zeds = await db
    .insert(persons)
    .values(Array.from({ length: 60 }, (_, i) => ({ id: `zed${String(i).padStart(2, '0')}`, accountId: account.id, name: `Zed ${i}`, email: `zed${i}@acme.test`, license: 'read_only' as const })))
    .returning();
  // entries about the 1st, the 30th and the 60th Zed, and one Zed who acted
  for (const z of [zeds[0]!, zeds[29]!, zeds[59]!]) await admin.post(`/settings/users/licenses/${z.id}`, { license: 'none' });
  await db.insert(historyEntries).values({ accountId: account.id, actorId: zeds[5]!.id, kind: 'invitation.accepted', subjectType: 'person', subjectId: zeds[5]!.id, after: { invitationState: 'accepted' } });
  const subjects = (body: string) => tableRows(decode(body)).map((r) => r[3]);
  t.same(subjects((await admin.get('/settings/history?person=zed')).body), ['Zed 5', 'Zed 59', 'Zed 29', 'Zed 0'], 'many people: the account walked');
  t.same(subjects((await admin.get('/settings/history?person=zed%205')).body), ['Zed 5', 'Zed 59'], 'a few people: each one read');
  t.same(subjects((await admin.get('/settings/history?person=nobody')).body), [], 'nobody');
  void ada;
});

t.test('a bad filter is a 422 with the error summary and a message next to the field; nothing listed', async (t) => {
  const { admin } = await setup(t);
  const bad = await admin.get('/settings/history?from=2030-02-30&to=yesterday&kind=nope');
  t.equal(bad.statusCode, 422);
  t.match(bad.body, '<title>Error: History – Accord</title>');
  t.match(bad.body, '<h2 id="error-summary-title">There is a problem</h2>');
  t.match(bad.body, '<li><a href="#from">Enter the start date as a real date, for example 2025-03-31</a></li>');
  t.match(bad.body, '<li><a href="#to">Enter the end date as a real date, for example 2025-03-31</a></li>');
  t.match(bad.body, '<li><a href="#kind">Choose a kind of change from the list</a></li>');
  t.match(bad.body, '<p class="error-message" id="from-error"><span class="visually-hidden">Error:</span> Enter the start date as a real date');
  t.match(bad.body, /<input id="from" name="from" type="date" value="2030-02-30" aria-describedby="from-hint from-error-slot" aria-invalid="true">/, 'the value as typed, marked invalid');
  t.match(bad.body, 'Correct the filter to see the history.');
  t.notMatch(bad.body, '<table');
  const order = await admin.get('/settings/history?from=2030-02-02&to=2030-02-01');
  t.equal(order.statusCode, 422);
  t.match(order.body, '<li><a href="#to">The end date must be the same as or after the start date</a></li>');
  const long = await admin.get(`/settings/history?person=${'x'.repeat(101)}`);
  t.equal(long.statusCode, 422);
  t.match(long.body, 'Enter at most 100 characters of a name or email');

  const htmx = await admin.get('/settings/history?from=2030-02-30', { htmx: true });
  t.equal(htmx.statusCode, 422);
  t.notMatch(htmx.body, '<table', 'the results stay as they were');
  t.notMatch(htmx.body.replace(/<hx-partial[\s\S]*?<\/hx-partial>/g, '').trim(), /\S/, 'partials only');
  t.match(htmx.body, '<hx-partial hx-target="#error-summary-slot" hx-swap="innerHTML">');
  t.match(htmx.body, /<hx-partial hx-target="#from-error-slot" hx-swap="innerHTML"><p class="error-message" id="from-error">/);
  t.equal((await admin.get('/settings/history/export?to=2030-13-01')).statusCode, 422, 'the export refuses a bad filter too');
});

t.test('keyset pages: "Older" and "Newer" links with (time, id) cursors, the filter kept', async (t) => {
  const { admin, db, account, ada } = await setup(t);
  const base = Date.parse('2030-05-01T00:00:00Z');
  // 60 entries (pages of 25, 25 and 10), several sharing one millisecond: the id breaks ties
  await db.insert(historyEntries).values(
    Array.from({ length: 60 }, (_, i) => ({
      accountId: account.id,
      createdAt: new Date(base + Math.floor(i / 3) * 1000),
      actorId: ada.id,
      kind: 'account.renamed',
      subjectType: 'account' as const,
      subjectId: account.id,
      after: { name: `Name ${String(i).padStart(3, '0')}` },
    })),
  );
  const names = (body: string) => tableRows(body).map((r) => r[5]!.replace('Name: ', ''));
  const expected = Array.from({ length: 60 }, (_, i) => `Name ${String(59 - i).padStart(3, '0')}`);
  const href = (body: string, label: string) => decode(new RegExp(`<a href="([^"]+)" rel="(?:prev|next)">${label}</a>`).exec(body)?.[1] ?? '');

  const first = await admin.get('/settings/history?kind=account.renamed');
  t.same(names(first.body), expected.slice(0, 25));
  t.equal(href(first.body, 'Newer'), '', 'no "Newer" on the newest page');
  const olderUrl = href(first.body, 'Older');
  t.match(olderUrl, /^\/settings\/history\?kind=account\.renamed&older=\d+-\d+$/);
  const second = await admin.get(olderUrl);
  t.same(names(second.body), expected.slice(25, 50));
  const third = await admin.get(href(second.body, 'Older'));
  t.same(names(third.body), expected.slice(50, 60), 'the last page');
  t.equal(href(third.body, 'Older'), '', 'no "Older" on the last page');
  const back = await admin.get(href(third.body, 'Newer'));
  t.same(names(back.body), expected.slice(25, 50), '"Newer" goes back a page');
  const top = await admin.get(href(back.body, 'Newer'));
  t.same(names(top.body), expected.slice(0, 25));
  t.equal(href(top.body, 'Newer'), '', 'back on the newest page');
  const fragment = await admin.get(olderUrl, { htmx: true });
  t.equal(fragment.headers['hx-replace-url'], olderUrl, 'the address names the page');
  t.equal((await admin.get('/settings/history?older=nonsense')).statusCode, 200, 'a broken cursor reads as the newest page');
});

t.test('Export CSV: the current filter as RFC 4180 CSV, streamed as a download; formulas neutralised', async (t) => {
  const { admin, db } = await setup(t);
  const evil = await insertPerson(db, { name: '=HYPERLINK("http://evil.test","x")', email: 'evil@acme.test', license: 'read_only' });
  const plus = await insertPerson(db, { name: '+1 "quoted", name', email: 'plus@acme.test', license: 'read_only' });
  await admin.post(`/settings/users/licenses/${evil.id}`, { license: 'none' });
  await admin.post(`/settings/users/licenses/${plus.id}`, { license: 'none' });
  await admin.post('/settings/users/invitations', { usersMayInvite: 'on', allowedDomains: 'acme.test\nexample.org' });
  const res = await admin.get('/settings/history/export');
  t.equal(res.statusCode, 200);
  t.equal(res.headers['content-type'], 'text/csv; charset=utf-8; header=present');
  t.match(res.headers['content-disposition'], /^attachment; filename="accord-history-\d{4}-\d\d-\d\d\.csv"$/);
  t.equal(res.headers['cache-control'], 'no-store');
  t.equal(res.headers['transfer-encoding'], 'chunked', 'streamed, not buffered with a length');
  const lines = res.body.replace(/^\uFEFF/, '').split('\r\n');
  t.equal(lines[0], 'When (UTC),Who,What,Subject,Before,After', 'a header row, CRLF line ends');
  t.match(lines[1]!, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3},Ada Admin,Invitation rules changed,Organization,"Users may invite other users: Off\nAllowed email domains: Any domain","Users may invite other users: On\nAllowed email domains: acme\.test, example\.org"$/s);
  t.match(res.body, `,Ada Admin,License changed,"'+1 ""quoted"", name",License: Read-Only,License: No Access\r\n`, 'quotes doubled, comma quoted, + neutralised');
  t.match(res.body, `,Ada Admin,License changed,"'=HYPERLINK(""http://evil.test"",""x"")",License: Read-Only,License: No Access\r\n`, '= neutralised');
  t.equal(lines.at(-1), '', 'the last record ends with CRLF');
  t.equal(lines.length - 2, 4, 'every entry (sign-up, two licenses, invitation rules)');
  const filtered = await admin.get('/settings/history/export?person=evil&older=1-1');
  t.equal(filtered.body.replace(/^\uFEFF/, '').split('\r\n').length - 2, 1, 'the filter applies; a page cursor does not');
  for (const [cell, safe] of <[string, string][]>[['=1+1', "'=1+1"], ['+1', "'+1"], ['-1', "'-1"], ['@SUM(A1)', "'@SUM(A1)"], ['\t=1', "'\t=1"], ['\r=1', "'\r=1"], ['a=1', 'a=1'], ['', '']]) {
    t.equal(neutraliseFormula(cell), safe, JSON.stringify(cell));
  }
});

t.test('an empty history says so', async (t) => {
  const { admin, db } = await setup(t);
  await db.execute(sql`delete from history_entries`);
  const res = await admin.get('/settings/history');
  t.match(res.body, '<p id="history-status" role="status">There are no changes in the history yet.</p>');
  t.notMatch(res.body, 'Export CSV', 'nothing to export');
});
