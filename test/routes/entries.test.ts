// Lists, Mind maps, Planning and Documents (SPEC §8): one implementation of titled entries under four sections. Each
// section's page, add, rename and delete with and without htmx, bad titles refused, history entries, entries of
// another section, project or account and odd ids answered 404, keyset pages, and the page's statement count.
import { eq } from 'drizzle-orm';
import t from 'tap';
import { newId } from '../../src/crypto.js';
import type { Db } from '../../src/db/client.js';
import { accounts, persons, projectEntries, projectRoles, projects } from '../../src/db/schema.js';
import { signIn, signUp } from '../helpers/agent.js';
import { insertPerson } from '../helpers/factories.js';
import { signedUpAccount } from '../helpers/signed-up.js';
import { historyOf, mainText, setRolePermissions, statements } from '../helpers/project-pages.js';

const PASSWORD = 'a long enough password';
type Test = Parameters<typeof signedUpAccount>[0];
type Section = 'lists' | 'mindmaps' | 'planning' | 'documents';

const SECTIONS: { section: Section; slug: string; name: string; one: string; label: string }[] = [
  { section: 'lists', slug: 'lists', name: 'Lists', one: 'list', label: 'List title' },
  { section: 'mindmaps', slug: 'mind-maps', name: 'Mind maps', one: 'mind map', label: 'Mind map title' },
  { section: 'planning', slug: 'planning', name: 'Planning', one: 'plan', label: 'Plan title' },
  { section: 'documents', slug: 'documents', name: 'Documents', one: 'document', label: 'Document title' },
];

const entriesOf = async (db: Db, projectId: string) =>
  (await db.select().from(projectEntries).where(eq(projectEntries.projectId, projectId)).orderBy(projectEntries.id)).map((e) => `${e.section}:${e.title}`);

/** An organization with a project "Apollo" that Mia manages (Managers read and edit every titled section). */
async function setup(t: Test) {
  const ctx = await signedUpAccount(t);
  const { db, account, app } = ctx;
  const project = newId();
  await db.insert(projects).values({ id: project, accountId: account.id, name: 'Apollo' });
  const mia = await insertPerson(db, { name: 'Mia Manager', email: 'mia@acme.test', license: 'read_write', password: PASSWORD });
  await db.insert(projectRoles).values({ accountId: account.id, projectId: project, roleKey: 'managers', personId: mia.id });
  const manager = await signIn(app, 'mia@acme.test', PASSWORD);
  const insertEntry = async (section: Section, title: string, p: { projectId?: string; accountId?: string; createdBy?: string | null } = {}) => {
    const [row] = await db
      .insert(projectEntries)
      .values({ accountId: p.accountId ?? account.id, projectId: p.projectId ?? project, section, title, createdBy: p.createdBy === undefined ? mia.id : p.createdBy })
      .returning();
    return row!;
  };
  return { ...ctx, project, mia, manager, insertEntry };
}

