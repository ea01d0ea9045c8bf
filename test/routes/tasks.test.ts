// A project’s Tasks section (SPEC §8): reading (in the order added, pages of TASKS_PAGE_SIZE), adding, renaming and marking
// done (with and without htmx, bad input, odd ids, history), who may, and the statement count of the page.
import { eq, sql } from 'drizzle-orm';
import t from 'tap';
import { newId } from '../../src/crypto.js';
import { addTask, renameTask, setTaskDone, TASKS_PAGE_SIZE as N } from '../../src/projects/tasks.js';
import { accounts, projectRoles, projects, projectTasks } from '../../src/db/schema.js';
import type { RoleKey } from '../../src/permissions/roles.js';
import { signIn, signUp } from '../helpers/agent.js';
import { insertPerson } from '../helpers/factories.js';
import { signedUpAccount } from '../helpers/signed-up.js';
import { historyOf, mainText, setRolePermissions, statements } from '../helpers/project-pages.js';

const PASSWORD = 'a long enough password';
type Test = Parameters<typeof signedUpAccount>[0];

const taskIds = (body: string) => [...body.matchAll(/<tr id="task-(\d+)">/g)].map((m) => Number(m[1]));
const link = (body: string, rel: 'prev' | 'next') => new RegExp(`<a href="([^"]+)" rel="${rel}">`).exec(body)?.[1]?.replace(/&amp;/g, '&');

/** A project "Apollo": Eve edits tasks (Team), Rae reads them (Customers), Rolf edits with a Read-Only license, Nils can't read them. */
async function setup(t: Test) {
  const ctx = await signedUpAccount(t);
  const { db, account, app } = ctx;
  const project = newId();
  await db.insert(projects).values({ id: project, accountId: account.id, name: 'Apollo' });
  await setRolePermissions(db, account.id, 'team', ['tasks.read', 'tasks.edit']);
  await setRolePermissions(db, account.id, 'customers', ['tasks.read']);
  await setRolePermissions(db, account.id, 'partners', ['project.read']);
  const person = async (name: string, email: string, role: RoleKey, license: 'read_write' | 'read_only' = 'read_write') => {
    const p = await insertPerson(db, { name, email, license, password: PASSWORD });
    await db.insert(projectRoles).values({ accountId: account.id, projectId: project, roleKey: role, personId: p.id });
    return { ...p, agent: await signIn(app, email, PASSWORD) };
  };
  const eve = await person('Eve Editor', 'eve@acme.test', 'team');
  const rae = await person('Rae Reader', 'rae@acme.test', 'customers');
  const rolf = await person('Rolf Readonly', 'rolf@acme.test', 'team', 'read_only');
  const nils = await person('Nils Noread', 'nils@acme.test', 'partners');
  const url = `/projects/${project}/tasks`;
  const insertTask = async (title: string, done = false, projectId = project) => {
    const [row] = await db.insert(projectTasks).values({ accountId: account.id, projectId, title, done, createdBy: eve.id }).returning();
    return row!;
  };
  const stored = async () =>
    (await db.select().from(projectTasks).where(eq(projectTasks.projectId, project)).orderBy(projectTasks.id)).map((r) => ({ id: r.id, title: r.title, done: r.done }));
  return { ...ctx, project, eve, rae, rolf, nils, url, insertTask, stored };
}

