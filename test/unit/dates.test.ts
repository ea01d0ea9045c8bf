// The kept date formats (src/web/dates.ts): the same text as Intl for any date, kept per minute or day, and the
// map starting over at its limit.
import fc from 'fast-check';
import t from 'tap';
import { whenText } from '../../src/projects/comments-page.js';
import { formatDate } from '../../src/people/person-page.js';
import { DAY_MS, keptFormat, MINUTE_MS } from '../../src/web/dates.js';

const intl = (options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat('en-GB', { ...options, timeZone: 'UTC' });
const dates = fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2200-12-31T23:59:59Z'), noInvalidDate: true });

t.test('the same text as Intl, asked once or many times', async (t) => {
  const minute = intl({ dateStyle: 'medium', timeStyle: 'short' });
  const day = intl({ day: 'numeric', month: 'long', year: 'numeric' });
  fc.assert(
    fc.property(fc.array(dates, { minLength: 1, maxLength: 20 }), (ds) => {
      for (const d of [...ds, ...ds]) {
        if (whenText(d) !== `${minute.format(d)} UTC`) return false;
        if (formatDate(d) !== day.format(d)) return false;
      }
      return true;
    }),
  );
  t.equal(whenText(new Date('2025-01-02T14:05:59.999Z')), '2 Jan 2025, 14:05 UTC');
  t.equal(formatDate(new Date('2025-01-02T23:59:59.999Z')), '2 January 2025');
  t.equal(formatDate(new Date('1969-12-31T12:00:00Z')), '31 December 1969', 'before 1970: floor, not truncation');
});

t.test('kept per step, right past the limit where the map starts over', async (t) => {
  const format = keptFormat({ dateStyle: 'short' }, DAY_MS, '', 3);
  const days = ['2025-01-01', '2025-01-02', '2025-01-03', '2025-01-04', '2025-01-01'].map((d) => new Date(`${d}T10:00:00Z`));
  t.same(days.map(format), ['01/01/2025', '02/01/2025', '03/01/2025', '04/01/2025', '01/01/2025']);
  t.equal(format(new Date('2025-01-04T23:59:59Z')), '04/01/2025', 'another time of a kept day');
  t.equal(format(new Date('2025-01-05T00:00:00Z')), '05/01/2025', 'the next day is its own');
  t.throws(() => keptFormat({ dateStyle: 'short' }, MINUTE_MS)(new Date(Number.NaN)), RangeError, 'an invalid date throws, as Intl does');
});
