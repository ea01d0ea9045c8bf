// Personal, Security, "Change password" (issue 12): the current password checked like a sign-in, the new one by
// the sign-up rules; on success every other session of the person ends, unused reset links stop working, and an
// email says so; bad input is a 422 with nothing changed; a Read-Only person may change theirs too.
import { eq } from 'drizzle-orm';
import t from 'tap';
import { passwordResets, persons, sessions } from '../../src/db/schema.js';
import { Agent, SIGNUP, signIn, signUp } from '../helpers/agent.js';
import { build } from '../helpers/build.js';
import { insertPerson } from '../helpers/factories.js';

const PAGE = '/settings/personal/password';
const NEW = 'a brand new passphrase';

async function setup(t: Parameters<typeof build>[0], env: Record<string, string> = {}) {
  const test = await build(t, env);
  const ada = await signUp(test.app);
  const [admin] = await test.db.select().from(persons).where(eq(persons.email, SIGNUP.email));
  const sessionsOf = async () => (await test.db.select().from(sessions).where(eq(sessions.userId, admin!.id))).map((s) => s.id).sort();
  const hash = async () => (await test.db.select().from(persons).where(eq(persons.id, admin!.id)))[0]!.passwordHash;
  return { ...test, ada, admin: admin!, sessionsOf, hash };
}

t.test('the Personal page links to it; the page asks for the current password and the new one twice', async (t) => {
  const { ada } = await setup(t);
  const personal = await ada.get('/settings/personal');
  t.match(personal.body, '<h2 id="security-heading">Security</h2>');
  t.match(personal.body, '<a href="/settings/personal/password">Change password</a>');
  const page = await ada.get(PAGE);
  t.equal(page.statusCode, 200);
  t.equal(page.headers['cache-control'], 'no-store');
  t.match(page.body, '<h1>Change your password</h1>');
  for (const [name, label, autocomplete] of [
    ['currentPassword', 'Current password', 'current-password'],
    ['password', 'New password', 'new-password'],
    ['confirmPassword', 'Confirm new password', 'new-password'],
  ] as const) {
    t.match(page.body, `<label for="${name}">${label}</label>`, label);
    t.match(page.body, new RegExp(`<input id="${name}" name="${name}" type="password" autocomplete="${autocomplete}"`), `${label}: a password field`);
  }
  t.equal((await new Agent(ada.app).get(PAGE)).statusCode, 303, 'signed out: to the sign-in page');
});

t.test('changing it: the new password signs in, the old one no longer; other sessions end, this one stays; the email', async (t) => {
  const { app, db, ada, admin, sessionsOf, outbox } = await setup(t);
  const phone = await signIn(app, SIGNUP.email, SIGNUP.password);
  const laptop = await signIn(app, SIGNUP.email, SIGNUP.password);
  t.equal((await sessionsOf()).length, 3);
  await db.insert(passwordResets).values({ tokenHash: 'pending', accountId: admin.accountId, personId: admin.id, expiresAt: new Date(Date.now() + 3600_000) });
  const mails = outbox.length;

  const res = await ada.post(PAGE, { currentPassword: SIGNUP.password, password: NEW, confirmPassword: NEW });
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, '/settings/personal?notice=password-changed');
  const after = await ada.get(res.headers.location as string);
  t.equal(after.statusCode, 200, 'this session stays signed in');
  t.match(after.body, 'role="status">Your password has been changed. Every other device signed in to your account has been signed out.</div>');
  t.equal((await sessionsOf()).length, 1, 'only this session is left');
  for (const [name, agent] of [['phone', phone], ['laptop', laptop]] as const) {
    const gone = await agent.get('/settings/personal');
    t.equal(gone.statusCode, 303, `the ${name} is signed out`);
  }
  t.same(await db.select().from(passwordResets), [], 'a reset link not yet used stops working');

  t.equal(outbox.length, mails + 1, 'one email');
  const mail = outbox.at(-1)!;
  t.equal(mail.to, SIGNUP.email);
  t.equal(mail.subject, 'Your Accord password was changed');
  t.match(mail.text, 'Every other device signed in to your account has been signed out.');
  t.match(mail.text, '/password/forgot');
  t.notMatch(mail.text, NEW, 'the email holds no password');

  const old = await new Agent(app).post('/login', { email: SIGNUP.email, password: SIGNUP.password });
  t.equal(old.statusCode, 422, 'the old password no longer signs in');
  await signIn(app, SIGNUP.email, NEW);
  t.pass('the new one does');
});

