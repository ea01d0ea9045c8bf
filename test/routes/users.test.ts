import { eq } from 'drizzle-orm';
import t from 'tap';
import { accounts, persons } from '../../src/db/schema.js';
import { Agent, SIGNUP, signIn, signUp } from '../helpers/agent.js';
import { build } from '../helpers/build.js';
import { insertPerson } from '../helpers/factories.js';

const AUTO = 'Users will automatically receive a license of type &quot;Read &amp; Write&quot;, if available';

t.test('administrators see User management: heading, Licenses tab, seat summary, switches, search', async (t) => {
  const { app, db } = await build(t);
  const admin = await signUp(app, { readWriteLicenses: '10' });
  await insertPerson(db, { license: 'read_write' });
  await insertPerson(db, { license: 'read_write' });
  await insertPerson(db, { license: 'read_only' });
  await insertPerson(db, { license: 'read_only' });
  await insertPerson(db, { license: 'none' });
  const res = await admin.get('/settings/users');
  t.equal(res.statusCode, 200);
  t.match(res.body, '<h1>User management</h1>');
  // the Professional edition's tabs: no Divisions or Groups
  t.match(res.body, /<nav class="tabs" aria-label="User management">\s*<ul><li><a href="\/settings\/users" aria-current="page">Licenses<\/a><\/li><li><a href="\/settings\/users\/global">Global<\/a><\/li><li><a href="\/settings\/users\/roles">Roles<\/a><\/li><li><a href="\/settings\/users\/access">Access explainer<\/a><\/li><\/ul>/);
  t.match(res.body, '3 of 10 Read &amp; Write licenses distributed, 7 available');
  t.match(res.body, 'Read-Only: 2 people');
  t.match(res.body, 'No Access: 1 person');
  t.match(res.body, `>${AUTO}</label>`);
  t.match(res.body, '<h2 id="invitations-heading">Invitations</h2>');
  t.match(res.body, '>Allow users to invite other users</label>');
  t.match(res.body, '<label for="allowedDomains">Allowed email domains</label>');
  t.match(res.body, '<label for="q">Search people</label>');
  t.match(res.body, /<form id="people-search"[^>]* method="get" action="\/settings\/users"/);
  t.match(res.body, '>Search</button>');
  t.match(res.body, '<a href="/settings/users" aria-current="page">User management</a>', 'in the main navigation');
  t.notMatch(res.body, /\shx-[a-z]/, 'htmx attributes are written data-hx-*');
  t.notMatch(res.body, /data-hx-[a-z-]+:/, 'no modifiers with colons in attribute names');
});

t.test('non-administrators get 403 and never see the link', async (t) => {
  const { app, db } = await build(t);
  await signUp(app);
  await insertPerson(db, { email: 'rw@acme.test', password: 'long enough password', license: 'read_write' });
  const user = await signIn(app, 'rw@acme.test', 'long enough password');
  const page = await user.get('/settings/personal');
  t.notMatch(page.body, '/settings/users');
  t.notMatch(page.body, 'User management');
  t.equal((await user.get('/settings/users')).statusCode, 403);
  t.equal((await user.get('/settings/users', { htmx: true })).statusCode, 403, 'the search fragment too');
  for (const url of ['/settings/users/auto-license', '/settings/users/invitations']) {
    t.equal((await user.post(url, { autoLicense: 'on', usersMayInvite: 'on' })).statusCode, 403, url);
  }
  const [account] = await db.select().from(accounts);
  t.equal(account!.autoLicense, false);
  t.equal(account!.usersMayInvite, false);
  const anonymous = await new Agent(app).get('/settings/users');
  t.equal(anonymous.statusCode, 303, 'signed out: to sign-in');
});

t.test('a Read-Only administrator can look but every change is refused on the server', async (t) => {
  const { app, db } = await build(t);
  await signUp(app);
  const ro = await insertPerson(db, { email: 'ro@acme.test', password: 'long enough password', license: 'read_only', isAdmin: true });
  const agent = await signIn(app, 'ro@acme.test', 'long enough password');
  const page = await agent.get('/settings/users');
  t.equal(page.statusCode, 200);
  t.match(page.body, 'Your license is Read-Only');
  t.match(page.body, /id="autoLicense" name="autoLicense" value="on" disabled/);
  const refused = [
    await agent.post('/settings/users/auto-license', { autoLicense: 'on' }),
    await agent.post('/settings/users/invitations', { usersMayInvite: 'on', allowedDomains: 'acme.test' }),
    await agent.post(`/settings/users/licenses/${ro.id}`, { license: 'read_write' }),
  ];
  for (const res of refused) {
    t.equal(res.statusCode, 403);
    t.match(res.body, 'Your license is Read-Only');
  }
  const [account] = await db.select().from(accounts);
  t.same([account!.autoLicense, account!.usersMayInvite, account!.allowedDomains], [false, false, []]);
  t.equal((await db.select().from(persons).where(eq(persons.id, ro.id)))[0]!.license, 'read_only');
});

