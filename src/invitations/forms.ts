import { z } from 'zod';
import { emailFieldWith, nameField, newPasswordField } from '../auth/forms.js';
import { ACCESS, type Access } from './rules.js';

/** An email address typed for someone else (the sign-up field's messages speak to the person themselves). */
export const otherEmailField = emailFieldWith('Enter an email address');

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
