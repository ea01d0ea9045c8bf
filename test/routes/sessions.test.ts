// Personal, Security, "Your sessions" (issue 12): every session of the person with browser and system (from the
// User-Agent), the address shortened, started and last active, "This device" marked; "Sign out" on any one and
// "Sign out of all other sessions"; no session id on the page; other people's sessions out of reach.
import { eq } from 'drizzle-orm';
import t from 'tap';
import { sessions } from '../../src/db/schema.js';
import { describeUserAgent, sessionHandle, shortenIp } from '../../src/auth/sessions.js';
import { Agent, SIGNUP, signIn, signUp } from '../helpers/agent.js';
import { build } from '../helpers/build.js';
import { insertPerson } from '../helpers/factories.js';
import { mainText } from '../helpers/project-pages.js';

const PAGE = '/settings/personal/sessions';
const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0';
const SAFARI = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

t.test('addresses are shortened to an approximate place; User-Agents read as browser and system', async (t) => {
  t.equal(shortenIp('203.0.113.77'), '203.0.113.x');
  t.equal(shortenIp('::ffff:198.51.100.9'), '198.51.100.x', 'IPv4 written as IPv6');
  t.equal(shortenIp('2001:db8:85a3:8d3:1319:8a2e:370:7348'), '2001:db8:85a3::/48');
  t.equal(shortenIp('2001:db8::1'), '2001:db8:0::/48', 'a short IPv6 address');
  t.equal(shortenIp('::1'), '0:0:0::/48');
  t.equal(shortenIp('fe80::1%eth0'), 'fe80:0:0::/48', 'a zone is dropped');
  for (const odd of ['', 'localhost', '1.2.3', '999.1.1.1', undefined, 42]) t.equal(shortenIp(odd), null, `not an address: ${String(odd)}`);
  t.same(describeUserAgent(FIREFOX), { browser: 'Firefox 132', system: 'Windows 10' });
  t.same(describeUserAgent(SAFARI), { browser: 'Mobile Safari 17', system: 'iOS 17.5' });
  t.same(describeUserAgent(CHROME), { browser: 'Chrome 131', system: 'Linux' });
  t.same(describeUserAgent(null), { browser: 'Unknown browser', system: 'Unknown system' });
  t.same(describeUserAgent('curl/8.0'), { browser: 'Unknown browser', system: 'Unknown system' });
});

async function setup(t: Parameters<typeof build>[0]) {
  const test = await build(t);
  await signUp(test.app);
  const laptop = await signIn(test.app, SIGNUP.email, SIGNUP.password, { userAgent: FIREFOX, remoteAddress: '203.0.113.77' });
  const phone = await signIn(test.app, SIGNUP.email, SIGNUP.password, { userAgent: SAFARI, remoteAddress: '2001:db8:85a3:8d3:1319:8a2e:370:7348' });
  const [mine] = await test.db.select().from(sessions).where(eq(sessions.userAgent, FIREFOX));
  const personId = mine!.userId;
  const sessionsOf = async () => (await test.db.select().from(sessions).where(eq(sessions.userId, personId))).map((s) => s.userAgent ?? '(none)').sort();
  return { ...test, laptop, phone, personId, sessionsOf };
}

t.test('the list: every session, this device marked, no session id; the Personal page links to it', async (t) => {
  const { db, laptop, personId } = await setup(t);
  t.match((await laptop.get('/settings/personal')).body, '<a href="/settings/personal/sessions">Your sessions</a>');
  const stored = await db.select().from(sessions).where(eq(sessions.userId, personId));
  t.equal(stored.length, 3, 'sign-up, laptop, phone');
  const firefox = stored.find((s) => s.userAgent === FIREFOX)!;
  t.equal(firefox.ipPrefix, '203.0.113.x', 'only the shortened address is kept');
  t.notOk(stored.some((s) => s.ipPrefix?.includes('77') || s.ipPrefix?.includes('7348')), 'never the whole address');

  const page = await laptop.get(PAGE);
  t.equal(page.statusCode, 200);
  t.equal(page.headers['cache-control'], 'no-store');
  const text = mainText(page.body);
  t.match(text, 'Firefox 132 on Windows 10 This device 203.0.113.x');
  t.match(text, 'Mobile Safari 17 on iOS 17.5 2001:db8:85a3::/48');
  t.match(text, 'Unknown browser on Unknown system', 'the sign-up (app.inject’s User-Agent, lightMyRequest)');
  t.equal([...page.body.matchAll(/<tr id="this-device">/g)].length, 1, 'one row is this device');
  t.equal([...page.body.matchAll(/name="session" value="([0-9a-f]{32})"/g)].length, 2, 'a Sign out on the two others');
  for (const s of stored) t.notMatch(page.body, s.id, 'no session id on the page');
  t.match(page.body, 'Sign out of all other sessions</button>');
  t.match(page.body, '<button type="submit" class="button button--secondary">Sign out<span class="visually-hidden"> Mobile Safari 17 on iOS 17.5, last active');
  t.equal((await new Agent(laptop.app).get(PAGE)).statusCode, 303, 'signed out: to the sign-in page');
});

