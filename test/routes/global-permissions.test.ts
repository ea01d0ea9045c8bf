import { and, eq } from 'drizzle-orm';
import t from 'tap';
import { newId } from '../../src/crypto.js';
import { accounts, globalGrants, historyEntries, persons } from '../../src/db/schema.js';
import { signIn } from '../helpers/agent.js';
import { insertPerson } from '../helpers/factories.js';
import { signedUpAccount } from '../helpers/signed-up.js';

type Ctx = Awaited<ReturnType<typeof signedUpAccount>>;

async function fixture(t: Parameters<typeof signedUpAccount>[0]) {
  const ctx = await signedUpAccount(t);
  const { db } = ctx;
  const bo = await insertPerson(db, { name: 'Bo Brown', email: 'bo@acme.test', license: 'read_write', password: 'member password 1' });
  const cy = await insertPerson(db, { name: 'Cy Cole', email: 'cy@acme.test', license: 'read_only' });
  const di = await insertPerson(db, { name: 'Di Dunn', email: 'di@acme.test', license: 'read_write' });
  const nox = await insertPerson(db, { name: 'Nox None', email: 'nox@acme.test', license: 'none' });
  return { ...ctx, bo, cy, di, nox };
}

async function grantsOf(ctx: Ctx, personId: string) {
  const rows = await ctx.db.select({ p: globalGrants.permission }).from(globalGrants).where(eq(globalGrants.personId, personId));
  return rows.map((r) => r.p).sort();
}

async function historyOf(ctx: Ctx) {
  return ctx.db.select().from(historyEntries).where(eq(historyEntries.kind, 'permissions.global'));
}

const url = (...ids: string[]) => `/settings/users/global?${ids.map((id) => `person=${id}`).join('&')}`;

t.test('administrators only: members 403; the page lists the selection, the search and the switches', async (t) => {
  const { app, admin, bo, cy, nox } = await fixture(t);
  const member = await signIn(app, 'bo@acme.test', 'member password 1');
  t.equal((await member.get('/settings/users/global')).statusCode, 403);
  t.equal((await member.post('/settings/users/global', { person: bo.id, 'projects.create': 'on' })).statusCode, 403);

  const empty = await admin.get('/settings/users/global');
  t.equal(empty.statusCode, 200);
  t.match(empty.body, /aria-current="page">Global</);
  t.match(empty.body, /No one is selected yet/);
  t.match(empty.body, /<label for="select-[^"]+">Select Bo Brown<\/label>/);
  t.match(empty.body, /Select Cy Cole/, 'Read-Only people are listed');
  t.notMatch(empty.body, /Select Nox None/, 'people without a license are not');
  t.notMatch(empty.body, /role="switch"/, 'no switches before someone is selected');

  const search = await admin.get('/settings/users/global?q=bo&person=' + cy.id, { htmx: true });
  t.equal(search.statusCode, 200);
  t.equal(search.headers['hx-replace-url'], `/settings/users/global?q=bo&person=${cy.id}`);
  t.match(search.body, /Select Bo Brown/);
  t.notMatch(search.body, /<html/);
  t.match(search.body, /hx-target="#live-status"[^>]*>1 person found\./);

  const one = await admin.get(url(bo.id, nox.id, 'unknown-id', 'bad id!'));
  t.equal(one.statusCode, 200);
  t.match(one.body, /Permissions of Bo Brown/);
  t.match(one.body, /<legend>Reading permissions<\/legend>/);
  t.match(one.body, /<legend>Editing permissions<\/legend>/);
  t.match(one.body, /<input type="checkbox" role="switch" id="projects.create" name="projects.create" value="on">\s*<label for="projects.create">Create projects<\/label>/);
  t.match(one.body, /Remove<span class="visually-hidden"> Bo Brown<\/span>/);
  t.notMatch(one.body, /Nox None/, 'an id of a person without a license shows nothing');
  t.notMatch(one.body, /Select Bo Brown/, 'a selected person is not offered again');
});

