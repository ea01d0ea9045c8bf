// The impact preview of a group's membership (SPEC §6): "Preview" next to "Add selected" and "Preview removing
// <name>" without JavaScript (GETs that change nothing); with htmx an addition or removal that affects anyone waits
// for "Save this change"; the plain Add and Remove buttons keep saving directly.
import { eq } from 'drizzle-orm';
import t from 'tap';
import { newId } from '../../src/crypto.js';
import type { Db } from '../../src/db/client.js';
import { accounts, groupMembers, historyEntries, projectRoles, projects, userGroups } from '../../src/db/schema.js';
import { insertPerson } from '../helpers/factories.js';
import { signedUpAccount } from '../helpers/signed-up.js';

const LIST = '/settings/users/groups';

/** Designers (member Cy) hold Team in P1 and Customers in P2; Di is licensed and not a member; Lone has no project. */
async function fixture(t: Parameters<typeof signedUpAccount>[0]) {
  const ctx = await signedUpAccount(t);
  const { db, account } = ctx;
  await db.update(accounts).set({ edition: 'enterprise' }).where(eq(accounts.id, account.id));
  const cy = await insertPerson(db, { name: 'Cy', email: 'cy@acme.test' });
  const di = await insertPerson(db, { name: 'Di', email: 'di@acme.test' });
  const [designers, lone] = [newId(), newId()];
  await db.insert(userGroups).values([
    { id: designers, accountId: account.id, name: 'Designers' },
    { id: lone, accountId: account.id, name: 'Lone' },
  ]);
  await db.insert(groupMembers).values([
    { accountId: account.id, groupId: designers, personId: cy.id },
    { accountId: account.id, groupId: lone, personId: cy.id },
  ]);
  const [p1, p2] = [newId(), newId()];
  await db.insert(projects).values([p1, p2].map((id, i) => ({ id, accountId: account.id, name: `P${i + 1}` })));
  await db.insert(projectRoles).values([
    { accountId: account.id, projectId: p1, roleKey: 'team', groupId: designers },
    { accountId: account.id, projectId: p2, roleKey: 'customers', groupId: designers },
  ]);
  return { ...ctx, cy, di, designers, lone };
}

const membersOf = async (db: Db, groupId: string) => (await db.select().from(groupMembers).where(eq(groupMembers.groupId, groupId))).map((m) => m.personId).sort();
const historyOf = (db: Db) => db.select().from(historyEntries).where(eq(historyEntries.kind, 'group.members'));

t.test('Preview of adding people without JavaScript: the page with them ticked and the impact; nothing changes', async (t) => {
  const { admin, db, designers, di, cy } = await fixture(t);
  const res = await admin.get(`${LIST}/${designers}/members/preview?q=&person=${di.id}`);
  t.equal(res.statusCode, 200);
  const body = res.body;
  t.match(body, /<h3 id="impact-heading" tabindex="-1" autofocus>Impact of this change<\/h3>/);
  t.match(body, /<p id="impact-summary">1 person in 2 projects would be affected.<\/p>/);
  t.match(body, /<tr><th scope="row">Read projects<\/th><td>1 person in 2 projects<\/td><td>Nobody<\/td><\/tr>/, 'Team in P1, Customers in P2');
  t.match(body, /<tr><th scope="row">Edit tasks<\/th><td>1 person in 1 project<\/td><td>Nobody<\/td><\/tr>/, 'Team only');
  t.match(body, new RegExp(`name="person" value="${di.id}" checked`), 'Di stays ticked');
  t.match(body, /id="add-selected" type="submit" class="button">Add selected<\/button>/);
  t.same(await membersOf(db, designers), [cy.id], 'nothing changed');
  t.equal((await historyOf(db)).length, 0);
  // adding someone who is a member already changes nobody's access
  const already = await admin.get(`${LIST}/${designers}/members/preview?person=${cy.id}`);
  t.match(already.body, /Nobody’s access would change./);
  const redirected = await admin.get(`${LIST}/${designers}/members/preview?_csrf=x&q=&person=${di.id}`);
  t.equal(redirected.statusCode, 303);
  t.equal(redirected.headers.location, `${LIST}/${designers}/members/preview?q=&person=${di.id}`);
});

t.test('Preview of removing a member without JavaScript; 404 for somebody who is not a member; 422 for bad input', async (t) => {
  const { admin, db, designers, di, cy } = await fixture(t);
  const page = (await admin.get(`${LIST}/${designers}`)).body;
  t.match(page, new RegExp(`href="${LIST}/${designers}/members/preview\\?remove=${cy.id}">Preview removing<span class="visually-hidden"> Cy</span></a>`));
  const res = await admin.get(`${LIST}/${designers}/members/preview?remove=${cy.id}`);
  t.equal(res.statusCode, 200);
  t.match(res.body, /<p id="impact-summary">1 person in 2 projects would be affected.<\/p>/);
  t.match(res.body, /<tr><th scope="row">Read projects<\/th><td>Nobody<\/td><td>1 person in 2 projects<\/td><\/tr>/);
  t.match(res.body, new RegExp(`id="remove-${cy.id}" type="submit"`), 'Remove saves it');
  t.same(await membersOf(db, designers), [cy.id]);
  t.equal((await admin.get(`${LIST}/${designers}/members/preview?remove=${di.id}`)).statusCode, 404);
  const none = await admin.get(`${LIST}/${designers}/members/preview`);
  t.equal(none.statusCode, 422);
  t.match(none.body, /Select at least one person to add/);
  t.equal((await admin.get(`${LIST}/${designers}/members/preview?person=%3Cscript%3E`)).statusCode, 422);
  t.equal((await admin.get(`${LIST}/nope/members/preview?person=${di.id}`)).statusCode, 404);
});

