import t from 'tap';
import { countText } from '../../src/people/list.js';
import { canEditPeople, pagination, personStatus, STATUS_LABELS } from '../../src/people/rules.js';
import { isPermissionKey, PERMISSION_KEYS, type PermissionKey, PROJECT_READ_PERMISSIONS } from '../../src/permissions/grants.js';

t.test('canEditPeople: administrator or "Edit people", always with Read & Write', async (t) => {
  const edit = new Set<PermissionKey>(['people.edit']);
  const other = new Set<PermissionKey>(['projects.create']);
  const cases: [string, { isAdmin: boolean; license: string }, Set<PermissionKey>, boolean][] = [
    ['administrator', { isAdmin: true, license: 'read_write' }, new Set(), true],
    ['administrator with Read-Only', { isAdmin: true, license: 'read_only' }, edit, false],
    ['member with Edit people', { isAdmin: false, license: 'read_write' }, edit, true],
    ['member without it', { isAdmin: false, license: 'read_write' }, other, false],
    ['Read-Only member with Edit people', { isAdmin: false, license: 'read_only' }, edit, false],
    ['No Access', { isAdmin: false, license: 'none' }, edit, false],
  ];
  for (const [name, person, grants, expected] of cases) t.equal(canEditPeople(person, grants), expected, name);
});

t.test('personStatus: "Invited" while waiting, "Has access" once accepted', async (t) => {
  const cases: [Parameters<typeof personStatus>[0], string][] = [
    [{ invitationState: 'invited', license: 'none' }, 'Invited'],
    [{ invitationState: 'accepted', license: 'read_write' }, 'Has access'],
    [{ invitationState: 'accepted', license: 'read_only' }, 'Has access'],
    [{ invitationState: 'accepted', license: 'none' }, 'No Access'],
    [{ invitationState: 'none', license: 'none' }, 'Not invited'],
  ];
  for (const [person, label] of cases) t.equal(STATUS_LABELS[personStatus(person)], label, `${person.invitationState}/${person.license}`);
});

t.test('pagination and the announced count', async (t) => {
  t.same(pagination(0, 1), { page: 1, pages: 1, offset: 0, hasPrevious: false, hasNext: false });
  t.same(pagination(26, 1), { page: 1, pages: 2, offset: 0, hasPrevious: false, hasNext: true });
  t.same(pagination(26, 2), { page: 2, pages: 2, offset: 25, hasPrevious: true, hasNext: false });
  t.equal(countText(1, 'ann'), '1 person found');
  t.equal(countText(3, 'ann'), '3 people found');
  t.equal(countText(0, ''), '0 people in your contacts');
});

t.test('the permission vocabulary: the SPEC §6 catalog, and "Read all projects" = its project read keys', async (t) => {
  t.equal(PERMISSION_KEYS.length, 31);
  t.equal(new Set(PERMISSION_KEYS).size, 31);
  t.ok(isPermissionKey('people.edit'));
  t.notOk(isPermissionKey('people.delete'));
  t.same([...PROJECT_READ_PERMISSIONS], PERMISSION_KEYS.filter((k) => k.endsWith('.read')));
  t.same([...PROJECT_READ_PERMISSIONS], ['project.read', 'comments.read', 'lists.read', 'mindmaps.read', 'tasks.read', 'planning.read', 'time.read', 'documents.read', 'financials.read', 'manage.read'], 'the ten project read permissions of SPEC §6');
});
