// The Time tracking section of a project (SPEC §8): the entries (newest day first, keyset pages of 50, the page's
// total), adding time for oneself and (with "Edit all time entries") for others, backdating only with "Allow
// backdating in times", changing and deleting one's own or anyone's entries, 422 on bad input with nothing saved,
// history entries, odd entry ids, a locked project and the statement count of the page.
import { eq } from 'drizzle-orm';
import t from 'tap';
import { newId } from '../../src/crypto.js';
import { accounts, groupMembers, persons, projectRoles, projects, timeEntries, userGroups } from '../../src/db/schema.js';
import type { RoleKey } from '../../src/permissions/roles.js';
import { addTimeEntry, changeTimeEntry, deleteTimeEntry } from '../../src/projects/time.js';
import { setClock } from '../../src/web/clock.js';
import { signIn, signUp } from '../helpers/agent.js';
import { insertPerson } from '../helpers/factories.js';
import { signedUpAccount } from '../helpers/signed-up.js';
import { historyOf, mainText, setRolePermissions, statements } from '../helpers/project-pages.js';

// a dozen organizations signed up, four people signed in to each: more than the default 120 s on a busy machine
t.setTimeout(360_000);

const PASSWORD = 'a long enough password';
type Test = Parameters<typeof signedUpAccount>[0];

/** The server's day is 15 June 2025 (a minute before midnight UTC) throughout. */
const TODAY = '2025-06-15';
setClock(() => new Date('2025-06-15T23:59:00Z'));

const BACKDATING = 'You can’t enter time for a day before today: that needs the permission “Allow backdating in times”.';

/**
 * "Apollo": Mia manages it (Managers: read, edit own and edit all time entries, no backdating), Tom is on the Team
 * (edit own time entries), Rae reads time (Additional), Rolf has Managers with a Read-Only license; Cid has a
 * Read-Only license, Nox none.
 */
async function setup(t: Test) {
  const ctx = await signedUpAccount(t);
  const { db, account, app } = ctx;
  const project = newId();
  await db.insert(projects).values({ id: project, accountId: account.id, name: 'Apollo' });
  const person = async (name: string, email: string, license: 'read_write' | 'read_only' | 'none', role?: RoleKey) => {
    // only those who sign in get a password (hashing one takes a while)
    const p = await insertPerson(db, { name, email, license, ...(role && { password: PASSWORD }) });
    if (role) await db.insert(projectRoles).values({ accountId: account.id, projectId: project, roleKey: role, personId: p.id });
    return p;
  };
  const mia = await person('Mia Manager', 'mia@acme.test', 'read_write', 'managers');
  const tom = await person('Tom Team', 'tom@acme.test', 'read_write', 'team');
  const rae = await person('Rae Reader', 'rae@acme.test', 'read_write', 'additional');
  const rolf = await person('Rolf Readonly', 'rolf@acme.test', 'read_only', 'managers');
  const cid = await person('Cid Carver', 'cid@acme.test', 'read_only');
  // "Person" offers the project's people: Cid holds a role (Customers, never signing in); Una holds none
  await db.insert(projectRoles).values({ accountId: account.id, projectId: project, roleKey: 'customers', personId: cid.id });
  await insertPerson(db, { name: 'Una Unassigned', email: 'una@acme.test', license: 'read_write' });
  const nox = await person('Nox Noaccess', 'nox@acme.test', 'none');
  await setRolePermissions(db, account.id, 'managers', ['project.read', 'time.read', 'time.editOwn', 'time.edit']);
  await setRolePermissions(db, account.id, 'team', ['project.read', 'time.editOwn']);
  await setRolePermissions(db, account.id, 'additional', ['project.read', 'time.read']);
  const url = `/projects/${project}/time`;
  const rows = async () =>
    (await db.select().from(timeEntries).where(eq(timeEntries.projectId, project)).orderBy(timeEntries.id)).map((r) => `${r.personId === null ? 'nobody' : r.personId}:${r.workedOn}:${r.hours}`);
  const insertEntry = async (personId: string | null, workedOn: string, hours: string) =>
    (await db.insert(timeEntries).values({ accountId: account.id, projectId: project, personId, workedOn, hours }).returning())[0]!.id;
  return {
    ...ctx,
    project,
    url,
    people: { mia, tom, rae, rolf, cid, nox },
    mia: await signIn(app, 'mia@acme.test', PASSWORD),
    tom: await signIn(app, 'tom@acme.test', PASSWORD),
    rae: await signIn(app, 'rae@acme.test', PASSWORD),
    rolf: await signIn(app, 'rolf@acme.test', PASSWORD),
    rows,
    insertEntry,
  };
}

