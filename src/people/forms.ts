import { z } from 'zod';
import { nameField } from '../auth/forms.js';
import { otherEmailField } from '../invitations/forms.js';
import { type Cursor, cursorToken, encodeCursor, type ListPosition } from './cursor.js';

/** /people/new: "Name", "Email". */
export const NewContactForm = z.object({ name: nameField('Enter a name'), email: otherEmailField });

/** Which list page to show: a search (`q`, empty for everyone) and where the page sits (a cursor, or the first page). */
export interface ListQuery extends ListPosition {
  q: string;
}

/**
 * /people?q=…&after=… (or before=…): a bad value is read as "no search" or "first page", never an error; a cursor
 * that does not decode, or both `after` and `before`, mean the first page.
 */
export const PeopleQuery = z
  .object({ q: z.string().trim().max(200).catch('').default(''), after: cursorToken, before: cursorToken })
  .transform(({ q, after, before }): ListQuery => {
    if (after && !before) return { q, after };
    if (before && !after) return { q, before };
    return { q };
  });

/** The address of a list page: no empty `q`, no cursor on the first page (e.g. `/people`, `/people?q=ada&after=…`). */
export function listUrl(path: string, search: ListQuery, notice?: string): string {
  const params = new URLSearchParams();
  if (search.q) params.set('q', search.q);
  if (search.after) params.set('after', search.after);
  else if (search.before) params.set('before', search.before);
  if (notice) params.set('notice', notice);
  const query = params.toString();
  return `${path}${query ? `?${query}` : ''}`;
}

/** The addresses of the pages around one page of a list (in (name, id) order) and of its first page. */
export function pageLinks(path: string, q: string, rows: readonly Cursor[], pages: { hasPrevious: boolean; hasNext: boolean }) {
  const first = rows[0];
  const last = rows[rows.length - 1];
  return {
    firstUrl: listUrl(path, { q }),
    previousUrl: pages.hasPrevious && first ? listUrl(path, { q, before: encodeCursor(first) }) : undefined,
    nextUrl: pages.hasNext && last ? listUrl(path, { q, after: encodeCursor(last) }) : undefined,
  };
}
