import fc from 'fast-check';
import { accessInput, assignment, divisionGrant, editions, key } from '../helpers/permission-arbitraries.js';
import t from 'tap';
import { findPermission } from '../../src/permissions/catalog.js';
import { hasFeature, isUpgrade } from '../../src/permissions/editions.js';
import { type AccessInput, resolvePermissions } from '../../src/permissions/resolve.js';
import { isMoreRole, ROLE_KEYS } from '../../src/permissions/roles.js';

/** One more grant of any level: a global grant, a division grant, a role assignment, or a permission added to a role. */
const extraGrant = fc.oneof(
  key.map((k) => (i: AccessInput): AccessInput => ({ ...i, globalGrants: [...i.globalGrants, k] })),
  divisionGrant.map((g) => (i: AccessInput): AccessInput => ({ ...i, divisionGrants: [...i.divisionGrants, g] })),
  assignment.map((a) => (i: AccessInput): AccessInput => ({ ...i, roleAssignments: [...i.roleAssignments, a] })),
  fc.tuple(fc.constantFrom(...ROLE_KEYS), key).map(([role, k]) => (i: AccessInput): AccessInput => ({
    ...i,
    roles: i.roles.map((r) => (r.key === role ? { ...r, permissions: [...r.permissions, k] } : r)),
  })),
);

const granted = (i: AccessInput) => resolvePermissions(i).granted;
const subset = <T>(a: ReadonlySet<T>, b: ReadonlySet<T>) => [...a].every((x) => b.has(x));
const runs = { numRuns: 500 };

t.test('adding any grant never removes a permission', async (t) => {
  fc.assert(fc.property(accessInput, extraGrant, (i, add) => subset(granted(i), granted(add(i)))), runs);
  t.pass('monotone over 500 random inputs');
});

t.test('upgrading the edition never removes a permission', async (t) => {
  const pair = fc.tuple(fc.constantFrom(...editions), fc.constantFrom(...editions)).filter(([a, b]) => isUpgrade(a, b));
  fc.assert(fc.property(accessInput, pair, (i, [from, to]) => subset(granted({ ...i, edition: from }), granted({ ...i, edition: to }))), runs);
  t.pass('monotone in the edition');
});

t.test('a feature outside the edition grants exactly what its absence would', async (t) => {
  const withoutCutData = (i: AccessInput): AccessInput => ({
    ...i,
    divisionGrants: hasFeature(i.edition, 'divisions') ? i.divisionGrants : [],
    roleAssignments: i.roleAssignments.filter((a) => (!a.via || hasFeature(i.edition, 'groups')) && (!isMoreRole(a.role) || hasFeature(i.edition, 'moreRoles'))),
  });
  const same = (a: ReadonlySet<string>, b: ReadonlySet<string>) => a.size === b.size && subset(a, b);
  fc.assert(fc.property(accessInput, (i) => same(granted(i), granted(withoutCutData(i)))), runs);
  t.pass('division grants, group assignments and More 1–5 count for nothing outside their editions');
});

t.test('a Read-Only person never holds an edit permission; the cut only removes edits', async (t) => {
  fc.assert(
    fc.property(accessInput, (i) => {
      const readOnly = granted({ ...i, license: 'read_only' });
      const readWrite = granted({ ...i, license: 'read_write' });
      const reads = [...readWrite].filter((k) => findPermission(k).kind === 'read');
      return [...readOnly].every((k) => findPermission(k).kind === 'read') && readOnly.size === reads.length && subset(readOnly, readWrite);
    }),
    runs,
  );
  t.pass('Read-Only = the reads of Read & Write');
});

t.test('No Access holds nothing', async (t) => {
  fc.assert(fc.property(accessInput, (i) => granted({ ...i, license: 'none' }).size === 0), runs);
  t.pass('empty for every input');
});

t.test('every granted permission has a reason; a reason without a license cut grants', async (t) => {
  fc.assert(
    fc.property(accessInput, (i) =>
      resolvePermissions(i).permissions.every((p) => {
        const licenseCut = p.cuts.some((c) => c.by === 'license');
        return p.granted === (p.reasons.length > 0 && !licenseCut) && (!licenseCut || p.reasons.length > 0);
      }),
    ),
    runs,
  );
  t.pass('verdicts and reasons agree');
});

t.test('global-only permissions come only from global grants; a granted edit has its read', async (t) => {
  fc.assert(
    fc.property(accessInput, (i) => {
      const r = resolvePermissions(i);
      return r.permissions.every((p) => {
        if (p.scope === 'global' && p.granted && !i.globalGrants.includes(p.key)) return false;
        const read = findPermission(p.key).implies;
        return !(p.granted && read && !r.granted.has(read));
      });
    }),
    runs,
  );
  t.pass('scope and implication hold');
});
