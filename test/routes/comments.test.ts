// A project's Comments section, its diary (SPEC §8): reading (newest first, pages of 50, authors, "Deleted person",
// line breaks, escaping), adding (with and without htmx, bad input, history), deleting one's own or anyone's with
// a confirmation (who sees which "Delete", odd ids, history), and the statement count of the page.
import { eq, sql } from 'drizzle-orm';
import t from 'tap';
import { newId } from '../../src/crypto.js';
import { addComment, deleteComment } from '../../src/projects/comments.js';
import { accounts, persons, projectComments, projectRoles, projects } from '../../src/db/schema.js';
import type { RoleKey } from '../../src/permissions/roles.js';
import { signIn, signUp } from '../helpers/agent.js';
import { insertPerson } from '../helpers/factories.js';
import { signedUpAccount } from '../helpers/signed-up.js';
import { historyOf, mainText, setRolePermissions, statements } from '../helpers/project-pages.js';

const PASSWORD = 'a long enough password';
type Test = Parameters<typeof signedUpAccount>[0];

const commentIds = (body: string) => [...body.matchAll(/<li class="comment" id="comment-(\d+)">/g)].map((m) => Number(m[1]));

/**
 * A project "Apollo" and its people: Mia (Managers: add, delete own), Dan (Team: add and delete anyone's), Rae
 * (Additional: read only), Rolf (Managers, Read-Only license), Nils (Partners: the project, not its comments).
 */
async function setup(t: Test) {
  const ctx = await signedUpAccount(t);
  const { db, account, app } = ctx;
  const project = newId();
  await db.insert(projects).values({ id: project, accountId: account.id, name: 'Apollo' });
  await setRolePermissions(db, account.id, 'managers', ['project.read', 'comments.read', 'comments.add', 'comments.deleteOwn']);
  await setRolePermissions(db, account.id, 'team', ['comments.read', 'comments.add', 'comments.delete']);
  await setRolePermissions(db, account.id, 'additional', ['comments.read']);
  await setRolePermissions(db, account.id, 'partners', ['project.read']);
  const person = async (name: string, email: string, role: RoleKey, license: 'read_write' | 'read_only' = 'read_write') => {
    const p = await insertPerson(db, { name, email, license, password: PASSWORD });
    await db.insert(projectRoles).values({ accountId: account.id, projectId: project, roleKey: role, personId: p.id });
    return { ...p, agent: await signIn(app, email, PASSWORD) };
  };
  const mia = await person('Mia Manager', 'mia@acme.test', 'managers');
  const dan = await person('Dan Deleter', 'dan@acme.test', 'team');
  const rae = await person('Rae Reader', 'rae@acme.test', 'additional');
  const rolf = await person('Rolf Readonly', 'rolf@acme.test', 'managers', 'read_only');
  const nils = await person('Nils Noread', 'nils@acme.test', 'partners');
  const url = `/projects/${project}/comments`;
  const insertComment = async (authorId: string | null, body: string, createdAt?: Date, projectId = project) => {
    const [row] = await db.insert(projectComments).values({ accountId: account.id, projectId, authorId, body, ...(createdAt && { createdAt }) }).returning();
    return row!;
  };
  const stored = async () => db.select().from(projectComments).where(eq(projectComments.projectId, project)).orderBy(projectComments.id);
  return { ...ctx, project, mia, dan, rae, rolf, nils, url, insertComment, stored };
}

