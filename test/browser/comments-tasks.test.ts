// A project's Comments and Tasks in a real browser, with and without JavaScript: add a comment (an error first),
// delete one through its confirmation; add tasks, mark one done (autosaved with JavaScript, its Save button
// without), rename one; a reader and a locked project see the pages without forms. axe on every page and state
// with JavaScript; the Nu Html Checker over every page.
import { eq } from 'drizzle-orm';
import t from 'tap';
import { newId } from '../../src/crypto.js';
import { accounts, persons, projectComments, projectRoles, projects, projectTasks, rolePermissions } from '../../src/db/schema.js';
import { signUp } from '../helpers/agent.js';
import { ADMIN, type HtmlDocument, htmlErrors, isFocused, launchBrowser, navigation, openAuditedPage, openTab, POSTED_AND_REDIRECTED, signInWith, startApp } from '../helpers/browser.js';
import { insertPerson } from '../helpers/factories.js';

const [browser, app] = await Promise.all([launchBrowser(t), startApp(t)]);
await signUp(app.app, { readWriteLicenses: '5', edition: 'enterprise' });
const [account] = await app.db.select().from(accounts);
const [ada] = await app.db.select().from(persons);
const project = newId();
const locked = newId();
await app.db.insert(projects).values([
  { id: project, accountId: account!.id, name: 'Apollo' },
  { id: locked, accountId: account!.id, name: 'Hermes', lockedAt: new Date('2025-03-01T10:00:00Z'), lockedBy: ada!.id },
]);
await app.db.insert(projectRoles).values([project, locked].map((projectId) => ({ accountId: account!.id, projectId, roleKey: 'managers' as const, personId: ada!.id })));
const ben = await insertPerson(app.db, { accountId: account!.id, name: 'Ben Builder', email: 'ben@acme.test' });
const rae = await insertPerson(app.db, { accountId: account!.id, name: 'Rae Reader', email: 'rae@acme.test', password: 'a long enough password' });
await app.db.insert(projectRoles).values([project, locked].map((projectId) => ({ accountId: account!.id, projectId, roleKey: 'additional' as const, personId: rae.id })));
await app.db.insert(rolePermissions).values(['comments.read' as const, 'tasks.read' as const].map((permission) => ({ accountId: account!.id, roleKey: 'additional' as const, permission })));
await app.db.insert(projectComments).values([
  { accountId: account!.id, projectId: project, authorId: ben.id, body: 'Ben was here first.', createdAt: new Date('2025-02-01T09:00:00Z') },
  { accountId: account!.id, projectId: locked, authorId: ada!.id, body: 'Frozen.' },
]);
await app.db.insert(projectTasks).values({ accountId: account!.id, projectId: locked, title: 'Frozen task', done: true });
const COMMENTS = `/projects/${project}/comments`;
const TASKS = `/projects/${project}/tasks`;

const { page, documents, audit } = await openAuditedPage(browser, app.baseURL);
const status = page.locator('#live-status');

t.test('with JavaScript: comments — an error, add one (the list follows, the focus stays), delete one after confirming', async (t) => {
  await page.goto('/login');
  await signInWith(page, ADMIN.email, ADMIN.password);
  await page.goto(`/projects/${project}`);
  await navigation(page, () => page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'Comments' }).click());
  t.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Comments: Apollo');
  t.equal(await page.getByRole('link', { name: /^Delete/ }).count(), 0, 'no Delete on Ben’s comment (own comments only)');
  await audit(t, 'comments page, editor');

  await page.getByRole('button', { name: 'Add comment' }).click();
  await page.getByRole('link', { name: 'Enter a comment' }).waitFor();
  t.equal(await page.getByLabel('Comment', { exact: true }).getAttribute('aria-invalid'), 'true');
  await audit(t, 'comments page with an error', 'dom');

  await page.getByLabel('Comment', { exact: true }).fill('Kick-off went well.\nNext: the budget.');
  await page.getByRole('button', { name: 'Add comment' }).click();
  await status.filter({ hasText: 'Comment added.' }).waitFor();
  const newest = page.locator('.comment-list > li').first();
  t.match(await newest.innerText(), /Ada Admin.*\nKick-off went well\.\nNext: the budget\./s, 'on top, the line break kept');
  t.equal(await page.locator('.comment-list > li').count(), 2);
  t.equal(await page.getByLabel('Comment', { exact: true }).inputValue(), '', 'the field is empty again');
  t.ok(await isFocused(page.getByLabel('Comment', { exact: true })), 'the focus is in the field');
  t.equal(await page.locator('.error-summary').count(), 0, 'the error summary is gone');
  await audit(t, 'comments page after adding', 'dom');

  await navigation(page, () => page.getByRole('link', { name: /^Delete the comment by Ada Admin/ }).click());
  t.equal(await page.getByRole('heading', { level: 2, name: 'Delete this comment?' }).count(), 1);
  t.match(await page.locator('blockquote').innerText(), 'Kick-off went well.\nNext: the budget.', 'the comment quoted');
  await audit(t, 'delete confirmation');
  await navigation(page, () => page.getByRole('link', { name: 'Cancel' }).click());
  t.equal(await page.locator('.comment-list > li').count(), 2, 'Cancel: nothing deleted');
  await navigation(page, () => page.getByRole('link', { name: /^Delete the comment by Ada Admin/ }).click());
  t.same(await navigation(page, () => page.getByRole('button', { name: 'Delete comment' }).click()), POSTED_AND_REDIRECTED);
  t.equal(await status.textContent(), 'Comment deleted.');
  t.equal(await page.locator('.comment-list > li').count(), 1, 'Ben’s comment stays');
  await audit(t, 'comments page after deleting');
});

