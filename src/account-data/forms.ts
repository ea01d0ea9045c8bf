import { z } from 'zod';
import { nameField } from '../auth/forms.js';
import { isOwnPassword } from '../auth/accounts.js';
import type { Auth } from '../auth/session.js';
import type { Db } from '../db/client.js';
import type { FieldError } from '../web/forms.js';

export const DeleteOrganizationForm = z.object({
  organizationName: nameField('Enter the name of your organization'),
  password: z.string({ error: 'Enter your password' }).min(1, 'Enter your password').max(200, 'Enter your password'),
});

export const WRONG_PASSWORD = 'The password is not right. Enter the password you sign in with.';

export const wrongName = (name: string) => `The organization name does not match. Enter “${name}” exactly as it is written.`;

/**
 * The deletion goes ahead only when both match: the organization's name as it is written (spaces around it aside)
 * and the signed-in administrator's own password. Returns what is wrong, and whether the password was.
 */
export async function confirmationErrors(db: Db, auth: Auth, form: z.infer<typeof DeleteOrganizationForm>) {
  const errors: FieldError[] = [];
  if (form.organizationName !== auth.account.name.trim()) errors.push({ field: 'organizationName', message: wrongName(auth.account.name) });
  const passwordRight = await isOwnPassword(db, auth.person.id, form.password);
  if (!passwordRight) errors.push({ field: 'password', message: WRONG_PASSWORD });
  return { errors, wrongPassword: !passwordRight };
}
