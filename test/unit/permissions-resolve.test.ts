import t from 'tap';
import { PERMISSION_KEYS, type PermissionKey } from '../../src/permissions/catalog.js';
import {
  type AccessInput,
  canRead,
  findResolved,
  GLOBAL_ONLY_CUT,
  has,
  NO_ACCESS_CUT,
  READ_ONLY_CUT,
  resolvePermissions,
  seesProject,
  visibleSections,
} from '../../src/permissions/resolve.js';
import { defaultRoles, type RoleDefinition } from '../../src/permissions/roles.js';

const designers = { groupId: 'g1', groupName: 'Designers' };
const roles = (overrides: Partial<Record<string, Partial<RoleDefinition>>> = {}): RoleDefinition[] =>
  defaultRoles().map((r) => ({ ...r, ...overrides[r.key] }));

function input(over: Partial<AccessInput> = {}): AccessInput {
  return {
    edition: 'enterprise_plus',
    license: 'read_write',
    globalGrants: [],
    divisionGrants: [],
    project: { id: 'p1', divisionId: 'd1' },
    roleAssignments: [],
    roles: roles(),
    ...over,
  };
}

/** One permission's verdict as the explainer shows it. */
function verdict(i: AccessInput, key: PermissionKey) {
  const p = findResolved(resolvePermissions(i), key);
  return { granted: p.granted, reasons: p.reasons, cuts: p.cuts.map((c) => (c.grant ? `${c.grant} — ${c.text}` : c.text)) };
}

const sales = (permission: PermissionKey, divisionId = 'd1') => ({ divisionId, divisionName: divisionId === 'd1' ? 'Sales' : 'IT', permission });
const none = { granted: false, reasons: [], cuts: [] };

t.test('every rule, one level at a time and together', async (t) => {
  const cases: [string, AccessInput, PermissionKey, ReturnType<typeof verdict>][] = [
    ['no grant: nothing', input(), 'tasks.read', none],
    ['global project permission applies in the project', input({ globalGrants: ['tasks.read'] }), 'tasks.read', { granted: true, reasons: ['Global'], cuts: [] }],
    ['global-only permission from a global grant', input({ globalGrants: ['projects.create'] }), 'projects.create', { granted: true, reasons: ['Global'], cuts: [] }],
    ['division grant for the project\'s division', input({ divisionGrants: [sales('comments.read')] }), 'comments.read', { granted: true, reasons: ['Division: Sales'], cuts: [] }],
    ['division grant for another division: ignored', input({ divisionGrants: [sales('comments.read', 'd2')] }), 'comments.read', none],
    ['project without a division: no division grant applies', input({ project: { id: 'p1', divisionId: null }, divisionGrants: [sales('comments.read')] }), 'comments.read', none],
    ['a role held directly', input({ roleAssignments: [{ role: 'customers', via: null }] }), 'planning.read', { granted: true, reasons: ['Role: Customers'], cuts: [] }],
    ['a role held through a group', input({ roleAssignments: [{ role: 'customers', via: designers }] }), 'planning.read', { granted: true, reasons: ['Role: Customers via group Designers'], cuts: [] }],
    ['a role the person does not hold grants nothing', input({ roleAssignments: [{ role: 'additional', via: null }] }), 'planning.read', none],
    [
      'the union of every level, each grant listed',
      input({ globalGrants: ['tasks.read'], divisionGrants: [sales('tasks.read')], roleAssignments: [{ role: 'team', via: null }, { role: 'team', via: designers }] }),
      'tasks.read',
      { granted: true, reasons: ['Global', 'Division: Sales', 'Role: Team', 'Role: Team via group Designers', 'Implied by Edit tasks (Role: Team)', 'Implied by Edit tasks (Role: Team via group Designers)'], cuts: [] },
    ],
    ['the same grant twice is listed once', input({ roleAssignments: [{ role: 'customers', via: null }, { role: 'customers', via: null }] }), 'tasks.read', { granted: true, reasons: ['Role: Customers'], cuts: [] }],
    ['a renamed role shows its name', input({ edition: 'enterprise', roles: roles({ customers: { name: 'Clients' } }), roleAssignments: [{ role: 'customers', via: null }] }), 'tasks.read', { granted: true, reasons: ['Role: Clients'], cuts: [] }],
    ['renaming is not in Professional: the default name shows', input({ edition: 'professional', roles: roles({ customers: { name: 'Clients' } }), roleAssignments: [{ role: 'customers', via: null }] }), 'tasks.read', { granted: true, reasons: ['Role: Customers'], cuts: [] }],
    ['a hidden role keeps its permissions for existing assignments', input({ edition: 'enterprise', roles: roles({ customers: { visible: false } }), roleAssignments: [{ role: 'customers', via: null }] }), 'financials.read', { granted: true, reasons: ['Role: Customers'], cuts: [] }],
    ['a hidden More role keeps its permissions too', input({ roles: roles({ more3: { name: 'Heads', permissions: ['planning.read'] } }), roleAssignments: [{ role: 'more3', via: null }] }), 'planning.read', { granted: true, reasons: ['Role: Heads'], cuts: [] }],
    ['a role without a stored definition grants nothing', input({ roles: [], roleAssignments: [{ role: 'team', via: null }] }), 'tasks.read', none],
  ];
  for (const [name, i, key, expected] of cases) t.same(verdict(i, key), expected, name);
});

