import { eq } from 'drizzle-orm';
import t from 'tap';
import { accounts, persons, usageEvents } from '../../src/db/schema.js';
import { Agent, SIGNUP, signIn, signUp } from '../helpers/agent.js';
import { build } from '../helpers/build.js';
import { findPerson, insertPerson } from '../helpers/factories.js';

const NOT_ALLOWED = 'Your administrator has not enabled this setting for the account.';

async function setup(t: { teardown(fn: () => unknown): void }) {
  const ctx = await build(t);
  const admin = await signUp(ctx.app);
  const member = await insertPerson(ctx.db, { name: 'Mia Member', email: 'mia@acme.test', password: 'member password 1' });
  const memberAgent = await signIn(ctx.app, 'mia@acme.test', 'member password 1');
  return { ...ctx, admin, member, memberAgent };
}

t.test('personal settings need a signed-in person', async (t) => {
  const { app } = await build(t);
  const res = await new Agent(app).get('/settings/personal');
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, '/login?next=%2Fsettings%2Fpersonal');
  const htmx = await new Agent(app).get('/settings/personal', { htmx: true });
  t.equal(htmx.statusCode, 401);
  t.equal(htmx.headers['hx-redirect'], '/login?next=%2Fsettings%2Fpersonal');
});

t.test('while the account does not allow it, telemetry is off, disabled and refused', async (t) => {
  const { memberAgent, member, db } = await setup(t);
  const page = await memberAgent.get('/settings/personal');
  t.equal(page.statusCode, 200);
  t.match(page.body, '<h1>Personal</h1>');
  t.match(page.body, '<h2 id="privacy-heading">Privacy settings</h2>');
  t.match(page.body, /<input type="checkbox" role="switch" id="telemetry" name="telemetry" value="on" disabled aria-describedby="telemetry-hint">/);
  t.match(page.body, `id="telemetry-hint">${NOT_ALLOWED}`);
  t.match(page.body, 'AI assistance is allowed for your account');
  const forced = await memberAgent.post('/settings/personal', { telemetry: 'on' });
  t.equal(forced.statusCode, 422);
  t.match(forced.body, `href="#telemetry">${NOT_ALLOWED}`);
  t.equal((await findPerson(db, member.id))!.telemetry, false, 'nothing saved');
});

t.test('the organization privacy switches: defaults, saving without and with JavaScript', async (t) => {
  const { admin, db } = await setup(t);
  const page = await admin.get('/settings/organization');
  t.equal(page.statusCode, 200);
  t.match(page.body, '<h1>Organization</h1>');
  t.match(page.body, 'aria-current="page">General</a>');
  t.match(page.body, /role="switch" id="privacyEnabled" name="privacyEnabled" value="on" aria-describedby/, 'privacy off by default');
  t.match(page.body, /role="switch" id="aiAllowed" name="aiAllowed" value="on" checked/, 'AI on by default');
  t.match(page.body, '>Enable privacy settings in this account</label>');
  t.match(page.body, '>Allow AI assistance</label>');

  const noJs = await admin.post('/settings/organization/privacy', { privacyEnabled: 'on', aiAllowed: 'on' });
  t.equal(noJs.statusCode, 303);
  t.equal(noJs.headers.location, '/settings/organization?notice=saved');
  t.match((await admin.get(noJs.headers.location as string)).body, /role="status">Saved<\/div>/);
  t.equal((await db.select().from(accounts))[0]!.privacyEnabled, true);

  const htmx = await admin.post('/settings/organization/privacy', { privacyEnabled: 'on' }, { htmx: true, csrf: 'header' });
  t.equal(htmx.statusCode, 200);
  t.notMatch(htmx.body, '<html', 'a fragment, not a page');
  t.match(htmx.body, '<form id="organization-privacy"');
  t.match(htmx.body, /<hx-partial hx-target="#live-status" hx-swap="innerHTML">Saved\./);
  t.match(htmx.body, /id="aiAllowed" name="aiAllowed" value="on" aria-describedby/, 'AI switch now off');
  t.equal((await db.select().from(accounts))[0]!.aiAllowed, false);

  const bad = await admin.post('/settings/organization/privacy', { privacyEnabled: 'yes please' }, { htmx: true });
  t.equal(bad.statusCode, 422);
  t.match(bad.body, 'There is a problem');
  t.equal((await db.select().from(accounts))[0]!.privacyEnabled, true, 'nothing half-saved');
});

