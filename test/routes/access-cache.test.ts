// Resolved access, the projects a person sees and "Create projects" are cached under the account's access version
// (src/db/versioned-cache.ts, migration 0010): every table a person's access is resolved from stamps it, so a change
// made anywhere is on the next page; a POST never reads from the cache.
import { and, eq, sql } from 'drizzle-orm';
import t from 'tap';
import { newId } from '../../src/crypto.js';
import {
  accessVersions,
  accounts,
  divisionGrants,
  divisions,
  globalGrants,
  groupMembers,
  persons,
  projectRoles,
  projects,
  rolePermissions,
  roles,
  userGroups,
} from '../../src/db/schema.js';
import { signIn } from '../helpers/agent.js';
import { insertPerson } from '../helpers/factories.js';
import { signedUpAccount } from '../helpers/signed-up.js';

const PASSWORD = 'a long enough password';
const navOf = (body: string) => /<nav class="tabs" aria-label="Project">([\s\S]*?)<\/nav>/.exec(body)?.[1] ?? '';

async function fixture(t: Parameters<typeof signedUpAccount>[0]) {
  const ctx = await signedUpAccount(t);
  const { db, account } = ctx;
  await db.update(accounts).set({ edition: 'enterprise_plus' }).where(eq(accounts.id, account.id));
  const bo = await insertPerson(db, { name: 'Bo Brown', email: 'bo@acme.test', license: 'read_write', password: PASSWORD });
  const project = newId();
  await db.insert(projects).values({ id: project, accountId: account.id, name: 'Apollo' });
  await db.insert(projectRoles).values({ accountId: account.id, projectId: project, roleKey: 'team', personId: bo.id });
  const version = async () => (await db.select().from(accessVersions).where(eq(accessVersions.accountId, account.id)))[0]?.version;
  return { ...ctx, bo, project, version, boAgent: await signIn(ctx.app, 'bo@acme.test', PASSWORD) };
}

t.test('a change to any table behind access stamps a new version; other changes and other accounts do not', async (t) => {
  const { db, account, bo, project, version, ada } = await fixture(t);
  const accountId = account.id;
  const division = newId();
  const group = newId();
  let last = await version();
  t.ok(last, 'stamped by the set-up');
  const expectNew = async (what: string, change: () => Promise<unknown>) => {
    await change();
    const now = await version();
    t.not(now, last, `${what}: a new version`);
    last = now;
  };
  await expectNew('divisions', () => db.insert(divisions).values({ id: division, accountId, name: 'Sales' }));
  await expectNew('division_grants', () => db.insert(divisionGrants).values({ accountId, personId: bo.id, divisionId: division, permission: 'time.read' }));
  await expectNew('global_grants', () => db.insert(globalGrants).values({ accountId, personId: bo.id, permission: 'documents.read' }));
  await expectNew('user_groups', () => db.insert(userGroups).values({ id: group, accountId, name: 'Designers' }));
  await expectNew('group_members', () => db.insert(groupMembers).values({ accountId, groupId: group, personId: bo.id }));
  await expectNew('project_roles', () => db.insert(projectRoles).values({ accountId, projectId: project, roleKey: 'customers', groupId: group }));
  await expectNew('projects (a rename)', () => db.update(projects).set({ name: 'Apollo 2' }).where(eq(projects.id, project)));
  await expectNew('role_permissions', () => db.delete(rolePermissions).where(and(eq(rolePermissions.accountId, accountId), eq(rolePermissions.roleKey, 'team'))));
  await expectNew('roles (a rename)', () => db.update(roles).set({ name: 'Crew' }).where(and(eq(roles.accountId, accountId), eq(roles.key, 'team'))));
  await expectNew('a person deleted (their assignments cascade)', () => db.delete(persons).where(eq(persons.id, bo.id)));

  await db.update(persons).set({ telemetry: true }).where(eq(persons.id, ada.id));
  t.equal(await version(), last, 'a change no access depends on: same version');
  const [other] = await db.insert(accounts).values({ id: newId(), name: 'Other', edition: 'enterprise', readWriteLicenses: 5 }).returning();
  await db.insert(projects).values({ id: newId(), accountId: other!.id, name: 'Theirs' });
  t.equal(await version(), last, "another account's project: same version");
  // the stamp is the committing transaction's id, written once however many rows changed
  const txid = await db.transaction(async (tx) => {
    await tx.insert(projects).values(Array.from({ length: 300 }, (_, i) => ({ id: `bulk-${i}`, accountId, name: `Bulk ${i}` })));
    return (await tx.execute(sql`select pg_current_xact_id()::text as id`)) as unknown;
  });
  const id = (Array.isArray(txid) ? txid : (txid as { rows: unknown[] }).rows)[0] as { id: string };
  t.equal(await version(), id.id, "the committing transaction's id");
});

t.test('a cached project page, list and "New project" follow every change at once, and a POST reads afresh', async (t) => {
  const { db, account, bo, project, boAgent, admin } = await fixture(t);
  const accountId = account.id;
  const page = `/projects/${project}`;
  // read twice: the second answer is the cached one
  await boAgent.get(page);
  t.notMatch(navOf((await boAgent.get(page)).body), 'Financials', 'Team has no Financials to begin with');

  // a role permission through the Roles form: the section appears at once
  const team = await admin.get('/settings/users/roles/team');
  t.equal(team.statusCode, 200);
  const current = (await db.select().from(rolePermissions).where(and(eq(rolePermissions.accountId, accountId), eq(rolePermissions.roleKey, 'team')))).map((r) => r.permission);
  const saved = await admin.post('/settings/users/roles/team/permissions', Object.fromEntries([...current, 'financials.read'].map((k) => [k, 'on'])));
  t.equal(saved.statusCode, 303);
  t.match(navOf((await boAgent.get(page)).body), 'Financials', 'granted: on the next page');

  // the list: a project renamed in the database
  await boAgent.get('/projects');
  t.match((await boAgent.get('/projects')).body, 'Apollo');
  await db.update(projects).set({ name: 'Artemis' }).where(eq(projects.id, project));
  const list = (await boAgent.get('/projects')).body;
  t.match(list, 'Artemis', 'renamed: on the next list');
  t.notMatch(list, 'Apollo');

  // "New project" (a global grant): the link and the page follow the grant both ways
  await boAgent.get('/projects');
  t.equal((await boAgent.get('/projects/new')).statusCode, 403);
  await db.insert(globalGrants).values({ accountId, personId: bo.id, permission: 'projects.create' });
  t.equal((await boAgent.get('/projects/new')).statusCode, 200, 'granted: at once');
  await db.delete(globalGrants).where(and(eq(globalGrants.personId, bo.id), eq(globalGrants.permission, 'projects.create')));
  t.equal((await boAgent.get('/projects/new')).statusCode, 403, 'taken away: at once');

  // removed from the project: 404 at once
  await boAgent.get(page);
  await db.delete(projectRoles).where(and(eq(projectRoles.projectId, project), eq(projectRoles.personId, bo.id)));
  t.equal((await boAgent.get(page)).statusCode, 404, 'no longer in the project: 404 at once');
});
