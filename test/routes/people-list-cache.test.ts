import { eq, sql } from 'drizzle-orm';
import t from 'tap';
import { rowsOf } from '../../src/db/client.js';
import { accounts, peopleListVersions, persons } from '../../src/db/schema.js';
import { Agent, SIGNUP, signIn, signUp } from '../helpers/agent.js';
import { build, buildSecondInstance } from '../helpers/build.js';

/**
 * Lists of people are cached under the account's people-list version (src/people/list-cache.ts): whatever
 * changes what a list shows — through any form, on any instance, or straight in the database — is on the very
 * next page, and nothing else wastes the cache.
 */

const names = (body: string) => [...body.matchAll(/<a href="\/people\/[^"]+">([^<]+)<\/a>/g)].map((m) => m[1]!);

async function setup(t: Parameters<typeof build>[0]) {
  const test = await build(t);
  const admin = await signUp(test.app, { readWriteLicenses: '10' });
  const [account] = await test.db.select().from(accounts);
  const version = async (accountId = account!.id) =>
    (await test.db.select().from(peopleListVersions).where(eq(peopleListVersions.accountId, accountId)))[0]?.version;
  return { ...test, admin, account: account!, version };
}

t.test('every change to what a list shows is on the next page, /people and /settings/users alike', async (t) => {
  const { app, db, admin, account } = await setup(t);
  const contact = await admin.post('/people/new', { name: 'Grace Hopper', email: 'grace@acme.test' });
  t.equal(contact.statusCode, 303);
  const graceId = /\/people\/([^?]+)/.exec(contact.headers.location as string)![1]!;
  // each list read twice: the second answer is the cached one
  for (const url of ['/people', '/settings/users']) {
    await admin.get(url);
    t.match((await admin.get(url)).body, 'Grace Hopper', `${url}: the new contact`);
  }

  // a license change (a form)
  t.notMatch((await admin.get('/settings/users?q=grace')).body, /value="read_write" checked/);
  t.equal((await admin.post(`/settings/users/licenses/${graceId}`, { license: 'read_write' })).statusCode, 303);
  t.match((await admin.get('/settings/users?q=grace')).body, /value="read_write" checked/, 'the new license at once');

  // administrator rights (another form): /people shows no admin mark, /settings/users does
  t.notMatch((await admin.get('/settings/users?q=grace')).body, /grace@acme\.test · Administrator/);
  t.equal((await admin.post(`/people/${graceId}/admin`, { admin: 'on' })).statusCode, 303);
  t.match((await admin.get('/settings/users?q=grace')).body, /grace@acme\.test · Administrator/, 'administrator at once');

  // straight in the database (a script, another service): renamed
  await admin.get('/people');
  await db.update(persons).set({ name: 'Grace B. Hopper' }).where(eq(persons.id, graceId));
  t.ok(names((await admin.get('/people')).body).includes('Grace B. Hopper'), 'a rename in the database at once');

  // a sign-in: "Last sign-in" on /settings/users
  await db.update(persons).set({ passwordHash: (await db.select().from(persons).where(eq(persons.email, SIGNUP.email)))[0]!.passwordHash }).where(eq(persons.id, graceId));
  await admin.get('/settings/users?q=grace');
  t.match((await admin.get('/settings/users?q=grace')).body, /Last sign-in: Never/);
  await signIn(app, 'grace@acme.test', SIGNUP.password);
  t.notMatch((await admin.get('/settings/users?q=grace')).body, /Last sign-in: Never/, 'the sign-in at once');

  // deleted (the delete form)
  await admin.get('/people');
  await admin.post(`/people/${graceId}/admin`, {});
  await admin.post(`/settings/users/licenses/${graceId}`, { license: 'none' });
  await admin.get(`/people/${graceId}/delete`);
  t.equal((await admin.post(`/people/${graceId}/delete`, { confirm: 'yes' })).statusCode, 303);
  t.notOk(names((await admin.get('/people')).body).some((n) => n.startsWith('Grace')), 'gone at once');
  t.equal((await db.select().from(persons).where(eq(persons.accountId, account.id))).length, 1);
});

t.test('a change made through one instance is on the next page another instance serves', async (t) => {
  const first = await build(t);
  const second = await buildSecondInstance(t, first);
  const admin = await signUp(first.app, { readWriteLicenses: '10' });
  const onSecond = new Agent(second);
  onSecond.cookies = new Map(admin.cookies);
  onSecond.csrf = admin.csrf;
  const created = await admin.post('/people/new', { name: 'Katherine Johnson', email: 'kj@acme.test' });
  const id = /\/people\/([^?]+)/.exec(created.headers.location as string)![1]!;
  await onSecond.get('/settings/users?q=katherine');
  t.notMatch((await onSecond.get('/settings/users?q=katherine')).body, /value="read_only" checked/, 'cached on the second instance');
  t.equal((await admin.post(`/settings/users/licenses/${id}`, { license: 'read_only' })).statusCode, 303);
  t.match((await onSecond.get('/settings/users?q=katherine')).body, /value="read_only" checked/, 'the second instance shows the new license');
});

t.test('the version: stamped once per transaction, only by changes a list shows, only for its account', async (t) => {
  const { app, db, account, version } = await setup(t);
  await signUp(app, { email: 'olga@other.test', organizationName: 'Other Org' });
  const [otherAccount] = await db.select().from(accounts).where(eq(accounts.name, 'Other Org'));
  const start = await version();
  t.ok(start, 'sign-up stamped the account');

  // a change no list shows (the telemetry switch) keeps the version
  await db.update(persons).set({ telemetry: true }).where(eq(persons.accountId, account.id));
  t.equal(await version(), start, 'telemetry: same version');

  // another account's change leaves this one alone
  await db.insert(persons).values({ id: 'other-1', accountId: otherAccount!.id, name: 'Otto', email: 'otto@other.test' });
  t.equal(await version(), start, "another account's new person: same version");

  // 500 people in one statement and a rename in a second, one transaction: one new version, that transaction's id
  const txid = await db.transaction(async (tx) => {
    await tx.insert(persons).values(Array.from({ length: 500 }, (_, i) => ({ id: `bulk-${i}`, accountId: account.id, name: `Bulk ${i}`, email: `bulk${i}@acme.test` })));
    await tx.update(persons).set({ name: 'Bulk renamed' }).where(eq(persons.id, 'bulk-1'));
    const [inside] = await tx.select().from(peopleListVersions).where(eq(peopleListVersions.accountId, account.id));
    t.equal(inside?.version, start, 'not before the commit (the triggers are deferred)');
    const [row] = rowsOf<{ id: string }>(await tx.execute(sql`select pg_current_xact_id()::text as id`));
    return row!.id;
  });
  t.equal(await version(), txid, "the committing transaction's id");

  // a rolled-back change leaves no trace
  await t.rejects(
    db.transaction(async (tx) => {
      await tx.update(persons).set({ name: 'Never' }).where(eq(persons.id, 'bulk-2'));
      throw new Error('rolled back');
    }),
  );
  t.equal(await version(), txid, 'a rolled-back rename: same version');

  // deleting the account removes its version row
  await db.delete(accounts).where(eq(accounts.id, otherAccount!.id));
  t.equal(await version(otherAccount!.id), undefined, 'a deleted account has no version row');
});
