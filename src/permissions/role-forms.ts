/**
 * The forms of the Roles tab (SPEC §6): a role's permission switches, its name and its "Visible" switch. Each is a
 * zod schema used for parsing and for the error display (field → message).
 */
import { z } from 'zod';
import { checkbox } from '../privacy/forms.js';
import { isPermissionKey, isProjectPermission, permissionLabel, PROJECT_PERMISSIONS, type PermissionKey } from './catalog.js';

/** The field (and fieldset id) the permissions form's errors point to. */
export const PERMISSIONS_FIELD = 'role-permissions';
export const ROLE_NAME_MAX = 60;
/** "Save this change" sends `confirm=1`: with htmx, a change that affects anyone is saved only then (SPEC §6 impact preview). */
export const CONFIRM_FIELD = 'confirm';
export const isConfirmed = (body: unknown) => (body as Record<string, unknown> | null | undefined)?.[CONFIRM_FIELD] === '1';

/**
 * The switches of a role's permissions form: one field per project permission, named by its key, "on" when the
 * switch is on. The set submitted replaces the role's permissions; a field that names no project permission (a
 * global-only one, an unknown key) or a value other than "on" is refused rather than ignored.
 */
export const RolePermissionsForm = z
  .record(z.string(), z.unknown())
  .superRefine((body, ctx) => {
    for (const [key, value] of Object.entries(body)) {
      if (key === '_csrf') continue;
      if (key === CONFIRM_FIELD) {
        if (value !== '1') ctx.addIssue({ code: 'custom', path: [PERMISSIONS_FIELD], message: 'Press “Save this change” to confirm it' });
        continue;
      }
      if (!isPermissionKey(key) || !isProjectPermission(key)) {
        ctx.addIssue({ code: 'custom', path: [PERMISSIONS_FIELD], message: 'Choose only the project permissions listed' });
        return;
      }
      if (value !== 'on') {
        ctx.addIssue({ code: 'custom', path: [key], message: `Choose on or off for “${permissionLabel(key)}”` });
        return;
      }
    }
  })
  .transform((body): PermissionKey[] => PROJECT_PERMISSIONS.filter((key) => body[key] === 'on'));

/** "Role name": 1–60 characters once trimmed (uniqueness in the account is checked with the account locked). */
export const RoleNameForm = z.object({
  name: z
    .string({ error: 'Enter a role name' })
    .trim()
    .min(1, 'Enter a role name')
    .max(ROLE_NAME_MAX, `Role name must be ${ROLE_NAME_MAX} characters or fewer`),
});

export const RoleVisibleForm = z.object({ visible: checkbox });
