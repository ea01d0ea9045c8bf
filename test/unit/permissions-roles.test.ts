import t from 'tap';
import { EDITIONS, type Edition } from '../../src/auth/forms.js';
import { PROJECT_PERMISSIONS, type PermissionKey } from '../../src/permissions/catalog.js';
import { EDITION_FEATURES, type Feature, hasFeature, isUpgrade, listFeatures } from '../../src/permissions/editions.js';
import {
  canAssignRole,
  canHideRole,
  canRenameRole,
  defaultRoles,
  FIRST_ADMIN_GLOBAL_PERMISSIONS,
  listRoleKeys,
  RECOMMENDED_ROLE_PERMISSIONS,
  resolveRole,
  type RoleDefinition,
  type RoleKey,
} from '../../src/permissions/roles.js';

const ALL_EDITIONS = Object.keys(EDITIONS) as Edition[];

t.test('the SPEC §1 feature table', async (t) => {
  const table: [Feature, [boolean, boolean, boolean, boolean]][] = [
    ['basics', [true, true, true, true]],
    ['rolePermissions', [true, true, true, true]],
    ['renameRoles', [false, true, true, true]],
    ['divisions', [false, true, true, true]],
    ['groups', [false, true, true, true]],
    ['moreRoles', [false, false, true, true]],
  ];
  t.same(EDITION_FEATURES.map((row) => row.feature), table.map(([feature]) => feature));
  for (const [feature, expected] of table) {
    t.same(ALL_EDITIONS.map((e) => hasFeature(e, feature)), expected, feature);
  }
  t.same(listFeatures('professional'), ['basics', 'rolePermissions']);
  t.ok(isUpgrade('professional', 'enterprise'));
  t.ok(isUpgrade('enterprise_plus', 'self_hosted'));
  t.ok(isUpgrade('self_hosted', 'enterprise_plus'));
  t.notOk(isUpgrade('enterprise_plus', 'enterprise'));
  t.notOk(isUpgrade('enterprise', 'professional'));
});

t.test('the roles of each edition', async (t) => {
  const five = ['managers', 'team', 'customers', 'partners', 'additional'];
  const ten = [...five, 'more1', 'more2', 'more3', 'more4', 'more5'];
  t.same(listRoleKeys('professional'), five);
  t.same(listRoleKeys('enterprise'), five);
  t.same(listRoleKeys('enterprise_plus'), ten);
  t.same(listRoleKeys('self_hosted'), ten);
});

t.test('new accounts: default names, SPEC §6 recommended permissions, More 1–5 hidden', async (t) => {
  const roles = defaultRoles();
  t.same(roles.map((r) => [r.key, r.name, r.visible]), [
    ['managers', 'Managers', true],
    ['team', 'Team', true],
    ['customers', 'Customers', true],
    ['partners', 'Partners', true],
    ['additional', 'Additional', true],
    ['more1', 'More 1', false],
    ['more2', 'More 2', false],
    ['more3', 'More 3', false],
    ['more4', 'More 4', false],
    ['more5', 'More 5', false],
  ]);
  const sorted = (keys: readonly PermissionKey[]) => [...keys].sort();
  const notForManagers = ['comments.delete', 'time.backdate', 'financials.edit', 'project.delete'];
  t.same(sorted(RECOMMENDED_ROLE_PERMISSIONS.managers), sorted(PROJECT_PERMISSIONS.filter((k) => !notForManagers.includes(k))), 'Managers: every project permission but four');
  t.equal(RECOMMENDED_ROLE_PERMISSIONS.managers.length, 21);
  t.same(sorted(RECOMMENDED_ROLE_PERMISSIONS.team), sorted([
    'project.read', 'comments.read', 'lists.read', 'mindmaps.read', 'tasks.read',
    'comments.add', 'comments.deleteOwn', 'lists.edit', 'mindmaps.edit', 'tasks.edit', 'time.editOwn', 'documents.edit',
  ]), 'Team');
  t.same(sorted(RECOMMENDED_ROLE_PERMISSIONS.customers), sorted(['project.read', 'tasks.read', 'planning.read', 'financials.read']), 'Customers read only');
  t.same(sorted(RECOMMENDED_ROLE_PERMISSIONS.partners), sorted(['project.read', 'comments.read', 'tasks.read', 'comments.add', 'comments.deleteOwn', 'tasks.edit']), 'Partners');
  for (const key of ['additional', 'more1', 'more2', 'more3', 'more4', 'more5'] as RoleKey[]) t.same(RECOMMENDED_ROLE_PERMISSIONS[key], [], `${key}: nothing`);
  for (const role of roles) t.same(role.permissions, RECOMMENDED_ROLE_PERMISSIONS[role.key]);
  for (const role of roles) t.ok(role.permissions.every((k) => PROJECT_PERMISSIONS.includes(k)), `${role.key}: project permissions only`);
  t.same(FIRST_ADMIN_GLOBAL_PERMISSIONS, ['projects.create'], 'the first administrator: "Create projects"');
});

t.test('renaming and hiding: never Managers, Enterprise and up, More 1–5 where they exist', async (t) => {
  const cases: [Edition, RoleKey, boolean][] = [
    ['professional', 'team', false],
    ['professional', 'managers', false],
    ['enterprise', 'team', true],
    ['enterprise', 'managers', false],
    ['enterprise', 'more1', false],
    ['enterprise_plus', 'more1', true],
    ['self_hosted', 'customers', true],
    ['self_hosted', 'managers', false],
  ];
  for (const [edition, key, expected] of cases) {
    t.equal(canRenameRole(edition, key), expected, `rename ${key} in ${edition}`);
    t.equal(canHideRole(edition, key), expected, `hide ${key} in ${edition}`);
  }
});

t.test('resolveRole: what an edition shows of stored names and visibility', async (t) => {
  const renamed: RoleDefinition = { key: 'customers', name: 'Clients', visible: false, permissions: ['tasks.read'] };
  t.same(resolveRole('enterprise', renamed), renamed, 'Enterprise applies name and visibility');
  t.same(resolveRole('professional', renamed), { ...renamed, name: 'Customers', visible: true }, 'Professional shows the default, keeps permissions');
  const managers: RoleDefinition = { key: 'managers', name: 'Bosses', visible: false, permissions: [] };
  t.same(resolveRole('self_hosted', managers), { ...managers, name: 'Managers', visible: true }, 'Managers is never renamed or hidden');
  const more: RoleDefinition = { key: 'more2', name: 'Heads', visible: true, permissions: ['project.read'] };
  t.same(resolveRole('enterprise_plus', more), more);
  t.equal(resolveRole('enterprise', more).visible, false, 'More 2 does not exist in Enterprise');
});

t.test('canAssignRole: a hidden role (or one outside the edition) cannot be newly assigned', async (t) => {
  const role = (key: RoleKey, visible: boolean): RoleDefinition => ({ key, name: key, visible, permissions: [] });
  const cases: [string, Edition, RoleDefinition, boolean][] = [
    ['visible Team', 'enterprise', role('team', true), true],
    ['hidden Team', 'enterprise', role('team', false), false],
    ['hidden Team where hiding is not in the edition', 'professional', role('team', false), true],
    ['Managers, even if stored hidden', 'enterprise', role('managers', false), true],
    ['hidden More 1 (the default)', 'enterprise_plus', role('more1', false), false],
    ['visible More 1', 'self_hosted', role('more1', true), true],
    ['visible More 1 after a downgrade to Enterprise', 'enterprise', role('more1', true), false],
  ];
  for (const [name, edition, r, expected] of cases) t.equal(canAssignRole(edition, r), expected, name);
});
