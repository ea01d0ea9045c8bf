// "Contact support" (/support): the page, 422 on bad input, the email to SUPPORT_EMAIL with Reply-To the sender,
// nothing stored, the per-address rate limit (429 keeps the message), a mail failure, CSRF, signed-in prefill.
import { is } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import t from 'tap';
import { ConfigError, loadConfig } from '../../src/config.js';
import type { Db } from '../../src/db/client.js';
import * as schema from '../../src/db/schema.js';
import { SUPPORT_LIMIT, SUPPORT_MESSAGE_MAX } from '../../src/support/forms.js';
import { Agent, SIGNUP, signUp } from '../helpers/agent.js';
import { build } from '../helpers/build.js';

const SUPPORT_EMAIL = 'help@accord.test';
const MESSAGE = 'The license page says 3 seats but we bought 5. Can you check? ref-7f3a9';
const FORM = { name: 'Sam Sender', email: 'sam@example.org', message: MESSAGE };

async function visitor(app: Awaited<ReturnType<typeof build>>['app']) {
  const agent = new Agent(app);
  await agent.get('/support');
  return agent;
}

/** Every row of every table, as text: a message stored anywhere would show up here. */
async function everything(db: Db): Promise<string> {
  const tables = (Object.values(schema) as unknown[]).filter((v): v is PgTable => is(v, PgTable));
  const dumps = await Promise.all(tables.map((table) => db.select().from(table)));
  return JSON.stringify(dumps);
}

t.test('the page: three labelled fields, empty for a visitor', async (t) => {
  const { app } = await build(t);
  const res = await app.inject({ method: 'GET', url: '/support' });
  t.equal(res.statusCode, 200);
  t.match(res.body, '<title>Contact support – Accord</title>');
  t.match(res.body, '<h1>Contact support</h1>');
  t.match(res.body, '<form method="post" action="/support" novalidate>');
  t.match(res.body, /name="_csrf" value="[^"]+"/);
  t.match(res.body, '<label for="name">Name</label>');
  t.match(res.body, /<input id="name" name="name" type="text" autocomplete="name">/);
  t.match(res.body, '<label for="email">Email</label>');
  t.match(res.body, /<input id="email" name="email" type="email" autocomplete="email" aria-describedby="email-hint" spellcheck="false">/);
  t.match(res.body, '<label for="message">Message</label>');
  t.match(res.body, /<textarea id="message" name="message" rows="8" aria-describedby="message-hint"><\/textarea>/);
  t.match(res.body, `Up to ${SUPPORT_MESSAGE_MAX.toLocaleString('en-GB')} characters.`);
  t.match(res.body, '<button type="submit" class="button">Send message</button>');
  t.match(res.body, 'href="/privacy#support"');
});

t.test('a signed-in person finds their name and email filled in, and the email names their organization', async (t) => {
  const { app, outbox } = await build(t, { SUPPORT_EMAIL });
  const admin = await signUp(app);
  const page = await admin.get('/support');
  t.match(page.body, `<input id="name" name="name" type="text" value="${SIGNUP.name}" autocomplete="name">`);
  t.match(page.body, `value="${SIGNUP.email}"`);
  const res = await admin.post('/support', { name: SIGNUP.name, email: SIGNUP.email, message: MESSAGE });
  t.equal(res.statusCode, 303);
  t.match(outbox.at(-1)!.text, `Signed in as: ${SIGNUP.name} <${SIGNUP.email}>, organization “${SIGNUP.organizationName}”`);
});

t.test('bad input: 422, the error summary, a message by each field, what was typed kept, nothing sent', async (t) => {
  const { app, outbox } = await build(t, { SUPPORT_EMAIL });
  const agent = await visitor(app);
  const res = await agent.post('/support', { name: '  ', email: 'not-an-email', message: '' });
  t.equal(res.statusCode, 422);
  t.match(res.body, '<title>Error: Contact support – Accord</title>');
  t.match(res.body, '<h2 id="error-summary-title">There is a problem</h2>');
  t.match(res.body, '<a href="#name">Enter your name</a>');
  t.match(res.body, '<a href="#email">Enter an email address in the correct format, like name@example.com</a>');
  t.match(res.body, '<a href="#message">Enter your message</a>');
  t.match(res.body, /id="message-error"><span class="visually-hidden">Error:<\/span> Enter your message<\/p>/);
  t.match(res.body, /<textarea id="message" name="message" rows="8" aria-describedby="message-hint message-error" aria-invalid="true">/);
  t.match(res.body, 'value="not-an-email"', 'the email typed is kept');

  const long = await agent.post('/support', { ...FORM, message: 'x'.repeat(SUPPORT_MESSAGE_MAX + 1) });
  t.equal(long.statusCode, 422);
  t.match(long.body, '<a href="#message">Message must be 5,000 characters or fewer</a>');
  t.match(long.body, 'x'.repeat(SUPPORT_MESSAGE_MAX + 1), 'the long message is kept to be shortened');
  t.equal((await agent.post('/support', { ...FORM, message: 'y'.repeat(SUPPORT_MESSAGE_MAX) })).statusCode, 303, 'exactly the maximum is fine');
  t.equal(outbox.length, 1, 'only the good one was sent');
});

