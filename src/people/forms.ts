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

/** The address of a list showing this search: no empty `q`, no `page=1` (e.g. `/people`, `/people?q=ada&page=2`). */
export function listUrl(path: string, search: { q: string; page: number }, notice?: string): string {
  const params = new URLSearchParams();
  if (search.q) params.set('q', search.q);
  if (search.page > 1) params.set('page', String(search.page));
  if (notice) params.set('notice', notice);
  const query = params.toString();
  return `${path}${query ? `?${query}` : ''}`;
}
