// The Financials section of a project (SPEC §8): the budget ("No budget set" when none), set and removed by those
// with "Edit financials" (without and with htmx), 422 on bad input with nothing saved, history entries, who may look
// and who may change, a locked project and the statement count of the page.
import { eq } from 'drizzle-orm';
import t from 'tap';
import { newId } from '../../src/crypto.js';
import { projectRoles, projects } from '../../src/db/schema.js';
import { saveBudget } from '../../src/projects/financials.js';
import type { RoleKey } from '../../src/permissions/roles.js';
import { signIn, signUp } from '../helpers/agent.js';
import { insertPerson } from '../helpers/factories.js';
import { signedUpAccount } from '../helpers/signed-up.js';
import { historyOf, mainText, setRolePermissions, statements } from '../helpers/project-pages.js';

const PASSWORD = 'a long enough password';
type Test = Parameters<typeof signedUpAccount>[0];

/** "Apollo": Mia (Managers: read and edit financials), Rae reads them (Additional), Rolf has Managers but a Read-Only license, Tom (Team) can't read them. */
async function setup(t: Test) {
  const ctx = await signedUpAccount(t);
  const { db, account, app } = ctx;
  const project = newId();
  await db.insert(projects).values({ id: project, accountId: account.id, name: 'Apollo' });
  const person = async (name: string, email: string, license: 'read_write' | 'read_only', role: RoleKey) => {
    const p = await insertPerson(db, { name, email, license, password: PASSWORD });
    await db.insert(projectRoles).values({ accountId: account.id, projectId: project, roleKey: role, personId: p.id });
    return p;
  };
  const mia = await person('Mia Manager', 'mia@acme.test', 'read_write', 'managers');
  await person('Rae Reader', 'rae@acme.test', 'read_write', 'additional');
  await person('Rolf Readonly', 'rolf@acme.test', 'read_only', 'managers');
  await person('Tom Team', 'tom@acme.test', 'read_write', 'team');
  await setRolePermissions(db, account.id, 'managers', ['project.read', 'financials.read', 'financials.edit']);
  await setRolePermissions(db, account.id, 'additional', ['project.read', 'financials.read']);
  await setRolePermissions(db, account.id, 'team', ['project.read', 'tasks.read']);
  const budget = async () => {
    const [row] = await db.select({ amount: projects.budgetAmount, currency: projects.budgetCurrency }).from(projects).where(eq(projects.id, project));
    return row!.amount === null ? null : `${row!.currency} ${row!.amount}`;
  };
  return {
    ...ctx,
    project,
    mia,
    url: `/projects/${project}/financials`,
    budget,
    manager: await signIn(app, 'mia@acme.test', PASSWORD),
    reader: await signIn(app, 'rae@acme.test', PASSWORD),
    readOnly: await signIn(app, 'rolf@acme.test', PASSWORD),
    team: await signIn(app, 'tom@acme.test', PASSWORD),
  };
}

t.test('who may look and who may change: the budget for readers, the form for "Edit financials"', async (t) => {
  const { app, url, manager, reader, readOnly, team, budget, db, project } = await setup(t);
  const page = await manager.get(url);
  t.equal(page.statusCode, 200);
  t.match(page.body, '<h1>Financials: Apollo</h1>');
  t.match(page.body, '<h2 id="budget-heading">Budget</h2>');
  t.match(page.body, '<p id="budget-now">No budget set.</p>');
  t.match(page.body, '<label for="amount">Budget</label>');
  t.match(page.body, '<label for="currency">Currency</label>');
  t.match(page.body, '<option value="EUR" selected>EUR – Euro</option>', 'EUR to start with');
  t.match(page.body, '<option value="JPY">JPY – Japanese Yen</option>');
  t.notMatch(page.body, 'Remove budget', 'nothing to remove');

  await db.update(projects).set({ budgetAmount: '25000.50', budgetCurrency: 'USD' }).where(eq(projects.id, project));
  const read = await reader.get(url);
  t.equal(read.statusCode, 200, 'a reader');
  t.match(mainText(read.body), 'Budget The project’s budget is USD 25,000.50.');
  t.notMatch(read.body, '<form id="budget-form"', 'no form');
  t.notMatch(read.body, 'Remove budget');
  const ro = await readOnly.get(url);
  t.equal(ro.statusCode, 200, 'Read-Only with Edit financials: looks');
  t.notMatch(ro.body, '<form id="budget-form"');
  t.equal((await team.get(url)).statusCode, 404, 'without "Read financials": 404');

  for (const [post, body] of [[url, { amount: '1', currency: 'EUR' }], [`${url}/remove`, {}]] as const) {
    const refused = await reader.post(post, body);
    t.equal(refused.statusCode, 403, `a reader: 403 on ${post}`);
    t.match(refused.body, 'This change needs the permission “Edit financials” in this project.');
    t.equal((await reader.post(post, body, { htmx: true })).statusCode, 403, 'with htmx too');
    t.match((await readOnly.post(post, body)).body, 'Your license is Read-Only', `Read-Only: 403 on ${post}`);
    t.equal((await team.post(post, body)).statusCode, 404, `without Read financials: 404 on ${post}`);
  }
  const other = await signUp(app, { email: 'olga@other.test', organizationName: 'Other Ltd' });
  t.equal((await other.get(url)).statusCode, 404, "another account's project");
  t.equal((await other.post(url, { amount: '1', currency: 'EUR' })).statusCode, 404);
  t.equal((await other.post(`${url}/remove`)).statusCode, 404);
  t.equal(await budget(), 'USD 25000.50', 'nothing changed');
  t.same(await historyOf(db, 'project.budget'), []);
});