t.test('the page: a table of entries for readers; "Add time" for those who may, "Person" only with "Edit all time entries"', async (t) => {
  const { url, mia, tom, rae, rolf, people, insertEntry, db, account, project } = await setup(t);
  t.match(mainText((await rae.get(url)).body), 'No time has been entered in this project yet.');
  await insertEntry(people.tom.id, '2025-06-14', '1.50');
  await insertEntry(people.mia.id, '2025-06-15', '8.00');
  const gone = await insertPerson(db, { name: 'Gus Gone', license: 'read_write' });
  await insertEntry(gone.id, '2025-06-13', '0.25');
  await db.delete(persons).where(eq(persons.id, gone.id));

  const read = await rae.get(url);
  t.equal(read.statusCode, 200);
  t.match(read.body, '<h1>Time tracking: Apollo</h1>');
  t.match(read.body, '<caption>Time entries, newest first</caption>');
  t.match(read.body, '<tr><th scope="col">Date</th><th scope="col" class="numeric">Hours</th><th scope="col">Person</th></tr>', 'no Actions column for a reader');
  t.match(mainText(read.body), '15 June 2025 8 Mia Manager 14 June 2025 1.5 Tom Team 13 June 2025 0.25 Deleted person Total on this page 9.75');
  t.notMatch(read.body, 'id="add-time"', 'no form for a reader');
  t.notMatch(read.body, '/edit"', 'no Edit links');

  const own = await tom.get(url);
  t.match(own.body, '<label for="date">Date</label>');
  t.match(own.body, `<input id="date" name="date" type="date" value="${TODAY}"`, 'today to start with');
  t.match(own.body, '<label for="hours">Hours</label>');
  t.match(own.body, 'Today or a later day, up to a year ahead.', 'the hint says backdating is not allowed');
  t.notMatch(own.body, '<label for="person">', 'no Person for "Edit own time entries"');
  t.match(own.body, 'Edit<span class="visually-hidden"> 14 June 2025, 1.5 hours, Tom Team</span>', 'his own entry: Edit');
  t.notMatch(own.body, 'Mia Manager</span>', 'not on Mia’s entry');
  t.notMatch(own.body, 'Deleted person</span>', 'nor on a deleted person’s');

  const all = await mia.get(url);
  t.match(all.body, '<label for="person">Person</label>');
  t.match(all.body, `<option value="${people.mia.id}" selected>Mia Manager</option>`, 'herself to start with');
  t.match(all.body, `<option value="${people.cid.id}">Cid Carver</option>`, 'Read-Only people are offered');
  t.notMatch(all.body, 'Nox Noaccess', 'people without a license are not');
  t.notMatch(all.body, 'Una Unassigned', 'nor people with no role in the project (the list follows the project, not the account)');
  // a role held through a group: its members are offered (an Enterprise account; Gil also belongs to a group without a role here)
  await db.update(accounts).set({ edition: 'enterprise' }).where(eq(accounts.id, account.id));
  const gil = await insertPerson(db, { name: 'Gil Grouped', email: 'gil@acme.test', license: 'read_write' });
  const [withRole, without] = [newId(), newId()];
  await db.insert(userGroups).values([{ id: withRole, accountId: account.id, name: 'Designers' }, { id: without, accountId: account.id, name: 'Idle' }]);
  await db.insert(groupMembers).values([{ accountId: account.id, groupId: withRole, personId: gil.id }, { accountId: account.id, groupId: without, personId: people.cid.id }]);
  await db.insert(projectRoles).values({ accountId: account.id, projectId: project, roleKey: 'team', groupId: withRole });
  const grouped = await mia.get(url);
  t.match(grouped.body, `<option value="${gil.id}">Gil Grouped</option>`, 'a member of a group that holds a role');
  t.equal((grouped.body.match(/Cid Carver<\/option>/g) ?? []).length, 1, 'someone with a role of their own and a group is offered once');
  t.equal((all.body.match(/>Delete<span/g) ?? []).length, 3, 'Edit all time entries: every entry');

  const ro = await rolf.get(url);
  t.equal(ro.statusCode, 200, 'Read-Only reads');
  t.notMatch(ro.body, 'id="add-time"', 'and gets no form');
  t.notMatch(ro.body, '>Edit<', 'nor links');
});

