import { eq } from 'drizzle-orm';
import t from 'tap';
import { accounts, persons } from '../../src/db/schema.js';
import { loggableError } from '../../src/web/errors.js';
import { Agent, SIGNUP, signUp } from '../helpers/agent.js';
import { build } from '../helpers/build.js';

t.test('an unexpected error gets a 500 page that reveals nothing', async (t) => {
  const { app } = await build(t, {}, {
    beforeReady: (app) => {
      app.get('/boom', async () => {
        throw new Error('secret internal detail: connection string postgres://user:pw@db');
      });
      app.post('/boom', async () => {
        throw new Error('secret internal detail');
      });
    },
  });
  const agent = await signUp(app);
  const res = await agent.get('/boom');
  t.equal(res.statusCode, 500);
  t.match(res.body, '<h1>Sorry, there is a problem with the service</h1>');
  t.notMatch(res.body, 'secret');
  t.notMatch(res.body, 'at ');
  const post = await agent.post('/boom', {});
  t.equal(post.statusCode, 500);
  t.notMatch(post.body, 'secret');
});

t.test('malformed or oversized requests get a 4xx page, never a 500', async (t) => {
  const { app } = await build(t);
  const agent = new Agent(app);
  await agent.get('/signup');
  const json = await app.inject({ method: 'POST', url: '/signup', headers: { 'content-type': 'application/json', cookie: `accord_csrf=${agent.cookies.get('accord_csrf')}` }, payload: '{bad json' });
  t.ok(json.statusCode >= 400 && json.statusCode < 500, `bad JSON: ${json.statusCode}`);
  const huge = await agent.post('/signup', { organizationName: 'x'.repeat(70 * 1024) });
  t.equal(huge.statusCode, 413);
  t.match(huge.body, 'Too much data');
  const weird = await app.inject({ method: 'POST', url: '/login', headers: { 'content-type': 'text/plain' }, payload: 'hello' });
  t.ok(weird.statusCode >= 400 && weird.statusCode < 500, `text/plain: ${weird.statusCode}`);
  const arrays = await agent.post('/login', { email: ['a@b.test', 'c@d.test'], password: ['x', 'y'] });
  t.equal(arrays.statusCode, 422, 'repeated fields are a validation error');
});

t.test('control characters in fields, addresses and cookies never reach SQL: no 500 anywhere', async (t) => {
  const { app, db } = await build(t);
  const visitor = new Agent(app);
  const signup = await visitor.post('/signup', { ...SIGNUP, organizationName: 'Acme\u0000 Ltd', name: 'Ada\u0000 Admin\u0007' });
  t.equal(signup.statusCode, 303, 'sign-up with NUL and BEL in names is saved');
  const [ada] = await db.select().from(persons);
  t.equal(ada!.name, 'Ada Admin', 'the control characters are dropped');
  t.equal((await db.select().from(accounts))[0]!.name, 'Acme Ltd');
  const admin = visitor;
  for (const url of ['/people?q=%00', '/people?q=a%00b', '/settings/users?q=a%00']) {
    t.equal((await admin.get(url)).statusCode, 200, url);
    t.equal((await admin.get(url, { htmx: true })).statusCode, 200, `${url} (htmx)`);
  }
  const nul = await admin.get('/people/%00');
  t.equal(nul.statusCode, 404, 'a NUL in the path names no page');
  t.match(nul.body, 'Page not found');
  t.equal((await admin.get('/invite/%00abc')).statusCode, 404);
  const contact = await admin.post('/people/new', { name: 'Bea\u0000 Baker', email: 'bea@acme.test' });
  t.equal(contact.statusCode, 303);
  t.ok((await db.select().from(persons).where(eq(persons.name, 'Bea Baker'))).length, 'saved without the NUL');
  const forged = await app.inject({ method: 'GET', url: '/settings/personal', headers: { cookie: 'accord_session=%00' } });
  t.equal(forged.statusCode, 303, 'a forged session cookie is no session');
  const odd = await app.inject({ method: 'GET', url: '/privacy', headers: { cookie: 'accord_session=abc%27%3B' } });
  t.equal(odd.statusCode, 200);
});

t.test('only form bodies are read: JSON and plain text get 415 on every route', async (t) => {
  const { app, db } = await build(t);
  const admin = await signUp(app);
  const [ada] = await db.select().from(persons);
  const cookie = [...admin.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  for (const [type, payload] of [['application/json', '[]'], ['application/json', '"x"'], ['text/plain', 'license=none']]) {
    const res = await app.inject({
      method: 'POST',
      url: `/settings/users/licenses/${ada!.id}`,
      headers: { 'content-type': type!, cookie, 'x-csrf-token': admin.csrf },
      payload,
    });
    t.equal(res.statusCode, 415, `${type} ${payload}`);
    t.match(res.body, 'Unsupported request');
  }
  t.equal((await db.select().from(persons))[0]!.license, 'read_write', 'nothing changed');
});

t.test('an htmx request that is refused or fails gets the reason in the error summary, not a whole page', async (t) => {
  const { app } = await build(t, {}, {
    beforeReady: (app) => {
      app.post('/boom', async () => {
        throw new Error('secret internal detail');
      });
    },
  });
  const admin = await signUp(app);
  const missing = await admin.get('/no/such/page', { htmx: true });
  t.equal(missing.statusCode, 404);
  t.match(missing.body, /^<hx-partial hx-target="#error-summary-slot" hx-swap="innerHTML"><div class="error-summary" role="alert"[^>]*><h2 id="error-summary-title">Page not found<\/h2>/);
  t.notMatch(missing.body, '<main');
  const gone = await admin.post('/settings/users/licenses/nobody', { license: 'none' }, { htmx: true });
  t.equal(gone.statusCode, 404);
  t.match(gone.body, '<hx-partial hx-target="#error-summary-slot"');
  const boom = await admin.post('/boom', {}, { htmx: true });
  t.equal(boom.statusCode, 500);
  t.match(boom.body, 'Sorry, there is a problem with the service');
  t.notMatch(boom.body, 'secret');
  t.notMatch(boom.body, '<html');
  t.match((await admin.get('/no/such/page')).body, '<html', 'without htmx: the whole page');
});

t.test('the log of a failed query keeps the statement and code, never its parameters', async (t) => {
  const cause = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { severity: 'ERROR', code: '22021', detail: 'Key (email)=(ada@acme.test) already exists.' });
  const failed = Object.assign(new Error('Failed query: insert into persons (name, password_hash) values ($1, $2)\nparams: Ada,$argon2id$v=19$secret'), {
    query: 'insert into persons (name, password_hash) values ($1, $2)',
    params: ['Ada', '$argon2id$v=19$secret'],
    cause,
  });
  const logged = JSON.stringify(loggableError(failed));
  t.notMatch(logged, 'argon2id', 'no password hash');
  t.notMatch(logged, 'ada@acme.test', 'no value from the detail');
  t.match(logged, 'insert into persons (name, password_hash) values ($1, $2)', 'the statement');
  t.match(logged, '22021', 'the SQLSTATE code');
  const plain = loggableError(new Error('mail server said no'));
  t.equal(plain.message, 'mail server said no', 'other errors keep their message');
  t.match(String(plain.stack), /^\s+at /);
});