t.test('reading: in the order added; editors get a form per task with names of their own; readers the text', async (t) => {
  const { app, db, project, eve, rae, rolf, nils, url, insertTask } = await setup(t);
  const empty = await eve.agent.get(url);
  t.equal(empty.statusCode, 200);
  t.match(empty.body, '<h1>Tasks: Apollo</h1>');
  t.match(mainText(empty.body), 'No tasks yet. Add the first one with the form above.');
  t.notMatch(empty.body, 'Tasks will hold', 'the real page');

  const a = await insertTask('Call <Bob>');
  const b = await insertTask('Order parts', true);
  const c = await insertTask('Call <Bob>');
  const page = await eve.agent.get(url);
  t.same(taskIds(page.body), [a.id, b.id, c.id], 'the order added');
  t.match(page.body, '<label for="title">Task name</label>', '"Add a task"');
  t.match(page.body, `<input type="checkbox" id="done-${b.id}" name="done" value="on" checked>`, 'done: ticked');
  t.match(page.body, `<input type="checkbox" id="done-${a.id}" name="done" value="on">`, 'not done');
  t.match(page.body, `<label for="done-${a.id}"><span class="visually-hidden">Done: “Call &lt;Bob&gt;” (1 of 2)</span></label>`, 'same names told apart');
  t.match(page.body, `<label class="visually-hidden" for="title-${c.id}">Name of task “Call &lt;Bob&gt;” (2 of 2)</label>`);
  t.match(page.body, `<label class="visually-hidden" for="title-${b.id}">Name of task “Order parts”</label>`);
  t.match(page.body, `<input type="text" id="title-${a.id}" name="title" value="Call &lt;Bob&gt;" autocomplete="off">`);
  t.match(page.body, 'Rename<span class="visually-hidden"> task “Order parts”</span>');
  t.match(page.body, `<form class="autosave" method="post" action="${url}/${a.id}/done" data-hx-post="${url}/${a.id}/done" data-hx-trigger="change, submit"`, 'autosaves');
  t.match(page.body, 'Save<span class="visually-hidden"> whether “Order parts” is done</span></button>', 'a Save button without JavaScript');
  t.notMatch(page.body, '<Bob>', 'escaped');

  for (const [who, agent] of [['a reader', rae.agent], ['Read-Only', rolf.agent]] as const) {
    const read = await agent.get(url);
    t.equal(read.statusCode, 200, `${who} reads`);
    t.notMatch(read.body, '<form class="autosave"', `${who}: no forms`);
    t.notMatch(read.body, 'id="task-add"');
    t.match(mainText(read.body), 'Done Task No Call &lt;Bob&gt; Yes Order parts No Call &lt;Bob&gt;');
  }
  const notFound = mainText((await nils.agent.get('/projects/no-such-project')).body);
  const hidden = await nils.agent.get(url);
  t.equal(hidden.statusCode, 404, 'without "Read tasks": 404');
  t.equal(mainText(hidden.body), notFound);

  await db.update(projects).set({ lockedAt: new Date(), lockedBy: eve.id }).where(eq(projects.id, project));
  const locked = await eve.agent.get(url);
  t.equal(locked.statusCode, 200);
  t.match(locked.body, 'This project was locked for editing by Eve Editor');
  t.notMatch(locked.body, '<form class="autosave"', 'locked: no forms');
  t.notMatch(locked.body, 'id="task-add"');

  const other = await signUp(app, { email: 'olga@other.test', organizationName: 'Other Ltd' });
  t.ok((await db.select().from(accounts).where(eq(accounts.name, 'Other Ltd'))).length);
  t.equal((await other.get(url)).statusCode, 404, "another account's project: 404");
});

t.test('adding: without and with htmx, bad input refused with nothing saved, the history entry', async (t) => {
  const { db, project, eve, rae, rolf, nils, url, stored } = await setup(t);
  const res = await eve.agent.post(url, { title: '  Write the plan  ' });
  t.equal(res.statusCode, 303);
  const [first] = await stored();
  t.same(first && { title: first.title, done: first.done }, { title: 'Write the plan', done: false }, 'trimmed, not done');
  t.equal(res.headers.location, `${url}?before=${first!.id + 1}&notice=task-added`, 'the page that ends with the new task');
  const after = await eve.agent.get(res.headers.location as string);
  t.match(after.body, 'role="status">Task added.</div>');
  t.same(taskIds(after.body), [first!.id]);
  t.same((await historyOf(db, 'task.added')).map((e) => [e.actorId, e.subjectType, e.subjectId, e.before, e.after]), [[eve.id, 'project', project, null, { title: 'Write the plan' }]]);

  const htmx = await eve.agent.post(url, { title: 'Book the room' }, { htmx: true });
  t.equal(htmx.statusCode, 200);
  t.notMatch(htmx.body, '<h1');
  t.match(htmx.body, /<form id="task-add"[\s\S]*<input id="title" name="title" type="text" value="" autocomplete="off" aria-describedby="title-hint" autofocus>/, 'the form again, empty and focused');
  t.match(htmx.body, '<hx-partial hx-target="#tasks" hx-swap="innerHTML">');
  t.match(htmx.body, '<hx-partial hx-target="#live-status" hx-swap="innerHTML">Task added: “Book the room”.</hx-partial>');
  t.equal(htmx.headers['hx-replace-url'], url, 'few tasks: the first page');
  t.same(taskIds(htmx.body), (await stored()).map((r) => r.id));

  const count = (await stored()).length;
  for (const htmx of [false, true]) {
    for (const [what, title, message] of [
      ['empty', '   ', 'Enter a task name'],
      ['missing', undefined, 'Enter a task name'],
      ['201 characters', 'x'.repeat(201), 'Task name must be 200 characters or fewer'],
      ['a line break', 'a\nb', 'Task name can’t contain control characters'],
      ['repeated', ['a', 'b'], 'Enter a task name'],
    ] as const) {
      const refused = await eve.agent.post(url, { title: title as string | string[] | undefined }, { htmx });
      t.equal(refused.statusCode, 422, `${what}${htmx ? ' (htmx)' : ''}: 422`);
      t.match(refused.body, `<a href="#title">${message}</a>`, 'in the error summary');
      t.match(refused.body, `id="title-error"><span class="visually-hidden">Error:</span> ${message}`, 'at the field');
      if (htmx) t.notMatch(refused.body, '<h1');
    }
  }
  t.equal((await eve.agent.post(url, { title: '😀'.repeat(200) })).statusCode, 303, '200 characters (an emoji counts as one)');
  t.equal((await stored()).length, count + 1, 'nothing saved from the refused ones');

  for (const [who, agent, status] of [['a reader', rae.agent, 403], ['Read-Only', rolf.agent, 403], ['no Read tasks', nils.agent, 404]] as const) {
    t.equal((await agent.post(url, { title: 'Hello' })).statusCode, status, `${who}: ${status}`);
    t.equal((await agent.post(url, { title: 'Hello' }, { htmx: true })).statusCode, status, `${who} with htmx: ${status}`);
  }
  t.match((await rae.agent.post(url, { title: 'Hello' })).body, 'needs the permission “Edit tasks”');
  await db.update(projects).set({ lockedAt: new Date(), lockedBy: eve.id }).where(eq(projects.id, project));
  const locked = await eve.agent.post(url, { title: 'Hello' });
  t.equal(locked.statusCode, 403);
  t.match(locked.body, 'This project is locked');
  t.equal((await stored()).length, count + 1);
});

