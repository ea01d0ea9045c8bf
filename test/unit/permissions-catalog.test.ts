import t from 'tap';
import {
  EDIT_PERMISSIONS,
  findPermission,
  findSection,
  GLOBAL_ONLY_PERMISSIONS,
  isPermissionKey,
  isSectionKey,
  PERMISSION_KEYS,
  PERMISSIONS,
  PROJECT_PERMISSIONS,
  PROJECT_READ_PERMISSIONS,
  SECTIONS,
} from '../../src/permissions/catalog.js';
import * as grants from '../../src/permissions/grants.js';

/** The catalog table of SPEC §6, copied verbatim: the catalog must match it row by row. */
const SPEC_TABLE = `
| projects.create | Create projects | global only |
| projectRequests.create | Create project requests | global only |
| projectRequests.edit | Edit project requests | global only |
| people.edit | Edit people | global only |
| reports.edit | Edit existing reports | global only |
| reports.generate | Generate reports | global only |
| project.read | Read projects | project |
| comments.read | Read project comments | project |
| lists.read | Read lists | project |
| mindmaps.read | Read mind maps | project |
| tasks.read | Read tasks | project |
| planning.read | Read planning | project |
| time.read | Read time tracking | project |
| documents.read | Read documents | project |
| financials.read | Read financials | project |
| manage.read | Read manage page | project |
| comments.add | Add project comments | project |
| comments.deleteOwn | Delete own project comments | project |
| comments.delete | Delete project comments | project |
| lists.edit | Edit lists | project |
| mindmaps.edit | Edit mind maps | project |
| tasks.edit | Edit tasks | project |
| planning.edit | Edit planning | project |
| time.editOwn | Edit own time entries | project |
| time.edit | Edit all time entries | project |
| time.backdate | Allow backdating in times | project |
| documents.edit | Edit documents | project |
| financials.edit | Edit financials | project |
| manage.edit | Edit manage page | project |
| project.lock | Lock project for editing | project |
| project.delete | Delete projects | project |`;

const specRows = SPEC_TABLE.trim()
  .split('\n')
  .map((line) => line.split('|').slice(1, -1).map((cell) => cell.trim()))
  .map(([key, label, scope]) => ({ key, label, scope: scope === 'global only' ? 'global' : scope }));

t.test('the catalog is the SPEC §6 table: 31 keys, their labels and scopes, in order', async (t) => {
  t.equal(PERMISSIONS.length, 31);
  t.equal(new Set(PERMISSION_KEYS).size, 31);
  t.same(PERMISSIONS.map((p) => ({ key: p.key, label: p.label, scope: p.scope })), specRows);
  t.same([...PERMISSION_KEYS], specRows.map((r) => r.key));
});

t.test('kind, area and the read an edit permission implies', async (t) => {
  const cases: [string, string, string, string | null][] = [
    ['comments.add', 'comments', 'edit', 'comments.read'],
    ['comments.deleteOwn', 'comments', 'edit', 'comments.read'],
    ['comments.delete', 'comments', 'edit', 'comments.read'],
    ['lists.edit', 'lists', 'edit', 'lists.read'],
    ['mindmaps.edit', 'mindmaps', 'edit', 'mindmaps.read'],
    ['tasks.edit', 'tasks', 'edit', 'tasks.read'],
    ['planning.edit', 'planning', 'edit', 'planning.read'],
    ['time.editOwn', 'time', 'edit', 'time.read'],
    ['time.edit', 'time', 'edit', 'time.read'],
    ['time.backdate', 'time', 'edit', 'time.read'],
    ['documents.edit', 'documents', 'edit', 'documents.read'],
    ['financials.edit', 'financials', 'edit', 'financials.read'],
    ['manage.edit', 'manage', 'edit', 'manage.read'],
    ['project.lock', 'project', 'edit', 'project.read'],
    ['project.delete', 'project', 'edit', 'project.read'],
    ['project.read', 'project', 'read', null],
    ['time.read', 'time', 'read', null],
    ['projects.create', 'projects', 'edit', null],
    ['projectRequests.create', 'projectRequests', 'edit', null],
    ['projectRequests.edit', 'projectRequests', 'edit', null],
    ['people.edit', 'people', 'edit', null],
    ['reports.edit', 'reports', 'edit', null],
    ['reports.generate', 'reports', 'edit', null],
  ];
  for (const [key, area, kind, implies] of cases) {
    t.ok(isPermissionKey(key), key);
    if (!isPermissionKey(key)) continue;
    t.same({ area: findPermission(key).area, kind: findPermission(key).kind, implies: findPermission(key).implies }, { area, kind, implies }, key);
  }
  for (const p of PERMISSIONS) {
    if (p.implies) t.equal(findPermission(p.implies).kind, 'read', `${p.key} implies a read`);
    if (p.implies) t.equal(findPermission(p.implies).area, p.area, `${p.key} implies a read of its own area`);
    if (p.kind === 'edit' && p.scope === 'project') t.ok(p.implies, `project edit ${p.key} implies a read`);
  }
});

t.test('the derived lists', async (t) => {
  t.same([...PROJECT_READ_PERMISSIONS], ['project.read', 'comments.read', 'lists.read', 'mindmaps.read', 'tasks.read', 'planning.read', 'time.read', 'documents.read', 'financials.read', 'manage.read']);
  t.same([...GLOBAL_ONLY_PERMISSIONS], ['projects.create', 'projectRequests.create', 'projectRequests.edit', 'people.edit', 'reports.edit', 'reports.generate']);
  t.equal(PROJECT_PERMISSIONS.length, 25);
  t.equal(EDIT_PERMISSIONS.length, 21);
  t.notOk(isPermissionKey('people.delete'));
  t.notOk(isPermissionKey('toString'), 'no prototype key passes');
});

t.test('grants.ts re-exports the same vocabulary', async (t) => {
  t.equal(grants.PERMISSION_KEYS, PERMISSION_KEYS);
  t.equal(grants.PROJECT_READ_PERMISSIONS, PROJECT_READ_PERMISSIONS);
  t.equal(grants.isPermissionKey, isPermissionKey);
});

t.test('the sections of SPEC §8 in navigation order, each with its read permission', async (t) => {
  t.same(SECTIONS.map((s) => s.name), ['Comments', 'Lists', 'Mind maps', 'Tasks', 'Planning', 'Time tracking', 'Documents', 'Financials', 'Manage']);
  t.same(SECTIONS.map((s) => s.read), PROJECT_READ_PERMISSIONS.filter((k) => k !== 'project.read'));
  for (const s of SECTIONS) t.equal(findPermission(s.read).area, s.key, s.name);
  t.equal(findSection('time').name, 'Time tracking');
  t.ok(isSectionKey('mindmaps'));
  t.notOk(isSectionKey('project'), 'the overview is not a section');
});
