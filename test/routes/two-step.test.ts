// Two-step verification (issue 12): set-up with a code, the sealed secret and 10 hashed recovery codes; the second
// step of sign-in (a code once, expiry after 5 minutes, wrong codes counted and rate limited, a recovery code once);
// password reset does not skip it; Download and Make new codes; turning it off needs the password; the
// organization's policy sends people to set it up; an administrator's reset. A test clock drives the TOTP windows.
import { and, eq, isNull } from 'drizzle-orm';
import t from 'tap';
import { createSealer } from '../../src/crypto.js';
import { currentCode, hashRecoveryCode, TWO_STEP_MINUTES } from '../../src/auth/two-step.js';
import { historyEntries, passwordResets, persons, recoveryCodes, sessions, twoStepChallenges } from '../../src/db/schema.js';
import { hashToken } from '../../src/crypto.js';
import { setClock } from '../../src/web/clock.js';
import { Agent, SIGNUP, signIn, signUp } from '../helpers/agent.js';
import { build, TEST_APP_KEY } from '../helpers/build.js';
import { insertPerson } from '../helpers/factories.js';
import { statements } from '../helpers/project-pages.js';

const PAGE = '/settings/personal/two-step';
const SECOND = '/login/two-step';
/** a fixed instant at the start of a 30-second step */
const T0 = Date.UTC(2026, 11, 3, 12, 0, 0);
const sealer = createSealer(Buffer.from(TEST_APP_KEY, 'hex'));

function clockAt(t: { teardown(fn: () => void): void }) {
  let at = T0;
  setClock(() => new Date(at));
  t.teardown(() => setClock());
  return {
    set: (ms: number) => (at = T0 + ms),
    get at() {
      return new Date(at);
    },
  };
}

const secretOf = (body: string) => /<code class="secret" id="secret"[^>]*>([A-Z2-7 ]+)<\/code>/.exec(body)![1]!.replace(/ /g, '');
const setupOf = (body: string) => /<input type="hidden" name="setup" value="([^"]+)">/.exec(body)![1]!;
const codesOf = (body: string) => [...body.matchAll(/<li><code>([a-z2-7-]{19})<\/code><\/li>/g)].map((m) => m[1]!);

/** Signs up, turns two-step verification on for Ada; returns the secret and her recovery codes. */
async function setup(t: Parameters<typeof build>[0], env: Record<string, string> = {}) {
  const clock = clockAt(t);
  const test = await build(t, env);
  const ada = await signUp(test.app);
  const [admin] = await test.db.select().from(persons).where(eq(persons.email, SIGNUP.email));
  const page = await ada.get(PAGE);
  const secret = secretOf(page.body);
  const on = await ada.post(PAGE, { setup: setupOf(page.body), code: currentCode(secret) });
  if (on.statusCode !== 200) throw new Error(`set-up failed: ${on.statusCode}`);
  const codes = codesOf(on.body);
  const historyOf = async (kind: string) => test.db.select().from(historyEntries).where(eq(historyEntries.kind, kind));
  return { ...test, clock, ada, admin: admin!, secret, codes, setUpResponse: on, historyOf };
}

/** Signs in with the password; the agent is then half signed in. */
async function password(app: Parameters<typeof signIn>[0], email = SIGNUP.email, pw = SIGNUP.password) {
  const agent = new Agent(app);
  await agent.get('/login?next=/people');
  const res = await agent.post('/login', { email, password: pw, next: '/people' });
  return { agent, res };
}