t.test('another account’s person is ignored on the page and refused (422) on save, nothing changed', async (t) => {
  const ctx = await fixture(t);
  const { db, admin, bo } = ctx;
  const other = newId();
  await db.insert(accounts).values({ id: other, name: 'Other', edition: 'professional', readWriteLicenses: 5 });
  const stranger = await insertPerson(db, { accountId: other, name: 'Sam Stranger', email: 'sam@other.test' });
  const page = await admin.get(url(stranger.id));
  t.equal(page.statusCode, 200);
  t.notMatch(page.body, /Sam Stranger/);

  const res = await admin.post('/settings/users/global', { person: [bo.id, stranger.id], 'projects.create': 'on' });
  t.equal(res.statusCode, 422);
  t.match(res.body, /<a href="#selected-people">Select one or more people of your organization who have a license<\/a>/);
  t.match(res.body, /<p class="error-message" id="selected-people-error">/);
  t.same(await grantsOf(ctx, bo.id), [], 'nothing granted to the valid person either');
  t.same(await grantsOf(ctx, stranger.id), []);

  const htmx = await admin.post('/settings/users/global', { person: [bo.id, stranger.id], only: 'projects.create', 'projects.create': 'on' }, { htmx: true });
  t.equal(htmx.statusCode, 422);
  t.match(htmx.body, /^<hx-partial hx-target="#error-summary-slot"/, 'htmx: only the error summary');
  t.notMatch(htmx.body, /role="switch"/);

  const noLicense = await admin.post('/settings/users/global', { person: [ctx.nox.id], 'projects.create': 'on' });
  t.equal(noLicense.statusCode, 422);
  t.same(await grantsOf(ctx, ctx.nox.id), []);
  t.equal((await historyOf(ctx)).length, 0);
});

t.test('an unknown permission is refused (422) and nothing changes', async (t) => {
  const ctx = await fixture(t);
  const { admin, bo } = ctx;
  for (const body of [
    { person: bo.id, 'projects.create': 'on', 'bogus.key': 'on' },
    { person: bo.id, 'projects.create': 'on', keep: 'bogus.key' },
    { person: bo.id, only: 'nope', nope: 'on' },
    { person: bo.id, 'projects.create': 'yes' },
  ]) {
    const res = await admin.post('/settings/users/global', body);
    t.equal(res.statusCode, 422, JSON.stringify(body));
    t.match(res.body, /<a href="#reading-permissions">Choose permissions from the list<\/a>/);
  }
  t.same(await grantsOf(ctx, bo.id), []);
  t.equal((await historyOf(ctx)).length, 0);
});

t.test('grant and revoke for one person, without and with htmx; history only when something changed', async (t) => {
  const ctx = await fixture(t);
  const { admin, bo } = ctx;
  const res = await admin.post('/settings/users/global', { person: bo.id, 'projects.create': 'on', 'tasks.read': 'on' });
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, `/settings/users/global?person=${bo.id}&notice=global-permissions-saved`);
  t.same(await grantsOf(ctx, bo.id), ['projects.create', 'tasks.read']);
  const back = await admin.get(res.headers.location as string);
  t.match(back.body, /<div id="live-status" class="notice" role="status">Global permissions saved\.<\/div>/);
  t.match(back.body, /id="projects.create" name="projects.create" value="on" checked/);

  let history = await historyOf(ctx);
  t.equal(history.length, 1);
  t.same(history[0]!.before, { permissions: [] });
  t.same(history[0]!.after, { permissions: ['projects.create', 'tasks.read'] });
  t.equal(history[0]!.subjectId, bo.id);

  // the same again: nothing changes, no entry
  t.equal((await admin.post('/settings/users/global', { person: bo.id, 'projects.create': 'on', 'tasks.read': 'on' })).statusCode, 303);
  t.equal((await historyOf(ctx)).length, 1, 'no entry when nothing changed');

  // htmx: one switch saves itself; everything else stays
  const off = await admin.post('/settings/users/global', { person: bo.id, only: 'tasks.read' }, { htmx: true });
  t.equal(off.statusCode, 200);
  t.match(off.body, /^\s*<form id="global-permissions"/);
  t.match(off.body, /hx-target="#live-status" hx-swap="innerHTML">Saved\. “Read tasks” is off for Bo Brown\.</);
  t.same(await grantsOf(ctx, bo.id), ['projects.create']);
  const on = await admin.post('/settings/users/global', { person: bo.id, only: 'people.edit', 'people.edit': 'on' }, { htmx: true, csrf: 'header' });
  t.equal(on.statusCode, 200);
  t.same(await grantsOf(ctx, bo.id), ['people.edit', 'projects.create']);
  history = await historyOf(ctx);
  t.equal(history.length, 3);
});