t.test('with JavaScript: tasks — add two, mark one done by ticking, rename one, an error', async (t) => {
  await navigation(page, () => page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'Tasks' }).click());
  t.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Tasks: Apollo');
  await audit(t, 'tasks page, empty');

  for (const title of ['Write the plan', 'Book the room']) {
    await page.getByLabel('Task name').fill(title);
    await page.getByRole('button', { name: 'Add task' }).click();
    await status.filter({ hasText: `Task added: “${title}”.` }).waitFor();
  }
  t.equal(await page.getByRole('table', { name: 'Tasks, in the order they were added' }).getByRole('row').count(), 3, 'a header and two tasks');
  t.ok(await isFocused(page.getByLabel('Task name')), 'the focus stays in “Task name”');
  t.equal(await page.getByLabel('Task name').inputValue(), '');
  await audit(t, 'tasks page with two tasks', 'dom');

  const done = page.getByRole('checkbox', { name: 'Done: “Write the plan”' });
  t.notOk(await page.getByRole('button', { name: 'Save whether “Write the plan” is done' }).isVisible(), 'no Save button with JavaScript');
  await done.check();
  await status.filter({ hasText: 'Saved. “Write the plan” is done.' }).waitFor();
  t.ok(await done.isChecked());
  t.ok(await isFocused(done), 'the focus stays on the checkbox');
  const [stored] = await app.db.select().from(projectTasks).where(eq(projectTasks.title, 'Write the plan'));
  t.equal(stored!.done, true, 'saved');
  await audit(t, 'tasks page after ticking', 'dom');

  const name = page.getByRole('textbox', { name: 'Name of task “Book the room”' });
  await name.fill('');
  await page.getByRole('button', { name: 'Rename task “Book the room”' }).click();
  await page.getByRole('link', { name: 'Enter a task name' }).waitFor();
  t.equal(await name.getAttribute('aria-invalid'), 'true', 'the message at the task’s field');
  await audit(t, 'tasks page with an error', 'dom');
  await name.fill('Book the big room');
  await page.getByRole('button', { name: 'Rename task “Book the room”' }).click();
  await status.filter({ hasText: 'Saved. The task is now called “Book the big room”.' }).waitFor();
  t.equal(await page.getByRole('textbox', { name: 'Name of task “Book the big room”' }).inputValue(), 'Book the big room', 'the label follows');
  t.ok(await isFocused(page.getByRole('button', { name: 'Rename task “Book the big room”' })), 'the focus stays on the button');
  t.equal(await page.locator('.error-summary').count(), 0, 'the error summary is gone');
  t.equal(await page.getByRole('checkbox', { name: 'Done: “Write the plan”' }).isChecked(), true, 'the other task as it was');
  await audit(t, 'tasks page after renaming', 'dom');
});

