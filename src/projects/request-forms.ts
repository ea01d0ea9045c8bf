/** The forms and addresses of project requests (SPEC §8): "New project request", "Reject", the list's filter and pages. */
import { z } from 'zod';
import { NewProjectForm } from './forms.js';

export const REASON_MAX = 2000;
export const REJECTION_MAX = 1000;
export const REASON_TOO_LONG = `The reason must be ${REASON_MAX.toLocaleString('en-GB')} characters or fewer`;
export const REASON_CONTROL = 'The reason can’t contain control characters';
export const ENTER_REJECTION = 'Enter a reason for rejecting';
export const REJECTION_TOO_LONG = `The reason for rejecting must be ${REJECTION_MAX.toLocaleString('en-GB')} characters or fewer`;
export const REJECTION_CONTROL = 'The reason for rejecting can’t contain control characters';

const trimmed = (v: unknown) => (typeof v === 'string' ? v.trim() : v);
// line breaks and tabs are text; PostgreSQL text can't hold U+0000, and no reason needs another control character
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
// a browser sends line breaks as CRLF; they are kept as LF (and count as one character, as the person sees them)
const text = (v: unknown) => (typeof v === 'string' ? v.replace(/\r\n?/g, '\n').trim() : v);

/**
 * /projects/requests/new: "Project name" and "Division" exactly as a new project's (NewProjectForm), and "Why is this
 * project needed?" (optional, up to 2,000 characters once trimmed).
 */
export const NewRequestForm = NewProjectForm.extend({
  reason: z.preprocess(
    (v) => (v === undefined ? '' : text(v)),
    z.string({ error: REASON_TOO_LONG }).max(REASON_MAX, REASON_TOO_LONG).refine((s) => !CONTROL.test(s), REASON_CONTROL),
  ),
});
export type NewRequest = z.infer<typeof NewRequestForm>;

/** "Reject": "Reason for rejecting", required, up to 1,000 characters once trimmed. */
export const RejectForm = z.object({
  rejectionReason: z.preprocess(
    text,
    z
      .string({ error: ENTER_REJECTION })
      .min(1, ENTER_REJECTION)
      .max(REJECTION_MAX, REJECTION_TOO_LONG)
      .refine((s) => !CONTROL.test(s), REJECTION_CONTROL),
  ),
});

/** A request's id as the address carries it: short url-safe text; anything else names no request. */
export const isRequestId = (id: unknown): id is string => typeof id === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(id);

/** Where a page of the list starts: right after (older) or before (newer) a request, as `<microseconds>-<id>`. */
export interface RequestCursor {
  micros: string;
  id: string;
}

const CURSOR = /^(\d{1,16})-([A-Za-z0-9_-]{1,64})$/;

export function decodeRequestCursor(token: unknown): RequestCursor | undefined {
  const m = typeof token === 'string' ? CURSOR.exec(token) : null;
  return m ? { micros: m[1]!, id: m[2]! } : undefined;
}

export const encodeRequestCursor = (c: RequestCursor) => `${c.micros}-${c.id}`;

const cursorToken = z
  .string()
  .refine((t) => decodeRequestCursor(t) !== undefined)
  .optional()
  .catch(undefined);

export type Show = 'waiting' | 'all';
export const SHOW: Record<Show, string> = { waiting: 'Waiting for a decision', all: 'All' };

export interface RequestsQuery {
  show: Show;
  older?: RequestCursor;
  newer?: RequestCursor;
}

/**
 * /projects/requests?show=waiting&older=…: a bad value means "all" or "the newest page", never an error; both
 * cursors at once mean the newest page.
 */
export const RequestsQuery = z
  .object({ show: z.enum(['waiting', 'all']).catch('all').default('all'), older: cursorToken, newer: cursorToken })
  .transform(({ show, older, newer }): RequestsQuery => {
    if (older && !newer) return { show, older: decodeRequestCursor(older) };
    if (newer && !older) return { show, newer: decodeRequestCursor(newer) };
    return { show };
  });

/** The list's address: no `show` for all, the cursor when given. */
export function requestsUrl(show: Show, page: { older?: RequestCursor; newer?: RequestCursor } = {}): string {
  const params = new URLSearchParams();
  if (show !== 'all') params.set('show', show);
  if (page.older) params.set('older', encodeRequestCursor(page.older));
  else if (page.newer) params.set('newer', encodeRequestCursor(page.newer));
  const query = params.toString();
  return `/projects/requests${query ? `?${query}` : ''}`;
}
