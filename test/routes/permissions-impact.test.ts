import t from 'tap';
import { eq } from 'drizzle-orm';
import { newId } from '../../src/crypto.js';
import { accounts, globalGrants, groupMembers, projectRoles, projects, userGroups } from '../../src/db/schema.js';
import { groupMembersImpact, roleImpact } from '../../src/permissions/impact.js';
import { loadRoles } from '../../src/permissions/load.js';
import { insertPerson } from '../helpers/factories.js';
import { signedUpAccount } from '../helpers/signed-up.js';

t.test('role and group impact from the database: holders directly and through groups, other grants and the license counted', async (t) => {
  const { db, account, stats } = await signedUpAccount(t);
  await db.update(accounts).set({ edition: 'enterprise' }).where(eq(accounts.id, account.id));
  const acc = { id: account.id, edition: 'enterprise' as const };
  const bo = await insertPerson(db, { name: 'Bo' });
  const cy = await insertPerson(db, { name: 'Cy', license: 'read_only' });
  const di = await insertPerson(db, { name: 'Di' });
  const designers = newId();
  await db.insert(userGroups).values({ id: designers, accountId: account.id, name: 'Designers' });
  await db.insert(groupMembers).values({ accountId: account.id, groupId: designers, personId: cy.id });
  const [p1, p2, p3] = [newId(), newId(), newId()];
  await db.insert(projects).values([p1, p2, p3].map((id, i) => ({ id, accountId: account.id, name: `P${i}` })));
  await db.insert(projectRoles).values([
    { accountId: account.id, projectId: p1, roleKey: 'customers', personId: bo.id },
    { accountId: account.id, projectId: p2, roleKey: 'customers', personId: bo.id },
    { accountId: account.id, projectId: p1, roleKey: 'customers', groupId: designers },
    { accountId: account.id, projectId: p3, roleKey: 'team', personId: di.id },
  ]);
  // Bo already edits financials everywhere: adding it to Customers changes nothing for Bo
  await db.insert(globalGrants).values({ accountId: account.id, personId: bo.id, permission: 'financials.edit' });
  const roles = await loadRoles(db, account.id);
  const customers = roles.find((r) => r.key === 'customers')!;

  const before = stats.queries;
  const impact = await roleImpact(db, acc, roles, 'customers', [...customers.permissions.filter((k) => k !== 'planning.read'), 'financials.edit', 'tasks.edit']);
  t.equal(stats.queries - before, 1, 'one statement');
  t.equal(impact.pairs, 3, 'Bo in two projects, Cy through the group in one');
  const by = Object.fromEntries(impact.changes.map((c) => [c.key, c]));
  t.same(by['planning.read'], { key: 'planning.read', label: 'Read planning', gained: { people: 0, projects: 0 }, lost: { people: 2, projects: 2 } });
  t.same(by['tasks.edit']!.gained, { people: 1, projects: 2 }, 'Cy is Read-Only: only Bo gains the edit');
  t.notOk(by['financials.edit'], 'nobody gains what they hold already or may not hold');
  t.notOk(Object.keys(by).some((k) => k.startsWith('time')), 'Di (Team elsewhere) is not affected');

  const joining = await groupMembersImpact(db, acc, roles, { id: designers, name: 'Designers' }, { add: [di.id], remove: [cy.id] });
  const j = Object.fromEntries(joining.changes.map((c) => [c.key, c]));
  t.same(j['financials.read'], { key: 'financials.read', label: 'Read financials', gained: { people: 1, projects: 1 }, lost: { people: 1, projects: 1 } });
  t.equal(joining.people, 2);
  const nothing = await groupMembersImpact(db, acc, roles, { id: designers, name: 'Designers' }, { add: [], remove: [] });
  t.equal(nothing.changes.length, 0);
});