t.test('renaming and marking done: without and with htmx, bad input, odd ids, history only for a change', async (t) => {
  const { app, db, account, project, eve, rae, rolf, url, insertTask, stored } = await setup(t);
  const a = await insertTask('Draft');
  const b = await insertTask('Review');
  const otherProject = newId();
  await db.insert(projects).values({ id: otherProject, accountId: account.id, name: 'Hermes' });
  const elsewhere = await insertTask('Elsewhere', false, otherProject);

  // rename without JavaScript: back to the page it was sent from
  const renamed = await eve.agent.post(`${url}/${a.id}/title`, { title: ' Final draft ', after: '1' });
  t.equal(renamed.statusCode, 303);
  t.equal(renamed.headers.location, `${url}?after=1&notice=task-renamed`);
  t.match((await eve.agent.get(renamed.headers.location as string)).body, 'role="status">Saved. The task is renamed.</div>');
  const same = await eve.agent.post(`${url}/${a.id}/title`, { title: 'Final draft' });
  t.equal(same.headers.location, `${url}?notice=task-name-unchanged`, 'nothing changed');
  t.same((await historyOf(db, 'task.renamed')).map((e) => [e.actorId, e.subjectId, e.before, e.after]), [[eve.id, project, { title: 'Draft' }, { title: 'Final draft' }]], 'one entry');

  // with htmx: the page of tasks, the new name in every label of the row
  const htmx = await eve.agent.post(`${url}/${b.id}/title`, { title: 'Peer review' }, { htmx: true });
  t.equal(htmx.statusCode, 200);
  t.notMatch(htmx.body, '<h1');
  t.same(taskIds(htmx.body), [a.id, b.id]);
  t.match(htmx.body, `Name of task “Peer review”</label>`);
  t.match(htmx.body, 'Done: “Peer review”');
  t.match(htmx.body, '<hx-partial hx-target="#live-status" hx-swap="innerHTML">Saved. The task is now called “Peer review”.</hx-partial>');
  t.match(htmx.body, /<hx-partial hx-target="#error-summary-slot" hx-swap="innerHTML">\s*<\/hx-partial>/);

  // bad names: 422 with the message at the task's field
  for (const htmx of [false, true]) {
    for (const [title, message] of [['', 'Enter a task name'], ['y'.repeat(201), 'Task name must be 200 characters or fewer']] as const) {
      const refused = await eve.agent.post(`${url}/${b.id}/title`, { title }, { htmx });
      t.equal(refused.statusCode, 422, `“${title.slice(0, 5)}”${htmx ? ' (htmx)' : ''}: 422`);
      t.match(refused.body, `<a href="#title-${b.id}">${message}</a>`, 'the summary links to the task’s field');
      t.match(refused.body, `<p class="error-message" id="title-${b.id}-error"><span class="visually-hidden">Error:</span> ${message}</p>`);
      t.match(refused.body, `<input type="text" id="title-${b.id}" name="title" value="${title}" autocomplete="off" aria-describedby="title-${b.id}-error" aria-invalid="true">`, 'what was typed stays');
      t.match(refused.body, `<input type="text" id="title-${a.id}" name="title" value="Final draft" autocomplete="off">`, 'the other tasks as they are');
      if (htmx) t.notMatch(refused.body, '<h1');
    }
  }

  // done: without JavaScript (ticked, then not), with htmx (the row), unchanged
  const done = await eve.agent.post(`${url}/${a.id}/done`, { done: 'on', before: String(b.id + 1) });
  t.equal(done.statusCode, 303);
  t.equal(done.headers.location, `${url}?before=${b.id + 1}&notice=task-done`);
  t.match((await eve.agent.get(done.headers.location as string)).body, 'role="status">Saved. The task is marked done.</div>');
  t.equal((await eve.agent.post(`${url}/${a.id}/done`, { done: 'on' })).headers.location, `${url}?notice=task-done-unchanged`);
  t.equal((await eve.agent.post(`${url}/${a.id}/done`, {})).headers.location, `${url}?notice=task-not-done`, 'unticked: the field is absent');
  const row = await eve.agent.post(`${url}/${b.id}/done`, { done: 'on' }, { htmx: true });
  t.equal(row.statusCode, 200);
  t.match(row.body, new RegExp(`^\\s*<tr id="task-${b.id}">`), 'the row');
  t.same(taskIds(row.body), [b.id], 'that row only');
  t.match(row.body, `<input type="checkbox" id="done-${b.id}" name="done" value="on" checked>`);
  t.match(row.body, '<hx-partial hx-target="#live-status" hx-swap="innerHTML">Saved. “Peer review” is done.</hx-partial>');
  const again = await eve.agent.post(`${url}/${b.id}/done`, { done: 'on' }, { htmx: true });
  t.match(again.body, 'Nothing changed: “Peer review” was done already.');
  t.same((await historyOf(db, 'task.done')).map((e) => [e.subjectId, e.before, e.after]), [
    [project, { title: 'Final draft', done: false }, { title: 'Final draft', done: true }],
    [project, { title: 'Final draft', done: true }, { title: 'Final draft', done: false }],
    [project, { title: 'Peer review', done: false }, { title: 'Peer review', done: true }],
  ], 'an entry per change, naming the task; none when nothing changed');
  const odd = await eve.agent.post(`${url}/${b.id}/done`, { done: 'yes' });
  t.equal(odd.statusCode, 422, 'an odd value: 422');
  t.match(odd.body, `<a href="#done-${b.id}">Tick “Done” when the task is done, or leave it empty</a>`);
  t.equal((await eve.agent.post(`${url}/${b.id}/done`, { done: 'yes' }, { htmx: true })).statusCode, 422);
  t.same(await stored(), [{ id: a.id, title: 'Final draft', done: false }, { id: b.id, title: 'Peer review', done: true }]);

  // odd, unknown and other projects' ids: 404, nothing changed
  for (const id of ['x', '1e309', '-1', '0', '007', '1.5', '99999999999999999999', '9007199254740993', String(elsewhere.id), String(b.id + 1000)]) {
    t.equal((await eve.agent.post(`${url}/${id}/title`, { title: 'Hijacked' })).statusCode, 404, `rename ${id}: 404`);
    t.equal((await eve.agent.post(`${url}/${id}/title`, { title: '' })).statusCode, 404, `rename ${id} with a bad name: 404`);
    t.equal((await eve.agent.post(`${url}/${id}/done`, { done: 'on' }, { htmx: true })).statusCode, 404, `done ${id}: 404`);
  }
  t.same((await db.select().from(projectTasks).where(eq(projectTasks.id, elsewhere.id)))[0]!.title, 'Elsewhere');

  // who may: a reader, Read-Only, a locked project, another account
  for (const [who, agent] of [['a reader', rae.agent], ['Read-Only', rolf.agent]] as const) {
    t.equal((await agent.post(`${url}/${a.id}/title`, { title: 'X' })).statusCode, 403, `${who}: rename 403`);
    t.equal((await agent.post(`${url}/${a.id}/done`, { done: 'on' }, { htmx: true })).statusCode, 403, `${who}: done 403`);
  }
  await db.update(projects).set({ lockedAt: new Date(), lockedBy: eve.id }).where(eq(projects.id, project));
  t.match((await eve.agent.post(`${url}/${a.id}/title`, { title: 'X' })).body, 'This project is locked');
  t.equal((await eve.agent.post(`${url}/${a.id}/done`, { done: 'on' })).statusCode, 403);
  await db.update(projects).set({ lockedAt: null, lockedBy: null }).where(eq(projects.id, project));
  const other = await signUp(app, { email: 'olga@other.test', organizationName: 'Other Ltd' });
  t.equal((await other.post(`${url}/${a.id}/title`, { title: 'X' })).statusCode, 404, 'another account: 404');
  t.same(await stored(), [{ id: a.id, title: 'Final draft', done: false }, { id: b.id, title: 'Peer review', done: true }], 'nothing changed');
});

