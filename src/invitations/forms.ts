import { z } from 'zod';
import { nameField, newPasswordField } from '../auth/forms.js';
import { ACCESS, type Access } from './rules.js';

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/** An email address typed for someone else (the sign-up field's messages speak to the person themselves). */
export const otherEmailField = z.preprocess(
  blankToUndefined,
  z
    .string({ error: 'Enter an email address' })
    .trim()
    .max(254, 'Email address must be 254 characters or fewer')
    .pipe(z.email('Enter an email address in the correct format, like name@example.com')),
);

export const accessField = z.enum(Object.keys(ACCESS) as [Access, ...Access[]], { error: 'Choose the access this person gets' });

/** /people/invite: "Name", "Email", "Access". */
export const InviteForm = z.object({
  name: nameField('Enter a name'),
  email: otherEmailField,
  access: z.preprocess((v) => v ?? 'inherited', accessField),
});

/** "Invite" on a person's page: only the access; name and email are the contact's. */
export const InvitePersonForm = z.object({ access: z.preprocess((v) => v ?? 'inherited', accessField) });

/** /invite/<token>: "Your name", "Password". */
export const AcceptInvitationForm = z.object({
  name: nameField('Enter your name'),
  password: newPasswordField,
});