t.test('set-up: the QR code and the key, a code turns it on, the secret sealed, 10 codes shown once and kept as hashes', async (t) => {
  clockAt(t);
  const { app, db } = await build(t);
  const ada = await signUp(app);
  const personal = await ada.get('/settings/personal');
  t.match(personal.body, 'Two-step verification is <strong>off</strong>');
  t.match(personal.body, '<a href="/settings/personal/two-step" aria-describedby="two-step-status">Set up two-step verification</a>');

  const page = await ada.get(PAGE);
  t.equal(page.statusCode, 200);
  t.equal(page.headers['cache-control'], 'no-store');
  t.match(page.body, '<h1>Set up two-step verification</h1>');
  t.match(page.body, /<img class="qr-code" src="data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+" width="200" height="200" alt="QR code to add Accord/);
  const svg = Buffer.from(/src="data:image\/svg\+xml;base64,([^"]+)"/.exec(page.body)![1]!, 'base64').toString();
  t.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/, 'the QR code is an SVG made on the server');
  const secret = secretOf(page.body);
  t.equal(secret.length, 32, '160 bits in base32');
  const setup = setupOf(page.body);
  t.notMatch(setup, secret, 'the form carries the secret sealed, not in the clear');
  t.equal(sealer.open(setup), secret);

  const wrong = await ada.post(PAGE, { setup, code: '000000' === currentCode(secret) ? '111111' : '000000' });
  t.equal(wrong.statusCode, 422);
  t.match(wrong.body, 'That code is not right.');
  t.equal(secretOf(wrong.body), secret, 'the same key is shown again');
  t.notMatch(wrong.body, /name="code"[^>]*value=/, 'the code is not sent back');
  const bad = await ada.post(PAGE, { setup, code: '12ab' });
  t.equal(bad.statusCode, 422);
  t.match(bad.body, 'Enter the 6-digit code your authenticator app shows');
  const forged = await ada.post(PAGE, { setup: 'v2.forged.x.y.z', code: currentCode(secret) });
  t.equal(forged.statusCode, 422, 'a set-up this server did not seal');
  t.match(forged.body, 'The set-up has expired.');
  const [still] = await db.select().from(persons).where(eq(persons.email, SIGNUP.email));
  t.equal(still!.twoStepSecret, null, 'nothing turned on by bad input');

  const on = await ada.post(PAGE, { setup, code: ` ${currentCode(secret).slice(0, 3)} ${currentCode(secret).slice(3)} ` });
  t.equal(on.statusCode, 200);
  t.equal(on.headers['cache-control'], 'no-store');
  t.match(on.body, '<h1>Your recovery codes</h1>');
  const codes = codesOf(on.body);
  t.equal(codes.length, 10);
  t.equal(new Set(codes).size, 10);
  const [me] = await db.select().from(persons).where(eq(persons.email, SIGNUP.email));
  t.ok(me!.twoStepSecret && me!.twoStepSecret.startsWith('v2.'), 'the secret is sealed');
  t.equal(sealer.open(me!.twoStepSecret!), secret);
  t.ok(me!.twoStepEnabledAt);
  const stored = await db.select().from(recoveryCodes).where(eq(recoveryCodes.personId, me!.id));
  t.same(stored.map((c) => c.codeHash).sort(), codes.map(hashRecoveryCode).sort(), 'only hashes are stored');
  for (const c of codes) t.notOk(JSON.stringify(stored).includes(c));
  const entries = await db.select().from(historyEntries).where(eq(historyEntries.kind, 'person.twoStep'));
  t.same(entries.map((e) => [e.before, e.after]), [[{ twoStep: false }, { twoStep: true }]]);
  t.notMatch(JSON.stringify(entries), secret);

  const again = await ada.get(PAGE);
  t.match(again.body, 'Two-step verification is <strong>on</strong>');
  t.match(again.body, '<strong>10 of 10</strong> recovery codes are unused.');
  t.notMatch(again.body, codes[0]!, 'the codes are shown only once');
  t.match((await ada.get('/settings/personal')).body, 'Two-step verification is <strong>on</strong>');
  const twice = await ada.post(PAGE, { setup, code: currentCode(secret) });
  t.equal(twice.headers.location, `${PAGE}?notice=two-step-on-already`, 'turning it on twice changes nothing');
  t.equal((await new Agent(app).get(PAGE)).statusCode, 303, 'signed out: to the sign-in page');
});