t.test(`pages of ${N} in the order added, with "Previous tasks" and "Next tasks"`, async (t) => {
  const { db, account, project, eve, url, stored } = await setup(t);
  // two full pages and a part of a third
  await db.insert(projectTasks).values(Array.from({ length: 2 * N + Math.ceil(N / 2) }, (_, i) => ({ accountId: account.id, projectId: project, title: `Task ${i}` })));
  const ids = (await stored()).map((r) => r.id);
  const first = await eve.agent.get(url);
  t.same(taskIds(first.body), ids.slice(0, N));
  // a page of names as long as the benchmark's stays a string V8 keeps out of its large-object space (TASKS_PAGE_SIZE)
  await db.update(projectTasks).set({ title: sql`'Benchmark task ' || ${projectTasks.id}` }).where(eq(projectTasks.projectId, project));
  const named = await eve.agent.get(url);
  t.ok(named.body.length < 65_536, `a full page of tasks is under 64 K characters (${named.body.length})`);
  t.equal(link(first.body, 'prev'), undefined);
  const second = await eve.agent.get(link(first.body, 'next')!);
  t.same(taskIds(second.body), ids.slice(N, 2 * N));
  const third = await eve.agent.get(link(second.body, 'next')!);
  t.same(taskIds(third.body), ids.slice(2 * N));
  t.equal(link(third.body, 'next'), undefined, 'the end');
  t.match(third.body, `<input type="hidden" name="after" value="${ids[2 * N - 1]}">`, 'its forms come back to it');
  const back = await eve.agent.get(link(third.body, 'prev')!);
  t.same(taskIds(back.body), ids.slice(N, 2 * N));
  const start = await eve.agent.get(link(back.body, 'prev')!);
  t.same(taskIds(start.body), ids.slice(0, N), 'back at the start');

  // adding shows the page that ends with the new task
  const added = await eve.agent.post(url, { title: 'The newest' });
  const [newest] = (await stored()).slice(-1);
  const shown = await eve.agent.get(added.headers.location as string);
  t.same(taskIds(shown.body), [...ids.slice(ids.length - N + 1), newest!.id], `the last ${N}`);
  const htmx = await eve.agent.post(url, { title: 'Newer still' }, { htmx: true });
  const [newer] = (await stored()).slice(-1);
  t.equal(htmx.headers['hx-replace-url'], `${url}?before=${newer!.id + 1}`, 'the address of that page');

  const past = await eve.agent.get(`${url}?after=${newer!.id}`);
  t.match(mainText(past.body), 'There are no tasks on this page. Show the first tasks');
  for (const q of ['?after=x', '?before=-1', '?after=1e3', '?after[]=1', '?before=99999999999999999999', '?after=007']) {
    const res = await eve.agent.get(url + q);
    t.equal(res.statusCode, 200, q);
    t.same(taskIds(res.body), ids.slice(0, N), `${q}: the first page`);
  }
});

