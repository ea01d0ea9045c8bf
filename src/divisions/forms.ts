import { z } from 'zod';
import { isProjectPermission, PERMISSION_KEYS, type PermissionKey } from '../permissions/catalog.js';

export const DIVISION_NAME_TAKEN = 'A division with this name already exists';

export const DivisionNameForm = z.object({
  name: z
    .string({ message: 'Enter the division name' })
    .trim()
    .min(1, 'Enter the division name')
    .max(80, 'The division name must be 80 characters or fewer')
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'The division name can’t contain control characters'),
});

const id = z.string().trim().regex(/^[A-Za-z0-9_-]{1,64}$/);

/** The Divisions tab's address: a person and a division (ids that are not ids are dropped), and a search text. */
export const DivisionsTabQuery = z.object({
  person: id.optional().catch(undefined),
  division: id.optional().catch(undefined),
  q: z.string().trim().max(200).optional().catch(undefined),
});
export type DivisionsTabQuery = z.infer<typeof DivisionsTabQuery>;

/** The project permissions, the only ones a division can grant: one switch each, named by its key. */
export const DIVISION_PERMISSIONS: readonly PermissionKey[] = PERMISSION_KEYS.filter(isProjectPermission);

/**
 * Saving one person's permissions in one division: the switches that are on (a switch that is off is absent from a
 * form post, so the submitted set is the whole new set). Any other field name than a project permission is refused.
 */
export const DivisionGrantsForm = z
  .object({
    person: id,
    division: id,
    _csrf: z.string().optional(),
  })
  .catchall(z.literal('on'))
  .superRefine((v, ctx) => {
    for (const key of Object.keys(v)) {
      if (key === 'person' || key === 'division' || key === '_csrf') continue;
      if (!(DIVISION_PERMISSIONS as readonly string[]).includes(key)) ctx.addIssue({ code: 'custom', path: ['permissions'], message: 'Choose only project permissions' });
    }
  })
  .transform((v) => ({
    person: v.person,
    division: v.division,
    permissions: DIVISION_PERMISSIONS.filter((k) => (v as Record<string, unknown>)[k] === 'on'),
  }));

export const RemoveDivisionForm = z.object({ person: id, division: id });
