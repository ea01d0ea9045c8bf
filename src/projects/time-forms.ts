/** The Time tracking section's forms (SPEC §8): a time entry's date, hours and person; an entry's id; a page cursor. */
import { z } from 'zod';
import { addYear } from '../web/clock.js';

export const ENTER_DATE = 'Enter the date you worked, for example 2025-03-31';
export const REAL_DATE = 'Enter the date as a real date, for example 2025-03-31';
export const BACKDATING_REFUSED = 'You can’t enter time for a day before today: that needs the permission “Allow backdating in times”.';
export const TOO_FAR_AHEAD = 'You can’t enter time more than a year ahead';
export const ENTER_HOURS = 'Enter the hours you worked, for example 1.5';
export const HOURS_NUMBER = 'Enter the hours as a number, for example 1.5';
export const HOURS_POSITIVE = 'Hours must be more than 0';
export const HOURS_MAX = 'Hours must be 24 or fewer';
export const HOURS_DECIMALS = 'Hours can have at most 2 decimals, for example 1.25';
export const CHOOSE_PERSON = 'Choose a person with a license from the list';

/** The earliest day an entry may have: older dates are typing mistakes (and years before 1 are no dates at all). */
export const FIRST_DAY = '1900-01-01';

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : v);

/** A real calendar date as 'YYYY-MM-DD' (what a date input sends), from 1900 on. */
const dateField = z.preprocess(
  text,
  z
    .string({ error: ENTER_DATE })
    .min(1, ENTER_DATE)
    .pipe(z.iso.date({ error: REAL_DATE }).refine((d) => d >= FIRST_DAY, { error: REAL_DATE })),
);

/**
 * Hours as a decimal with a point (a comma is read as one too): more than 0, at most 24, at most 2 decimals. The
 * value is kept as the text PostgreSQL's numeric(4,2) stores ('1.50'), never a float.
 */
const hoursField = z.preprocess(
  text,
  z
    .string({ error: ENTER_HOURS })
    .min(1, ENTER_HOURS)
    .transform((s, ctx) => {
      const v = s.replace(',', '.');
      const m = /^(\d{1,20})?(?:\.(\d{0,20}))?$/.exec(v);
      if (!m || (!m[1] && !m[2])) {
        ctx.addIssue({ code: 'custom', message: /^-\d/.test(v) ? HOURS_POSITIVE : HOURS_NUMBER });
        return z.NEVER;
      }
      const whole = (m[1] ?? '').replace(/^0+/, '') || '0';
      const decimals = (m[2] ?? '').replace(/0+$/, '');
      if (decimals.length > 2) {
        ctx.addIssue({ code: 'custom', message: HOURS_DECIMALS });
        return z.NEVER;
      }
      const hundredths = whole.length > 2 ? Infinity : Number(whole) * 100 + Number(decimals.padEnd(2, '0'));
      if (hundredths <= 0) ctx.addIssue({ code: 'custom', message: HOURS_POSITIVE });
      else if (hundredths > 2400) ctx.addIssue({ code: 'custom', message: HOURS_MAX });
      else return `${whole}.${decimals.padEnd(2, '0')}`;
      return z.NEVER;
    }),
);

/** A person's id as the select sends it; empty or absent means "me". */
const personField = z.preprocess(
  (v) => (v === '' ? undefined : v),
  z.string({ error: CHOOSE_PERSON }).regex(/^[A-Za-z0-9_-]{1,64}$/, CHOOSE_PERSON).optional(),
);

/** "Add time": Date, Hours and (only for those with "Edit all time entries") Person. */
export const AddTimeForm = z.object({ date: dateField, hours: hoursField, person: personField });
export type AddTime = z.infer<typeof AddTimeForm>;

/** Changing an entry: its Date and Hours (the person stays). */
export const EditTimeForm = z.object({ date: dateField, hours: hoursField });
export type EditTime = z.infer<typeof EditTimeForm>;

/**
 * Which dates a person may give an entry, against today (UTC): nothing after a year from today; a day before today
 * only with "Allow backdating in times" — unless the entry has that date already (`stored`): correcting the hours of
 * an entry from last week is no backdating, moving it to another past day is. Returns the message, or undefined.
 */
export function dateRefusal(date: string, today: string, mayBackdate: boolean, stored?: string): string | undefined {
  if (date > addYear(today)) return TOO_FAR_AHEAD;
  if (date < today && date !== stored && !mayBackdate) return BACKDATING_REFUSED;
  return undefined;
}

/** Where a page of entries starts: older or newer than an entry (its date and id, "2025-03-31_123"). */
export interface TimeCursor {
  date: string;
  id: number;
}

export const cursorText = (c: TimeCursor) => `${c.date}_${c.id}`;

/** A cursor in the address; anything malformed means the first page. */
const cursor = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}_[1-9][0-9]{0,15}$/)
  .transform((v) => {
    const [date, id] = v.split('_');
    return { date: date!, id: Number(id) };
  })
  .refine((c) => z.iso.date().safeParse(c.date).success && c.date >= FIRST_DAY && Number.isSafeInteger(c.id))
  .optional()
  .catch(undefined);

/** /projects/:id/time?older=… or ?newer=… (both or neither: the newest entries). */
export const TimePageQuery = z
  .object({ older: cursor, newer: cursor })
  .catch({ older: undefined, newer: undefined })
  .transform(({ older, newer }): { older?: TimeCursor; newer?: TimeCursor } => (older && !newer ? { older } : newer && !older ? { newer } : {}));
export type TimePageQuery = z.infer<typeof TimePageQuery>;