t.test('the page sends the same number of statements for few and many tasks', async (t) => {
  const { db, account, project, eve, rae, url, stats } = await setup(t);
  const grow = (n: number) => db.insert(projectTasks).values(Array.from({ length: n }, (_, i) => ({ accountId: account.id, projectId: project, title: `Task ${i}`, done: i % 3 === 0 })));
  await grow(3);
  const measure = async () => {
    const editor = await statements(stats, () => eve.agent.get(url));
    const reader = await statements(stats, () => rae.agent.get(url));
    const next = link((await eve.agent.get(url)).body, 'next');
    return { editor, reader, next: next ? await statements(stats, () => eve.agent.get(next)) : undefined };
  };
  await measure();
  const small = await measure();
  await grow(400);
  const large = await measure();
  t.comment(`statements with 3 tasks: ${JSON.stringify(small)}; with 403: ${JSON.stringify(large)}`);
  t.equal(large.editor, small.editor, 'independent of the number of tasks');
  t.equal(large.reader, small.reader);
  t.equal(large.next, small.editor, 'a later page: the same');
  t.ok(small.editor <= 4, `the page: ${small.editor} statements`);
  // asked again, the page is kept under the versions read with the session (src/projects/section-cache.ts)
  await eve.agent.get(url);
  const before = stats.queries;
  t.equal((await eve.agent.get(url)).statusCode, 200);
  t.equal(stats.queries - before, 1, 'asked again: the session’s statement alone');
  // a change written anywhere (here: straight into the table) is on the next page
  await db.update(projectTasks).set({ title: 'Renamed behind the cache' }).where(eq(projectTasks.projectId, project));
  t.match((await eve.agent.get(url)).body, 'Renamed behind the cache', 'a rename is on the next page');
});

