import { z } from 'zod';
import { nameField } from '../auth/forms.js';
import { otherEmailField } from '../invitations/forms.js';

/** /people/new: "Name", "Email". */
export const NewContactForm = z.object({ name: nameField('Enter a name'), email: otherEmailField });

/** /people?q=…&page=…: a bad value is read as "no search" or "first page", never an error. */
export const PeopleQuery = z.object({
  q: z.string().trim().max(200).catch('').default(''),
  page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
});