t.test('a person opts in; usage events are recorded only while telemetry is on and allowed', async (t) => {
  const { admin, memberAgent, member, db } = await setup(t);
  const eventsOf = async (personId: string) => db.select().from(usageEvents).where(eq(usageEvents.personId, personId));

  await memberAgent.get('/settings/personal');
  t.equal((await eventsOf(member.id)).length, 0, 'nothing recorded while the account does not allow it');

  await admin.post('/settings/organization/privacy', { privacyEnabled: 'on', aiAllowed: 'on' });
  await memberAgent.get('/settings/personal');
  await admin.get('/settings/personal');
  t.equal((await db.select().from(usageEvents)).length, 0, 'allowed but nobody opted in: nothing recorded');

  const htmx = await memberAgent.post('/settings/personal', { telemetry: 'on' }, { htmx: true, csrf: 'header' });
  t.equal(htmx.statusCode, 200);
  t.match(htmx.body, /role="switch" id="telemetry" name="telemetry" value="on" checked/);
  t.match(htmx.body, 'Saved. Send telemetry data is on.');
  t.equal((await findPerson(db, member.id))!.telemetry, true);

  await memberAgent.get('/settings/personal?notice=saved');
  const events = await eventsOf(member.id);
  t.equal(events.length, 1);
  t.equal(events[0]!.page, '/settings/personal', 'the page only: no query string, no content');
  await admin.get('/settings/personal');
  t.equal((await db.select().from(usageEvents)).length, 1, 'the administrator did not opt in');

  const off = await memberAgent.post('/settings/personal', {});
  t.equal(off.statusCode, 303, 'without JavaScript: Save posts the form');
  t.equal(off.headers.location, '/settings/personal?notice=saved');
  await memberAgent.get('/settings/personal');
  t.equal((await eventsOf(member.id)).length, 1, 'opted out: nothing more recorded');
});

t.test('turning privacy settings off turns every person\'s telemetry off', async (t) => {
  const { admin, memberAgent, member, db } = await setup(t);
  await admin.post('/settings/organization/privacy', { privacyEnabled: 'on', aiAllowed: 'on' });
  await memberAgent.post('/settings/personal', { telemetry: 'on' });
  const other = await insertPerson(db, { telemetry: true });
  await admin.post('/settings/organization/privacy', { aiAllowed: 'on' });
  t.equal((await findPerson(db, member.id))!.telemetry, false);
  t.equal((await findPerson(db, other.id))!.telemetry, false);
  await memberAgent.get('/settings/personal');
  t.equal((await db.select().from(usageEvents)).length, 0);
  await admin.post('/settings/organization/privacy', { privacyEnabled: 'on', aiAllowed: 'on' });
  t.equal((await findPerson(db, member.id))!.telemetry, false, 'opt-in must be given again');
});

t.test('the personal page shows whether AI assistance is allowed', async (t) => {
  const { admin, memberAgent } = await setup(t);
  await admin.post('/settings/organization/privacy', {});
  t.match((await memberAgent.get('/settings/personal')).body, 'AI assistance is not allowed for your account');
});

t.test('account settings are for administrators only: 403, and no link to them', async (t) => {
  const { memberAgent, db } = await setup(t);
  const personal = await memberAgent.get('/settings/personal');
  t.notMatch(personal.body, 'href="/settings/organization"');
  t.match(personal.body, 'href="/settings/personal"');
  t.equal((await memberAgent.get('/settings/organization')).statusCode, 403);
  for (const url of ['/settings/organization/privacy', '/settings/organization/name', '/settings/organization/subscription']) {
    const res = await memberAgent.post(url, { privacyEnabled: 'on', organizationName: 'Hacked', edition: 'enterprise', readWriteLicenses: '99' });
    t.equal(res.statusCode, 403, url);
  }
  const [account] = await db.select().from(accounts);
  t.equal(account!.name, SIGNUP.organizationName);
  t.equal(account!.privacyEnabled, false);
  t.equal(account!.readWriteLicenses, 5);
});