t.test('a message goes by email to SUPPORT_EMAIL, Reply-To the sender, is stored nowhere, and is confirmed', async (t) => {
  const { app, db, outbox } = await build(t, { SUPPORT_EMAIL });
  const agent = await visitor(app);
  const res = await agent.post('/support', { ...FORM, name: 'Sam\r\nBcc: evil@example.org' });
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, '/support?notice=support-sent');
  t.equal(outbox.length, 1);
  const mail = outbox[0]!;
  t.equal(mail.to, SUPPORT_EMAIL);
  t.same(mail.replyTo, { name: 'Sam Bcc: evil@example.org', address: FORM.email }, 'Reply-To the sender; the name is one line');
  t.equal(mail.subject, 'Accord support request', 'no personal data in the subject (the mailer logs it)');
  t.match(mail.text, `From: Sam Bcc: evil@example.org <${FORM.email}>`);
  t.match(mail.text, MESSAGE);
  t.match(mail.text, 'Not signed in');
  t.notMatch(await everything(db), 'ref-7f3a9', 'the message is in no table');

  const confirmed = await agent.get(res.headers.location as string);
  t.match(confirmed.body, '<div id="live-status" class="notice" role="status">Your message has been sent to support. We will answer by email.</div>');
  t.match(confirmed.body, /<textarea id="message" name="message" rows="8" aria-describedby="message-hint"><\/textarea>/, 'an empty form for the next one');
});

t.test(`each address may send ${SUPPORT_LIMIT.max} messages per ${SUPPORT_LIMIT.windowMinutes} minutes; then a 429 that keeps the message`, async (t) => {
  const { app, outbox } = await build(t, { SUPPORT_EMAIL });
  const agent = await visitor(app);
  for (let i = 0; i < 3; i++) t.equal((await agent.post('/support', { ...FORM, message: '' })).statusCode, 422);
  for (let i = 0; i < SUPPORT_LIMIT.max; i++) t.equal((await agent.post('/support', FORM)).statusCode, 303, `message ${i + 1} sent (bad input did not count)`);
  const refused = await agent.post('/support', { ...FORM, message: 'one more ref-limit' });
  t.equal(refused.statusCode, 429);
  const wait = Number(refused.headers['retry-after']);
  t.ok(wait > 3500 && wait <= 3600, `Retry-After ${wait} s`);
  t.match(refused.body, '<a href="#message">You have sent 5 messages from your address within 60 minutes. Wait 60 minutes, then send it again: your message is still below.</a>');
  t.match(refused.body, '>one more ref-limit</textarea>', 'the message is kept');
  t.notMatch(refused.body, 'Sorry, there is a problem', 'a form with an error summary, not an error page');
  t.equal(outbox.length, SUPPORT_LIMIT.max, 'nothing more sent');

  // another address is counted on its own
  const other = await app.inject({
    method: 'POST',
    url: '/support',
    remoteAddress: '203.0.113.9',
    headers: { cookie: [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ ...FORM, _csrf: agent.csrf }).toString(),
  });
  t.equal(other.statusCode, 303);
  t.equal(outbox.length, SUPPORT_LIMIT.max + 1);
});

t.test('when the mail server fails: a clear error, the message kept, a 503 and not a 500', async (t) => {
  const { app, outbox, mailFails } = await build(t, { SUPPORT_EMAIL });
  const agent = await visitor(app);
  mailFails.on = true;
  const res = await agent.post('/support', FORM);
  t.equal(res.statusCode, 503);
  t.equal(res.headers['retry-after'], '300');
  t.match(res.body, '<a href="#message">Your message could not be sent: the mail server did not accept it. It is still below: try again in a few minutes.</a>');
  t.match(res.body, `>${MESSAGE}</textarea>`);
  t.match(res.body, `value="${FORM.email}"`);
  t.equal(outbox.length, 0);
  mailFails.on = false;
  t.equal((await agent.post('/support', FORM)).statusCode, 303, 'sending again works');
  t.equal(outbox.length, 1);
});

t.test('a POST without the CSRF token is refused and sends nothing', async (t) => {
  const { app, outbox } = await build(t);
  const agent = await visitor(app);
  const res = await agent.post('/support', FORM, { csrf: false });
  t.equal(res.statusCode, 403);
  t.match(res.body, 'This form has expired or did not come from this site.');
  t.equal(outbox.length, 0);
  t.equal((await agent.post('/support', FORM, { csrf: 'header' })).statusCode, 303, 'the header works too');
});

t.test('SUPPORT_EMAIL: an email address, support@localhost by default', async (t) => {
  t.equal(loadConfig({}).SUPPORT_EMAIL, 'support@localhost');
  t.equal(loadConfig({ SUPPORT_EMAIL }).SUPPORT_EMAIL, SUPPORT_EMAIL);
  for (const bad of ['support', 'Support <help@x.test>', 'a@b@c']) {
    let error: unknown;
    try {
      loadConfig({ SUPPORT_EMAIL: bad });
    } catch (e) {
      error = e;
    }
    t.ok(error instanceof ConfigError, bad);
    t.match((error as Error).message, 'SUPPORT_EMAIL: must be an email address, like support@example.com');
  }
});
