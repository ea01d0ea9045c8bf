import t from 'tap';
import { and, eq } from 'drizzle-orm';
import { newId } from '../../src/crypto.js';
import { accounts, divisionGrants, divisions, historyEntries, persons, projects } from '../../src/db/schema.js';
import { signIn } from '../helpers/agent.js';
import { insertPerson } from '../helpers/factories.js';
import { signedUpAccount } from '../helpers/signed-up.js';

type Ctx = Awaited<ReturnType<typeof signedUpAccount>>;

async function enterprise(t: Parameters<typeof signedUpAccount>[0]) {
  const ctx = await signedUpAccount(t);
  await ctx.db.update(accounts).set({ edition: 'enterprise' }).where(eq(accounts.id, ctx.account.id));
  return ctx;
}

const grantsOf = (ctx: Ctx, personId: string) =>
  ctx.db.select({ division: divisionGrants.divisionId, permission: divisionGrants.permission }).from(divisionGrants).where(eq(divisionGrants.personId, personId));
const historyOf = (ctx: Ctx, kind: string) => ctx.db.select().from(historyEntries).where(eq(historyEntries.kind, kind));

t.test('Professional has no divisions: every route answers 404; Enterprise shows the tab', async (t) => {
  const ctx = await signedUpAccount(t);
  await ctx.db.update(accounts).set({ edition: 'professional' }).where(eq(accounts.id, ctx.account.id));
  for (const url of ['/settings/divisions', '/settings/users/divisions', '/settings/divisions/x', '/settings/divisions/x/delete']) {
    t.equal((await ctx.admin.get(url)).statusCode, 404, `GET ${url}`);
  }
  t.equal((await ctx.admin.post('/settings/divisions', { name: 'Sales' })).statusCode, 404);
  t.notMatch((await ctx.admin.get('/settings/users')).body, /href="\/settings\/users\/divisions"/, 'no tab');
  await ctx.db.update(accounts).set({ edition: 'enterprise' }).where(eq(accounts.id, ctx.account.id));
  t.match((await ctx.admin.get('/settings/users')).body, /href="\/settings\/users\/divisions">Divisions</);
  t.equal((await ctx.admin.get('/settings/users/divisions')).statusCode, 200);
});

t.test('create, rename and delete divisions, with history; duplicates and empty names are 422 with nothing saved', async (t) => {
  const ctx = await enterprise(t);
  const { admin, db } = ctx;
  const created = await admin.post('/settings/divisions', { name: 'Sales' });
  t.equal(created.statusCode, 303);
  t.equal(created.headers.location, '/settings/divisions?notice=division-created');
  const list = await admin.get('/settings/divisions?notice=division-created');
  t.match(list.body, /Division created\./);
  t.match(list.body, /<th scope="row"><a href="\/settings\/divisions\/[^"]+">Sales<\/a><\/th><td>0<\/td><td>0<\/td>/);
  const [sales] = await db.select().from(divisions);
  for (const [name, message] of [['', 'Enter the division name'], ['  sales ', 'A division with this name already exists'], ['x'.repeat(81), '80 characters or fewer']] as const) {
    const res = await admin.post('/settings/divisions', { name });
    t.equal(res.statusCode, 422, `"${name.slice(0, 10)}"`);
    t.match(res.body, /There is a problem/);
    t.match(res.body, message);
  }
  t.equal((await db.select().from(divisions)).length, 1, 'nothing more saved');
  await admin.post('/settings/divisions', { name: 'Marketing' });
  t.equal((await admin.post(`/settings/divisions/${sales!.id}`, { name: 'marketing' })).statusCode, 422, 'rename onto another name');
  const renamed = await admin.post(`/settings/divisions/${sales!.id}`, { name: 'Sales EMEA' });
  t.equal(renamed.statusCode, 303);
  t.equal((await db.select().from(divisions).where(eq(divisions.id, sales!.id)))[0]!.name, 'Sales EMEA');
  const project = newId();
  await db.insert(projects).values({ id: project, accountId: ctx.account.id, name: 'Apollo', divisionId: sales!.id });
  const confirm = await admin.get(`/settings/divisions/${sales!.id}/delete`);
  t.match(confirm.body, /Its 1 project stays, without a division/);
  t.equal((await admin.post(`/settings/divisions/${sales!.id}/delete`)).statusCode, 303);
  t.equal((await db.select().from(divisions).where(eq(divisions.id, sales!.id))).length, 0);
  t.equal((await db.select().from(projects).where(eq(projects.id, project)))[0]!.divisionId, null, 'the project stays, without division');
  t.equal((await historyOf(ctx, 'division.created')).length, 2);
  t.same((await historyOf(ctx, 'division.renamed')).map((h) => [h.before, h.after]), [[{ name: 'Sales' }, { name: 'Sales EMEA' }]]);
  t.equal((await historyOf(ctx, 'division.deleted')).length, 1);
  const history = await admin.get('/settings/history');
  t.match(history.body, /Division renamed/);
  t.match(history.body, /Deleted division/);
});

