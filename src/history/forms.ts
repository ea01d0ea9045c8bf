import { z } from 'zod';
import { type HistoryKind, HISTORY_KINDS } from './kinds.js';

const date = (message: string) =>
  z
    .string({ error: message })
    .trim()
    .optional()
    .transform((v) => v || undefined)
    // years PostgreSQL and a JavaScript Date both read the same way (no year 0, no five-digit years)
    .pipe(z.iso.date({ error: message }).refine((d) => d >= '1900-01-01' && d <= '9998-12-31', { error: message }).optional());

/** 9999-12-31T23:59:59.999Z: later instants have no ISO form PostgreSQL reads. */
const LAST_MS = 253_402_300_799_999;

/** A page cursor: the entry's time in milliseconds and its id ("1735787045678-123"); anything else is ignored. */
const cursor = z
  .string()
  .regex(/^\d{1,15}-\d{1,15}$/)
  .transform((v) => {
    const [ms, id] = v.split('-').map(Number);
    return { at: new Date(ms!), id: id! };
  })
  .refine((c) => c.at.getTime() <= LAST_MS)
  .optional()
  .catch(undefined);

/**
 * The filter of /settings/history (a GET form): person (part of a name or email), kind, from and to (dates,
 * YYYY-MM-DD, whole days in UTC), and a page cursor (older or newer than an entry).
 */
export const HistoryFilterForm = z
  .object({
    person: z.string({ error: 'Enter part of a name or email' }).trim().max(100, 'Enter at most 100 characters of a name or email').optional().default(''),
    kind: z
      .string({ error: 'Choose a kind of change from the list' })
      .optional()
      .transform((v) => v || undefined)
      .pipe(z.enum(Object.keys(HISTORY_KINDS) as [HistoryKind, ...HistoryKind[]], { error: 'Choose a kind of change from the list' }).optional()),
    from: date('Enter the start date as a real date, for example 2025-03-31'),
    to: date('Enter the end date as a real date, for example 2025-03-31'),
    older: cursor,
    newer: cursor,
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { path: ['to'], message: 'The end date must be the same as or after the start date' });

export type HistoryFilter = z.infer<typeof HistoryFilterForm>;

/** The address of the history with this filter (and cursor): no empty parameters. */
export function historyUrl(path: string, f: Partial<HistoryFilter>, page?: { older?: string; newer?: string }): string {
  const params = new URLSearchParams();
  if (f.person) params.set('person', f.person);
  if (f.kind) params.set('kind', f.kind);
  if (f.from) params.set('from', f.from);
  if (f.to) params.set('to', f.to);
  if (page?.older) params.set('older', page.older);
  if (page?.newer) params.set('newer', page.newer);
  const query = params.toString();
  return `${path}${query ? `?${query}` : ''}`;
}