t.test('each section: its page, "Add" with and without htmx, history; a reader sees the entries without forms', async (t) => {
  const { app, db, account, project, mia, manager } = await setup(t);
  await setRolePermissions(db, account.id, 'additional', ['lists.read', 'mindmaps.read', 'planning.read', 'documents.read']);
  const rae = await insertPerson(db, { name: 'Rae Reader', email: 'rae@acme.test', license: 'read_write', password: PASSWORD });
  await db.insert(projectRoles).values({ accountId: account.id, projectId: project, roleKey: 'additional', personId: rae.id });
  const reader = await signIn(app, 'rae@acme.test', PASSWORD);

  for (const { section, slug, name, one, label } of SECTIONS) {
    const url = `/projects/${project}/${slug}`;
    const empty = await manager.get(url);
    t.equal(empty.statusCode, 200, `${name}: the page`);
    t.match(empty.body, `<h1>${name}: Apollo</h1>`);
    t.match(empty.body, `<title>${name} – Apollo – Accord</title>`);
    t.match(empty.body, `<label for="title">${label}</label>`, 'the add form, labelled for the section');
    t.match(empty.body, `>Add ${one}</button>`);
    t.match(mainText(empty.body), `This project has no ${one === 'plan' ? 'plans' : `${one}s`} yet.`);
    t.notMatch(empty.body, 'will hold', 'not the generic section page');

    const added = await manager.post(url, { title: `  First ${one}  ` });
    t.equal(added.statusCode, 303, `${name}: added without JavaScript`);
    t.equal(added.headers.location, `${url}?notice=entry-added`);
    const after = await manager.get(added.headers.location as string);
    t.match(after.body, `<div id="live-status" class="notice" role="status">Saved. ${one[0]!.toUpperCase()}${one.slice(1)} added.</div>`);
    t.match(mainText(after.body), `First ${one} Mia Manager`, 'listed with its author');

    const viaHtmx = await manager.post(url, { title: `Second ${one}` }, { htmx: true });
    t.equal(viaHtmx.statusCode, 200, `${name}: added with htmx`);
    t.notMatch(viaHtmx.body, '<h1');
    t.match(viaHtmx.body, 'autofocus', 'the field, empty and focused for the next one');
    t.match(viaHtmx.body, `value=""`);
    t.match(viaHtmx.body, `<hx-partial hx-target="#live-status" hx-swap="innerHTML">Saved. ${one[0]!.toUpperCase()}${one.slice(1)} “Second ${one}” added.</hx-partial>`);
    t.match(viaHtmx.body, /<hx-partial hx-target="#entries" hx-swap="innerHTML">[\s\S]*Second [\s\S]*First /, 'the entries, newest first');

    const read = await reader.get(url);
    t.equal(read.statusCode, 200, `${name}: a reader`);
    t.match(mainText(read.body), `Second ${one} Mia Manager`);
    t.notMatch(read.body, 'name="title"', 'no forms');
    t.notMatch(read.body, '/delete"', 'no Delete');
    t.equal((await reader.post(url, { title: 'Nope' })).statusCode, 403, 'a reader may not add');
  }
  t.same(
    (await historyOf(db, 'entry.added')).map((e) => [e.subjectType, e.subjectId, e.actorId, e.before, e.after]),
    SECTIONS.flatMap(({ section, one }) => [
      ['project', project, mia.id, null, { section, title: `First ${one}` }],
      ['project', project, mia.id, null, { section, title: `Second ${one}` }],
    ]),
    'one entry.added per addition, the section and the title',
  );
  t.equal((await entriesOf(db, project)).length, 8);
});

t.test('bad titles: 422 with the error summary and the message at the field, nothing saved', async (t) => {
  const { db, project, manager, insertEntry } = await setup(t);
  const entry = await insertEntry('planning', 'Roadmap');
  const url = `/projects/${project}/planning`;
  for (const htmx of [false, true]) {
    for (const [what, title, message] of [
      ['empty', '   ', 'Enter a plan title'],
      ['201 characters', 'x'.repeat(201), 'Plan title must be 200 characters or fewer'],
      ['repeated', ['a', 'b'], 'Enter a plan title'],
    ] as [string, string | string[], string][]) {
      const res = await manager.post(url, { title }, { htmx });
      t.equal(res.statusCode, 422, `add, ${what}${htmx ? ' (htmx)' : ''}: 422`);
      t.match(res.body, `<a href="#title">${message}</a>`, 'in the error summary');
      t.match(res.body, `id="title-error"><span class="visually-hidden">Error:</span> ${message}`, 'at the field');
      if (htmx) t.notMatch(res.body, '<h1', 'htmx: the field and the error summary only');

      const renamed = await manager.post(`${url}/${entry.id}/title`, { title }, { htmx });
      t.equal(renamed.statusCode, 422, `rename, ${what}${htmx ? ' (htmx)' : ''}: 422`);
      t.match(renamed.body, `<a href="#title-${entry.id}">${message}</a>`, 'in the error summary, linking to the entry’s field');
      t.match(renamed.body, `id="title-${entry.id}-error"><span class="visually-hidden">Error:</span> ${message}`, 'at the field');
      t.match(renamed.body, '<details open>', 'its form open');
      if (htmx) t.notMatch(renamed.body, '<h1');
    }
  }
  t.match((await manager.post(url, { title: 'x'.repeat(200) })).statusCode, 303, '200 characters are fine');
  t.same(await entriesOf(db, project), ['planning:Roadmap', `planning:${'x'.repeat(200)}`], 'nothing else saved, nothing renamed');
  t.equal((await historyOf(db, 'entry.renamed')).length, 0);
});