t.test('adding time for oneself, without and with htmx; history', async (t) => {
  const { url, tom, people, rows, db, project } = await setup(t);
  const res = await tom.post(url, { date: TODAY, hours: '1.5' });
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, `${url}?notice=time-added`);
  const page = await tom.get(res.headers.location as string);
  t.match(page.body, '<div id="live-status" class="notice" role="status">Saved. The time entry is added.</div>');
  t.match(mainText(page.body), '15 June 2025 1.5 Tom Team');
  t.same(await rows(), [`${people.tom.id}:${TODAY}:1.50`]);
  t.same((await historyOf(db, 'time.added')).map((e) => [e.actorId, e.subjectType, e.subjectId, e.before, e.after]), [
    [people.tom.id, 'project', project, null, { person: people.tom.id, date: TODAY, hours: '1.5' }],
  ]);

  const htmx = await tom.post(url, { date: '2025-07-01', hours: '2,25', person: people.tom.id }, { htmx: true });
  t.equal(htmx.statusCode, 200);
  t.notMatch(htmx.body, '<h1', 'a fragment');
  t.equal(htmx.headers['hx-replace-url'], url);
  t.match(htmx.body, '<hx-partial hx-target="#live-status" hx-swap="innerHTML">Saved. 2.25 hours on 1 July 2025 added for you.</hx-partial>');
  t.match(htmx.body, '<hx-partial hx-target="#time-entries" hx-swap="innerHTML">', 'the entries');
  const table = /<hx-partial hx-target="#time-entries" hx-swap="innerHTML">([\s\S]*?)<\/hx-partial>/.exec(htmx.body)![1]!;
  t.match(mainText(`<main>${table.replace(/<span class="visually-hidden">[^<]*<\/span>/g, '')}</main>`), '1 July 2025 2.25 Tom Team Edit Delete 15 June 2025 1.5 Tom Team Edit Delete Total on this page 3.75');
  t.match(htmx.body, '<input id="hours" name="hours" type="text" value=""', 'the form starts again');
  t.same(await rows(), [`${people.tom.id}:${TODAY}:1.50`, `${people.tom.id}:2025-07-01:2.25`]);
  t.equal((await historyOf(db, 'time.added')).length, 2);

  const history = await (await signIn(tom.app, 'ada@acme.test', 'correct horse battery')).get('/settings/history');
  t.match(mainText(history.body), 'Time entry added Apollo – Person: Tom Team Date: 2025-07-01 Hours: 2.25');
});

t.test('bad input: 422 with the message at the field, nothing saved (with and without htmx)', async (t) => {
  const { url, tom, mia, rows, people, db, app } = await setup(t);
  await signUp(app, { email: 'olga@other.test', organizationName: 'Other Ltd' });
  const [olga] = await db.select().from(persons).where(eq(persons.email, 'olga@other.test'));
  for (const htmx of [false, true]) {
    for (const [what, agent, body, field, message] of [
      ['0 hours', tom, { date: TODAY, hours: '0' }, 'hours', 'Hours must be more than 0'],
      ['24.01 hours', tom, { date: TODAY, hours: '24.01' }, 'hours', 'Hours must be 24 or fewer'],
      ['"abc" hours', tom, { date: TODAY, hours: 'abc' }, 'hours', 'Enter the hours as a number, for example 1.5'],
      ['1.234 hours', tom, { date: TODAY, hours: '1.234' }, 'hours', 'Hours can have at most 2 decimals, for example 1.25'],
      ['negative hours', tom, { date: TODAY, hours: '-1' }, 'hours', 'Hours must be more than 0'],
      ['no hours', tom, { date: TODAY, hours: ' ' }, 'hours', 'Enter the hours you worked, for example 1.5'],
      ['1e1 hours', tom, { date: TODAY, hours: '1e1' }, 'hours', 'Enter the hours as a number, for example 1.5'],
      ['no date', tom, { date: '', hours: '1' }, 'date', 'Enter the date you worked, for example 2025-03-31'],
      ['30 February', tom, { date: '2025-02-30', hours: '1' }, 'date', 'Enter the date as a real date, for example 2025-03-31'],
      ['a date as words', tom, { date: 'tomorrow', hours: '1' }, 'date', 'Enter the date as a real date, for example 2025-03-31'],
      ['year 0', mia, { date: '0000-01-01', hours: '1' }, 'date', 'Enter the date as a real date, for example 2025-03-31'],
      ['more than a year ahead', tom, { date: '2026-06-16', hours: '1' }, 'date', 'You can’t enter time more than a year ahead'],
      ['yesterday', tom, { date: '2025-06-14', hours: '1' }, 'date', BACKDATING],
      ['someone without a license', mia, { date: TODAY, hours: '1', person: people.nox.id }, 'person', 'Choose a person with a license from the list'],
      ['someone of another account', mia, { date: TODAY, hours: '1', person: olga!.id }, 'person', 'Choose a person with a license from the list'],
      ['a person id that is none', mia, { date: TODAY, hours: '1', person: '../x' }, 'person', 'Choose a person with a license from the list'],
    ] as const) {
      const res = await agent.post(url, body, { htmx });
      t.equal(res.statusCode, 422, `${what}${htmx ? ' (htmx)' : ''}: 422`);
      t.match(res.body, `<a href="#${field}">${message}</a>`, 'in the error summary');
      t.match(res.body, `id="${field}-error"><span class="visually-hidden">Error:</span> ${message}`, 'at the field');
      if (htmx) t.notMatch(res.body, '<h1', 'htmx: the fields and the error summary only');
      else t.match(res.body, '<title>Error: Time tracking – Apollo – Accord</title>');
    }
  }
  t.same(await rows(), [], 'nothing saved');
  t.same(await historyOf(db, 'time.added'), []);

  // the edges that are allowed: 24 hours, 0.01, a year from today
  for (const [date, hours] of [[TODAY, '24'], [TODAY, '0.01'], ['2026-06-15', '1.00']]) t.equal((await tom.post(url, { date, hours })).statusCode, 303, `${date} ${hours}`);
  t.same(await rows(), [`${people.tom.id}:${TODAY}:24.00`, `${people.tom.id}:${TODAY}:0.01`, `${people.tom.id}:2026-06-15:1.00`]);
});

