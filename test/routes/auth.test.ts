import { eq } from 'drizzle-orm';
import t from 'tap';
import { accounts, globalGrants, persons, sessions } from '../../src/db/schema.js';
import { createSealer } from '../../src/crypto.js';
import { Agent, SIGNUP, signIn, signUp } from '../helpers/agent.js';
import { build, TEST_APP_KEY } from '../helpers/build.js';

t.test('sign-up page has exactly the SPEC fields', async (t) => {
  const { app } = await build(t);
  const res = await new Agent(app).get('/signup');
  t.equal(res.statusCode, 200);
  for (const label of ['Organization name', 'Your name', 'Email', 'Phone number', 'Password', 'Password reminder (optional)', 'How did you find us?', 'Edition', 'Read &amp; Write licenses']) {
    t.match(res.body, `>${label}</label>`, label);
  }
  const names = [...res.body.matchAll(/name="([a-zA-Z]+)"/g)].map((m) => m[1]).filter((n) => n !== '_csrf' && n !== 'viewport' && n !== 'csrf-token' && n !== 'htmx-config');
  t.same(new Set(names), new Set(Object.keys(SIGNUP)));
});

t.test('sign-up creates the account and an administrator with Read & Write, signed in', async (t) => {
  const { app, db } = await build(t);
  const agent = await signUp(app, { edition: 'enterprise', readWriteLicenses: '12' });
  const [account] = await db.select().from(accounts);
  t.equal(account!.name, 'Acme Ltd');
  t.equal(account!.edition, 'enterprise');
  t.equal(account!.readWriteLicenses, 12);
  t.equal(account!.privacyEnabled, false, 'privacy settings off by default');
  t.equal(account!.aiAllowed, true, 'AI assistance on by default');
  const [admin] = await db.select().from(persons);
  t.equal(admin!.isAdmin, true);
  t.equal(admin!.license, 'read_write');
  t.equal(admin!.telemetry, false);
  t.not(admin!.passwordHash, SIGNUP.password);
  t.match(admin!.passwordHash, /^\$argon2id\$/);
  const sealer = createSealer(Buffer.from(TEST_APP_KEY, 'hex'));
  t.not(admin!.phoneEncrypted, SIGNUP.phone, 'phone is encrypted at rest');
  t.equal(sealer.open(admin!.phoneEncrypted!), SIGNUP.phone);
  t.equal(sealer.open(admin!.reminderEncrypted!), SIGNUP.passwordReminder);
  t.same(await db.select({ p: globalGrants.permission }).from(globalGrants), [{ p: 'projects.create' }]);
  const page = await agent.get('/settings/organization?notice=welcome');
  t.equal(page.statusCode, 200, 'signed in as administrator');
  t.match(page.body, 'Welcome to Accord');
});

t.test('sign-up with bad input: 422, error summary linking to fields, nothing saved', async (t) => {
  const { app, db } = await build(t);
  const agent = new Agent(app);
  await agent.get('/signup');
  const res = await agent.post('/signup', { ...SIGNUP, email: 'not-an-email', password: 'short', readWriteLicenses: '0', organizationName: '  ', edition: 'gold' });
  t.equal(res.statusCode, 422);
  t.match(res.body, 'There is a problem');
  t.match(res.body, '<title>Error: ');
  t.match(res.body, 'href="#email">Enter an email address in the correct format');
  t.match(res.body, 'href="#password">Password must be at least 12 characters');
  t.match(res.body, 'href="#readWriteLicenses">You need at least 1 Read &amp; Write license');
  t.match(res.body, 'href="#organizationName">Enter your organization name');
  t.match(res.body, 'href="#edition">Select an edition');
  t.match(res.body, /id="email-error"/);
  t.match(res.body, /value="not-an-email"/, 'keeps what was typed');
  t.notMatch(res.body, /value="short"/, 'never echoes a password');
  t.equal((await db.select().from(accounts)).length, 0);
});

t.test('a reminder that contains the password is refused', async (t) => {
  const { app } = await build(t);
  const agent = new Agent(app);
  const res = await agent.post('/signup', { ...SIGNUP, passwordReminder: `it is ${SIGNUP.password}` });
  t.equal(res.statusCode, 422);
  t.match(res.body, 'Password reminder must not contain your password');
});

t.test('POST without a CSRF token is refused with 403 and changes nothing', async (t) => {
  const { app, db } = await build(t);
  const agent = new Agent(app);
  await agent.get('/signup');
  const res = await agent.post('/signup', SIGNUP, { csrf: false });
  t.equal(res.statusCode, 403);
  t.match(res.body, 'This form has expired');
  t.equal((await db.select().from(accounts)).length, 0);
  const viaHeader = await agent.post('/signup', SIGNUP, { csrf: 'header' });
  t.equal(viaHeader.statusCode, 303, 'the X-CSRF-Token header (htmx) is accepted');
});