t.test('sign-in: the password opens only the second step; a code signs in once; no replay in its window', async (t) => {
  const { app, db, clock, secret, admin } = await setup(t);
  clock.set(60_000);
  const { agent, res } = await password(app);
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, SECOND);
  const cookie = (res.cookies as { name: string; path?: string; httpOnly?: boolean; maxAge?: number }[]).find((c) => c.name === 'accord_two_step');
  t.same([cookie?.path, cookie?.httpOnly, cookie?.maxAge], [SECOND, true, TWO_STEP_MINUTES * 60], 'a cookie only for the second step, 5 minutes');
  t.notOk(res.cookies.some((c: { name: string }) => c.name === 'accord_session'), 'no session yet');
  t.equal((await agent.get('/settings/personal')).statusCode, 303, 'half signed in grants nothing');
  t.equal((await agent.post('/settings/personal/password', { currentPassword: 'x' })).statusCode, 303);
  t.same(await db.select().from(sessions).where(eq(sessions.userId, admin.id)).then((r) => r.length), 1, 'only the set-up session exists');

  const page = await agent.get(SECOND);
  t.equal(page.statusCode, 200);
  t.match(page.body, '<h1>Enter your code</h1>');
  t.match(page.body, 'autocomplete="one-time-code"');
  const code = currentCode(secret);
  const wrong = await agent.post(SECOND, { code: code === '123456' ? '654321' : '123456' });
  t.equal(wrong.statusCode, 422);
  t.match(wrong.body, 'That code is not right.');
  t.match(wrong.body, '4 tries are left before you start again with your password.');
  const odd = await agent.post(SECOND, { code: 'hello' });
  t.equal(odd.statusCode, 422);
  t.match(odd.body, 'Enter the 6-digit code from your authenticator app, or a recovery code');

  const ok = await agent.post(SECOND, { code });
  t.equal(ok.statusCode, 303);
  t.equal(ok.headers.location, '/people', 'on to where the person was going');
  t.equal((await agent.get('/settings/personal')).statusCode, 200, 'signed in');
  t.same(await db.select().from(twoStepChallenges), [], 'the half-signed-in state is gone');
  t.equal((await agent.get(SECOND)).headers.location, '/login?notice=two-step-expired');

  const other = await password(app);
  const replay = await other.agent.post(SECOND, { code });
  t.equal(replay.statusCode, 422, 'the same code again, in its window: refused');
  t.match(replay.body, 'That code has been used already.');
  clock.set(90_000);
  const next = await other.agent.post(SECOND, { code: currentCode(secret) });
  t.equal(next.statusCode, 303, 'the next code signs in');
});

t.test('the half-signed-in state expires after 5 minutes, and ends after 5 wrong codes', async (t) => {
  const { app, clock, secret } = await setup(t);
  const late = await password(app);
  clock.set(TWO_STEP_MINUTES * 60_000 + 1000);
  t.equal((await late.agent.get(SECOND)).headers.location, '/login?notice=two-step-expired');
  const tooLate = await late.agent.post(SECOND, { code: currentCode(secret) });
  t.equal(tooLate.headers.location, '/login?notice=two-step-expired', 'a right code after 5 minutes does not sign in');
  t.equal((await late.agent.get('/settings/personal')).statusCode, 303);

  const { agent } = await password(app);
  const wrongCode = currentCode(secret) === '000000' ? '111111' : '000000';
  for (let i = 0; i < 4; i++) t.equal((await agent.post(SECOND, { code: wrongCode })).statusCode, 422);
  const fifth = await agent.post(SECOND, { code: wrongCode });
  t.equal(fifth.headers.location, '/login?notice=two-step-too-many');
  t.match((await agent.get('/login?notice=two-step-too-many')).body, 'Too many wrong codes. Sign in again with your password.');
  const after = await agent.post(SECOND, { code: currentCode(secret) });
  t.equal(after.headers.location, '/login?notice=two-step-expired', 'then even a right code needs the password first');
});

t.test('wrong codes count against the address like wrong passwords: 429 once used up', async (t) => {
  const { app, secret } = await setup(t, { LOGIN_RATE_LIMIT_MAX: '8' });
  const wrongCode = currentCode(secret) === '000000' ? '111111' : '000000';
  let limited = 0;
  for (let round = 0; round < 3 && !limited; round++) {
    const { agent, res } = await password(app);
    if (res.statusCode === 429) limited = 1;
    for (let i = 0; i < 5 && !limited; i++) if ((await agent.post(SECOND, { code: wrongCode })).statusCode === 429) limited = 1;
  }
  t.ok(limited, 'the address runs out of attempts');
  const blocked = await new Agent(app).post('/login', { email: SIGNUP.email, password: SIGNUP.password });
  t.equal(blocked.statusCode, 429, 'and the password form refuses it too');
});