t.test('backdating: refused, then allowed once "Allow backdating in times" is granted', async (t) => {
  const { url, tom, rows, db, account, people } = await setup(t);
  const refused = await tom.post(url, { date: '2025-06-14', hours: '2' });
  t.equal(refused.statusCode, 422);
  t.match(refused.body, `id="date-error"><span class="visually-hidden">Error:</span> ${BACKDATING}`);
  t.match(refused.body, 'value="2025-06-14"', 'the date kept in the field');
  t.same(await rows(), [], 'nothing saved');

  await setRolePermissions(db, account.id, 'team', ['project.read', 'time.editOwn', 'time.backdate']);
  t.match((await tom.get(url)).body, 'Any day up to a year ahead.', 'the hint changes');
  t.equal((await tom.post(url, { date: '2025-06-14', hours: '2' })).statusCode, 303);
  t.equal((await tom.post(url, { date: '2020-01-31', hours: '2' }, { htmx: true })).statusCode, 200, 'years back too');
  t.same(await rows(), [`${people.tom.id}:2025-06-14:2.00`, `${people.tom.id}:2020-01-31:2.00`]);
  t.equal((await tom.post(url, { date: '1899-12-31', hours: '2' })).statusCode, 422, 'but not before 1900');

  // backdating alone (without "Edit own time entries") allows nothing
  await setRolePermissions(db, account.id, 'team', ['project.read', 'time.read', 'time.backdate']);
  t.equal((await tom.post(url, { date: TODAY, hours: '2' })).statusCode, 403);
  t.equal((await rows()).length, 2);
});