t.test('a person\'s permissions in a division: saved with and without htmx, listed, removed; history before and after', async (t) => {
  const ctx = await enterprise(t);
  const { admin, db } = ctx;
  const bo = await insertPerson(db, { name: 'Bo Brown', license: 'read_only' });
  await admin.post('/settings/divisions', { name: 'Sales' });
  const [sales] = await db.select().from(divisions);
  const pick = await admin.get('/settings/users/divisions?q=bo');
  t.match(pick.body, new RegExp(`href="/settings/users/divisions\\?person=${bo.id}">Bo Brown</a>`));
  const page = await admin.get(`/settings/users/divisions?person=${bo.id}&division=${sales!.id}`);
  t.equal(page.statusCode, 200);
  t.match(page.body, /<legend>Reading permissions<\/legend>/);
  t.match(page.body, /role="switch" id="tasks.read" name="tasks.read" value="on">\s*<label for="tasks.read">Read tasks<\/label>/);
  t.notMatch(page.body, /Create projects/, 'global-only permissions are not offered');

  const saved = await admin.post('/settings/users/divisions', { person: bo.id, division: sales!.id, 'tasks.read': 'on', 'tasks.edit': 'on' });
  t.equal(saved.statusCode, 303);
  t.equal(saved.headers.location, `/settings/users/divisions?person=${bo.id}&division=${sales!.id}&notice=division-permissions-saved`);
  t.same((await grantsOf(ctx, bo.id)).map((g) => g.permission).sort(), ['tasks.edit', 'tasks.read']);

  const viaHtmx = await admin.post('/settings/users/divisions', { person: bo.id, division: sales!.id, 'tasks.read': 'on' }, { htmx: true });
  t.equal(viaHtmx.statusCode, 200);
  t.match(viaHtmx.body, /<form id="division-grants"/);
  t.match(viaHtmx.body, /Saved\. Bo Brown has 1 permission in every project of Sales\./);
  t.notMatch(viaHtmx.body, /<html/);
  t.same((await grantsOf(ctx, bo.id)).map((g) => g.permission), ['tasks.read']);

  const same = await admin.post('/settings/users/divisions', { person: bo.id, division: sales!.id, 'tasks.read': 'on' }, { htmx: true });
  t.equal(same.statusCode, 200);
  const entries = await historyOf(ctx, 'division.permissions');
  t.equal(entries.length, 2, 'no entry when nothing changed');
  t.same(entries.map((e) => e.after).at(-1), { division: sales!.id, permissions: ['tasks.read'] });

  const listed = await admin.get(`/settings/users/divisions?person=${bo.id}`);
  t.match(listed.body, /Sales<\/a>: Read tasks/);
  const removed = await admin.post('/settings/users/divisions/remove', { person: bo.id, division: sales!.id });
  t.equal(removed.statusCode, 303);
  t.same(await grantsOf(ctx, bo.id), []);
});

