/** The forms of Lists, Mind maps, Planning and Documents: a title, an entry's id in the address, a page position. */
import { z } from 'zod';
import type { EntryLabels } from './entries.js';

export const ENTRY_TITLE_MAX = 200;

const trimmed = (v: unknown) => (typeof v === 'string' ? v.trim() : v);
// PostgreSQL text can't hold U+0000, and no title needs a control character
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** The messages of a section's title field ("Enter a list title", …). */
export function titleMessages(labels: EntryLabels) {
  const field = labels.titleLabel;
  return {
    empty: `Enter a ${field.toLowerCase()}`,
    long: `${field} must be ${ENTRY_TITLE_MAX} characters or fewer`,
    control: `${field} can’t contain control characters`,
  };
}

/** "List title" (or the section's own): 1–200 characters once trimmed. */
export function entryTitleForm(labels: EntryLabels) {
  const m = titleMessages(labels);
  return z.object({
    title: z.preprocess(
      trimmed,
      z
        .string({ error: m.empty })
        .min(1, m.empty)
        .max(ENTRY_TITLE_MAX, m.long)
        .refine((s) => !CONTROL.test(s), m.control),
    ),
  });
}

const ID = /^[1-9][0-9]{0,15}$/;

/** An entry's id from the address: a positive whole number within range, or undefined (the caller answers 404). */
export function entryIdOf(raw: unknown): number | undefined {
  if (typeof raw !== 'string' || !ID.test(raw)) return undefined;
  const id = Number(raw);
  return Number.isSafeInteger(id) ? id : undefined;
}

const position = z
  .unknown()
  .transform((v) => entryIdOf(v))
  .catch(undefined);

/** Where a page of entries starts (`older` or `newer` than an entry's id); anything odd means the first page. */
export const EntriesQuery = z.object({ older: position, newer: position }).transform((q) => (q.older ? { older: q.older } : q.newer ? { newer: q.newer } : {}));
export type EntriesPosition = z.infer<typeof EntriesQuery>;
