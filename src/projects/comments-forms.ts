/** The Comments section's inputs (SPEC §8): a new comment's text and the page cursors. */
import { z } from 'zod';

export const COMMENT_MAX = 5000;
export const ENTER_COMMENT = 'Enter a comment';
export const COMMENT_TOO_LONG = `Comment must be ${COMMENT_MAX.toLocaleString('en-GB')} characters or fewer`;

/**
 * "Comment": required once trimmed, at most 5,000 characters (counted as a person counts them: an emoji is one),
 * line breaks kept (as \n, whatever the browser sent). Other control characters never get here: src/web/security.ts
 * drops them from every form field.
 */
export const CommentForm = z.object({
  body: z.preprocess(
    (v) => (typeof v === 'string' ? v.replace(/\r\n?/g, '\n').trim() : v),
    z
      .string({ error: ENTER_COMMENT })
      .min(1, ENTER_COMMENT)
      .refine((s) => [...s].length <= COMMENT_MAX, COMMENT_TOO_LONG),
  ),
});

/**
 * A page cursor "<micros>-<id>" (a safe integer of microseconds reaches the year 2255, which PostgreSQL and a
 * JavaScript Date both read); anything else is ignored (the newest page).
 */
const cursor = z
  .string()
  .regex(/^\d{1,16}-[1-9]\d{0,15}$/)
  .transform((v) => {
    const [micros, id] = v.split('-').map(Number);
    return { micros: micros!, id: id! };
  })
  .refine((c) => Number.isSafeInteger(c.micros) && Number.isSafeInteger(c.id))
  .optional()
  .catch(undefined);

/** /projects/:id/comments?older=…|newer=…: one cursor at most ("older" wins). */
export const CommentsQuery = z
  .object({ older: cursor, newer: cursor })
  .transform((q) => (q.older ? { older: q.older } : q.newer ? { newer: q.newer } : {}))
  .catch({});
export type CommentsPosition = z.infer<typeof CommentsQuery>;