t.test('someone else’s time: only with "Edit all time entries"; 403 and nothing changed otherwise', async (t) => {
  const { url, tom, mia, rae, rolf, rows, people, insertEntry, db } = await setup(t);
  const hers = await insertEntry(people.mia.id, TODAY, '3.00');
  const before = await rows();

  const forHer = await tom.post(url, { date: TODAY, hours: '1', person: people.mia.id });
  t.equal(forHer.statusCode, 403, 'adding for someone else');
  t.match(forHer.body, 'This change needs the permission “Edit all time entries” in this project.');
  t.equal((await tom.post(url, { date: TODAY, hours: '1', person: people.mia.id }, { htmx: true })).statusCode, 403, 'with htmx too');
  const changed = await tom.post(`${url}/${hers}`, { date: TODAY, hours: '1' });
  t.equal(changed.statusCode, 403, 'changing her entry');
  t.match(changed.body, '“Edit all time entries”');
  t.equal((await tom.post(`${url}/${hers}/delete`)).statusCode, 403, 'deleting her entry');
  const editPage = await tom.get(`${url}/${hers}/edit`);
  t.equal(editPage.statusCode, 403, 'her entry’s edit page: 403, as its change');
  t.notMatch(editPage.body, '<form id="edit-time"', 'without a form');
  t.match(editPage.body, 'This change needs the permission “Edit all time entries” in this project.', 'says why');
  const deletePage = await tom.get(`${url}/${hers}/delete`);
  t.equal(deletePage.statusCode, 403, 'and its delete confirmation');
  t.notMatch(deletePage.body, 'Delete time entry', 'without a Delete button');
  for (const [who, agent, status] of [['a reader', rae, 403], ['Read-Only', rolf, 403]] as const) {
    t.equal((await agent.post(url, { date: TODAY, hours: '1' })).statusCode, status, `${who}: add`);
    t.equal((await agent.post(`${url}/${hers}`, { date: TODAY, hours: '1' })).statusCode, status, `${who}: change`);
    t.equal((await agent.post(`${url}/${hers}/delete`)).statusCode, status, `${who}: delete`);
    t.equal((await agent.get(`${url}/${hers}/edit`)).statusCode, status, `${who}: the edit page`);
    t.equal((await agent.get(`${url}/${hers}/delete`)).statusCode, status, `${who}: the delete confirmation`);
  }
  t.match((await rolf.get(`${url}/${hers}/edit`)).body, 'Your license is Read-Only');
  t.same(await rows(), before, 'nothing changed');
  t.same(await historyOf(db, 'time.changed'), []);

  // Mia has "Edit all time entries": for Tom, and for Cid with a Read-Only license
  t.equal((await mia.post(url, { date: TODAY, hours: '4', person: people.tom.id })).statusCode, 303);
  const forCid = await mia.post(url, { date: TODAY, hours: '1', person: people.cid.id }, { htmx: true });
  t.match(forCid.body, 'Saved. 1 hour on 15 June 2025 added for Cid Carver.');
  t.same((await rows()).slice(1), [`${people.tom.id}:${TODAY}:4.00`, `${people.cid.id}:${TODAY}:1.00`]);
  t.same((await historyOf(db, 'time.added')).map((e) => [e.actorId, (e.after as { person: string }).person]), [
    [people.mia.id, people.tom.id],
    [people.mia.id, people.cid.id],
  ]);
});

t.test('changing an entry: date and hours, the backdating rule, unchanged, htmx; history', async (t) => {
  const { url, tom, mia, rows, people, insertEntry, db, account, project } = await setup(t);
  const mine = await insertEntry(people.tom.id, TODAY, '1.50');
  const old = await insertEntry(people.tom.id, '2025-06-10', '2.00');

  const page = await tom.get(`${url}/${mine}/edit`);
  t.equal(page.statusCode, 200);
  t.match(page.body, '<h2 id="edit-heading">Change the time entry of 15 June 2025</h2>');
  t.match(page.body, `<input id="date" name="date" type="date" value="${TODAY}"`);
  t.match(page.body, '<input id="hours" name="hours" type="text" value="1.5"');
  t.match(page.body, `<form id="edit-time" method="post" action="${url}/${mine}"`);

  const res = await tom.post(`${url}/${mine}`, { date: '2025-06-20', hours: '2.5' });
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, `${url}?notice=time-changed`);
  t.match((await tom.get(res.headers.location as string)).body, 'Saved. The time entry is changed.');
  t.same((await historyOf(db, 'time.changed')).map((e) => [e.actorId, e.subjectId, e.before, e.after]), [
    [people.tom.id, project, { date: TODAY, hours: '1.5' }, { date: '2025-06-20', hours: '2.5' }],
  ]);
  const same = await tom.post(`${url}/${mine}`, { date: '2025-06-20', hours: '2.50' });
  t.equal(same.headers.location, `${url}?notice=time-unchanged`, 'the same values: nothing changed');
  t.match((await tom.get(same.headers.location as string)).body, 'Nothing changed: the time entry already had this date and these hours.');
  t.equal((await historyOf(db, 'time.changed')).length, 1, 'no entry');

  // the backdating rule: a past day the entry does not have yet needs it; the day it has does not
  const moved = await tom.post(`${url}/${mine}`, { date: '2025-06-14', hours: '2.5' });
  t.equal(moved.statusCode, 422, 'moving to yesterday');
  t.match(moved.body, `id="date-error"><span class="visually-hidden">Error:</span> ${BACKDATING}`);
  t.match(moved.body, 'value="2025-06-14"', 'what was typed is kept');
  t.equal((await tom.post(`${url}/${old}`, { date: '2025-06-09', hours: '2' })).statusCode, 422, 'moving a past entry to another past day');
  t.match((await tom.get(`${url}/${old}/edit`)).body, 'or the day it has (10 June 2025)', 'the hint says so');
  t.equal((await tom.post(`${url}/${old}`, { date: '2025-06-10', hours: '3' })).statusCode, 303, 'the hours of a past entry');
  t.equal((await tom.post(`${url}/${old}`, { date: '2025-06-16', hours: '3' }, { htmx: true })).headers['hx-redirect'], `${url}?notice=time-changed`, 'to a later day, with htmx');
  for (const [body, field, message] of [
    [{ date: TODAY, hours: '0' }, 'hours', 'Hours must be more than 0'],
    [{ date: '2025-02-29', hours: '1' }, 'date', 'Enter the date as a real date, for example 2025-03-31'],
    [{ date: '2026-06-16', hours: '1' }, 'date', 'You can’t enter time more than a year ahead'],
  ] as const) {
    const bad = await tom.post(`${url}/${mine}`, body);
    t.equal(bad.statusCode, 422, message);
    t.match(bad.body, `<a href="#${field}">${message}</a>`);
    t.match(bad.body, `id="${field}-error"><span class="visually-hidden">Error:</span> ${message}`);
  }
  t.same(await rows(), [`${people.tom.id}:2025-06-20:2.50`, `${people.tom.id}:2025-06-16:3.00`]);

  await setRolePermissions(db, account.id, 'team', ['project.read', 'time.editOwn', 'time.backdate']);
  t.equal((await tom.post(`${url}/${mine}`, { date: '2025-06-14', hours: '2.5' })).statusCode, 303, 'with "Allow backdating in times"');
  // Mia changes Tom's entry ("Edit all time entries")
  t.equal((await mia.post(`${url}/${mine}`, { date: '2025-06-15', hours: '7' })).statusCode, 303);
  t.same((await historyOf(db, 'time.changed')).at(-1)!.after, { date: '2025-06-15', hours: '7' });
  t.same(await rows(), [`${people.tom.id}:2025-06-15:7.00`, `${people.tom.id}:2025-06-16:3.00`]);
});

