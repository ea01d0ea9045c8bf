import { eq } from 'drizzle-orm';
import t from 'tap';
import { accounts, globalGrants, persons, sessions } from '../../src/db/schema.js';
import { SIGNUP, signIn, signUp } from '../helpers/agent.js';
import { build } from '../helpers/build.js';
import { findPerson, insertPerson } from '../helpers/factories.js';

const LAST_ADMIN = 'The account needs at least one administrator with a Read &amp; Write license.';
const PASSWORD = 'long enough password';

/** A fresh app with a signed-up organization: its administrator's agent and row. */
async function setup(t: { teardown(fn: () => unknown): void }) {
  const built = await build(t);
  const admin = await signUp(built.app);
  const [ada] = await built.db.select().from(persons);
  return { ...built, admin, ada: ada! };
}

t.test('make and remove an administrator: 303 back to the person with a notice', async (t) => {
  const { db, admin } = await setup(t);
  const bea = await insertPerson(db, { name: 'Bea Writer', license: 'read_write' });
  const made = await admin.post(`/people/${bea.id}/admin`, { admin: 'on' });
  t.equal(made.statusCode, 303);
  t.equal(made.headers.location, `/people/${bea.id}?notice=admin-added`);
  t.equal((await findPerson(db, bea.id))!.isAdmin, true);
  const removed = await admin.post(`/people/${bea.id}/admin`, {});
  t.equal(removed.headers.location, `/people/${bea.id}?notice=admin-removed`);
  t.equal((await findPerson(db, bea.id))!.isAdmin, false);

  const htmx = await admin.post(`/people/${bea.id}/admin`, { admin: 'on' }, { htmx: true });
  t.equal(htmx.statusCode, 200);
  t.match(htmx.body, /^\s*<form id="person-admin"/);
  t.match(htmx.body, /id="admin" name="admin" value="on" checked/);
  t.match(htmx.body, 'Saved. Bea Writer is an administrator now.');
  t.equal((await findPerson(db, bea.id))!.isAdmin, true);
  const bad = await admin.post(`/people/${bea.id}/admin`, { admin: 'yes' });
  t.equal(bad.statusCode, 422);
  t.match(bad.body, 'href="#admin">Choose on or off');
  t.equal((await findPerson(db, bea.id))!.isAdmin, true);
});

t.test('the last administrator with Read & Write can’t be demoted', async (t) => {
  const { app, db, admin, ada } = await setup(t);
  const res = await admin.post(`/people/${ada.id}/admin`, {});
  t.equal(res.statusCode, 422);
  t.match(res.body, `href="#admin">${LAST_ADMIN}</a>`);
  t.match(res.body, `id="admin-error"><span class="visually-hidden">Error:</span> ${LAST_ADMIN}`);
  t.match(res.body, /id="admin" name="admin" value="on" checked/, 'the switch shows the saved value');
  t.match(res.body, `<a href="/people/${ada.id}">Back to Ada Admin</a>`);
  const htmx = await admin.post(`/people/${ada.id}/admin`, {}, { htmx: true });
  t.equal(htmx.statusCode, 422);
  t.match(htmx.body, /id="admin" name="admin" value="on" checked/, 'the saved value');
  t.match(htmx.body, /^\s*<form id="person-admin"/);
  t.match(htmx.body, `href="#admin">${LAST_ADMIN}</a>`);
  t.equal((await findPerson(db, ada.id))!.isAdmin, true);

  // Neither a Read-Only administrator nor another account's administrator counts.
  await insertPerson(db, { license: 'read_only', isAdmin: true });
  await signUp(app, { organizationName: 'Other Ltd', email: 'olga@other.test' });
  t.equal((await admin.post(`/people/${ada.id}/admin`, {})).statusCode, 422);
  await insertPerson(db, { license: 'read_write', isAdmin: true, accountId: ada.accountId });
  const ok = await admin.post(`/people/${ada.id}/admin`, {});
  t.equal(ok.statusCode, 303, 'with another writing administrator one may step down');
  t.equal((await findPerson(db, ada.id))!.isAdmin, false);
  t.equal((await admin.get('/settings/users')).statusCode, 403, 'and is no longer an administrator');
});