t.test('setting and removing the budget, without and with htmx; history only when something changed', async (t) => {
  const { url, manager, budget, db, project, mia } = await setup(t);
  const saved = await manager.post(url, { amount: '1000', currency: 'EUR' });
  t.equal(saved.statusCode, 303);
  t.equal(saved.headers.location, `${url}?notice=budget-saved`);
  const page = await manager.get(saved.headers.location as string);
  t.match(page.body, '<div id="live-status" class="notice" role="status">Saved. The budget is changed.</div>');
  t.match(page.body, '<p id="budget-now">The project’s budget is EUR 1,000.00.</p>');
  t.match(page.body, 'value="1000.00"', 'the form holds the budget');
  t.match(page.body, 'Remove budget');
  t.equal(await budget(), 'EUR 1000.00');
  t.same((await historyOf(db, 'project.budget')).map((e) => [e.actorId, e.subjectType, e.subjectId, e.before, e.after]), [
    [mia.id, 'project', project, { budget: null }, { budget: 'EUR 1000.00' }],
  ]);

  const same = await manager.post(url, { amount: '1,000.00', currency: 'EUR' });
  t.equal(same.headers.location, `${url}?notice=budget-unchanged`);
  t.match((await manager.get(same.headers.location as string)).body, 'Nothing changed: the project already had this budget.');
  t.equal((await historyOf(db, 'project.budget')).length, 1, 'no entry');

  const htmx = await manager.post(url, { amount: ' 25,000.5 ', currency: 'USD' }, { htmx: true });
  t.equal(htmx.statusCode, 200);
  t.notMatch(htmx.body, '<h1', 'a fragment');
  t.match(htmx.body, '<p id="budget-now">The project’s budget is USD 25,000.50.</p>');
  t.match(htmx.body, '<hx-partial hx-target="#live-status" hx-swap="innerHTML">Saved. The budget is USD 25,000.50.</hx-partial>');
  t.match(htmx.body, '<hx-partial hx-target="#error-summary-slot" hx-swap="innerHTML">', 'the error summary emptied');
  t.equal(await budget(), 'USD 25000.50');
  t.same((await historyOf(db, 'project.budget')).at(-1)!.after, { budget: 'USD 25000.50' });

  const removed = await manager.post(`${url}/remove`, {}, { htmx: true });
  t.equal(removed.statusCode, 200);
  t.match(removed.body, '<p id="budget-now" tabindex="-1" autofocus>No budget set.</p>', 'the focus goes to the budget’s line');
  t.match(removed.body, '<hx-partial hx-target="#live-status" hx-swap="innerHTML">Saved. The project has no budget now.</hx-partial>');
  t.notMatch(removed.body, 'Remove budget');
  t.equal(await budget(), null);
  t.same((await historyOf(db, 'project.budget')).at(-1)!.before, { budget: 'USD 25000.50' });
  t.same((await historyOf(db, 'project.budget')).at(-1)!.after, { budget: null });
  const again = await manager.post(`${url}/remove`);
  t.equal(again.headers.location, `${url}?notice=budget-unchanged`, 'no budget to remove: nothing changed');
  t.equal((await historyOf(db, 'project.budget')).length, 3);

  t.equal((await manager.post(url, { amount: '999,999,999,999.99', currency: 'JPY' })).statusCode, 303, 'the largest budget');
  t.equal(await budget(), 'JPY 999999999999.99');
  t.match((await manager.get(url)).body, 'The project’s budget is JPY 999,999,999,999.99.', 'every digit shown');
  t.equal((await manager.post(url, { amount: '0', currency: 'GBP' })).statusCode, 303, 'a budget of 0');
  t.equal(await budget(), 'GBP 0.00');
  t.match(mainText((await (await signIn(manager.app, 'ada@acme.test', 'correct horse battery')).get('/settings/history')).body), 'Project budget changed Apollo Budget: JPY 999999999999.99 Budget: GBP 0.00');
});