t.test('deleting an entry: confirmation, 303, history; gone afterwards', async (t) => {
  const { url, tom, mia, rows, people, insertEntry, db, project } = await setup(t);
  const mine = await insertEntry(people.tom.id, TODAY, '1.50');
  const page = await tom.get(`${url}/${mine}/delete`);
  t.equal(page.statusCode, 200);
  t.match(page.body, 'Delete the time entry of 15 June 2025?');
  t.match(mainText(page.body), '1.5 hours by Tom Team on 15 June 2025. This can’t be undone.');
  t.match(page.body, `<form id="delete-time" method="post" action="${url}/${mine}/delete">`);
  const res = await tom.post(`${url}/${mine}/delete`);
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, `${url}?notice=time-deleted`);
  t.match((await tom.get(res.headers.location as string)).body, 'The time entry is deleted.');
  t.same(await rows(), []);
  t.same((await historyOf(db, 'time.deleted')).map((e) => [e.actorId, e.subjectId, e.before, e.after]), [
    [people.tom.id, project, { person: people.tom.id, date: TODAY, hours: '1.5' }, null],
  ]);
  t.equal((await tom.post(`${url}/${mine}/delete`)).statusCode, 404, 'deleted already: 404');
  t.equal((await tom.get(`${url}/${mine}/edit`)).statusCode, 404);

  // a deleted person's entry: someone else's (Mia may, with htmx)
  const gone = await insertEntry(null, TODAY, '2.00');
  t.equal((await tom.post(`${url}/${gone}/delete`)).statusCode, 403, 'not Tom’s');
  const htmx = await mia.post(`${url}/${gone}/delete`, {}, { htmx: true });
  t.equal(htmx.headers['hx-redirect'], `${url}?notice=time-deleted`);
  t.same(await rows(), []);
  t.same((await historyOf(db, 'time.deleted')).at(-1)!.before, { person: null, date: TODAY, hours: '2' });
});

