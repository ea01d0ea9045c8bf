import fc from 'fast-check';
import { accessInput, keys } from '../helpers/permission-arbitraries.js';
import t from 'tap';
import { grantedKeys, summarizeImpact } from '../../src/permissions/impact.js';
import { type AccessInput, resolvePermissions } from '../../src/permissions/resolve.js';

const runs = { numRuns: 1000 };
const sorted = (s: ReadonlySet<string>) => [...s].sort();

t.test('grantedKeys gives exactly what resolvePermissions grants, for any input', async (t) => {
  fc.assert(fc.property(accessInput, (i) => sorted(grantedKeys(i)).join() === sorted(resolvePermissions(i).granted).join()), runs);
  t.pass('the same verdict over 1000 random inputs');
});

t.test('summarizeImpact counts who gains and loses what, where', async (t) => {
  fc.assert(
    fc.property(accessInput, keys, (before, proposed) => {
      const after = { ...before, roles: before.roles.map((r) => (r.key === 'team' ? { ...r, permissions: proposed } : r)) };
      const summary = summarizeImpact([{ personId: 'a', projectId: 'p1', before, after }]);
      const b = grantedKeys(before);
      const a = grantedKeys(after);
      const gained = [...a].filter((k) => !b.has(k)).sort();
      const lost = [...b].filter((k) => !a.has(k)).sort();
      return (
        summary.changes.filter((c) => c.gained.people).map((c) => c.key).sort().join() === gained.join() &&
        summary.changes.filter((c) => c.lost.people).map((c) => c.key).sort().join() === lost.join() &&
        summary.people === (gained.length + lost.length ? 1 : 0)
      );
    }),
    { numRuns: 500 },
  );
  t.pass('gains and losses match the two verdicts');
  const input = (license: AccessInput['license'], projectId: string): AccessInput => ({
    edition: 'enterprise', license, globalGrants: [], divisionGrants: [], project: { id: projectId, divisionId: null },
    roleAssignments: [{ role: 'team', via: null }], roles: [{ key: 'team', name: 'Team', visible: true, permissions: ['tasks.read'] }],
  });
  const withEdit = (i: AccessInput): AccessInput => ({ ...i, roles: [{ key: 'team', name: 'Team', visible: true, permissions: ['tasks.read', 'tasks.edit'] }] });
  const s = summarizeImpact([
    { personId: 'bo', projectId: 'p1', before: input('read_write', 'p1'), after: withEdit(input('read_write', 'p1')) },
    { personId: 'bo', projectId: 'p2', before: input('read_write', 'p2'), after: withEdit(input('read_write', 'p2')) },
    { personId: 'cy', projectId: 'p1', before: input('read_only', 'p1'), after: withEdit(input('read_only', 'p1')) },
  ]);
  t.same(s.changes, [{ key: 'tasks.edit', label: 'Edit tasks', gained: { people: 1, projects: 2 }, lost: { people: 0, projects: 0 } }], 'Read-Only gains no edit');
  t.equal(s.people, 1);
  t.equal(s.projects, 2);
  t.equal(s.pairs, 3);
});