t.test('reading: newest first, authors and dates, "Deleted person", line breaks kept, text escaped; who sees the form', async (t) => {
  const { db, account, app, project, mia, dan, rae, rolf, nils, url, insertComment } = await setup(t);
  const empty = await mia.agent.get(url);
  t.equal(empty.statusCode, 200);
  t.match(empty.body, '<h1>Comments: Apollo</h1>', 'the project header');
  t.match(mainText(empty.body), 'No comments yet. Add the first one with the form above.');
  t.notMatch(empty.body, 'Comments will hold', 'the real page, not the generic section page');

  const gone = await insertPerson(db, { name: 'Gus Gone', email: 'gus@acme.test' });
  await insertComment(mia.id, 'Kick-off on Monday.', new Date('2025-03-01T09:00:00Z'));
  const byGus = await insertComment(gone.id, 'First line\nsecond line\n\nA new paragraph <script>alert(1)</script> & more', new Date('2025-03-02T10:30:00Z'));
  await insertComment(dan.id, 'Newest', new Date('2025-03-03T08:15:00Z'));
  await db.delete(persons).where(eq(persons.id, gone.id));
  t.equal((await db.select().from(projectComments).where(eq(projectComments.id, byGus.id)))[0]!.authorId, null, 'the author is gone');

  const page = await rae.agent.get(url);
  t.equal(page.statusCode, 200);
  const text = mainText(page.body);
  t.match(text, /Dan Deleter 3 Mar 2025, 08:15 UTC Newest Deleted person 2 Mar 2025, 10:30 UTC First line second line A new paragraph/, 'newest first, with author and date');
  t.match(text, 'Mia Manager 1 Mar 2025, 09:00 UTC Kick-off on Monday.');
  t.match(page.body, '<time datetime="2025-03-02T10:30:00.000Z">2 Mar 2025, 10:30 UTC</time>');
  t.match(page.body, '<p>First line<br>second line</p>', 'line breaks kept');
  t.match(page.body, '<p>A new paragraph &lt;script&gt;alert(1)&lt;/script&gt; &amp; more</p>', 'escaped; a blank line starts a paragraph');
  t.notMatch(page.body, '<script>alert(1)', 'never raw');
  t.notMatch(page.body, 'id="comment-form"', 'a reader: no form');
  t.notMatch(page.body, '/delete"', 'a reader: no Delete');

  const mine = await mia.agent.get(url);
  t.match(mine.body, '<label for="body">Comment</label>', 'Add project comments: the form');
  t.match(mine.body, '<button type="submit" class="button">Add comment</button>');
  t.equal([...mine.body.matchAll(/\/delete">Delete/g)].length, 1, 'Delete own project comments: one Delete link, her own');
  t.match(mine.body, 'Delete<span class="visually-hidden"> the comment by Mia Manager of 1 Mar 2025, 09:00 UTC</span>');
  t.equal([...(await dan.agent.get(url)).body.matchAll(/\/delete">Delete/g)].length, 3, 'Delete project comments: on every comment');
  const readOnly = await rolf.agent.get(url);
  t.equal(readOnly.statusCode, 200, 'Read-Only reads');
  t.notMatch(readOnly.body, 'id="comment-form"', 'Read-Only: no form');
  t.notMatch(readOnly.body, '/delete"', 'Read-Only: no Delete');

  const notFound = mainText((await nils.agent.get('/projects/no-such-project')).body);
  const hidden = await nils.agent.get(url);
  t.equal(hidden.statusCode, 404, 'without "Read project comments": 404');
  t.equal(mainText(hidden.body), notFound, 'the same 404 as a project that is not there');

  // locked: readable, no form, no Delete; the header says why
  await db.update(projects).set({ lockedAt: new Date('2025-04-01T12:00:00Z'), lockedBy: mia.id }).where(eq(projects.id, project));
  const locked = await dan.agent.get(url);
  t.equal(locked.statusCode, 200);
  t.match(locked.body, 'This project was locked for editing by Mia Manager on');
  t.notMatch(locked.body, 'id="comment-form"');
  t.notMatch(locked.body, '/delete"');

  // another account
  const other = await signUp(app, { email: 'olga@other.test', organizationName: 'Other Ltd' });
  const [otherAccount] = await db.select().from(accounts).where(eq(accounts.name, 'Other Ltd'));
  t.not(otherAccount!.id, account.id);
  t.equal((await other.get(url)).statusCode, 404, "another account's project: 404");
});

t.test('adding: without and with htmx, bad input refused with nothing saved, the history entry', async (t) => {
  const { db, project, mia, rae, rolf, nils, url, stored } = await setup(t);
  const res = await mia.agent.post(url, { body: '  Kick-off went well.\r\nNext: the budget.  ' });
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, `${url}?notice=comment-added`);
  const after = await mia.agent.get(res.headers.location as string);
  t.match(after.body, '<div id="live-status" class="notice" role="status">Comment added.</div>');
  t.match(after.body, '<p>Kick-off went well.<br>Next: the budget.</p>', 'trimmed, the line break kept');
  let rows = await stored();
  t.same(rows.map((r) => [r.authorId, r.body]), [[mia.id, 'Kick-off went well.\nNext: the budget.']]);
  const added = await historyOf(db, 'comment.added');
  t.same(added.map((e) => [e.actorId, e.subjectType, e.subjectId, e.before, e.after]), [[mia.id, 'project', project, null, { comment: String(rows[0]!.id) }]], 'the id, not the text');

  const htmx = await mia.agent.post(url, { body: 'Second' }, { htmx: true });
  t.equal(htmx.statusCode, 200);
  t.notMatch(htmx.body, '<h1', 'a fragment');
  t.match(htmx.body, /<form id="comment-form"[\s\S]*<textarea id="body" name="body" rows="4" aria-describedby="body-hint" autofocus><\/textarea>/, 'the form again, empty, the field focused');
  t.match(htmx.body, '<hx-partial hx-target="#comments" hx-swap="innerHTML">', 'the comments swapped in');
  t.match(htmx.body, '<hx-partial hx-target="#live-status" hx-swap="innerHTML">Comment added.</hx-partial>');
  t.match(htmx.body, /<hx-partial hx-target="#error-summary-slot" hx-swap="innerHTML">\s*<\/hx-partial>/, 'the error summary emptied');
  t.equal(htmx.headers['hx-replace-url'], url, 'the address: the newest comments');
  rows = await stored();
  t.same(commentIds(htmx.body), rows.map((r) => r.id).reverse(), 'newest first');

  const max = '😀'.repeat(5000);
  t.equal((await mia.agent.post(url, { body: max })).statusCode, 303, '5,000 characters (an emoji counts as one)');
  const count = (await stored()).length;
  for (const htmx of [false, true]) {
    for (const [what, body, message] of [
      ['empty', '  \r\n ', 'Enter a comment'],
      ['missing', undefined, 'Enter a comment'],
      ['5,001 characters', 'x'.repeat(5001), 'Comment must be 5,000 characters or fewer'],
      ['repeated', ['a', 'b'], 'Enter a comment'],
    ] as const) {
      const refused = await mia.agent.post(url, { body: body as string | string[] | undefined }, { htmx });
      t.equal(refused.statusCode, 422, `${what}${htmx ? ' (htmx)' : ''}: 422`);
      t.match(refused.body, `<a href="#body">${message}</a>`, 'in the error summary');
      t.match(refused.body, `id="body-error"><span class="visually-hidden">Error:</span> ${message}`, 'at the field');
      if (htmx) {
        t.notMatch(refused.body, '<h1', 'htmx: the form and the error summary only');
        t.match(refused.body, '<hx-partial hx-target="#error-summary-slot"');
      } else t.match(refused.body, '<title>Error: Comments – Apollo – Accord</title>');
    }
  }
  const long = await mia.agent.post(url, { body: 'y'.repeat(5001) });
  t.match(long.body, `>${'y'.repeat(5001)}</textarea>`, 'what was typed stays in the field');
  t.equal((await stored()).length, count, 'nothing saved');
  t.equal((await historyOf(db, 'comment.added')).length, 3);

  // refused: a reader, Read-Only, no access to comments, a locked project
  for (const [who, agent, status] of [['a reader', rae.agent, 403], ['Read-Only', rolf.agent, 403], ['no Read project comments', nils.agent, 404]] as const) {
    t.equal((await agent.post(url, { body: 'Hello' })).statusCode, status, `${who}: ${status}`);
    t.equal((await agent.post(url, { body: 'Hello' }, { htmx: true })).statusCode, status, `${who} with htmx: ${status}`);
  }
  t.match((await rae.agent.post(url, { body: 'Hello' })).body, 'needs the permission “Add project comments”');
  t.match((await rolf.agent.post(url, { body: 'Hello' })).body, 'Read-Only');
  await db.update(projects).set({ lockedAt: new Date(), lockedBy: mia.id }).where(eq(projects.id, project));
  const locked = await mia.agent.post(url, { body: 'Hello' });
  t.equal(locked.statusCode, 403, 'locked: 403');
  t.match(locked.body, 'This project is locked');
  const lockedHtmx = await mia.agent.post(url, { body: 'Hello' }, { htmx: true });
  t.equal(lockedHtmx.statusCode, 403);
  t.match(lockedHtmx.body, /^<hx-partial hx-target="#error-summary-slot"/, 'htmx: the reason in the error summary only');
  t.equal((await stored()).length, count, 'nothing saved');
  t.equal((await mia.agent.post(url, { body: 'Hello' }, { csrf: false })).statusCode, 403, 'no CSRF token: 403');
});

t.test('deleting: the confirmation, own and anyone’s, who may, odd ids, the history entry', async (t) => {
  const { app, db, account, project, mia, dan, rae, rolf, url, insertComment, stored } = await setup(t);
  const miaComment = await insertComment(mia.id, 'Mine\nall mine');
  const danComment = await insertComment(dan.id, 'Dan’s <b>comment</b>');
  const otherProject = newId();
  await db.insert(projects).values({ id: otherProject, accountId: account.id, name: 'Hermes' });
  const elsewhere = await insertComment(mia.id, 'In another project', undefined, otherProject);
  const del = (id: number | string) => `${url}/${id}/delete`;

  const confirm = await mia.agent.get(del(miaComment.id));
  t.equal(confirm.statusCode, 200);
  t.match(confirm.body, '<title>Delete this comment? – Comments – Apollo – Accord</title>');
  t.match(confirm.body, '<h2 id="delete-heading">Delete this comment?</h2>');
  t.match(confirm.body, /<blockquote>\s*<p>Mine<br>all mine<\/p>\s*<\/blockquote>/, 'the comment quoted');
  t.match(confirm.body, '<button type="submit" class="button button--warning">Delete comment</button>');
  t.match(confirm.body, `<a href="${url}">Cancel</a>`);

  // someone else's comment to a person who may delete only their own: 403 for the confirmation and the deletion,
  // with the reason
  const theirs = await mia.agent.get(del(danComment.id));
  t.equal(theirs.statusCode, 403, 'no confirmation of what she may not delete');
  t.match(theirs.body, 'This change needs the permission “Delete project comments” in this project.', 'says why');
  t.notMatch(theirs.body, 'Delete comment</button>', 'no button');
  const refused = await mia.agent.post(del(danComment.id), {});
  t.equal(refused.statusCode, 403);
  t.match(refused.body, 'needs the permission “Delete project comments”');
  t.equal((await mia.agent.post(del(danComment.id), {}, { htmx: true })).statusCode, 403, 'with htmx too');
  t.equal((await rae.agent.post(del(danComment.id), {})).statusCode, 403, 'a reader: 403');
  const readerPage = await rae.agent.get(del(danComment.id));
  t.equal(readerPage.statusCode, 403, 'a reader: 403 for the confirmation too');
  t.match(readerPage.body, 'needs the permission “Delete project comments”', 'a reader is told why');
  t.equal((await rolf.agent.get(del(miaComment.id))).statusCode, 403, 'Read-Only: 403 for the confirmation');
  t.match((await rolf.agent.post(del(miaComment.id), {})).body, 'Read-Only', 'Read-Only: 403');

  // odd, unknown and other projects' ids: 404 for the page and the deletion
  for (const id of ['x', '1e309', '-1', '0', '007', '1.5', '99999999999999999999', '9007199254740993', String(elsewhere.id), String(danComment.id + 1000)]) {
    t.equal((await dan.agent.get(del(id))).statusCode, 404, `GET ${id}: 404`);
    t.equal((await dan.agent.post(del(id), {})).statusCode, 404, `POST ${id}: 404`);
  }
  t.equal((await stored()).length, 2, 'nothing deleted');

  const own = await mia.agent.post(del(miaComment.id), {});
  t.equal(own.statusCode, 303, 'her own: deleted');
  t.equal(own.headers.location, `${url}?notice=comment-deleted`);
  t.match((await mia.agent.get(own.headers.location as string)).body, 'role="status">Comment deleted.</div>');
  t.equal((await mia.agent.post(del(miaComment.id), {})).statusCode, 404, 'again: 404');
  const any = await dan.agent.post(del(danComment.id), {}, { htmx: true });
  t.equal(any.statusCode, 200, 'htmx: a redirect for htmx');
  t.equal(any.headers['hx-redirect'], `${url}?notice=comment-deleted`);
  t.same(await stored(), [], 'both gone');
  const kept = await db.select().from(projectComments).where(eq(projectComments.id, elsewhere.id));
  t.equal(kept.length, 1, 'the other project keeps its comment');
  t.same((await historyOf(db, 'comment.deleted')).map((e) => [e.actorId, e.subjectId, e.before, e.after]), [
    [mia.id, project, { comment: String(miaComment.id), person: mia.id }, null],
    [dan.id, project, { comment: String(danComment.id), person: dan.id }, null],
  ]);

  // anyone's, including a deleted person's
  const gone = await insertPerson(db, { name: 'Gus Gone', email: 'gus@acme.test' });
  const orphan = await insertComment(gone.id, 'Orphan');
  await db.delete(persons).where(eq(persons.id, gone.id));
  t.match((await dan.agent.get(del(orphan.id))).body, 'Deleted person, <time');
  t.equal((await mia.agent.post(del(orphan.id), {})).statusCode, 403, 'a deleted person’s comment is not Mia’s own');
  t.equal((await dan.agent.post(del(orphan.id), {})).statusCode, 303);
  t.same((await historyOf(db, 'comment.deleted')).at(-1)!.before, { comment: String(orphan.id), person: null });

  // the history page names the author
  const admin = await signIn(app, 'ada@acme.test', 'correct horse battery');
  const history = mainText((await admin.get('/settings/history?kind=comment.deleted')).body);
  t.match(history, `Person: Mia Manager Comment: ${miaComment.id}`);

  // locked: the confirmation and the deletion are refused with the locked project's 403 page
  const last = await insertComment(dan.id, 'Last');
  await db.update(projects).set({ lockedAt: new Date(), lockedBy: mia.id }).where(eq(projects.id, project));
  const lockedPage = await dan.agent.get(del(last.id));
  t.equal(lockedPage.statusCode, 403);
  t.match(lockedPage.body, 'This project is locked');
  t.notMatch(lockedPage.body, 'Delete comment</button>');
  t.equal((await dan.agent.post(del(last.id), {})).statusCode, 403);
  t.equal((await stored()).length, 1);
});

t.test('pages of 50, newest first, with "Older comments" and "Newer comments"', async (t) => {
  const { db, account, project, mia, url, insertComment } = await setup(t);
  // 120 comments; several share a creation time to the microsecond, one differs by a microsecond only
  const at = (i: number) => new Date(Date.UTC(2025, 0, 1) + Math.floor(i / 3) * 60_000);
  const ids: number[] = [];
  for (let i = 0; i < 120; i++) ids.push((await insertComment(mia.id, `Comment ${i}`, at(i))).id);
  const newestFirst = [...ids].reverse();
  const first = await mia.agent.get(url);
  t.same(commentIds(first.body), newestFirst.slice(0, 50), 'the newest 50');
  t.notMatch(first.body, 'Newer comments');
  const older = /<a href="([^"]+)" rel="next">Older comments<\/a>/.exec(first.body)![1]!.replace(/&amp;/g, '&');
  const second = await mia.agent.get(older);
  t.same(commentIds(second.body), newestFirst.slice(50, 100));
  const third = await mia.agent.get(/<a href="([^"]+)" rel="next">Older comments<\/a>/.exec(second.body)![1]!);
  t.same(commentIds(third.body), newestFirst.slice(100), 'the oldest 20');
  t.notMatch(third.body, 'Older comments', 'the end');
  const back = await mia.agent.get(/<a href="([^"]+)" rel="prev">Newer comments<\/a>/.exec(third.body)![1]!);
  t.same(commentIds(back.body), newestFirst.slice(50, 100), 'back: the middle page');
  const top = await mia.agent.get(/<a href="([^"]+)" rel="prev">Newer comments<\/a>/.exec(back.body)![1]!);
  t.same(commentIds(top.body), newestFirst.slice(0, 50), 'back to the newest');
  t.notMatch(top.body, 'Newer comments');

  // comments a microsecond apart (within one millisecond, in reverse id order): the pages split them exactly
  await db.delete(projectComments).where(eq(projectComments.projectId, project));
  await db.execute(sql`insert into project_comments (account_id, project_id, author_id, body, created_at)
    select ${account.id}, ${project}, ${mia.id}, 'Fast ' || i, timestamptz '2025-02-01 10:00:00.5+00' - i * interval '1 microsecond'
    from generate_series(1, 60) i`);
  const fast = (await db.select({ id: projectComments.id }).from(projectComments).where(eq(projectComments.projectId, project)).orderBy(projectComments.id)).map((r) => r.id);
  const p1 = await mia.agent.get(url);
  t.same(commentIds(p1.body), fast.slice(0, 50), 'the newest 50 (the first inserted, a microsecond later each)');
  const p2 = await mia.agent.get(/<a href="([^"]+)" rel="next">Older comments<\/a>/.exec(p1.body)![1]!);
  t.same(commentIds(p2.body), fast.slice(50), 'the other 10: none lost, none twice');
  const p3 = await mia.agent.get(/<a href="([^"]+)" rel="prev">Newer comments<\/a>/.exec(p2.body)![1]!);
  t.same(commentIds(p3.body), fast.slice(0, 50), 'and back');

  // a page past the end, and odd cursors (the newest page)
  const past = await mia.agent.get(`${url}?older=1-1`);
  t.equal(past.statusCode, 200);
  t.match(mainText(past.body), 'There are no comments on this page. Show the newest comments');
  for (const q of ['?older=x', '?older=99999999999999999-1', '?newer=1-0', '?older[]=1-1', '?older=-1-1', '?newer=9007199254740993-1', '?older=1-1&older=2-2']) {
    const res = await mia.agent.get(url + q);
    t.equal(res.statusCode, 200, q);
    t.same(commentIds(res.body), fast.slice(0, 50), `${q}: the newest page`);
  }
});

