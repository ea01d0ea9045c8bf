// /settings/organization/delete: the confirmation page, its refusals (422, 403, CSRF, rate limit) and the deletion:
// every row of the account in one transaction, every session ended, the person signed out on /organization-deleted.
import { eq, sql } from 'drizzle-orm';
import t, { type Test } from 'tap';
import { createSealer } from '../../src/crypto.js';
import { accounts, persons } from '../../src/db/schema.js';
import { Agent, SIGNUP, signIn, signUp } from '../helpers/agent.js';
import { accountRowCounts, insertAccountRows } from '../helpers/account-rows.js';
import { build, TEST_APP_KEY, type TestApp } from '../helpers/build.js';
import { insertPerson } from '../helpers/factories.js';

const sealer = createSealer(Buffer.from(TEST_APP_KEY, 'hex'));
const DELETE = '/settings/organization/delete';
const RIGHT = { organizationName: SIGNUP.organizationName, password: SIGNUP.password };

/** Acme (signed up, a row in every account-owned table) and Other Ltd (likewise), with Acme's administrator signed in. */
async function setup(t: Parameters<typeof build>[0], env: Record<string, string> = {}) {
  const test = await build(t, env);
  const admin = await signUp(test.app);
  await signUp(test.app, { organizationName: 'Other Ltd', email: 'olga@other.test' });
  const [acme] = await test.db.select().from(accounts).where(eq(accounts.name, 'Acme Ltd'));
  const [other] = await test.db.select().from(accounts).where(eq(accounts.name, 'Other Ltd'));
  await insertAccountRows(test.db, sealer, 'alpha7', acme!.id);
  await insertAccountRows(test.db, sealer, 'bravo7', other!.id);
  return { ...test, admin, acmeId: acme!.id, otherId: other!.id };
}

/** Asserts that the account still has exactly the rows counted before. */
const untouched = async (t: Test, test: TestApp, accountId: string, before: Record<string, number>) =>
  t.same(await accountRowCounts(test.db, accountId), before, 'nothing of the account was deleted');

t.test('the confirmation page says what goes, and sends the same few statements for 5 people and for 300', async (t) => {
  const test = await setup(t);
  const count = async () => {
    const before = test.stats.queries;
    const res = await test.admin.get(DELETE);
    t.equal(res.statusCode, 200);
    return { statements: test.stats.queries - before, body: res.body };
  };
  const small = await count();
  t.match(small.body, '<h1>Delete Acme Ltd?</h1>');
  t.match(small.body, '2 people (2 with a Read &amp; Write license, 0 Read-Only, 0 without access)');
  t.match(small.body, '<label for="organizationName">Organization name</label>');
  t.match(small.body, 'To confirm, type the name of the organization: Acme Ltd');
  t.match(small.body, /<input id="password" name="password" type="password" autocomplete="current-password"/);
  await test.db.insert(persons).values(
    Array.from({ length: 298 }, (_, i) => ({ id: `many${i}`, accountId: test.acmeId, name: `Many ${i}`, email: `m${i}@acme.test`, license: 'read_only' as const })),
  );
  const large = await count();
  t.match(large.body, '300 people (2 with a Read &amp; Write license, 298 Read-Only, 0 without access)');
  t.equal(large.statements, small.statements, `${small.statements} statements, whatever the size`);
  t.ok(small.statements <= 2);
});