t.test('a Read-Only administrator can look but not change account settings', async (t) => {
  const { app, db } = await setup(t);
  await insertPerson(db, { email: 'ro@acme.test', isAdmin: true, license: 'read_only', password: 'read only admin 1' });
  const ro = await signIn(app, 'ro@acme.test', 'read only admin 1');
  const page = await ro.get('/settings/organization');
  t.equal(page.statusCode, 200);
  t.match(page.body, 'Your license is Read-Only: you can see these settings but not change them.');
  for (const control of [/<input id="organizationName"[^>]* disabled>/, /<select id="edition"[^>]* disabled>/, /<input id="readWriteLicenses"[^>]* disabled>/,
    /<input type="checkbox" role="switch" id="privacyEnabled"[^>]* disabled/, /<input type="checkbox" role="switch" id="aiAllowed"[^>]* disabled/,
    /<input type="checkbox" role="switch" id="twoStepForAdmins"[^>]* disabled/, /<input type="checkbox" role="switch" id="twoStepForEveryone"[^>]* disabled/]) {
    t.match(page.body, control, `disabled: ${control}`);
  }
  t.equal(page.body.match(/<button type="submit" class="button[^"]*" disabled>/g)?.length, 4, 'the four Save buttons are disabled');
  const res = await ro.post('/settings/organization/name', { organizationName: 'Changed' });
  t.equal(res.statusCode, 403);
  t.match(res.body, 'Read-Only');
  // htmx (a switch that was enabled in a stale page): the refusal goes to the error summary, nothing else is swapped
  const htmx = await ro.post('/settings/organization/privacy', { privacyEnabled: 'on' }, { htmx: true });
  t.equal(htmx.statusCode, 403);
  t.notMatch(htmx.body, '<html', 'not a whole page inside the form');
  t.notMatch(htmx.body, '<h1', 'no second h1');
  t.match(htmx.body, /^<hx-partial hx-target="#error-summary-slot" hx-swap="innerHTML"><div class="error-summary" role="alert" tabindex="-1" aria-labelledby="error-summary-title"><h2 id="error-summary-title">You can’t do that<\/h2><p>Your license is Read-Only/);
  t.equal(htmx.body.replace(/<hx-partial[\s\S]*?<\/hx-partial>/g, '').trim(), '', 'partials only');
});

t.test('organization name and subscription', async (t) => {
  const { admin, db } = await setup(t);
  const blank = await admin.post('/settings/organization/name', { organizationName: ' ' });
  t.equal(blank.statusCode, 422);
  t.match(blank.body, 'href="#organizationName">Enter your organization name');
  const renamed = await admin.post('/settings/organization/name', { organizationName: 'Acme Group' });
  t.equal(renamed.headers.location, '/settings/organization?notice=name-saved');
  t.equal((await db.select().from(accounts))[0]!.name, 'Acme Group');

  // 2 people hold Read & Write (the admin and Mia): seats can't go below 2.
  const below = await admin.post('/settings/organization/subscription', { edition: 'enterprise_plus', readWriteLicenses: '1' });
  t.equal(below.statusCode, 422);
  t.match(below.body, 'href="#readWriteLicenses">You can’t have fewer Read &amp; Write licenses than are distributed (2)');
  t.match(below.body, 'id="readWriteLicenses-error"');
  let [account] = await db.select().from(accounts);
  t.equal(account!.readWriteLicenses, 5, 'nothing changed');
  t.equal(account!.edition, 'professional', 'not even the edition');

  const notANumber = await admin.post('/settings/organization/subscription', { edition: 'enterprise', readWriteLicenses: 'ten' });
  t.equal(notANumber.statusCode, 422);
  t.match(notANumber.body, 'Enter the number of Read &amp; Write licenses');

  const ok = await admin.post('/settings/organization/subscription', { edition: 'enterprise', readWriteLicenses: '2' });
  t.equal(ok.headers.location, '/settings/organization?notice=subscription-saved');
  [account] = await db.select().from(accounts);
  t.equal(account!.readWriteLicenses, 2);
  t.equal(account!.edition, 'enterprise');
  t.match((await admin.get('/settings/organization')).body, 'Read &amp; Write licenses distributed now: <strong>2</strong>');
});

t.test('another account\'s administrator cannot see or change this account', async (t) => {
  const { app, db } = await setup(t);
  const other = await signUp(app, { email: 'boss@other.test', organizationName: 'Other Org' });
  const page = await other.get('/settings/organization');
  t.match(page.body, 'value="Other Org"');
  await other.post('/settings/organization/privacy', { privacyEnabled: 'on' });
  const rows = await db.select().from(accounts);
  t.equal(rows.find((a) => a.name === SIGNUP.organizationName)!.privacyEnabled, false);
  t.equal(rows.find((a) => a.name === 'Other Org')!.privacyEnabled, true);
  t.equal((await db.select().from(persons)).length, 3);
});