t.test('the page sends the same number of statements for few and many comments', async (t) => {
  const { db, mia, dan, url, stats, insertComment } = await setup(t);
  const grow = async (n: number) => {
    for (let i = 0; i < n; i++) await insertComment(i % 2 ? mia.id : dan.id, `Comment ${i}`);
  };
  await grow(3);
  const measure = async () => {
    const first = await statements(stats, () => mia.agent.get(url));
    const page = await mia.agent.get(url);
    const olderUrl = /<a href="([^"]+)" rel="next">Older comments<\/a>/.exec(page.body)?.[1];
    return { first, older: olderUrl ? await statements(stats, () => mia.agent.get(olderUrl)) : undefined };
  };
  await measure();
  const small = await measure();
  await grow(200);
  const large = await measure();
  t.comment(`statements with 3 comments: ${JSON.stringify(small)}; with 203: ${JSON.stringify(large)}`);
  t.equal(large.first, small.first, 'the newest page: independent of the number of comments');
  t.equal(large.older, small.first, 'an older page: the same');
  t.ok(small.first <= 4, `the page: ${small.first} statements`);
  // asked again, the page is kept under the versions read with the session (src/projects/section-cache.ts)
  await mia.agent.get(url);
  const before = stats.queries;
  t.equal((await mia.agent.get(url)).statusCode, 200);
  t.equal(stats.queries - before, 1, 'asked again: the session’s statement alone');
  // a comment written anywhere (here: straight into the table) and an author's new name are on the next page
  await insertComment(dan.id, 'Written behind the cache');
  t.match((await mia.agent.get(url)).body, 'Written behind the cache', 'a new comment is on the next page');
  await db.update(persons).set({ name: 'Dan Renamed' }).where(eq(persons.id, dan.id));
  t.match((await mia.agent.get(url)).body, 'Dan Renamed', 'a new name is on the next page');
});