t.test('bad input: 422, the messages at the fields and in the summary, nothing changed, no password sent back', async (t) => {
  const { ada, hash, sessionsOf, app } = await setup(t);
  await signIn(app, SIGNUP.email, SIGNUP.password);
  const before = { hash: await hash(), sessions: await sessionsOf() };
  const cases: [Record<string, string>, string, string][] = [
    [{ currentPassword: '', password: NEW, confirmPassword: NEW }, 'currentPassword', 'Enter your current password'],
    [{ currentPassword: SIGNUP.password, password: 'short', confirmPassword: 'short' }, 'password', 'Password must be at least 12 characters'],
    [{ currentPassword: SIGNUP.password, password: 'x'.repeat(201), confirmPassword: 'x'.repeat(201) }, 'password', 'Password must be 200 characters or fewer'],
    [{ currentPassword: SIGNUP.password, password: NEW, confirmPassword: `${NEW}!` }, 'confirmPassword', 'Passwords do not match'],
    [{ currentPassword: SIGNUP.password, password: SIGNUP.password, confirmPassword: SIGNUP.password }, 'password', 'Your new password must be different from your current password'],
    [{ currentPassword: 'not my password', password: NEW, confirmPassword: NEW }, 'currentPassword', 'Your current password is not right. Enter the password you sign in with now.'],
    [{ password: NEW }, 'currentPassword', 'Enter your current password'],
  ];
  for (const [body, field, message] of cases) {
    const res = await ada.post(PAGE, body);
    t.equal(res.statusCode, 422, `${field}: 422`);
    t.match(res.body, '<title>Error: Change your password – Accord</title>');
    t.match(res.body, `<a href="#${field}">${message}</a>`, `${field}: in the summary`);
    t.match(res.body, `<p class="error-message" id="${field}-error"><span class="visually-hidden">Error:</span> ${message}</p>`, `${field}: at the field`);
    for (const typed of Object.values(body)) if (typed) t.notMatch(res.body, `value="${typed}"`, 'nothing typed is sent back');
  }
  t.same({ hash: await hash(), sessions: await sessionsOf() }, before, 'nothing changed');
});

t.test('a wrong current password counts against the sign-in rate limit of the address', async (t) => {
  const { ada, app, hash } = await setup(t, { LOGIN_RATE_LIMIT_MAX: '3' });
  const before = await hash();
  for (let i = 0; i < 3; i++) {
    t.equal((await ada.post(PAGE, { currentPassword: `wrong ${i}`, password: NEW, confirmPassword: NEW })).statusCode, 422);
  }
  const limited = await ada.post(PAGE, { currentPassword: SIGNUP.password, password: NEW, confirmPassword: NEW });
  t.equal(limited.statusCode, 429, 'even the right password is not checked now');
  t.match(limited.body, 'Too many attempts from your address.');
  t.equal((await new Agent(app).post('/login', { email: SIGNUP.email, password: SIGNUP.password })).statusCode, 429, 'sign-in is refused too');
  t.equal(await hash(), before, 'unchanged');
});

t.test('a Read-Only person changes their own; no one changes another person’s; a form from elsewhere is refused', async (t) => {
  const { app, db, ada, hash } = await setup(t);
  const [admin] = await db.select().from(persons).where(eq(persons.email, SIGNUP.email));
  const rory = await insertPerson(db, { accountId: admin!.accountId, email: 'rory@acme.test', license: 'read_only', password: 'read only person 1' });
  const reader = await signIn(app, 'rory@acme.test', 'read only person 1');
  const before = await hash();
  t.equal((await reader.post(PAGE, { currentPassword: 'read only person 1', password: NEW, confirmPassword: NEW })).statusCode, 303, 'Read-Only: allowed');
  t.equal(await hash(), before, 'the administrator’s password is untouched');
  await signIn(app, 'rory@acme.test', NEW);
  const [stored] = await db.select().from(persons).where(eq(persons.id, rory.id));
  t.match(stored!.passwordHash, /^\$argon2id\$/);
  // the form's own CSRF token is required
  const forged = await ada.post(PAGE, { currentPassword: SIGNUP.password, password: NEW, confirmPassword: NEW }, { csrf: false });
  t.equal(forged.statusCode, 403, 'no CSRF token: refused');
  t.equal(await hash(), before);
});