t.test('with htmx: adding people who would gain access waits for “Save this change”; confirm=1 adds them', async (t) => {
  const { admin, db, designers, di, cy } = await fixture(t);
  const res = await admin.post(`${LIST}/${designers}/members`, { q: '', person: di.id }, { htmx: true });
  t.equal(res.statusCode, 200);
  t.match(res.body, /<h3 id="impact-heading" tabindex="-1" autofocus>Impact of this change<\/h3>/);
  t.match(res.body, /Save this change<\/button>/);
  t.match(res.body, /data-hx-get="[^"]*\?q=&amp;cancelled=1"[^>]*>Cancel<\/button>/);
  t.match(res.body, /<hx-partial hx-target="#live-status" hx-swap="innerHTML">1 person in 2 projects would be affected. Nothing is saved yet/);
  t.notMatch(res.body, /id="add-selected"/, 'only the confirmation is offered');
  t.same(await membersOf(db, designers), [cy.id], 'nothing saved');
  const saved = await admin.post(`${LIST}/${designers}/members`, { q: '', person: di.id, confirm: '1' }, { htmx: true });
  t.equal(saved.statusCode, 200);
  t.match(saved.body, /Saved. 1 person added to Designers/);
  t.same(await membersOf(db, designers), [cy.id, di.id].sort());
  t.equal((await historyOf(db)).length, 1);
});

t.test('with htmx: a group that holds no project role changes nobody’s access and saves at once', async (t) => {
  const { admin, db, lone, di, cy } = await fixture(t);
  const res = await admin.post(`${LIST}/${lone}/members`, { person: di.id }, { htmx: true });
  t.match(res.body, /Saved. 1 person added to Lone/);
  t.same(await membersOf(db, lone), [cy.id, di.id].sort());
  const removed = await admin.post(`${LIST}/${lone}/members/remove`, { person: di.id }, { htmx: true });
  t.match(removed.body, /Saved. Di is no longer a member of Lone/);
});

t.test('with htmx: removing a member who would lose access waits; confirm=1 removes; Cancel shows the members again', async (t) => {
  const { admin, db, designers, cy } = await fixture(t);
  const res = await admin.post(`${LIST}/${designers}/members/remove`, { person: cy.id }, { htmx: true });
  t.equal(res.statusCode, 200);
  t.match(res.body, /<tr><th scope="row">Read projects<\/th><td>Nobody<\/td><td>1 person in 2 projects<\/td><\/tr>/);
  t.match(res.body, /Save this change<span class="visually-hidden">: remove Cy<\/span><\/button>/);
  t.same(await membersOf(db, designers), [cy.id], 'nothing saved');
  const cancel = await admin.get(`${LIST}/${designers}/members?person=${cy.id}`, { htmx: true });
  t.equal(cancel.statusCode, 200);
  t.match(cancel.body, new RegExp(`id="remove-${cy.id}" type="submit" class="button button--secondary" autofocus`));
  t.match(cancel.body, /Cancelled. Nothing changed: Designers has 1 member./);
  t.equal((await admin.get(`${LIST}/${designers}/members`)).statusCode, 303);
  const saved = await admin.post(`${LIST}/${designers}/members/remove`, { person: cy.id, confirm: '1' }, { htmx: true });
  t.match(saved.body, /Saved. Cy is no longer a member of Designers/);
  t.same(await membersOf(db, designers), []);
  t.equal((await historyOf(db)).length, 1);
});

t.test('without JavaScript Add selected and Remove still save directly', async (t) => {
  const { admin, db, designers, di, cy } = await fixture(t);
  t.equal((await admin.post(`${LIST}/${designers}/members`, { person: di.id })).statusCode, 303);
  t.equal((await admin.post(`${LIST}/${designers}/members/remove`, { person: cy.id })).statusCode, 303);
  t.same(await membersOf(db, designers), [di.id]);
  t.equal((await historyOf(db)).length, 2);
});

t.test('the cancelled search answer focuses the count and says nothing changed', async (t) => {
  const { admin, designers } = await fixture(t);
  const res = await admin.get(`${LIST}/${designers}?q=&cancelled=1`, { htmx: true });
  t.match(res.body, /<p id="candidates-count" tabindex="-1" autofocus>/);
  t.match(res.body, /Cancelled. Nothing changed./);
});

t.test('a membership preview sends a fixed few statements at two data sizes', async (t) => {
  const test = await fixture(t);
  const { admin, db, account, designers, di, cy } = test;
  const count = async (url: string) => {
    const before = test.stats.queries;
    const res = await admin.get(url);
    t.equal(res.statusCode, 200);
    return test.stats.queries - before;
  };
  const measure = async () => ({ add: await count(`${LIST}/${designers}/members/preview?person=${di.id}`), remove: await count(`${LIST}/${designers}/members/preview?remove=${cy.id}`) });
  await admin.get(LIST);
  const small = await measure();
  const more = Array.from({ length: 15 }, () => newId());
  await db.insert(projects).values(more.map((id, i) => ({ id, accountId: account.id, name: `More ${i}` })));
  await db.insert(projectRoles).values(more.map((projectId) => ({ accountId: account.id, projectId, roleKey: 'team', groupId: designers })));
  const people = await Promise.all(Array.from({ length: 10 }, (_, i) => insertPerson(db, { name: `M ${i}`, email: `m${i}@acme.test` })));
  await db.insert(groupMembers).values(people.map((p) => ({ accountId: account.id, groupId: designers, personId: p.id })));
  const large = await measure();
  t.comment(JSON.stringify({ small, large }));
  t.same(large, small);
  t.ok(small.add <= 7, `add preview: ${small.add} statements`);
  t.match((await admin.get(`${LIST}/${designers}/members/preview?person=${di.id}`)).body, /1 person in 17 projects would be affected/);
});