t.test('an edit permission implies the read of its area', async (t) => {
  const team = input({ roleAssignments: [{ role: 'team', via: null }] });
  t.same(verdict(team, 'documents.read'), { granted: true, reasons: ['Implied by Edit documents (Role: Team)'], cuts: [] }, 'Team: Edit documents → Read documents');
  t.same(verdict(team, 'time.read'), { granted: true, reasons: ['Implied by Edit own time entries (Role: Team)'], cuts: [] });
  t.same(verdict(team, 'comments.read').reasons, ['Role: Team', 'Implied by Add project comments (Role: Team)', 'Implied by Delete own project comments (Role: Team)']);
  t.same(verdict(input({ globalGrants: ['time.backdate'] }), 'time.read').reasons, ['Implied by Allow backdating in times (Global)']);
  t.same(verdict(input({ divisionGrants: [sales('project.lock')] }), 'project.read').reasons, ['Implied by Lock project for editing (Division: Sales)']);
  t.same(verdict(input({ globalGrants: ['manage.edit'] }), 'manage.read').reasons, ['Implied by Edit manage page (Global)']);
  t.same(verdict(input({ globalGrants: ['tasks.read'] }), 'tasks.edit'), none, 'a read never implies an edit');
  t.same(verdict(input({ globalGrants: ['projects.create'] }), 'project.read'), none, '"Create projects" implies no project read');
});

t.test('global-only permissions never come from divisions or roles', async (t) => {
  const i = input({
    divisionGrants: [sales('people.edit')],
    roles: roles({ team: { permissions: ['projects.create', 'tasks.read'] } }),
    roleAssignments: [{ role: 'team', via: null }],
  });
  t.same(verdict(i, 'people.edit'), { granted: false, reasons: [], cuts: [`Division: Sales — ${GLOBAL_ONLY_CUT}`] });
  t.same(verdict(i, 'projects.create'), { granted: false, reasons: [], cuts: [`Role: Team — ${GLOBAL_ONLY_CUT}`] });
  t.ok(verdict(i, 'tasks.read').granted, 'the role\'s project permissions still apply');
});

t.test('the license cut', async (t) => {
  const team = (license: AccessInput['license']) => input({ license, globalGrants: ['projects.create'], roleAssignments: [{ role: 'team', via: null }] });
  t.same(verdict(team('read_write'), 'tasks.edit'), { granted: true, reasons: ['Role: Team'], cuts: [] }, 'Read & Write keeps edits');
  t.same(verdict(team('read_only'), 'tasks.edit'), { granted: false, reasons: ['Role: Team'], cuts: [READ_ONLY_CUT] }, 'Read-Only: the edit is cut, its grant still shown');
  t.same(verdict(team('read_only'), 'projects.create'), { granted: false, reasons: ['Global'], cuts: [READ_ONLY_CUT] }, 'Read-Only cuts global-only permissions too');
  t.same(verdict(team('read_only'), 'tasks.read'), { granted: true, reasons: ['Role: Team', 'Implied by Edit tasks (Role: Team)'], cuts: [] }, 'Read-Only keeps reads');
  t.same(verdict(team('read_only'), 'documents.read'), { granted: true, reasons: ['Implied by Edit documents (Role: Team)'], cuts: [] }, 'Read-Only keeps a read implied by a cut edit');
  t.same(verdict(team('read_only'), 'financials.edit'), none, 'nothing to cut where nothing was granted');
  t.same(verdict(team('none'), 'tasks.read'), { granted: false, reasons: ['Role: Team', 'Implied by Edit tasks (Role: Team)'], cuts: [NO_ACCESS_CUT] }, 'No Access keeps nothing');
  const readOnly = resolvePermissions(team('read_only'));
  t.same([...readOnly.granted].sort(), ['comments.read', 'documents.read', 'lists.read', 'mindmaps.read', 'project.read', 'tasks.read', 'time.read']);
  const noAccess = resolvePermissions(team('none'));
  t.equal(noAccess.granted.size, 0);
  t.notOk(seesProject(noAccess));
});

