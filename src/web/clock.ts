/**
 * The server's clock, for rules that depend on the day (a time entry before today needs "Allow backdating in
 * times"). Everything that asks what day it is asks here, so a test can set the clock to a fixed instant (the last
 * minute before midnight, a leap day) instead of racing the real one. Days are UTC days.
 */
let source: () => Date = () => new Date();

/** The current instant. */
export const now = (): Date => source();

/** Sets the clock (tests only); without an argument, back to the real one. */
export function setClock(clock?: () => Date): void {
  source = clock ?? (() => new Date());
}

/** A date as 'YYYY-MM-DD', its UTC day. */
export const utcDay = (d: Date): string => d.toISOString().slice(0, 10);

/** Today, as 'YYYY-MM-DD' (UTC). */
export const today = (): string => utcDay(now());

/** The day `days` after (or before, when negative) a 'YYYY-MM-DD' day. */
export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return utcDay(d);
}

/** The same day a year later (29 February → 28 February in a year without one). */
export function addYear(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  const next = new Date(Date.UTC(d.getUTCFullYear() + 1, d.getUTCMonth(), d.getUTCDate()));
  if (next.getUTCMonth() !== d.getUTCMonth()) next.setUTCDate(0);
  return utcDay(next);
}