t.test('bad input: 422 with nothing saved; ids of another account or unknown are 404; members 403; Read-Only admins may look only', async (t) => {
  const ctx = await enterprise(t);
  const { admin, db, app } = ctx;
  const bo = await insertPerson(db, { name: 'Bo Brown', email: 'bo@acme.test', password: 'member password 1' });
  const nobody = await insertPerson(db, { name: 'No Access', license: 'none' });
  await admin.post('/settings/divisions', { name: 'Sales' });
  const [sales] = await db.select().from(divisions);
  const bad = await admin.post('/settings/users/divisions', { person: bo.id, division: sales!.id, 'projects.create': 'on' });
  t.equal(bad.statusCode, 422);
  t.match(bad.body, /Choose only project permissions/);
  const badHtmx = await admin.post('/settings/users/divisions', { person: bo.id, division: sales!.id, 'tasks.read': 'yes' }, { htmx: true });
  t.equal(badHtmx.statusCode, 422);
  t.match(badHtmx.body, /hx-partial/);
  t.same(await grantsOf(ctx, bo.id), []);
  t.equal((await admin.post('/settings/users/divisions', { person: nobody.id, division: sales!.id, 'tasks.read': 'on' })).statusCode, 404, 'No Access can hold nothing');

  const other = newId();
  await db.insert(accounts).values({ id: other, name: 'Other', edition: 'enterprise', readWriteLicenses: 5 });
  const theirs = newId();
  await db.insert(divisions).values({ id: theirs, accountId: other, name: 'Theirs' });
  const stranger = await insertPerson(db, { accountId: other, name: 'Stranger' });
  t.equal((await admin.get(`/settings/divisions/${theirs}`)).statusCode, 404);
  t.equal((await admin.post(`/settings/divisions/${theirs}`, { name: 'Mine now' })).statusCode, 404);
  t.equal((await admin.post(`/settings/divisions/${theirs}/delete`)).statusCode, 404);
  t.equal((await admin.post('/settings/users/divisions', { person: bo.id, division: theirs, 'tasks.read': 'on' })).statusCode, 404);
  t.equal((await admin.post('/settings/users/divisions', { person: stranger.id, division: sales!.id, 'tasks.read': 'on' })).statusCode, 404);
  t.equal((await admin.get(`/settings/users/divisions?person=${stranger.id}`)).statusCode, 404);
  t.equal((await db.select().from(divisions).where(eq(divisions.id, theirs)))[0]!.name, 'Theirs');
  t.same(await db.select().from(divisionGrants), []);

  t.equal((await admin.post('/settings/divisions', { name: 'No token' }, { csrf: false })).statusCode, 403, 'CSRF');
  const member = await signIn(app, 'bo@acme.test', 'member password 1');
  t.equal((await member.get('/settings/divisions')).statusCode, 403);
  t.equal((await member.post('/settings/divisions', { name: 'Mine' })).statusCode, 403);

  await db.update(persons).set({ license: 'read_only' }).where(eq(persons.id, ctx.ada.id));
  const readOnly = await admin.get(`/settings/users/divisions?person=${bo.id}&division=${sales!.id}`);
  t.equal(readOnly.statusCode, 200);
  t.match(readOnly.body, /name="tasks.read" value="on" disabled/);
  t.equal((await admin.post('/settings/users/divisions', { person: bo.id, division: sales!.id, 'tasks.read': 'on' })).statusCode, 403);
  t.equal((await admin.post('/settings/divisions', { name: 'Mine' })).statusCode, 403);
  t.same(await db.select().from(divisionGrants).where(and(eq(divisionGrants.personId, bo.id))), []);
});

t.test('the pages send the same number of statements with 2 or 40 divisions and people', async (t) => {
  const ctx = await enterprise(t);
  const { admin, db, stats } = ctx;
  const bo = await insertPerson(db, { name: 'Bo Brown' });
  await admin.post('/settings/divisions', { name: 'Sales' });
  const [sales] = await db.select().from(divisions);
  const urls = ['/settings/divisions', `/settings/divisions/${sales!.id}`, '/settings/users/divisions', `/settings/users/divisions?person=${bo.id}&division=${sales!.id}`];
  const count = async () => {
    const out: number[] = [];
    for (const url of urls) {
      const before = stats.queries;
      t.equal((await admin.get(url)).statusCode, 200, url);
      out.push(stats.queries - before);
    }
    return out;
  };
  const small = await count();
  for (let i = 0; i < 40; i++) {
    const id = newId();
    await db.insert(divisions).values({ id, accountId: ctx.account.id, name: `Division ${i}` });
    await db.insert(divisionGrants).values({ accountId: ctx.account.id, personId: bo.id, divisionId: id, permission: 'tasks.read' });
    await insertPerson(db, { name: `Person ${i}` });
  }
  t.same(await count(), small);
});

t.test('a save that names no person or division is refused without a 5xx, with or without htmx', async (t) => {
  const ctx = await enterprise(t);
  for (const htmx of [false, true]) {
    for (const form of [{}, { person: 'x' }, { 'tasks.read': 'yes' }, { person: ctx.ada.id, 'tasks.read': 'yes' }]) {
      const res = await ctx.admin.post('/settings/users/divisions', form, { htmx });
      t.ok([404, 422].includes(res.statusCode), `${JSON.stringify(form)}${htmx ? ' (htmx)' : ''}: ${res.statusCode}`);
    }
  }
});