t.test('rows kept with the cached page: every form carries the request’s own token, editors and readers get their own rows, messages are never kept', async (t) => {
  const { project, eve, rae, url, insertTask } = await setup(t);
  const a = await insertTask('Draft');
  await insertTask('Review');
  const tokens = (body: string) => [...body.matchAll(/<input type="hidden" name="_csrf" value="([^"]*)">/g)].map((m) => m[1]);
  const metaToken = (body: string) => /<meta name="csrf-token" content="([^"]+)">/.exec(body)?.[1];
  const [first, second, third] = [(await eve.agent.get(url)).body, (await eve.agent.get(url)).body, (await eve.agent.get(url)).body];
  const bodies = [first, second, third];
  for (const [i, body] of bodies.entries()) {
    t.equal(tokens(/<tbody>[^]*<\/tbody>/.exec(body)![0]).length, 4, `request ${i + 1}: two forms per task`);
    t.same(new Set(tokens(body)), new Set([metaToken(body)]), `request ${i + 1}: each form has the request's own token`);
  }
  t.equal(third, second.replaceAll(metaToken(second)!, metaToken(third)!), 'the same page but for the token');
  // the kept rows' token works: "Done" sent with the third (kept) page's token
  const done = await eve.agent.post(`${url}/${a.id}/done`, { done: 'on', _csrf: tokens(third)[1] }, { csrf: false });
  t.equal(done.statusCode, 303, 'the token put into kept rows is accepted');

  // a reader asks for the same page (kept for an editor a moment ago): the text, no forms; and the other way round
  await eve.agent.get(url);
  const read = await rae.agent.get(url);
  t.notMatch(read.body, '<form class="autosave"', 'a reader gets no editor’s rows');
  t.match(mainText(read.body), 'Done Task Yes Draft No Review');
  t.match((await eve.agent.get(url)).body, '<form class="autosave"', 'and an editor no reader’s');

  // a refused rename shows its message in the row; the next page shows none (a row with a message is not kept)
  const refused = await eve.agent.post(`${url}/${a.id}/title`, { title: '' });
  t.equal(refused.statusCode, 422);
  t.match(refused.body, `id="title-${a.id}-error"`);
  t.notMatch((await eve.agent.get(url)).body, 'class="error-message"', 'the message is not kept');
  t.ok(project);
});

t.test('a lock or a deletion that lands after the guard: the change finds it in its transaction and writes nothing', async (t) => {
  const { db, account, project, eve, insertTask, stored } = await setup(t);
  const actor = { accountId: account.id, personId: eve.id };
  const task = await insertTask('Before the lock');
  await db.update(projects).set({ lockedAt: new Date(), lockedBy: eve.id }).where(eq(projects.id, project));
  t.same(await addTask(db, actor, project, 'After the lock'), { ok: false, reason: 'locked' });
  t.same(await renameTask(db, actor, project, task.id, 'Renamed'), { result: 'locked' });
  t.same(await setTaskDone(db, actor, project, task.id, true), { result: 'locked' });
  t.same(await setTaskDone(db, { ...actor, accountId: 'another-account' }, project, task.id, true), { result: 'missing' }, "another account's project");
  t.same(await stored(), [{ id: task.id, title: 'Before the lock', done: false }]);
  for (const kind of ['task.added', 'task.renamed', 'task.done']) t.same(await historyOf(db, kind), [], `no ${kind}`);
});
