// The section version (migration 0015, src/projects/section-cache.ts): every committed change to a project's
// comments, tasks or time entries gives the session's statement a new value, whichever of the account's 16 rows
// it stamped; other changes and other accounts' changes do not.
import { eq, sql } from 'drizzle-orm';
import t from 'tap';
import { newId } from '../../src/crypto.js';
import { rowsOf } from '../../src/db/client.js';
import { accounts, persons, projectComments, projects, projectTasks, timeEntries } from '../../src/db/schema.js';
import { signUp } from '../helpers/agent.js';
import { signedUpAccount } from '../helpers/signed-up.js';

t.test('each commit that changes a section gives a new version; other tables and other accounts do not', async (t) => {
  const { db, app, account, ada } = await signedUpAccount(t);
  const accountId = account.id;
  // what the session's statement reads (src/auth/lucia.ts)
  const version = async (id = accountId) =>
    rowsOf<{ v: string | null }>(await db.execute(sql`select string_agg(version, ',' order by slot) as v from section_versions where account_id = ${id}`))[0]!.v;
  const project = newId();
  await db.insert(projects).values({ id: project, accountId, name: 'Apollo' });
  const seen = new Set<string | null>([await version()]);
  const expectNew = async (what: string, change: () => Promise<unknown>) => {
    await change();
    const now = await version();
    t.notOk(seen.has(now), `${what}: a version not seen before`);
    seen.add(now);
  };
  for (let i = 0; i < 20; i++) await expectNew(`comment ${i} added`, () => db.insert(projectComments).values({ accountId, projectId: project, authorId: ada.id, body: `Comment ${i}` }));
  await expectNew('a task added', () => db.insert(projectTasks).values({ accountId, projectId: project, title: 'Draft' }));
  await expectNew('a task done', () => db.update(projectTasks).set({ done: true }).where(eq(projectTasks.projectId, project)));
  await expectNew('a time entry added', () => db.insert(timeEntries).values({ accountId, projectId: project, personId: ada.id, workedOn: '2026-01-05', hours: '1' }));
  await expectNew('a time entry deleted', () => db.delete(timeEntries).where(eq(timeEntries.projectId, project)));
  await expectNew('several changes in one transaction', () =>
    db.transaction(async (tx) => {
      await tx.insert(projectComments).values({ accountId, projectId: project, authorId: ada.id, body: 'One' });
      await tx.delete(projectTasks).where(eq(projectTasks.projectId, project));
    }),
  );
  t.ok(rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from section_versions where account_id = ${accountId}`))[0]!.n <= 16, 'at most 16 rows an account');

  const last = await version();
  await db.update(persons).set({ name: 'Ada Renamed' }).where(eq(persons.id, ada.id));
  await db.update(projects).set({ name: 'Apollo 2' }).where(eq(projects.id, project));
  t.equal(await version(), last, 'a rename of a person or a project: the same version (other versions cover them)');

  await signUp(app, { email: 'olga@other.test', organizationName: 'Other Ltd' });
  const [other] = await db.select().from(accounts).where(sql`${accounts.id} <> ${accountId}`);
  const otherProject = newId();
  await db.insert(projects).values({ id: otherProject, accountId: other!.id, name: 'Elsewhere' });
  await db.insert(projectTasks).values({ accountId: other!.id, projectId: otherProject, title: 'Theirs' });
  t.equal(await version(), last, 'another account’s change: the same version');
  t.ok(await version(other!.id), 'theirs is stamped');

  await db.delete(projects).where(eq(projects.id, project));
  t.not(await version(), last, 'a project deleted with its comments: a new version');
});
