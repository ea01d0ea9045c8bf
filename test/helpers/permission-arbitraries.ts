// fast-check arbitraries of the permission model's input, shared by the property tests of the resolver and of the
// impact preview.
import fc from 'fast-check';
import { EDITIONS, type Edition } from '../../src/auth/forms.js';
import { PERMISSION_KEYS } from '../../src/permissions/catalog.js';
import type { AccessInput } from '../../src/permissions/resolve.js';
import { ROLE_KEYS } from '../../src/permissions/roles.js';

export const editions = Object.keys(EDITIONS) as Edition[];
export const key = fc.constantFrom(...PERMISSION_KEYS);
export const keys = fc.subarray([...PERMISSION_KEYS]);
const divisionId = fc.constantFrom('d1', 'd2');
export const divisionGrant = fc.record({ divisionId, permission: key }).map((g) => ({ ...g, divisionName: g.divisionId === 'd1' ? 'Sales' : 'IT' }));
const via = fc.option(fc.constantFrom({ groupId: 'g1', groupName: 'Designers' }, { groupId: 'g2', groupName: 'Board' }), { nil: null });
export const assignment = fc.record({ role: fc.constantFrom(...ROLE_KEYS), via });
const roles = fc.tuple(...ROLE_KEYS.map((k) => fc.record({ key: fc.constant(k), name: fc.constantFrom(k, 'Renamed'), visible: fc.boolean(), permissions: keys })));

export const accessInput: fc.Arbitrary<AccessInput> = fc.record({
  edition: fc.constantFrom(...editions),
  license: fc.constantFrom('read_write' as const, 'read_only' as const, 'none' as const),
  globalGrants: fc.subarray([...PERMISSION_KEYS], { maxLength: 6 }),
  divisionGrants: fc.array(divisionGrant, { maxLength: 6 }),
  project: fc.record({ id: fc.constant('p1'), divisionId: fc.option(divisionId, { nil: null }) }),
  roleAssignments: fc.array(assignment, { maxLength: 4 }),
  roles,
});