t.test('only writing administrators, only people of the account', async (t) => {
  const { app, db, admin } = await setup(t);
  await insertPerson(db, { email: 'rw@acme.test', password: PASSWORD, license: 'read_write' });
  await insertPerson(db, { email: 'roa@acme.test', password: PASSWORD, license: 'read_only', isAdmin: true });
  const bea = await insertPerson(db, { license: 'read_write' });
  const user = await signIn(app, 'rw@acme.test', PASSWORD);
  const readOnlyAdmin = await signIn(app, 'roa@acme.test', PASSWORD);
  for (const agent of [user, readOnlyAdmin]) {
    t.equal((await agent.post(`/people/${bea.id}/admin`, { admin: 'on' })).statusCode, 403);
    t.equal((await agent.get(`/people/${bea.id}/delete`)).statusCode, 403);
    t.equal((await agent.post(`/people/${bea.id}/delete`)).statusCode, 403);
  }
  t.equal((await findPerson(db, bea.id))!.isAdmin, false);

  await signUp(app, { organizationName: 'Other Ltd', email: 'olga@other.test' });
  const [other] = await db.select().from(accounts).where(eq(accounts.name, 'Other Ltd'));
  const stranger = await insertPerson(db, { accountId: other!.id, license: 'read_write' });
  t.equal((await admin.post(`/people/${stranger.id}/admin`, { admin: 'on' })).statusCode, 404);
  t.equal((await admin.post(`/people/${stranger.id}/admin`, { admin: 'bad' })).statusCode, 404);
  t.equal((await admin.get(`/people/${stranger.id}/delete`)).statusCode, 404);
  t.equal((await admin.post(`/people/${stranger.id}/delete`)).statusCode, 404);
  t.ok(await findPerson(db, stranger.id), 'still there');
  t.equal((await findPerson(db, stranger.id))!.isAdmin, false);
  t.equal((await admin.post(`/people/${bea.id}/delete`, {}, { csrf: false })).statusCode, 403, 'CSRF token required');
  t.ok(await findPerson(db, bea.id));
});

t.test('delete a person: confirmation page, then the row, sessions and grants are gone', async (t) => {
  const { app, db, admin, ada } = await setup(t);
  const bea = await insertPerson(db, { name: 'Bea Writer', email: 'bea@acme.test', password: PASSWORD, license: 'read_write' });
  await db.insert(globalGrants).values({ accountId: ada.accountId, personId: bea.id, permission: 'projects.create' });
  const user = await signIn(app, 'bea@acme.test', PASSWORD);
  const page = await admin.get(`/people/${bea.id}/delete`);
  t.equal(page.statusCode, 200);
  t.match(page.body, '<h1>Delete Bea Writer?</h1>');
  t.match(page.body, 'This can’t be undone.');
  t.match(page.body, `<form id="delete-person" method="post" action="/people/${bea.id}/delete">`);
  t.match(page.body, '>Delete person</button>');
  t.match(page.body, `<a href="/people/${bea.id}">Cancel</a>`);
  const res = await admin.post(`/people/${bea.id}/delete`);
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, '/people?notice=person-deleted');
  t.notOk(await findPerson(db, bea.id));
  t.equal((await db.select().from(sessions).where(eq(sessions.userId, bea.id))).length, 0);
  t.equal((await db.select().from(globalGrants).where(eq(globalGrants.personId, bea.id))).length, 0);
  const next = await user.get('/settings/personal');
  t.equal(next.statusCode, 303, 'their next request is signed out');
  t.equal((await admin.post(`/people/${bea.id}/delete`)).statusCode, 404, 'twice: 404');
});

t.test('the last writing administrator can’t delete themself; with another one they can', async (t) => {
  const { app, db, admin, ada } = await setup(t);
  const page = await admin.get(`/people/${ada.id}/delete`);
  t.equal(page.statusCode, 200);
  t.match(page.body, LAST_ADMIN);
  t.notMatch(page.body, '>Delete person</button>', 'no button to press');
  const res = await admin.post(`/people/${ada.id}/delete`);
  t.equal(res.statusCode, 422);
  t.match(res.body, `href="#delete-person">${LAST_ADMIN}</a>`);
  t.ok(await findPerson(db, ada.id));

  await insertPerson(db, { license: 'read_write', isAdmin: true });
  const self = await admin.get(`/people/${ada.id}/delete`);
  t.match(self.body, 'This is you: you will be signed out at once.');
  const gone = await admin.post(`/people/${ada.id}/delete`);
  t.equal(gone.statusCode, 303);
  t.equal(gone.headers.location, '/login?notice=self-deleted');
  t.notOk(await findPerson(db, ada.id));
  const login = await admin.get('/login?notice=self-deleted');
  t.equal(login.statusCode, 200, 'signed out');
  t.match(login.body, 'You have deleted yourself from the organization');
  await t.rejects(signIn(app, SIGNUP.email, SIGNUP.password));
});
