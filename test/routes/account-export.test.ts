// GET /settings/organization/export: any administrator (Read-Only too) downloads the account's data as a JSON
// attachment; it holds the account's rows (a row in every account-owned table), none of another account's, no secret.
import { eq } from 'drizzle-orm';
import t from 'tap';
import { ACCOUNT_DATA } from '../../src/account-data/tables.js';
import { createSealer } from '../../src/crypto.js';
import { accounts, persons, sessions } from '../../src/db/schema.js';
import { Agent, SIGNUP, signIn, signUp } from '../helpers/agent.js';
import { insertAccountRows, SECRET_MARK } from '../helpers/account-rows.js';
import { build, TEST_APP_KEY } from '../helpers/build.js';
import { insertPerson } from '../helpers/factories.js';

const sealer = createSealer(Buffer.from(TEST_APP_KEY, 'hex'));
const EXPORT = '/settings/organization/export';

t.test('an administrator downloads every row of the account as a JSON attachment, without secrets', async (t) => {
  const { app, db } = await build(t);
  const admin = await signUp(app);
  await signUp(app, { organizationName: 'Other Ltd', email: 'olga@other.test', phone: '+1 555 0100 999', passwordReminder: 'olga hint' });
  const [acme] = await db.select().from(accounts).where(eq(accounts.name, 'Acme Ltd'));
  await insertAccountRows(db, sealer, 'alpha7', acme!.id);
  await insertAccountRows(db, sealer, 'bravo7');

  const res = await admin.get(EXPORT);
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /^application\/json; charset=utf-8/);
  t.match(res.headers['content-disposition'], /^attachment; filename="accord-acme-ltd-\d{4}-\d{2}-\d{2}\.json"$/);
  t.equal(res.headers['cache-control'], 'no-store');
  const data = JSON.parse(res.body) as { account: { id: string; name: string }; tables: Record<string, Record<string, unknown>[]> };
  t.same([data.account.id, data.account.name], [acme!.id, 'Acme Ltd']);
  for (const table of ACCOUNT_DATA.owned) {
    t.ok(data.tables[table.name]!.length >= 1, `${table.name}: the account's rows`);
    t.ok(data.tables[table.name]!.every((row) => row.account_id === acme!.id), `${table.name}: only the account's rows`);
  }
  const ada = data.tables.persons!.find((p) => p.email === SIGNUP.email)!;
  t.same([ada.phone, ada.password_reminder], [SIGNUP.phone, SIGNUP.passwordReminder], 'phone and reminder opened');

  const [stored] = await db.select().from(persons).where(eq(persons.email, SIGNUP.email));
  const sessionIds = (await db.select().from(sessions).where(eq(sessions.accountId, acme!.id))).map((s) => s.id);
  t.ok(sessionIds.length >= 1);
  for (const secret of [stored!.passwordHash!, stored!.phoneEncrypted!, stored!.reminderEncrypted!, ...sessionIds, SECRET_MARK]) {
    t.notOk(res.body.includes(secret), `no secret in the file: ${secret.slice(0, 12)}…`);
  }
  for (const other of ['bravo7', 'Other Ltd', 'olga@other.test', '+1 555 0100 999', 'olga hint']) t.notOk(res.body.includes(other), `nothing of another account: ${other}`);
});

t.test('a Read-Only administrator may export; others may not', async (t) => {
  const { app, db } = await build(t);
  await signUp(app);
  await insertPerson(db, { name: 'Rory Reader', email: 'rory@acme.test', license: 'read_only', isAdmin: true, password: 'read only admin 1' });
  await insertPerson(db, { name: 'Mo Member', email: 'mo@acme.test', license: 'read_write', password: 'plain member 12' });
  const reader = await signIn(app, 'rory@acme.test', 'read only admin 1');
  const ok = await reader.get(EXPORT);
  t.equal(ok.statusCode, 200);
  t.match(ok.body, '"email":"rory@acme.test"');

  const member = await signIn(app, 'mo@acme.test', 'plain member 12');
  const refused = await member.get(EXPORT);
  t.equal(refused.statusCode, 403);
  t.notMatch(refused.body, 'rory@acme.test');
  const visitor = new Agent(app);
  const anonymous = await visitor.get(EXPORT);
  t.equal(anonymous.statusCode, 303);
  t.equal(anonymous.headers.location, `/login?next=${encodeURIComponent(EXPORT)}`);
});

t.test('the organization page offers the export to every administrator, the deletion only with Read & Write', async (t) => {
  const { app, db } = await build(t);
  const admin = await signUp(app);
  await insertPerson(db, { email: 'rory@acme.test', license: 'read_only', isAdmin: true, password: 'read only admin 1' });
  const page = await admin.get('/settings/organization');
  t.match(page.body, '<h2 id="your-data-heading">Your data</h2>');
  t.match(page.body, '<a class="button button--secondary" href="/settings/organization/export" download>Export account data</a>');
  t.match(page.body, '<a class="button button--warning" href="/settings/organization/delete">Delete organization</a>');
  const reader = await signIn(app, 'rory@acme.test', 'read only admin 1');
  const readOnly = await reader.get('/settings/organization');
  t.match(readOnly.body, 'href="/settings/organization/export"');
  t.notMatch(readOnly.body, 'href="/settings/organization/delete"');
  t.match(readOnly.body, 'Only an administrator with a Read &amp; Write license can delete the organization.');
});

t.test('a failure half-way breaks the download off (never a complete-looking file); the app serves on', async (t) => {
  const { app, db } = await build(t);
  const admin = await signUp(app);
  await insertPerson(db, { name: 'Zed Broken', email: 'zed@acme.test', license: 'none' });
  await db.update(persons).set({ phoneEncrypted: 'v1.not.a.sealed-value' }).where(eq(persons.email, 'zed@acme.test'));
  // the headers are sent, so the connection is broken off: a browser marks the download failed
  await t.rejects(admin.get(EXPORT), /response destroyed before completion/);
  t.equal((await admin.get('/settings/organization')).statusCode, 200);
});