t.test('adding a comment: the check before the change reads the access cached under the session’s version, so a revoked permission is refused at once', async (t) => {
  const { db, account, mia, url, stats, stored } = await setup(t);
  t.equal((await mia.agent.post(url, { body: 'First' })).statusCode, 303);
  const before = stats.queries;
  t.equal((await mia.agent.post(url, { body: 'Second' })).statusCode, 303);
  t.equal(stats.queries - before, 2, 'the session’s statement and the insert: the access came from the cache');
  // a change of the permissions gives the account a new version, so the next check reads them afresh
  await setRolePermissions(db, account.id, 'managers', ['project.read', 'comments.read']);
  const refused = await mia.agent.post(url, { body: 'Third' });
  t.equal(refused.statusCode, 403, 'the permission taken away just before: refused');
  t.match(refused.body, 'This change needs the permission “Add project comments” in this project.');
  t.same((await stored()).map((r) => r.body), ['First', 'Second'], 'nothing written');
  // and given back: allowed again on the next request
  await setRolePermissions(db, account.id, 'managers', ['project.read', 'comments.read', 'comments.add']);
  t.equal((await mia.agent.post(url, { body: 'Fourth' })).statusCode, 303);
  t.same((await stored()).map((r) => r.body), ['First', 'Second', 'Fourth']);
});

t.test('a lock or a deletion that lands after the guard: the change finds it in its transaction and writes nothing', async (t) => {
  const { db, account, project, mia, insertComment, stored } = await setup(t);
  const actor = { accountId: account.id, personId: mia.id };
  const comment = await insertComment(mia.id, 'Before the lock');
  await db.update(projects).set({ lockedAt: new Date(), lockedBy: mia.id }).where(eq(projects.id, project));
  t.same(await addComment(db, actor, project, 'After the lock'), { ok: false, reason: 'locked' });
  t.equal(await deleteComment(db, actor, project, comment.id, true), 'locked');
  t.equal(await addComment(db, actor, 'no-such-project', 'x').then((r) => r.ok), false);
  t.equal(await deleteComment(db, { ...actor, accountId: 'another-account' }, project, comment.id, true), 'missing', "another account's project");
  t.same((await stored()).map((r) => r.body), ['Before the lock']);
  t.same(await historyOf(db, 'comment.added'), []);
  t.same(await historyOf(db, 'comment.deleted'), []);
});