t.test('odd entry ids, another project’s entry, another account: 404, never a 5xx', async (t) => {
  const { url, mia, db, account, project, insertEntry, people, app } = await setup(t);
  const entry = await insertEntry(people.mia.id, TODAY, '1.00');
  const elsewhere = newId();
  await db.insert(projects).values({ id: elsewhere, accountId: account.id, name: 'Hermes' });
  await db.insert(projectRoles).values({ accountId: account.id, projectId: elsewhere, roleKey: 'managers', personId: people.mia.id });
  const [other] = await db.insert(timeEntries).values({ accountId: account.id, projectId: elsewhere, personId: people.mia.id, workedOn: TODAY, hours: '1' }).returning();
  for (const id of ['x', '1e309', '-1', '0', '1.5', '99999999999999999999', '9007199254740993', '%00', String(other!.id)]) {
    t.equal((await mia.get(`${url}/${id}/edit`)).statusCode, 404, `GET edit ${id}`);
    t.equal((await mia.get(`${url}/${id}/delete`)).statusCode, 404, `GET delete ${id}`);
    t.equal((await mia.post(`${url}/${id}`, { date: TODAY, hours: '1' })).statusCode, 404, `POST ${id}`);
    t.equal((await mia.post(`${url}/${id}/delete`)).statusCode, 404, `POST delete ${id}`);
  }
  for (const q of ['?older=x', '?older=2025-02-30_1', '?newer=2025-01-01_99999999999999999', '?older=2025-01-01_1&newer=2025-01-01_1', '?older[]=1']) {
    t.equal((await mia.get(url + q)).statusCode, 200, `GET ${q}: the newest entries`);
  }
  const olga = await signUp(app, { email: 'olga@other.test', organizationName: 'Other Ltd' });
  t.equal((await olga.get(url)).statusCode, 404, 'another account');
  t.equal((await olga.get(`${url}/${entry}/edit`)).statusCode, 404);
  t.equal((await olga.post(url, { date: TODAY, hours: '1' })).statusCode, 404);
  t.equal((await olga.post(`${url}/${entry}/delete`)).statusCode, 404);
  t.equal((await db.select().from(timeEntries).where(eq(timeEntries.projectId, project))).length, 1, 'nothing changed');
});

t.test('pages of 50, newest day first, "Older entries" and "Newer entries"; the page’s total', async (t) => {
  const { url, rae, db, account, project, people } = await setup(t);
  // 120 entries: 2025-01-01 … 2025-04-30, each day's hours (day number % 8 + 1) / 4
  const values = Array.from({ length: 120 }, (_, i) => ({
    accountId: account.id,
    projectId: project,
    personId: people.tom.id,
    workedOn: new Date(Date.UTC(2025, 0, 1 + i)).toISOString().slice(0, 10),
    hours: ((i % 8) + 1) / 4 + '',
  }));
  await db.insert(timeEntries).values(values);
  const dates = (body: string) => [...body.matchAll(/<time datetime="([\d-]+)">/g)].map((m) => m[1]);
  const expected = values.map((v) => v.workedOn).reverse();
  const total = (from: number, to: number) => expected.slice(from, to).reduce((sum, d) => sum + ((values.find((v) => v.workedOn === d)!.hours as unknown as number) * 1), 0);

  const first = await rae.get(url);
  t.same(dates(first.body), expected.slice(0, 50));
  t.match(first.body, `Total on this page</th><td class="numeric">${total(0, 50)}</td>`);
  t.notMatch(first.body, 'Newer entries');
  const older = /<a href="([^"]+)" rel="next">Older entries<\/a>/.exec(first.body)![1]!.replace(/&amp;/g, '&');
  const second = await rae.get(older);
  t.same(dates(second.body), expected.slice(50, 100));
  t.match(second.body, '<caption>Time entries (an older page), newest first</caption>');
  const third = await rae.get(/<a href="([^"]+)" rel="next">Older entries<\/a>/.exec(second.body)![1]!);
  t.same(dates(third.body), expected.slice(100));
  t.notMatch(third.body, 'Older entries', 'the last page');
  const back = await rae.get(/<a href="([^"]+)" rel="prev">Newer entries<\/a>/.exec(third.body)![1]!);
  t.same(dates(back.body), expected.slice(50, 100), 'back to the page before');
  const top = await rae.get(/<a href="([^"]+)" rel="prev">Newer entries<\/a>/.exec(back.body)![1]!);
  t.same(dates(top.body), expected.slice(0, 50));
  t.notMatch(top.body, 'Newer entries', 'the newest page has none newer');
  const past = await rae.get(`${url}?older=2000-01-01_1`);
  t.match(mainText(past.body), 'There are no time entries on this page. Go to the newest entries');
});

