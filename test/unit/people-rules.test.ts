import t from 'tap';
import { countText } from '../../src/people/list.js';
import { boundaryOf, decodeCursor, encodeCursor, MAX_CURSOR_TOKEN, neighbours } from '../../src/people/cursor.js';
import { listUrl, pageLinks, PeopleQuery } from '../../src/people/forms.js';
import { canEditPeople, personStatus, STATUS_LABELS } from '../../src/people/rules.js';
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

t.test('the announced count', async (t) => {
  t.equal(countText(1, 'ann'), '1 person found');
  t.equal(countText(640, 'ann'), '640 people found');
  t.equal(countText(0, ''), '0 people in your contacts');
  t.equal(countText(10_011, ''), '10,011 people in your contacts');
});

t.test('cursors: an opaque URL-safe token of (name, id) that decodes back', async (t) => {
  for (const c of [{ name: 'Ada Admin', id: 'p1' }, { name: 'Zoë 😀 “quoted” & <b> ?=/+', id: 'Ab-_09' }, { name: 'x'.repeat(200), id: 'y'.repeat(20) }]) {
    const token = encodeCursor(c);
    t.match(token, /^[A-Za-z0-9_-]+$/, 'URL-safe, no padding');
    t.notOk(token.includes(c.name.slice(0, 3)), 'opaque');
    t.same(decodeCursor(token), c, c.name.slice(0, 20));
    t.same(PeopleQuery.parse({ after: token }), { q: '', after: token });
  }
  const b64 = (text: string) => Buffer.from(text).toString('base64url');
  const bad: [string, unknown][] = [
    ['not base64url', 'a+b/c='],
    ['not JSON', b64('[ada')],
    ['an object', b64('{"name":"a","id":"b"}')],
    ['one part', b64('["a"]')],
    ['three parts', b64('["a","b","c"]')],
    ['numbers', b64('[1,2]')],
    ['an empty id', b64('["a",""]')],
    ['a NUL (PostgreSQL text cannot hold it)', b64('["a\\u0000","b"]')],
    ['a name too long', b64(JSON.stringify(['x'.repeat(501), 'b']))],
    ['oversized', 'A'.repeat(MAX_CURSOR_TOKEN + 4)],
    ['empty', ''],
    ['an array', ['a', 'b']],
    ['a number', 42],
  ];
  for (const [what, token] of bad) {
    t.equal(decodeCursor(token), undefined, what);
    t.same(PeopleQuery.parse({ q: 'a', after: token }), { q: 'a' }, `${what}: the first page`);
    t.same(PeopleQuery.parse({ before: token }), { q: '' }, `${what}: the first page (before)`);
  }
});

t.test('which neighbouring pages a keyset page has, and their addresses', async (t) => {
  const at = encodeCursor({ name: 'M', id: 'm' });
  t.same(neighbours({}, false), { hasPrevious: false, hasNext: false }, 'the first page, all shown');
  t.same(neighbours({}, true), { hasPrevious: false, hasNext: true }, 'the first page, more after it');
  t.same(neighbours({ after: at }, false), { hasPrevious: true, hasNext: false }, 'after a cursor: the last page');
  t.same(neighbours({ after: at }, true), { hasPrevious: true, hasNext: true });
  t.same(neighbours({ before: at }, false), { hasPrevious: false, hasNext: true }, 'before a cursor, nothing further back: the first page');
  t.same(neighbours({ before: at }, true), { hasPrevious: true, hasNext: true });
  t.same(boundaryOf({ after: at }), { after: { name: 'M', id: 'm' } });
  t.same(boundaryOf({ before: at }), { before: { name: 'M', id: 'm' } });
  t.same(boundaryOf({}), {});
  const rows = [{ name: 'Ann', id: 'a' }, { name: 'Bob', id: 'b' }];
  t.same(pageLinks('/people', 'x', rows, { hasPrevious: true, hasNext: true }), {
    firstUrl: '/people?q=x',
    previousUrl: `/people?q=x&before=${encodeCursor(rows[0]!)}`,
    nextUrl: `/people?q=x&after=${encodeCursor(rows[1]!)}`,
  });
  t.same(pageLinks('/people', '', rows, { hasPrevious: false, hasNext: false }), { firstUrl: '/people', previousUrl: undefined, nextUrl: undefined });
  t.equal(listUrl('/people', { q: '', after: at }), `/people?after=${at}`);
  t.equal(listUrl('/people', { q: 'ada' }), '/people?q=ada', 'the first page has no cursor');
});

t.test('the permission vocabulary: the SPEC §6 catalog, and "Read all projects" = its project read keys', async (t) => {
  t.equal(PERMISSION_KEYS.length, 31);
  t.equal(new Set(PERMISSION_KEYS).size, 31);
  t.ok(isPermissionKey('people.edit'));
  t.notOk(isPermissionKey('people.delete'));
  t.same([...PROJECT_READ_PERMISSIONS], PERMISSION_KEYS.filter((k) => k.endsWith('.read')));
  t.same([...PROJECT_READ_PERMISSIONS], ['project.read', 'comments.read', 'lists.read', 'mindmaps.read', 'tasks.read', 'planning.read', 'time.read', 'documents.read', 'financials.read', 'manage.read'], 'the ten project read permissions of SPEC §6');
});