t.test('an edition downgrade: grants stop applying, reported as cut; the upgrade brings them back exactly', async (t) => {
  const data = input({
    divisionGrants: [sales('financials.read')],
    roles: roles({ more1: { name: 'Heads', visible: true, permissions: ['planning.edit'] } }),
    roleAssignments: [{ role: 'customers', via: designers }, { role: 'more1', via: null }],
  });
  const frozen = JSON.stringify(data);
  const full = resolvePermissions(data);
  t.same(verdict(data, 'financials.read').reasons, ['Division: Sales', 'Role: Customers via group Designers']);
  t.same(verdict(data, 'planning.edit').reasons, ['Role: Heads']);

  const enterprise = { ...data, edition: 'enterprise' as const };
  t.same(verdict(enterprise, 'financials.read').granted, true, 'Enterprise keeps divisions and groups');
  t.same(verdict(enterprise, 'planning.edit'), { granted: false, reasons: [], cuts: ['Role: Heads — Not in the Enterprise edition: the roles More 1–5 do not apply'] });
  t.same(verdict(enterprise, 'planning.read'), {
    granted: true,
    reasons: ['Role: Customers via group Designers'],
    cuts: ['Implied by Edit planning (Role: Heads) — Not in the Enterprise edition: the roles More 1–5 do not apply'],
  }, 'a cut edit\'s implied read is reported with the same cut');

  const professional = { ...data, edition: 'professional' as const };
  t.same(verdict(professional, 'financials.read'), {
    granted: false,
    reasons: [],
    cuts: ['Division: Sales — Not in the Professional edition: division grants do not apply', 'Role: Customers via group Designers — Not in the Professional edition: group assignments do not apply'],
  });
  t.equal(resolvePermissions(professional).granted.size, 0);

  t.equal(JSON.stringify(data), frozen, 'the data is untouched');
  t.same(resolvePermissions({ ...professional, edition: 'enterprise_plus' }), full, 'the upgrade brings back exactly what was');
  t.same(resolvePermissions({ ...professional, edition: 'self_hosted' }).granted, full.granted, 'Self-Hosted has the same features');
});

t.test('helpers: has, canRead, visibleSections, seesProject', async (t) => {
  const customer = resolvePermissions(input({ roleAssignments: [{ role: 'customers', via: null }] }));
  t.ok(has(customer, 'tasks.read'));
  t.notOk(has(customer, 'tasks.edit'));
  t.ok(canRead(customer, 'planning'));
  t.notOk(canRead(customer, 'comments'));
  t.same(visibleSections(customer).map((s) => s.name), ['Tasks', 'Planning', 'Financials']);
  t.ok(seesProject(customer));

  const manager = resolvePermissions(input({ globalGrants: ['manage.edit'] }));
  t.ok(seesProject(manager), 'an edit alone shows the project through its implied read');
  t.same(visibleSections(manager).map((s) => s.name), ['Manage']);

  const creator = resolvePermissions(input({ globalGrants: ['projects.create', 'people.edit'] }));
  t.notOk(seesProject(creator), 'global-only permissions show no project');
  t.same(visibleSections(creator), []);

  const nobody = resolvePermissions(input());
  t.notOk(seesProject(nobody));
  t.same(nobody.permissions.map((p) => p.key), PERMISSION_KEYS, 'every catalog permission, in catalog order');
  t.ok(nobody.permissions.every((p) => !p.granted && p.reasons.length === 0 && p.cuts.length === 0));
  t.equal(nobody.projectId, 'p1');
  t.equal(findResolved(nobody, 'time.backdate').label, 'Allow backdating in times');
});