t.test('several people: "Differs", and untouched mixed permissions stay as each person had them', async (t) => {
  const ctx = await fixture(t);
  const { db, admin, account, bo, cy, di } = ctx;
  const give = (personId: string, permission: string) => db.insert(globalGrants).values({ accountId: account.id, personId, permission });
  await give(bo.id, 'tasks.read');
  await give(cy.id, 'tasks.read');
  await give(bo.id, 'people.edit');
  for (const id of [bo.id, cy.id, di.id]) await give(id, 'documents.read');

  const page = await admin.get(url(bo.id, cy.id, di.id));
  t.match(page.body, /Permissions of 3 people/);
  t.match(page.body, /id="tasks.read" name="tasks.read" value="on" aria-describedby="tasks.read-hint">\s*<label for="tasks.read">Read tasks<\/label>\s*<p class="hint" id="tasks.read-hint">Differs: 2 of 3 people<\/p>/);
  t.match(page.body, /Differs: 1 of 3 people/);
  t.match(page.body, /id="documents.read" name="documents.read" value="on" checked>/, 'on when all hold it');
  t.match(page.body, /<input type="hidden" name="keep" value="tasks.read">/);
  t.match(page.body, /<input type="hidden" name="keep" value="people.edit">/);

  // without JavaScript: the whole form as shown, plus one switch turned on; mixed keys left alone
  const res = await admin.post('/settings/users/global', {
    person: [bo.id, cy.id, di.id],
    keep: ['tasks.read', 'people.edit'],
    'documents.read': 'on',
    'projects.create': 'on',
  });
  t.equal(res.statusCode, 303);
  t.same(await grantsOf(ctx, bo.id), ['documents.read', 'people.edit', 'projects.create', 'tasks.read']);
  t.same(await grantsOf(ctx, cy.id), ['documents.read', 'projects.create', 'tasks.read']);
  t.same(await grantsOf(ctx, di.id), ['documents.read', 'projects.create']);
  t.equal((await historyOf(ctx)).length, 3, 'one entry per person');

  // a mixed switch turned on grants it to all; a switch turned off removes it from all
  await admin.post('/settings/users/global', { person: [bo.id, cy.id, di.id], keep: ['people.edit'], 'tasks.read': 'on', 'projects.create': 'on' });
  t.same(await grantsOf(ctx, di.id), ['projects.create', 'tasks.read'], 'documents.read turned off for all, tasks.read on for all');
  t.same(await grantsOf(ctx, bo.id), ['people.edit', 'projects.create', 'tasks.read'], 'mixed people.edit kept');

  // htmx for several: one switch only
  const htmx = await admin.post('/settings/users/global', { person: [bo.id, cy.id], only: 'reports.generate', 'reports.generate': 'on', 'tasks.read': 'on' }, { htmx: true });
  t.equal(htmx.statusCode, 200);
  t.match(htmx.body, /Saved\. “Generate reports” is on for 2 people\./);
  t.same(await grantsOf(ctx, bo.id), ['people.edit', 'projects.create', 'reports.generate', 'tasks.read']);
  t.same(await grantsOf(ctx, cy.id), ['projects.create', 'reports.generate', 'tasks.read']);
  t.same(await grantsOf(ctx, di.id), ['projects.create', 'tasks.read']);
  const entries = await db.select().from(historyEntries).where(and(eq(historyEntries.kind, 'permissions.global'), eq(historyEntries.subjectId, cy.id)));
  t.equal(entries.length, 3);
});

t.test('a Read-Only administrator sees but cannot change; CSRF missing → 403', async (t) => {
  const ctx = await fixture(t);
  const { app, db, admin, bo } = ctx;
  await insertPerson(db, { name: 'Rae Reader', email: 'rae@acme.test', license: 'read_only', isAdmin: true, password: 'read only admin 1' });
  const rae = await signIn(app, 'rae@acme.test', 'read only admin 1');
  const page = await rae.get(url(bo.id));
  t.equal(page.statusCode, 200);
  t.match(page.body, /<fieldset id="reading-permissions" disabled>/);
  t.notMatch(page.body, /data-hx-post/);
  t.equal((await rae.post('/settings/users/global', { person: bo.id, 'projects.create': 'on' })).statusCode, 403);
  t.equal((await admin.post('/settings/users/global', { person: bo.id, 'projects.create': 'on' }, { csrf: false })).statusCode, 403);
  t.same(await grantsOf(ctx, bo.id), []);
});

t.test('the page sends the same number of SQL statements for 2 people in the account and for 200', async (t) => {
  const ctx = await signedUpAccount(t);
  const { db, admin, account, ada, stats } = ctx;
  const bo = await insertPerson(db, { name: 'Bo Brown', license: 'read_write' });
  const count = async (path: string, htmx = false) => {
    const before = stats.queries;
    const res = await admin.get(path, { htmx });
    t.equal(res.statusCode, 200);
    return stats.queries - before;
  };
  const measure = async () => ({
    none: await count('/settings/users/global'),
    two: await count(url(ada.id, bo.id)),
    search: await count(`/settings/users/global?q=person&person=${bo.id}`, true),
  });
  await count(url(ada.id));
  const small = await measure();
  await db.insert(persons).values(
    Array.from({ length: 198 }, (_, i) => ({ id: newId(), accountId: account.id, name: `Person ${i}`, email: `p${i}@acme.test`, license: (['read_write', 'read_only', 'none'] as const)[i % 3] })),
  );
  const large = await measure();
  t.comment(`statements: ${JSON.stringify(small)} / ${JSON.stringify(large)}`);
  t.same(large, small);
  t.ok(small.two <= 5, `the page with two people: ${small.two}`);
});