t.test('rename and delete, with and without htmx; history; the same title changes nothing', async (t) => {
  const { db, project, mia, manager, insertEntry } = await setup(t);
  const url = `/projects/${project}/documents`;
  const spec = await insertEntry('documents', 'Specification');
  const notes = await insertEntry('documents', 'Notes');

  const page = await manager.get(url);
  t.match(page.body, `<summary id="rename-${spec.id}">Rename<span class="visually-hidden"> Specification</span></summary>`);
  t.match(page.body, `<label for="title-${spec.id}">New title<span class="visually-hidden"> for Specification</span></label>`);
  t.match(page.body, `<a href="${url}/${spec.id}/delete">Delete<span class="visually-hidden"> Specification</span></a>`);

  const renamed = await manager.post(`${url}/${spec.id}/title`, { title: 'Spec v2' });
  t.equal(renamed.statusCode, 303);
  t.equal(renamed.headers.location, `${url}?notice=entry-renamed`);
  t.match((await manager.get(renamed.headers.location as string)).body, 'Saved. Document renamed.');
  const same = await manager.post(`${url}/${spec.id}/title`, { title: ' Spec v2 ' });
  t.equal(same.headers.location, `${url}?notice=entry-unchanged`, 'the same title: nothing changed');
  t.match((await manager.get(same.headers.location as string)).body, 'Nothing changed: the document already had this title.');

  const htmx = await manager.post(`${url}/${notes.id}/title`, { title: 'Meeting notes' }, { htmx: true });
  t.equal(htmx.statusCode, 200);
  t.notMatch(htmx.body, '<h1');
  t.match(htmx.body, `<summary id="rename-${notes.id}" autofocus>`, 'focus back on the entry’s Rename');
  t.match(htmx.body, '<hx-partial hx-target="#live-status" hx-swap="innerHTML">Saved. The document is called “Meeting notes” now.</hx-partial>');
  t.match(htmx.body, '<th scope="row">Meeting notes</th>');
  t.same(await entriesOf(db, project), ['documents:Spec v2', 'documents:Meeting notes']);
  t.same((await historyOf(db, 'entry.renamed')).map((e) => [e.actorId, e.before, e.after]), [
    [mia.id, { section: 'documents', title: 'Specification' }, { section: 'documents', title: 'Spec v2' }],
    [mia.id, { section: 'documents', title: 'Notes' }, { section: 'documents', title: 'Meeting notes' }],
  ]);

  const confirm = await manager.get(`${url}/${spec.id}/delete`);
  t.equal(confirm.statusCode, 200);
  t.match(confirm.body, '<h2 id="delete-heading">Delete the document “Spec v2”?</h2>', 'names the entry');
  t.match(confirm.body, '<h1>Documents: Apollo</h1>', 'under the section’s header');
  t.match(mainText(confirm.body), 'It was added by Mia Manager on');
  t.match(confirm.body, '>Delete document</button>');
  t.match(confirm.body, `<a href="${url}">Cancel</a>`);
  const deleted = await manager.post(`${url}/${spec.id}/delete`);
  t.equal(deleted.statusCode, 303);
  t.equal(deleted.headers.location, `${url}?notice=entry-deleted`);
  t.match((await manager.get(deleted.headers.location as string)).body, 'Document deleted.');
  const viaHtmx = await manager.post(`${url}/${notes.id}/delete`, {}, { htmx: true });
  t.equal(viaHtmx.headers['hx-redirect'], `${url}?notice=entry-deleted`, 'htmx: a full page load of the section');
  t.same(await entriesOf(db, project), []);
  t.same((await historyOf(db, 'entry.deleted')).map((e) => [e.actorId, e.before, e.after]), [
    [mia.id, { section: 'documents', title: 'Spec v2' }, null],
    [mia.id, { section: 'documents', title: 'Meeting notes' }, null],
  ]);
  t.equal((await manager.post(`${url}/${spec.id}/delete`)).statusCode, 404, 'deleted already: 404');
  t.equal((await manager.get(`${url}/${spec.id}/delete`)).statusCode, 404);

  // an author who is gone: "Deleted person"
  const gone = await insertEntry('documents', 'Orphan', { createdBy: null });
  t.match(mainText((await manager.get(url)).body), 'Orphan Deleted person');
  t.match(mainText((await manager.get(`${url}/${gone.id}/delete`)).body), 'It was added by Deleted person on');
});