t.test('a recovery code signs in once; Make new codes replaces them; Download gives the codes just shown', async (t) => {
  const { app, db, codes, admin, ada, secret } = await setup(t);
  const { agent } = await password(app);
  const used = await agent.post(SECOND, { code: codes[0]!.toUpperCase().replace(/-/g, ' ') });
  t.equal(used.statusCode, 303);
  t.equal(used.headers.location, `${PAGE}?notice=recovery-code-used`);
  const page = await agent.get(used.headers.location as string);
  t.match(page.body, 'You signed in with a recovery code.');
  t.match(page.body, '<strong>9 of 10</strong> recovery codes are unused.');
  const [row] = await db.select().from(recoveryCodes).where(eq(recoveryCodes.codeHash, hashRecoveryCode(codes[0]!)));
  t.ok(row?.usedAt, 'marked used');
  const again = await password(app);
  t.equal((await again.agent.post(SECOND, { code: codes[0]! })).statusCode, 422, 'a used code does not work again');

  const download = await ada.post(`${PAGE}/recovery-codes.txt`, { codes: codes.slice(1) });
  t.equal(download.statusCode, 200);
  t.match(download.headers['content-type'], 'text/plain');
  t.equal(download.headers['content-disposition'], 'attachment; filename="accord-recovery-codes.txt"');
  for (const c of codes.slice(1)) t.match(download.body, c);
  const notMine = await ada.post(`${PAGE}/recovery-codes.txt`, { codes: [codes[0]!] });
  t.equal(notMine.statusCode, 422, 'a used (or made-up) code is not downloaded');
  t.match(notMine.body, 'These recovery codes can’t be downloaded');
  t.equal((await ada.post(`${PAGE}/recovery-codes.txt`, {})).statusCode, 422);

  const fresh = await ada.post(`${PAGE}/recovery-codes`);
  t.equal(fresh.statusCode, 200);
  t.match(fresh.body, 'New recovery codes made. Your old codes no longer work.');
  const newCodes = codesOf(fresh.body);
  t.equal(newCodes.length, 10);
  const stored = await db.select().from(recoveryCodes).where(and(eq(recoveryCodes.personId, admin.id), isNull(recoveryCodes.usedAt)));
  t.same(stored.map((c) => c.codeHash).sort(), newCodes.map(hashRecoveryCode).sort(), 'the old codes are gone');
  const old = await password(app);
  t.equal((await old.agent.post(SECOND, { code: codes[1]! })).statusCode, 422, 'an old code no longer works');
  t.equal((await old.agent.post(SECOND, { code: newCodes[0]! })).statusCode, 303, 'a new one does');
  t.ok(secret);
});

t.test('password reset ends every session and still asks for the code', async (t) => {
  const { app, db, admin, ada, secret, clock } = await setup(t);
  clock.set(60_000);
  const token = 'reset-token-for-two-step-test';
  await db.insert(passwordResets).values({ tokenHash: hashToken(token), accountId: admin.accountId, personId: admin.id, expiresAt: new Date(Date.now() + 3600_000) });
  const browser = new Agent(app);
  await browser.get(`/password/reset/${token}`);
  const res = await browser.post(`/password/reset/${token}`, { password: 'a brand new passphrase', confirmPassword: 'a brand new passphrase' });
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, SECOND, 'the new password opens only the second step');
  t.equal((await browser.get('/settings/personal')).statusCode, 303, 'not signed in yet');
  t.equal((await ada.get('/settings/personal')).statusCode, 303, 'the other sessions ended');
  const ok = await browser.post(SECOND, { code: currentCode(secret) });
  t.equal(ok.headers.location, '/settings/personal?notice=password-reset');
  t.equal((await browser.get('/settings/personal')).statusCode, 200);
});

t.test('turning it off needs the password (a wrong one counts as an attempt); not when the organization requires it', async (t) => {
  const { db, ada, admin, historyOf, app } = await setup(t);
  const page = await ada.get(PAGE);
  t.match(page.body, '<label for="password">Your password</label>');
  const empty = await ada.post(`${PAGE}/off`, {});
  t.equal(empty.statusCode, 422);
  t.match(empty.body, 'Enter your password');
  const wrong = await ada.post(`${PAGE}/off`, { password: 'not my password' });
  t.equal(wrong.statusCode, 422);
  t.match(wrong.body, 'Your password is not right.');
  t.ok((await db.select().from(persons).where(eq(persons.id, admin.id)))[0]!.twoStepSecret, 'still on');

  await ada.post('/settings/organization/two-step', { twoStepForAdmins: 'on' });
  const required = await ada.post(`${PAGE}/off`, { password: SIGNUP.password });
  t.equal(required.statusCode, 422);
  t.match(required.body, 'Your organization requires two-step verification, so you can’t turn it off.');
  t.notMatch((await ada.get(PAGE)).body, 'action="/settings/personal/two-step/off"', 'no form to turn it off');
  await ada.post('/settings/organization/two-step', {});

  const off = await ada.post(`${PAGE}/off`, { password: SIGNUP.password });
  t.equal(off.headers.location, `${PAGE}?notice=two-step-off`);
  const [me] = await db.select().from(persons).where(eq(persons.id, admin.id));
  t.same([me!.twoStepSecret, me!.twoStepEnabledAt], [null, null]);
  t.same(await db.select().from(recoveryCodes), [], 'the recovery codes are gone');
  t.same((await historyOf('person.twoStep')).map((e) => e.after), [{ twoStep: true }, { twoStep: false }]);
  const plain = await password(app);
  t.equal(plain.res.headers.location, '/people', 'signing in needs only the password again');
});