t.test('a locked project: the page without forms or links; every change 403', async (t) => {
  const { url, mia, db, project, people, insertEntry, rows } = await setup(t);
  const entry = await insertEntry(people.mia.id, TODAY, '1.00');
  await db.update(projects).set({ lockedAt: new Date(), lockedBy: people.mia.id }).where(eq(projects.id, project));
  const page = await mia.get(url);
  t.equal(page.statusCode, 200);
  t.match(page.body, 'This project is locked');
  t.notMatch(page.body, 'id="add-time"');
  t.notMatch(page.body, '>Edit<');
  for (const page of ['edit', 'delete']) {
    const refused = await mia.get(`${url}/${entry}/${page}`);
    t.equal(refused.statusCode, 403, `the entry’s ${page} page: 403, as its change`);
    t.notMatch(refused.body, '<form id=');
    t.match(refused.body, 'This project is locked');
  }
  for (const [post, body] of [[url, { date: TODAY, hours: '1' }], [`${url}/${entry}`, { date: TODAY, hours: '2' }], [`${url}/${entry}/delete`, {}]] as const) {
    const res = await mia.post(post, body);
    t.equal(res.statusCode, 403, post);
    t.match(res.body, 'This project is locked');
  }
  t.same(await rows(), [`${people.mia.id}:${TODAY}:1.00`]);
});

t.test('a project locked or deleted after the guard: the writes find it in their transaction and change nothing', async (t) => {
  const { db, account, project, people, insertEntry, rows } = await setup(t);
  const entry = await insertEntry(people.mia.id, TODAY, '1.00');
  const actor = { accountId: account.id, personId: people.mia.id };
  await db.update(projects).set({ lockedAt: new Date(), lockedBy: people.mia.id }).where(eq(projects.id, project));
  t.equal(await addTimeEntry(db, actor, project, { personId: people.mia.id, date: TODAY, hours: '1.00' }), 'locked');
  t.equal(await changeTimeEntry(db, actor, project, entry, { date: TODAY, hours: '2.00' }), 'locked');
  t.equal(await deleteTimeEntry(db, actor, project, entry), 'locked');
  t.same(await rows(), [`${people.mia.id}:${TODAY}:1.00`]);
  const gone = newId();
  t.equal(await addTimeEntry(db, actor, gone, { personId: people.mia.id, date: TODAY, hours: '1.00' }), 'missing', 'no such project: no foreign key error');
  t.equal(await deleteTimeEntry(db, actor, gone, entry), 'missing');
  t.same(await historyOf(db, 'time.added'), []);
});

t.test('GET /projects/:id/time sends the same number of statements for few and many entries and people', async (t) => {
  const { url, mia, tom, db, account, project, people, stats } = await setup(t);
  const grow = async (n: number, from: number) => {
    for (let i = from; i < from + n; i++) {
      const p = await insertPerson(db, { name: `Person ${String(i).padStart(3, '0')}`, email: `p${i}@acme.test`, license: 'read_only' });
      await db.insert(timeEntries).values([
        { accountId: account.id, projectId: project, personId: p.id, workedOn: TODAY, hours: '1' },
        { accountId: account.id, projectId: project, personId: people.tom.id, workedOn: '2025-06-01', hours: '2' },
      ]);
    }
  };
  await grow(3, 0);
  const few = [await statements(stats, () => mia.get(url)), await statements(stats, () => tom.get(url))];
  await grow(60, 3);
  const many = [await statements(stats, () => mia.get(url)), await statements(stats, () => tom.get(url))];
  t.same(many, few, `${few.join(' and ')} statements for Mia and Tom, at 6 and 126 entries`);
  t.ok(few[0]! <= 8, `few statements: ${few[0]}`);
  // asked again, Mia's access, the Person options and the page of entries are kept under the versions read with
  // the session (the section version: migration 0015)
  await mia.get(url);
  const before = stats.queries;
  t.equal((await mia.get(url)).statusCode, 200);
  t.equal(stats.queries - before, 1, 'the session’s statement alone');
  // an entry written anywhere (here: straight into the table) is on the next page
  await db.insert(timeEntries).values({ accountId: account.id, projectId: project, personId: people.tom.id, workedOn: TODAY, hours: '7.25' });
  t.match((await mia.get(url)).body, '7.25', 'a new entry is on the next page');
  await db.update(persons).set({ name: 'Tom Renamed' }).where(eq(persons.id, people.tom.id));
  t.match((await mia.get(url)).body, `<option value="${people.tom.id}">Tom Renamed</option>`, 'a new name is on the next page');
});

t.teardown(() => setClock());