t.test('404: an entry of another section, project or account, odd ids; another account’s project', async (t) => {
  const { app, db, account, project, manager, insertEntry } = await setup(t);
  const list = await insertEntry('lists', 'Groceries');
  const other = newId();
  await db.insert(projects).values({ id: other, accountId: account.id, name: 'Other' });
  const elsewhere = await insertEntry('lists', 'Elsewhere', { projectId: other });
  await signUp(app, { email: 'olga@other.test', organizationName: 'Other Ltd' });
  const [otherAccount] = await db.select().from(accounts).where(eq(accounts.name, 'Other Ltd'));
  const [olga] = await db.select().from(persons).where(eq(persons.email, 'olga@other.test'));
  const foreignProject = newId();
  await db.insert(projects).values({ id: foreignProject, accountId: otherAccount!.id, name: 'Foreign' });
  await db.insert(projectRoles).values({ accountId: otherAccount!.id, projectId: foreignProject, roleKey: 'managers', personId: olga!.id });
  const foreign = await insertEntry('lists', 'Foreign list', { projectId: foreignProject, accountId: otherAccount!.id, createdBy: olga!.id });

  const lists = `/projects/${project}/lists`;
  const cases: [string, string][] = [
    ['another section', `/projects/${project}/mind-maps/${list.id}`],
    ['another project', `${lists}/${elsewhere.id}`],
    ['another account', `${lists}/${foreign.id}`],
    ...['x', '1e309', '-1', '0', '01', '1.5', '99999999999999999999', '9007199254740993', '%00'].map((id) => [`odd id ${id}`, `${lists}/${id}`] as [string, string]),
  ];
  for (const [what, base] of cases) {
    for (const htmx of [false, true]) {
      t.equal((await manager.post(`${base}/title`, { title: 'Renamed' }, { htmx })).statusCode, 404, `${what}: rename 404${htmx ? ' (htmx)' : ''}`);
      t.equal((await manager.post(`${base}/title`, { title: '' }, { htmx })).statusCode, 404, `${what}: a bad rename 404 too`);
      t.equal((await manager.get(`${base}/delete`, { htmx })).statusCode, 404, `${what}: delete page 404`);
      t.equal((await manager.post(`${base}/delete`, {}, { htmx })).statusCode, 404, `${what}: delete 404`);
    }
  }
  t.same(await entriesOf(db, project), ['lists:Groceries']);
  t.equal((await db.select().from(projectEntries)).length, 3, 'nothing deleted anywhere');

  const foreignUrl = `/projects/${foreignProject}/lists`;
  t.equal((await manager.get(foreignUrl)).statusCode, 404, "another account's project");
  t.equal((await manager.post(foreignUrl, { title: 'Mine' })).statusCode, 404);
  t.equal((await manager.post(`${foreignUrl}/${foreign.id}/title`, { title: 'Mine' })).statusCode, 404);
  t.equal((await manager.post(`${foreignUrl}/${foreign.id}/delete`)).statusCode, 404);
  t.same((await historyOf(db, 'entry.renamed')).length + (await historyOf(db, 'entry.deleted')).length, 0);
  t.equal((await manager.get(`/projects/${project}/lists?older=x&newer=1e309`)).statusCode, 200, 'an odd page position: the first page');
});

t.test('a locked project: pages readable without forms, every change refused with the locked page', async (t) => {
  const { db, project, mia, manager, insertEntry } = await setup(t);
  const entry = await insertEntry('mindmaps', 'Ideas');
  await db.update(projects).set({ lockedAt: new Date('2025-03-01T10:00:00Z'), lockedBy: mia.id }).where(eq(projects.id, project));
  const url = `/projects/${project}/mind-maps`;
  const page = await manager.get(url);
  t.equal(page.statusCode, 200);
  t.match(mainText(page.body), 'This project is locked This project was locked for editing by Mia Manager on');
  t.match(mainText(page.body), 'Ideas Mia Manager');
  t.notMatch(page.body, 'name="title"', 'no forms');
  t.notMatch(page.body, 'Delete<', 'no Delete');
  for (const [what, post, body] of [
    ['add', url, { title: 'More' }],
    ['rename', `${url}/${entry.id}/title`, { title: 'More' }],
    ['delete', `${url}/${entry.id}/delete`, {}],
  ] as const) {
    const res = await manager.post(post, body);
    t.equal(res.statusCode, 403, `${what}: 403`);
    t.match(res.body, '<h1>This project is locked</h1>');
    t.equal((await manager.post(post, body, { htmx: true })).statusCode, 403, `${what} (htmx): 403`);
  }
  t.equal((await manager.get(`${url}/${entry.id}/delete`)).statusCode, 403, 'the delete page too');
  t.same(await entriesOf(db, project), ['mindmaps:Ideas']);
});