t.test('the organization policy: people it applies to set it up first and can do nothing else; recorded in the history', async (t) => {
  clockAt(t);
  const { app, db } = await build(t);
  const ada = await signUp(app);
  const org = await ada.get('/settings/organization');
  t.match(org.body, '<h2 id="security-heading">Security</h2>');
  t.match(org.body, /<input type="checkbox" role="switch" id="twoStepForAdmins" name="twoStepForAdmins" value="on" aria-describedby="twoStepForAdmins-hint">/);
  t.match(org.body, '<label for="twoStepForEveryone">Require two-step verification for everyone</label>');

  await insertPerson(db, { email: 'mia@acme.test', password: 'mia password here' });
  await insertPerson(db, { email: 'ro@acme.test', password: 'ro password here', license: 'read_only', isAdmin: true });
  const mia = await signIn(app, 'mia@acme.test', 'mia password here');
  const ro = await signIn(app, 'ro@acme.test', 'ro password here');
  t.equal((await mia.post('/settings/organization/two-step', { twoStepForEveryone: 'on' })).statusCode, 403, 'not an administrator');
  t.equal((await ro.post('/settings/organization/two-step', { twoStepForEveryone: 'on' })).statusCode, 403, 'a Read-Only administrator');

  const htmx = await ada.post('/settings/organization/two-step', { twoStepForEveryone: 'on' }, { htmx: true });
  t.equal(htmx.statusCode, 200);
  t.match(htmx.body, 'Saved. Require two-step verification for administrators is off; for everyone is on.');
  t.match(htmx.body, /id="twoStepForEveryone" name="twoStepForEveryone" value="on" checked/);
  const entries = await db.select().from(historyEntries).where(eq(historyEntries.kind, 'account.twoStep'));
  t.same(entries.map((e) => [e.before, e.after]), [[{ twoStepForEveryone: false }, { twoStepForEveryone: true }]]);

  const sent = await mia.get('/projects');
  t.equal(sent.statusCode, 303);
  t.equal(sent.headers.location, `${PAGE}?notice=two-step-required`);
  const setUp = await mia.get(sent.headers.location as string);
  t.equal(setUp.statusCode, 200);
  t.match(setUp.body, 'Your organization requires two-step verification. Set it up to go on using Accord.');
  t.equal((await mia.post('/settings/personal', { telemetry: 'on' })).statusCode, 403, 'a change elsewhere is refused');
  t.equal((await mia.post('/logout')).statusCode, 303, 'signing out still works');
  const mia2 = await signIn(app, 'mia@acme.test', 'mia password here');
  const page = await mia2.get(PAGE);
  const secret = secretOf(page.body);
  t.equal((await mia2.post(PAGE, { setup: setupOf(page.body), code: currentCode(secret) })).statusCode, 200);
  t.equal((await mia2.get('/projects')).statusCode, 200, 'set up: free to go');

  t.equal((await ada.get('/settings/people')).statusCode, 303, 'the administrator too must set it up');
  const off = await ada.post('/settings/organization/two-step', {});
  t.equal(off.statusCode, 403, 'until then not even the policy can be changed');
  t.equal((await db.select().from(historyEntries).where(eq(historyEntries.kind, 'account.twoStep'))).length, 1);
  t.equal((await new Agent(app).get(PAGE)).statusCode, 303);
});