t.test('automatic distribution: Save without JavaScript, autosave with htmx', async (t) => {
  const { app, db } = await build(t);
  const admin = await signUp(app);
  const res = await admin.post('/settings/users/auto-license', { autoLicense: 'on' });
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, '/settings/users?notice=saved');
  t.equal((await db.select().from(accounts))[0]!.autoLicense, true);
  const page = await admin.get(res.headers.location as string);
  t.match(page.body, /id="live-status" class="notice" role="status">Saved</);
  t.match(page.body, /id="autoLicense" name="autoLicense" value="on" checked/);
  const off = await admin.post('/settings/users/auto-license', {}, { htmx: true });
  t.equal(off.statusCode, 200);
  t.match(off.body, /^<form id="auto-license"/);
  t.notMatch(off.body, '<html');
  t.match(off.body, 'Saved. Automatic Read &amp; Write licenses are off.');
  t.notMatch(off.body, /id="autoLicense" name="autoLicense" value="on" checked/);
  t.equal((await db.select().from(accounts))[0]!.autoLicense, false);
  const bad = await admin.post('/settings/users/auto-license', { autoLicense: 'yes' });
  t.equal(bad.statusCode, 422);
  t.match(bad.body, 'href="#autoLicense">Choose on or off');
  t.equal((await db.select().from(accounts))[0]!.autoLicense, false);
});

t.test('invitation settings: switch and allowed domains, normalised', async (t) => {
  const { app, db } = await build(t);
  const admin = await signUp(app);
  const res = await admin.post('/settings/users/invitations', { usersMayInvite: 'on', allowedDomains: 'Example.COM, acme.test\n@Sub.Example.org  example.com' });
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, '/settings/users?notice=saved');
  let [account] = await db.select().from(accounts);
  t.equal(account!.usersMayInvite, true);
  t.same(account!.allowedDomains, ['example.com', 'acme.test', 'sub.example.org']);
  const page = await admin.get('/settings/users');
  t.match(page.body, />example.com\nacme.test\nsub.example.org<\/textarea>/);
  t.match(page.body, /id="usersMayInvite" name="usersMayInvite" value="on" checked/);
  const cleared = await admin.post('/settings/users/invitations', { allowedDomains: '  ' }, { htmx: true });
  t.equal(cleared.statusCode, 200);
  t.match(cleared.body, /^<form id="invitation-settings"/);
  t.match(cleared.body, 'Saved. Users may not invite other users; any email domain.');
  [account] = await db.select().from(accounts);
  t.same([account!.usersMayInvite, account!.allowedDomains], [false, []]);
});

t.test('a bad domain: 422, message naming it next to the field and in the summary, nothing saved', async (t) => {
  const { app, db } = await build(t);
  const admin = await signUp(app);
  await admin.post('/settings/users/invitations', { allowedDomains: 'keep.test' });
  const res = await admin.post('/settings/users/invitations', { usersMayInvite: 'on', allowedDomains: 'good.test, bad_domain.test\nlocalhost' });
  t.equal(res.statusCode, 422);
  const message = '“bad_domain.test” and “localhost” are not valid domains. Enter domains like example.com';
  t.match(res.body, `href="#allowedDomains">${message}</a>`);
  t.match(res.body, `id="allowedDomains-error"><span class="visually-hidden">Error:</span> ${message}</p>`);
  t.match(res.body, /aria-invalid="true"[^>]*>good.test, bad_domain.test\nlocalhost<\/textarea>/, 'keeps what was typed');
  t.match(res.body, '<title>Error: User management');
  const one = await admin.post('/settings/users/invitations', { allowedDomains: 'http://x.test' }, { htmx: true });
  t.equal(one.statusCode, 422);
  t.match(one.body, /^<form id="invitation-settings"/);
  t.match(one.body, '“http://x.test” is not a valid domain. Enter domains like example.com');
  t.match(one.body, '<hx-partial hx-target="#error-summary-slot"');
  const [account] = await db.select().from(accounts);
  t.same([account!.usersMayInvite, account!.allowedDomains], [false, ['keep.test']]);
});

t.test('sign-up defaults: automatic distribution and invitations off', async (t) => {
  const { app, db } = await build(t);
  await signUp(app, { email: SIGNUP.email });
  const [account] = await db.select().from(accounts);
  t.same([account!.autoLicense, account!.usersMayInvite, account!.allowedDomains], [false, false, []]);
});