t.test('sign in, sign out, generic errors', async (t) => {
  const { app, db } = await build(t);
  await signUp(app);
  const agent = new Agent(app);
  const page = await agent.get('/login');
  t.match(page.body, '>Email</label>');
  t.match(page.body, '>Password</label>');
  t.match(page.body, 'Forgot password?');
  const wrong = await agent.post('/login', { email: SIGNUP.email, password: 'wrong password!!' });
  t.equal(wrong.statusCode, 422);
  const unknown = await agent.post('/login', { email: 'nobody@acme.test', password: 'wrong password!!' });
  t.equal(unknown.statusCode, 422);
  const messageOf = (body: string) => /id="email-error">.*?<\/span> (.*?)<\/p>/.exec(body)?.[1];
  t.equal(messageOf(wrong.body), messageOf(unknown.body), 'no telling which emails exist');
  const ok = await agent.post('/login', { email: 'ADA@acme.test', password: SIGNUP.password, next: '/settings/organization' });
  t.equal(ok.statusCode, 303);
  t.equal(ok.headers.location, '/settings/organization', 'follows a same-site next');
  const cookie = ok.cookies.find((c) => c.name === 'accord_session')!;
  t.ok(cookie.httpOnly);
  t.equal(cookie.sameSite, 'Lax');
  t.notOk(cookie.secure, 'not Secure outside production');
  t.equal((await agent.get('/settings/personal')).statusCode, 200);
  const out = await agent.post('/logout');
  t.equal(out.statusCode, 303);
  t.equal(out.headers.location, '/login?notice=signed-out');
  const after = await agent.get('/settings/personal');
  t.equal(after.statusCode, 303, 'signed out');
  t.match(after.headers.location, /^\/login\?next=/);
  const [admin] = await db.select().from(persons);
  t.equal((await db.select().from(sessions).where(eq(sessions.userId, admin!.id))).length, 1, 'the signed-out session is deleted; the sign-up session remains');
});

t.test('open redirects are not followed after sign-in', async (t) => {
  const { app } = await build(t);
  await signUp(app);
  const agent = new Agent(app);
  const res = await agent.post('/login', { email: SIGNUP.email, password: SIGNUP.password, next: '//evil.test/x' });
  t.equal(res.headers.location, '/settings/personal');
  const tab = await agent.post('/login', { email: SIGNUP.email, password: SIGNUP.password, next: '/\t/evil.test' });
  t.equal(tab.headers.location, '/settings/personal', 'a tab the browser would drop ("/<tab>/evil.test" is "//evil.test")');
  // signed in now: GET /login follows next at once
  for (const [query, location] of <[string, string][]>[
    ['next=%2F%09%2Fevil.test', '/settings/personal'],
    ['next=%2F%5C%2Fevil.test', '/settings/personal'],
    ['next=%2Fpeople%0A%2Fx', '/people/x'],
    ['next=%2Fa&next=%2Fb', '/settings/personal'],
    ['next=%2F.%2F%2Fevil.test', '/settings/personal'],
    ['next=%2F%252e%252e%2F%2Fevil.test', '/settings/personal'],
  ]) {
    const r = await agent.get(`/login?${query}`);
    t.equal(r.statusCode, 303, query);
    t.equal(r.headers.location, location, query);
  }
});

t.test('No Access people cannot sign in', async (t) => {
  const { app, db } = await build(t);
  await signUp(app);
  await db.update(persons).set({ license: 'none' });
  const res = await new Agent(app).post('/login', { email: SIGNUP.email, password: SIGNUP.password });
  t.equal(res.statusCode, 422);
});

t.test('sign-in is rate limited per address', async (t) => {
  const { app } = await build(t, { LOGIN_RATE_LIMIT_MAX: '3' });
  const agent = new Agent(app);
  for (let i = 0; i < 3; i++) t.equal((await agent.post('/login', { email: 'x@acme.test', password: 'nope nope' })).statusCode, 422);
  const limited = await agent.post('/login', { email: 'x@acme.test', password: 'nope nope' });
  t.equal(limited.statusCode, 429);
  t.match(limited.body, 'Too many attempts');
});

t.test('password reset by emailed link, with the reminder; the link works once', async (t) => {
  const { app, outbox } = await build(t);
  await signUp(app);
  const agent = new Agent(app);
  t.equal((await agent.get('/password/forgot')).statusCode, 200);
  const bad = await agent.post('/password/forgot', { email: '' });
  t.equal(bad.statusCode, 422);
  t.match(bad.body, 'Enter your email address');
  const unknown = await agent.post('/password/forgot', { email: 'nobody@acme.test' });
  t.equal(unknown.statusCode, 303, 'same answer for unknown emails');
  t.equal(outbox.length, 0);
  const res = await agent.post('/password/forgot', { email: SIGNUP.email });
  t.equal(res.headers.location, '/login?notice=reset-sent');
  t.equal(outbox.length, 1);
  t.match(outbox[0]!.text, 'Your password reminder: the horse one');
  const link = new URL(outbox[0]!.link!);
  t.equal((await agent.get(link.pathname)).statusCode, 200);
  const mismatch = await agent.post(link.pathname, { password: 'a brand new password', confirmPassword: 'different one!!' });
  t.equal(mismatch.statusCode, 422);
  t.match(mismatch.body, 'Passwords do not match');
  const done = await agent.post(link.pathname, { password: 'a brand new password', confirmPassword: 'a brand new password' });
  t.equal(done.statusCode, 303);
  t.equal(done.headers.location, '/settings/personal?notice=password-reset');
  t.equal((await agent.get(link.pathname)).statusCode, 410, 'used link shows a clear page');
  await t.rejects(signIn(app, SIGNUP.email, SIGNUP.password), 'old password no longer works');
  await signIn(app, SIGNUP.email, 'a brand new password');
  t.equal((await agent.get('/password/reset/not-a-token')).statusCode, 410);
});

t.test('unknown URLs get a 404 page', async (t) => {
  const { app } = await build(t);
  const res = await new Agent(app).get('/no/such/page');
  t.equal(res.statusCode, 404);
  t.match(res.body, '<h1>Page not found</h1>');
  t.match(res.headers['content-security-policy'] as string, "script-src 'self'");
});
