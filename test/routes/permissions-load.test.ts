import t from 'tap';
import { and, eq } from 'drizzle-orm';
import type { Auth } from '../../src/auth/session.js';
import { newId } from '../../src/crypto.js';
import { accounts, divisionGrants, divisions, globalGrants, groupMembers, projectRoles, projects, rolePermissions, roles, userGroups } from '../../src/db/schema.js';
import { loadProjectAccess, loadRoles } from '../../src/permissions/load.js';
import { findResolved, visibleSections } from '../../src/permissions/resolve.js';
import { defaultRoles, RECOMMENDED_ROLE_PERMISSIONS } from '../../src/permissions/roles.js';
import { insertPerson } from '../helpers/factories.js';
import { signedUpAccount } from '../helpers/signed-up.js';

t.test('a new account starts with the ten roles, the recommended permissions, and "Create projects" for its administrator', async (t) => {
  const { db, account, ada } = await signedUpAccount(t);
  const loaded = await loadRoles(db, account.id);
  t.same(loaded.map((r) => [r.key, r.name, r.visible]), defaultRoles().map((r) => [r.key, r.name, r.visible]));
  for (const r of loaded) t.same([...r.permissions].sort(), [...RECOMMENDED_ROLE_PERMISSIONS[r.key]].sort(), `${r.key}: the recommended permissions`);
  const grants = await db.select().from(globalGrants).where(eq(globalGrants.personId, ada.id));
  t.same(grants.map((g) => g.permission), ['projects.create']);
});

t.test('one statement loads a person\'s access in a project from every level, whatever the number of projects', async (t) => {
  const { db, account, ada, stats } = await signedUpAccount(t);
  await db.update(accounts).set({ edition: 'enterprise_plus' }).where(eq(accounts.id, account.id));
  const bo = await insertPerson(db, { name: 'Bo', license: 'read_only' });
  const sales = newId();
  await db.insert(divisions).values({ id: sales, accountId: account.id, name: 'Sales' });
  const designers = newId();
  await db.insert(userGroups).values({ id: designers, accountId: account.id, name: 'Designers' });
  await db.insert(groupMembers).values({ accountId: account.id, groupId: designers, personId: bo.id });
  const project = newId();
  await db.insert(projects).values({ id: project, accountId: account.id, name: 'Apollo', divisionId: sales, createdBy: ada.id });
  await db.insert(projectRoles).values([
    { accountId: account.id, projectId: project, roleKey: 'customers', personId: bo.id },
    { accountId: account.id, projectId: project, roleKey: 'team', groupId: designers },
  ]);
  await db.insert(globalGrants).values({ accountId: account.id, personId: bo.id, permission: 'documents.read' });
  await db.insert(divisionGrants).values({ accountId: account.id, personId: bo.id, divisionId: sales, permission: 'time.read' });
  const auth = { account: { ...account, edition: 'enterprise_plus' }, person: { id: ada.id, license: 'read_write' } } as unknown as Auth;

  const before = stats.queries;
  const loaded = await loadProjectAccess(db, auth, project, { id: bo.id, license: 'read_only' });
  t.equal(stats.queries - before, 1, 'one statement');
  t.ok(loaded);
  const access = loaded!.access;
  t.same(findResolved(access, 'documents.read').reasons[0], 'Global');
  t.same(findResolved(access, 'time.read').reasons[0], 'Division: Sales');
  t.same(findResolved(access, 'financials.read').reasons, ['Role: Customers']);
  t.same(findResolved(access, 'tasks.read').reasons.slice(0, 2), ['Role: Customers', 'Role: Team via group Designers']);
  t.notOk(findResolved(access, 'tasks.edit').granted, 'Read-Only: no edit');
  t.match(findResolved(access, 'tasks.edit').cuts.map((c) => c.text).join(), /Read-Only/);
  t.ok(visibleSections(access).some((s) => s.key === 'time'));

  // many more projects, roles and assignments: still one statement
  for (let i = 0; i < 30; i++) {
    const id = newId();
    await db.insert(projects).values({ id, accountId: account.id, name: `P${i}` });
    await db.insert(projectRoles).values({ accountId: account.id, projectId: id, roleKey: 'team', personId: bo.id });
  }
  const again = stats.queries;
  await loadProjectAccess(db, auth, project, { id: bo.id, license: 'read_only' });
  t.equal(stats.queries - again, 1, 'still one statement');

  // a role's permissions change: the next load sees it
  await db.delete(rolePermissions).where(and(eq(rolePermissions.accountId, account.id), eq(rolePermissions.roleKey, 'customers'), eq(rolePermissions.permission, 'financials.read')));
  const after = await loadProjectAccess(db, auth, project, { id: bo.id, license: 'read_only' });
  t.notOk(findResolved(after!.access, 'financials.read').granted);
  t.ok(await db.select().from(roles).where(eq(roles.accountId, account.id)));
});

t.test("another account's project, an unknown id and a malformed id all load nothing", async (t) => {
  const { db, account, ada } = await signedUpAccount(t);
  const auth = { account, person: { id: ada.id, license: 'read_write' } } as unknown as Auth;
  const other = await signedUpOther(db);
  const theirs = newId();
  await db.insert(projects).values({ id: theirs, accountId: other, name: 'Theirs' });
  t.equal(await loadProjectAccess(db, auth, theirs), null);
  t.equal(await loadProjectAccess(db, auth, 'no-such-project'), null);
  t.equal(await loadProjectAccess(db, auth, "x' or 1=1 --"), null);
});

async function signedUpOther(db: Parameters<typeof insertPerson>[0]): Promise<string> {
  const id = newId();
  await db.insert(accounts).values({ id, name: 'Other', edition: 'enterprise', readWriteLicenses: 5 });
  return id;
}