t.test('keyset pages of 50, newest first: Older and Newer', async (t) => {
  const { db, account, project, manager, mia } = await setup(t);
  await db.insert(projectEntries).values(Array.from({ length: 120 }, (_, i) => ({ accountId: account.id, projectId: project, section: 'lists' as const, title: `List ${String(i + 1).padStart(3, '0')}`, createdBy: mia.id })));
  const url = `/projects/${project}/lists`;
  const titles = (body: string) => [...body.matchAll(/<th scope="row">([^<]+)<\/th>/g)].map((m) => m[1]);
  const link = (body: string, rel: 'prev' | 'next') => new RegExp(`<a href="([^"]+)" rel="${rel}">`).exec(body)?.[1]?.replace(/&amp;/g, '&');

  const first = (await manager.get(url)).body;
  t.equal(titles(first).length, 50);
  t.equal(titles(first)[0], 'List 120');
  t.equal(link(first, 'prev'), undefined, 'no Newer on the first page');
  const second = (await manager.get(link(first, 'next')!)).body;
  t.same([titles(second)[0], titles(second).at(-1)], ['List 070', 'List 021']);
  const third = (await manager.get(link(second, 'next')!)).body;
  t.same([titles(third).length, titles(third)[0], titles(third).at(-1)], [20, 'List 020', 'List 001']);
  t.equal(link(third, 'next'), undefined, 'no Older on the last page');
  const back = (await manager.get(link(third, 'prev')!)).body;
  t.same(titles(back), titles(second), 'Newer goes back a page');
  t.match(second, `<input type="hidden" name="older" value="${new URL(link(first, 'next')!, 'http://x').searchParams.get('older')}">`, 'the rename forms keep the page');
  t.match(back, '<input type="hidden" name="newer" value="', 'a newer page too');

  // renaming on the second page goes back to it
  const id = Number(/id="entry-(\d+)"/.exec(second)![1]);
  const at = new URL(link(first, 'next')!, 'http://x').searchParams.get('older')!;
  const renamed = await manager.post(`${url}/${id}/title`, { title: 'Renamed', older: at });
  t.equal(renamed.headers.location, `${url}?older=${at}&notice=entry-renamed`);
  const past = await manager.get(`${url}?older=1`);
  t.equal(past.statusCode, 200);
  t.match(mainText(past.body), 'There are no lists on this page. Go to the newest lists');
});

t.test('a section page sends the same number of statements for few and many entries', async (t) => {
  const { db, account, project, manager, stats, mia } = await setup(t);
  const grow = (n: number) =>
    db.insert(projectEntries).values(Array.from({ length: n }, (_, i) => ({ accountId: account.id, projectId: project, section: 'documents' as const, title: `Doc ${i}`, createdBy: mia.id })));
  const url = `/projects/${project}/documents`;
  await grow(3);
  await statements(stats, () => manager.get(url));
  const small = { page: await statements(stats, () => manager.get(url)), older: await statements(stats, () => manager.get(`${url}?older=999999`)) };
  await grow(200);
  const large = { page: await statements(stats, () => manager.get(url)), older: await statements(stats, () => manager.get(`${url}?older=999999`)) };
  t.comment(`statements with 3 entries: ${JSON.stringify(small)}; with 203: ${JSON.stringify(large)}`);
  t.same(large, small, 'independent of the number of entries');
  t.ok(small.page <= 4, `the page: ${small.page} statements`);
  await db.update(projects).set({ lockedAt: new Date(), lockedBy: mia.id }).where(eq(projects.id, project));
  t.equal(await statements(stats, () => manager.get(url)), small.page + 1, 'locked: one more, for the lock’s author');
});

t.test('CSRF on every POST', async (t) => {
  const { db, project, manager, insertEntry } = await setup(t);
  const entry = await insertEntry('lists', 'Groceries');
  const url = `/projects/${project}/lists`;
  await manager.get(url);
  for (const [post, body] of [[url, { title: 'X' }], [`${url}/${entry.id}/title`, { title: 'X' }], [`${url}/${entry.id}/delete`, {}]] as const) {
    t.equal((await manager.post(post, body, { csrf: false })).statusCode, 403, `no token: ${post.replace(url, '') || 'add'}`);
  }
  t.same(await entriesOf(db, project), ['lists:Groceries']);
});