t.test('bad input: 422 with the message at the field, nothing saved (with and without htmx)', async (t) => {
  const { url, manager, budget, db, project } = await setup(t);
  await db.update(projects).set({ budgetAmount: '500.00', budgetCurrency: 'EUR' }).where(eq(projects.id, project));
  for (const htmx of [false, true]) {
    for (const [what, body, field, message] of [
      ['no amount', { amount: '', currency: 'EUR' }, 'amount', 'Enter the budget, for example 25000 or 25000.50'],
      ['negative', { amount: '-5', currency: 'EUR' }, 'amount', 'The budget can’t be less than 0'],
      ['3 decimals', { amount: '1.234', currency: 'EUR' }, 'amount', 'The budget can have at most 2 decimals, for example 25000.50'],
      ['words', { amount: 'abc', currency: 'EUR' }, 'amount', 'Enter the budget as an amount, for example 25000.50'],
      ['a comma as the decimal mark', { amount: '12,5', currency: 'EUR' }, 'amount', 'Enter the budget as an amount, for example 25000.50'],
      ['1e309', { amount: '1e309', currency: 'EUR' }, 'amount', 'Enter the budget as an amount, for example 25000.50'],
      ['too much', { amount: '1000000000000', currency: 'EUR' }, 'amount', 'The budget must be 999,999,999,999.99 or less'],
      ['an unknown currency', { amount: '1', currency: 'XYZ' }, 'currency', 'Choose a currency from the list'],
      ['no currency', { amount: '1' }, 'currency', 'Choose a currency from the list'],
      ['a prototype key', { amount: '1', currency: '__proto__' }, 'currency', 'Choose a currency from the list'],
    ] as const) {
      const res = await manager.post(url, body, { htmx });
      t.equal(res.statusCode, 422, `${what}${htmx ? ' (htmx)' : ''}: 422`);
      t.match(res.body, `<a href="#${field}">${message}</a>`, 'in the error summary');
      t.match(res.body, `id="${field}-error"><span class="visually-hidden">Error:</span> ${message}`, 'at the field');
      t.match(res.body, '<p id="budget-now">The project’s budget is EUR 500.00.</p>', 'the budget as saved');
      if (htmx) t.notMatch(res.body, '<h1', 'htmx: the budget’s region and the error summary only');
      else t.match(res.body, '<title>Error: Financials – Apollo – Accord</title>');
    }
  }
  t.equal(await budget(), 'EUR 500.00', 'nothing saved');
  t.same(await historyOf(db, 'project.budget'), []);
});

t.test('a locked project: the budget without the form; changes 403', async (t) => {
  const { url, manager, budget, db, project, mia } = await setup(t);
  await db.update(projects).set({ budgetAmount: '500.00', budgetCurrency: 'EUR', lockedAt: new Date(), lockedBy: mia.id }).where(eq(projects.id, project));
  const page = await manager.get(url);
  t.equal(page.statusCode, 200);
  t.match(page.body, 'This project is locked');
  t.match(page.body, 'The project’s budget is EUR 500.00.');
  t.notMatch(page.body, '<form id="budget-form"');
  t.notMatch(page.body, 'Remove budget');
  for (const [post, body] of [[url, { amount: '1', currency: 'EUR' }], [`${url}/remove`, {}]] as const) {
    const res = await manager.post(post, body);
    t.equal(res.statusCode, 403);
    t.match(res.body, 'This project is locked');
  }
  t.equal(await budget(), 'EUR 500.00');
  t.equal(await saveBudget(db, { accountId: mia.accountId, personId: mia.id }, project, { amount: '1.00', currency: 'EUR' }), 'locked', 'locked after the guard: found in the transaction');
  t.equal(await budget(), 'EUR 500.00');
  t.same(await historyOf(db, 'project.budget'), []);
});

t.test('GET /projects/:id/financials sends the same number of statements with and without a budget, few and many projects', async (t) => {
  const { url, manager, reader, db, account, project, stats, mia } = await setup(t);
  const few = [await statements(stats, () => manager.get(url)), await statements(stats, () => reader.get(url))];
  await db.update(projects).set({ budgetAmount: '500.00', budgetCurrency: 'EUR' }).where(eq(projects.id, project));
  for (let i = 0; i < 50; i++) {
    const id = newId();
    await db.insert(projects).values({ id, accountId: account.id, name: `Project ${i}`, budgetAmount: String(i), budgetCurrency: 'EUR' });
    await db.insert(projectRoles).values({ accountId: account.id, projectId: id, roleKey: 'managers', personId: mia.id });
  }
  const many = [await statements(stats, () => manager.get(url)), await statements(stats, () => reader.get(url))];
  t.same(many, few, `${few.join(' and ')} statements for an editor and a reader`);
  t.ok(few[0]! <= 5, `few statements: ${few[0]}`);
});