t.test('an administrator resets a person’s two-step verification: confirmation, signed out, set up again at next sign-in', async (t) => {
  const { app, db, ada, admin } = await setup(t);
  const bo = await insertPerson(db, { name: 'Bo Brown', email: 'bo@acme.test', password: 'bo password here' });
  const boAgent = await signIn(app, 'bo@acme.test', 'bo password here');
  const page = await boAgent.get(PAGE);
  const secret = secretOf(page.body);
  await boAgent.post(PAGE, { setup: setupOf(page.body), code: currentCode(secret) });

  const person = await ada.get(`/people/${bo.id}`);
  t.match(person.body, /Two-step verification: <strong>On since \d+ \w+ \d{4}<\/strong>/);
  t.match(person.body, `<a href="/people/${bo.id}/two-step/reset" aria-describedby="two-step-of-person">Reset two-step verification</a>`);
  t.notMatch((await ada.get(`/people/${admin.id}`)).body, 'two-step/reset', 'no reset link on one’s own page');
  const confirm = await ada.get(`/people/${bo.id}/two-step/reset`);
  t.equal(confirm.statusCode, 200);
  t.match(confirm.body, '<h1>Reset two-step verification of Bo Brown?</h1>');
  t.equal((await boAgent.get(`/people/${admin.id}/two-step/reset`)).statusCode, 403, 'not an administrator');
  t.equal((await boAgent.post(`/people/${admin.id}/two-step/reset`)).statusCode, 403);
  const self = await ada.post(`/people/${admin.id}/two-step/reset`);
  t.equal(self.statusCode, 422, 'not one’s own');

  const other = await build(t);
  const eve = await signUp(other.app, { email: 'eve@other.test' });
  t.equal((await eve.post(`/people/${bo.id}/two-step/reset`)).statusCode, 404, 'another account’s person: not found (and untouched)');

  const res = await ada.post(`/people/${bo.id}/two-step/reset`);
  t.equal(res.headers.location, `/people/${bo.id}?notice=two-step-reset`);
  const [row] = await db.select().from(persons).where(eq(persons.id, bo.id));
  t.same([row!.twoStepSecret, row!.twoStepMustSetUp], [null, true]);
  t.same(await db.select().from(recoveryCodes).where(eq(recoveryCodes.personId, bo.id)), []);
  t.same(await db.select().from(sessions).where(eq(sessions.userId, bo.id)), [], 'signed out everywhere');
  const entries = await db.select().from(historyEntries).where(eq(historyEntries.kind, 'person.twoStepReset'));
  t.same(entries.map((e) => [e.actorId, e.subjectId, e.after]), [[admin.id, bo.id, { twoStep: false, setUpAtNextSignIn: true }]]);
  t.match((await ada.get(`/people/${bo.id}`)).body, 'Two-step verification: <strong>Off; they set it up at their next sign-in</strong>');

  const back = await signIn(app, 'bo@acme.test', 'bo password here');
  const sent = await back.get('/settings/personal');
  t.equal(sent.headers.location, `${PAGE}?notice=two-step-required`, 'sent to set it up again');
  const setUp = await back.get(PAGE);
  t.match(setUp.body, 'An administrator reset your two-step verification.');
  const newSecret = secretOf(setUp.body);
  t.equal((await back.post(PAGE, { setup: setupOf(setUp.body), code: currentCode(newSecret) })).statusCode, 200);
  t.equal((await back.get('/settings/personal')).statusCode, 200);
  t.equal((await db.select().from(persons).where(eq(persons.id, bo.id)))[0]!.twoStepMustSetUp, false);
});

t.test('the pages cost the same number of statements with 1 and with 300 people who use two-step verification', async (t) => {
  const { app, db, stats, ada, admin, secret } = await setup(t);
  const measure = async () => {
    const { agent } = await password(app);
    return {
      page: await statements(stats, () => ada.get(PAGE)),
      organization: await statements(stats, () => ada.get('/settings/organization')),
      person: await statements(stats, () => ada.get(`/people/${admin.id}`)),
      secondStep: await statements(stats, () => agent.get(SECOND)),
      wrongCode: await (async () => {
        const before = stats.queries;
        const res = await agent.post(SECOND, { code: currentCode(secret) === '000000' ? '111111' : '000000' });
        t.equal(res.statusCode, 422);
        return stats.queries - before;
      })(),
    };
  };
  const small = await measure();
  for (let i = 0; i < 300; i++) {
    const p = await insertPerson(db, { email: `p${i}@acme.test` });
    await db.update(persons).set({ twoStepSecret: sealer.seal(secret), twoStepEnabledAt: new Date() }).where(eq(persons.id, p.id));
    await db.insert(recoveryCodes).values(Array.from({ length: 10 }, (_, j) => ({ codeHash: `h${i}-${j}`, accountId: admin.accountId, personId: p.id })));
  }
  t.same(await measure(), small, `the same at both sizes: ${JSON.stringify(small)}`);
});
