/**
 * Dates as the pages write them, through Intl (en-GB, UTC), with the answers kept: a page of 50 comments or time
 * entries writes the same few dates on every request, and each Intl format costs microseconds. A date is kept under
 * the step its text shows (a minute, a day), in a map that starts over once it holds `limit` texts.
 */
export function keptFormat(options: Intl.DateTimeFormatOptions, stepMs: number, suffix = '', limit = 10_000): (d: Date) => string {
  const format = new Intl.DateTimeFormat('en-GB', { ...options, timeZone: 'UTC' });
  const known = new Map<number, string>();
  return (d: Date) => {
    const step = Math.floor(d.getTime() / stepMs);
    let text = known.get(step);
    if (text === undefined) {
      if (known.size >= limit) known.clear();
      // NaN (an invalid date) is never kept: Intl throws for it, as it did before
      text = format.format(d) + suffix;
      known.set(step, text);
    }
    return text;
  };
}

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;