t.test('without JavaScript: add and delete a comment, add a task, mark it done with its button, rename it', async (t) => {
  const { context, page: plain, watch } = await openTab(browser, app.baseURL, { javaScript: false });
  t.teardown(() => context.close());
  const keep = async (name: string) => documents.push({ name: `${name} (no JavaScript)`, html: await watch.documentHtml() });
  await plain.goto('/login');
  await signInWith(plain, ADMIN.email, ADMIN.password);
  await plain.goto(COMMENTS);
  t.equal((await navigation(plain, () => plain.getByRole('button', { name: 'Add comment' }).click())).status, 422, 'empty: 422');
  t.ok(await plain.getByRole('link', { name: 'Enter a comment' }).isVisible());
  await keep('comments page with an error');
  await plain.getByLabel('Comment', { exact: true }).fill('Without JavaScript.');
  t.same(await navigation(plain, () => plain.getByRole('button', { name: 'Add comment' }).click()), POSTED_AND_REDIRECTED);
  t.equal(await plain.locator('#live-status').textContent(), 'Comment added.');
  t.match(await plain.locator('.comment-list > li').first().innerText(), 'Without JavaScript.');
  await keep('comments page after adding');
  await navigation(plain, () => plain.getByRole('link', { name: /^Delete the comment by Ada Admin/ }).click());
  await keep('delete confirmation');
  t.same(await navigation(plain, () => plain.getByRole('button', { name: 'Delete comment' }).click()), POSTED_AND_REDIRECTED);
  t.equal(await plain.locator('#live-status').textContent(), 'Comment deleted.');
  t.equal(await plain.locator('.comment-list > li').count(), 1);

  await plain.goto(TASKS);
  await plain.getByLabel('Task name').fill('Order the parts');
  t.same(await navigation(plain, () => plain.getByRole('button', { name: 'Add task' }).click()), POSTED_AND_REDIRECTED);
  t.equal(await plain.locator('#live-status').textContent(), 'Task added.');
  await keep('tasks page after adding');
  await plain.getByRole('checkbox', { name: 'Done: “Order the parts”' }).check();
  t.same(await navigation(plain, () => plain.getByRole('button', { name: 'Save whether “Order the parts” is done' }).click()), POSTED_AND_REDIRECTED);
  t.equal(await plain.locator('#live-status').textContent(), 'Saved. The task is marked done.');
  t.ok(await plain.getByRole('checkbox', { name: 'Done: “Order the parts”' }).isChecked(), 'ticked after the reload');
  await plain.getByRole('textbox', { name: 'Name of task “Order the parts”' }).fill('x'.repeat(201));
  t.equal((await navigation(plain, () => plain.getByRole('button', { name: 'Rename task “Order the parts”' }).click())).status, 422);
  t.ok(await plain.getByRole('link', { name: 'Task name must be 200 characters or fewer' }).isVisible());
  await keep('tasks page with an error');
  await plain.getByRole('textbox', { name: 'Name of task “Order the parts”' }).fill('Order all the parts');
  t.same(await navigation(plain, () => plain.getByRole('button', { name: 'Rename task “Order the parts”' }).click()), POSTED_AND_REDIRECTED);
  t.equal(await plain.locator('#live-status').textContent(), 'Saved. The task is renamed.');
  t.equal(await plain.getByRole('textbox', { name: 'Name of task “Order all the parts”' }).inputValue(), 'Order all the parts');
  await keep('tasks page after renaming');
});

t.test('a reader, and a locked project: the pages without forms', async (t) => {
  const reader = await openAuditedPage(browser, app.baseURL);
  t.teardown(() => reader.context.close());
  await reader.page.goto('/login');
  await signInWith(reader.page, 'rae@acme.test', 'a long enough password');
  await reader.page.goto(COMMENTS);
  t.equal(await reader.page.locator('#comment-form').count(), 0, 'no form');
  t.equal(await reader.page.getByRole('link', { name: /^Delete/ }).count(), 0);
  await reader.audit(t, 'comments page, reader');
  await reader.page.goto(TASKS);
  t.equal(await reader.page.getByRole('checkbox').count(), 0, 'no checkboxes');
  t.match(await reader.page.getByRole('table', { name: 'Tasks, in the order they were added' }).innerText(), /Yes\s+Write the plan/);
  await reader.audit(t, 'tasks page, reader');

  await page.goto(`/projects/${locked}/comments`);
  t.match(await page.locator('#lock-note').innerText(), 'This project was locked for editing by Ada Admin');
  t.equal(await page.locator('#comment-form').count(), 0);
  await audit(t, 'comments page, locked');
  await page.goto(`/projects/${locked}/tasks`);
  t.equal(await page.getByRole('checkbox').count(), 0);
  await audit(t, 'tasks page, locked');
  const [frozen] = await app.db.select().from(projectComments).where(eq(projectComments.projectId, locked));
  const refused = await page.goto(`/projects/${locked}/comments/${frozen!.id}/delete`);
  t.equal(refused!.status(), 403, 'the confirmation: the locked project’s 403 page');
  t.match(await page.getByRole('main').innerText(), 'This project is locked');
  t.equal(await page.getByRole('button', { name: 'Delete comment' }).count(), 0, 'no button');
  await audit(t, 'delete confirmation, locked (403)');
  documents.push(...reader.documents);
});

t.test('the Nu Html Checker finds no error on any page', async (t) => {
  t.same(await htmlErrors(documents as HtmlDocument[]), []);
});