t.test('"Sign out" on one session ends it only; again: it had ended already; on this device: signed out', async (t) => {
  const { db, laptop, phone, personId, sessionsOf } = await setup(t);
  const [safari] = await db.select().from(sessions).where(eq(sessions.userAgent, SAFARI));
  const res = await laptop.post(`${PAGE}/sign-out`, { session: sessionHandle(safari!.id) });
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, `${PAGE}?notice=session-ended`);
  t.match((await laptop.get(res.headers.location as string)).body, 'role="status">Signed out. That session has ended: the device it was on is signed out.</div>');
  t.equal((await phone.get('/settings/personal')).statusCode, 303, 'the phone is signed out');
  t.same(await sessionsOf(), [FIREFOX, 'lightMyRequest'], 'the others stay (the sign-up: app.inject’s User-Agent)');
  const again = await laptop.post(`${PAGE}/sign-out`, { session: sessionHandle(safari!.id) });
  t.equal(again.headers.location, `${PAGE}?notice=session-ended-already`);
  t.match((await laptop.get(again.headers.location as string)).body, 'That session had ended already.');

  const [firefox] = await db.select().from(sessions).where(eq(sessions.userAgent, FIREFOX));
  const self = await laptop.post(`${PAGE}/sign-out`, { session: sessionHandle(firefox!.id) });
  t.equal(self.headers.location, '/login?notice=signed-out', 'this device: signed out');
  t.equal((await laptop.get('/settings/personal')).statusCode, 303);
  t.equal((await db.select().from(sessions).where(eq(sessions.userId, personId))).length, 1, 'the sign-up session is left');
});

t.test('"Sign out of all other sessions" keeps this one', async (t) => {
  const { laptop, phone, sessionsOf } = await setup(t);
  const res = await laptop.post(`${PAGE}/sign-out-others`, {});
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, `${PAGE}?notice=other-sessions-ended`);
  const page = await laptop.get(res.headers.location as string);
  t.match(page.body, 'role="status">You have been signed out of every other session.</div>');
  t.match(mainText(page.body), 'You are signed in on this device only.');
  t.notMatch(page.body, 'Sign out of all other sessions</button>');
  t.same(await sessionsOf(), [FIREFOX]);
  t.equal((await phone.get('/settings/personal')).statusCode, 303, 'the phone is signed out');
  t.equal((await laptop.post(`${PAGE}/sign-out-others`, {})).headers.location, `${PAGE}?notice=no-other-sessions`, 'again: none left');
});

t.test('odd input: 422 with the message, nothing ended; another person’s session is out of reach; CSRF', async (t) => {
  const { app, db, laptop, sessionsOf, personId } = await setup(t);
  const before = await sessionsOf();
  for (const body of [{}, { session: '' }, { session: 'x'.repeat(32) }, { session: ['a'.repeat(32), 'b'.repeat(32)] }, { session: 'A'.repeat(32) }]) {
    const res = await laptop.post(`${PAGE}/sign-out`, body);
    t.equal(res.statusCode, 422, JSON.stringify(body));
    t.match(res.body, '<a href="#sessions-table">Choose a session to sign out from the list</a>');
  }
  t.same(await sessionsOf(), before, 'nothing ended');

  // another person of the same account, and their session's handle
  await insertPerson(db, { email: 'mo@acme.test', license: 'read_write', password: 'plain member 12' });
  const mo = await signIn(app, 'mo@acme.test', 'plain member 12');
  const [moSession] = (await db.select().from(sessions)).filter((s) => s.userId !== personId);
  const res = await laptop.post(`${PAGE}/sign-out`, { session: sessionHandle(moSession!.id) });
  t.equal(res.headers.location, `${PAGE}?notice=session-ended-already`, 'not one of hers: nothing to end');
  t.equal((await mo.get('/settings/personal')).statusCode, 200, 'Mo stays signed in');
  t.notMatch((await laptop.get(PAGE)).body, sessionHandle(moSession!.id), 'nor is it listed');
  await laptop.post(`${PAGE}/sign-out-others`, {});
  t.equal((await mo.get('/settings/personal')).statusCode, 200, 'signing out her other sessions leaves his');

  t.equal((await laptop.post(`${PAGE}/sign-out-others`, {}, { csrf: false })).statusCode, 403, 'no CSRF token: refused');
});

t.test('last active: written when the session is used after 5 minutes, not on every request', async (t) => {
  const { db, laptop, stats } = await setup(t);
  const long = new Date(Date.now() - 10 * 60_000);
  await db.update(sessions).set({ lastActiveAt: long }).where(eq(sessions.userAgent, FIREFOX));
  const before = stats.queries;
  await laptop.get('/settings/personal');
  const first = stats.queries - before;
  const [touched] = await db.select().from(sessions).where(eq(sessions.userAgent, FIREFOX));
  t.ok(touched!.lastActiveAt.getTime() > long.getTime() + 5 * 60_000, 'written');
  const again = stats.queries;
  await laptop.get('/settings/personal');
  t.equal(stats.queries - again, first - 1, 'the next request writes nothing');
  t.equal((await db.select().from(sessions).where(eq(sessions.userAgent, FIREFOX)))[0]!.lastActiveAt.getTime(), touched!.lastActiveAt.getTime());
});