t.test('a wrong name or password: 422 with the error summary and the message at the field, nothing deleted', async (t) => {
  const test = await setup(t);
  const before = await accountRowCounts(test.db, test.acmeId);
  const empty = await test.admin.post(DELETE, {});
  t.equal(empty.statusCode, 422);
  t.match(empty.body, '<a href="#organizationName">Enter the name of your organization</a>');
  t.match(empty.body, '<a href="#password">Enter your password</a>');
  const wrongName = await test.admin.post(DELETE, { ...RIGHT, organizationName: 'acme ltd' });
  t.equal(wrongName.statusCode, 422);
  t.match(wrongName.body, '<a href="#organizationName">The organization name does not match. Enter “Acme Ltd” exactly as it is written.</a>');
  t.match(wrongName.body, 'id="organizationName-error"><span class="visually-hidden">Error:</span> The organization name does not match.');
  t.match(wrongName.body, 'value="acme ltd"', 'what was typed stays');
  t.match(wrongName.body, '<title>Error: Delete organization – Accord</title>');
  const wrongPassword = await test.admin.post(DELETE, { ...RIGHT, password: 'not the password' });
  t.equal(wrongPassword.statusCode, 422);
  t.match(wrongPassword.body, '<a href="#password">The password is not right. Enter the password you sign in with.</a>');
  t.match(wrongPassword.body, 'aria-invalid="true"');
  t.notMatch(wrongPassword.body, 'not the password', 'a password is never sent back');
  t.equal(wrongPassword.body.match(/<li><a href="#/g)?.length, 1, 'only the password is wrong');
  await untouched(t, test, test.acmeId, before);
  t.equal((await test.admin.get('/settings/organization')).statusCode, 200, 'still signed in');
});

t.test('wrong passwords count against the sign-in rate limit of the address', async (t) => {
  const test = await setup(t, { LOGIN_RATE_LIMIT_MAX: '3' });
  const before = await accountRowCounts(test.db, test.acmeId);
  for (let i = 0; i < 3; i++) t.equal((await test.admin.post(DELETE, { ...RIGHT, password: `wrong ${i}` })).statusCode, 422);
  const limited = await test.admin.post(DELETE, RIGHT);
  t.equal(limited.statusCode, 429, 'even the right password is not checked now');
  t.match(limited.body, 'Too many attempts from your address.');
  const visitor = new Agent(test.app);
  t.equal((await visitor.post('/login', { email: SIGNUP.email, password: SIGNUP.password })).statusCode, 429, 'sign-in is refused too');
  await untouched(t, test, test.acmeId, before);
});

t.test('only administrators with Read & Write; a form from elsewhere is refused', async (t) => {
  const test = await setup(t);
  await insertPerson(test.db, { accountId: test.acmeId, email: 'rory@acme.test', license: 'read_only', isAdmin: true, password: 'read only admin 1' });
  await insertPerson(test.db, { accountId: test.acmeId, email: 'mo@acme.test', license: 'read_write', password: 'plain member 12' });
  const reader = await signIn(test.app, 'rory@acme.test', 'read only admin 1');
  const member = await signIn(test.app, 'mo@acme.test', 'plain member 12');
  const before = await accountRowCounts(test.db, test.acmeId);
  t.equal((await reader.get(DELETE)).statusCode, 403);
  t.equal((await reader.post(DELETE, { organizationName: 'Acme Ltd', password: 'read only admin 1' })).statusCode, 403);
  t.equal((await member.get(DELETE)).statusCode, 403);
  t.equal((await member.post(DELETE, { organizationName: 'Acme Ltd', password: 'plain member 12' })).statusCode, 403);
  const forged = await test.admin.post(DELETE, RIGHT, { csrf: false });
  t.equal(forged.statusCode, 403);
  t.match(forged.body, 'This form has expired or did not come from this site.');
  const visitor = new Agent(test.app);
  t.equal((await visitor.get(DELETE)).statusCode, 303);
  t.equal((await visitor.post(DELETE, RIGHT)).statusCode, 303, 'to the sign-in page');
  await untouched(t, test, test.acmeId, before);
});

t.test('the deletion: every row of the account goes, every session ends, the other account stays', async (t) => {
  const test = await setup(t);
  await insertPerson(test.db, { accountId: test.acmeId, email: 'bo@acme.test', license: 'read_write', isAdmin: true, password: 'second admin 123' });
  const secondAdmin = await signIn(test.app, 'bo@acme.test', 'second admin 123');
  const olga = await signIn(test.app, 'olga@other.test', SIGNUP.password);
  const otherBefore = await accountRowCounts(test.db, test.otherId);
  const res = await test.admin.post(DELETE, { organizationName: '  Acme Ltd ', password: SIGNUP.password });
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, '/organization-deleted');
  t.match(String(res.headers['set-cookie']), /accord_session=;.*Max-Age=0/i, 'the session cookie is cleared');
  const after = await accountRowCounts(test.db, test.acmeId);
  t.same(after, Object.fromEntries(Object.keys(after).map((k) => [k, 0])), 'no account-owned table keeps a row of it');
  await untouched(t, test, test.otherId, otherBefore);
  const goodbye = await test.admin.get('/organization-deleted');
  t.equal(goodbye.statusCode, 200);
  t.match(goodbye.body, '<h1>Your organization has been deleted</h1>');
  t.notMatch(goodbye.body, 'Sign out', 'signed out');
  t.equal((await secondAdmin.get('/settings/organization')).statusCode, 303, 'the other administrator is signed out too');
  t.equal((await olga.get('/settings/organization')).statusCode, 200, 'the other account’s administrator is not');
  t.equal((await olga.get('/organization-deleted')).headers.location, '/', 'the page is not for someone still signed in');
});

t.test('a failure half-way through the deletion leaves everything as it was, and the person signed in', async (t) => {
  const test = await setup(t);
  const before = await accountRowCounts(test.db, test.acmeId);
  await test.db.execute(sql.raw(`create function fail_half_way() returns trigger language plpgsql as $$ begin raise exception 'injected failure'; end $$`));
  await test.db.execute(sql.raw(`create trigger fail_half_way before delete on persons for each statement execute function fail_half_way()`));
  const res = await test.admin.post(DELETE, RIGHT);
  t.equal(res.statusCode, 500);
  t.match(res.body, 'Something went wrong on our side.');
  await untouched(t, test, test.acmeId, before);
  t.equal((await test.admin.get('/settings/organization')).statusCode, 200, 'still signed in');
});
