/** What the Time tracking section shows (SPEC §8): the page of entries, the "Add time" form, the notices. */
import type { Db } from '../db/client.js';
import { formatDate } from '../people/person-page.js';
import { today } from '../web/clock.js';
import { emptyForm, type FormState } from '../web/forms.js';
import { HttpError } from '../web/http-errors.js';
import { editRefused, mayEdit, type ProjectContext, projectFrame } from './section-access.js';
import { cursorText, type TimePageQuery } from './time-forms.js';
import { sectionPage } from './section-cache.js';
import { hoursText, listProjectPeople, listTimeEntries, type TimeEntry } from './time.js';

export const DELETED_PERSON = 'Deleted person';

/** The section's address (with a notice, or a page cursor). */
export function timeUrl(projectId: string, params: { notice?: string; older?: string; newer?: string } = {}): string {
  const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v) as [string, string][]).toString();
  return `/projects/${encodeURIComponent(projectId)}/time${query ? `?${query}` : ''}`;
}

/** An entry's own address (its edit page is `${entryUrl}/edit`, its deletion `${entryUrl}/delete`). */
export const entryUrl = (projectId: string, id: number) => `/projects/${encodeURIComponent(projectId)}/time/${id}`;

export const entryNotFound = () => new HttpError(404, 'There is no such time entry in this project: it may have been deleted.');

/** Whether the person may add, change or delete time for someone else ("Edit all time entries"). */
export const mayEditAll = (ctx: ProjectContext) => mayEdit(ctx, 'time.edit');

/** Whether the person may add, change or delete their own time. */
export const mayEditOwn = (ctx: ProjectContext) => mayEdit(ctx, 'time.editOwn') || mayEditAll(ctx);

/** Whether the person may change or delete this entry: their own with either permission, anyone's with "Edit all". */
export function mayChange(ctx: ProjectContext, entry: Pick<TimeEntry, 'personId'>): boolean {
  return entry.personId === ctx.auth.person.id ? mayEditOwn(ctx) : mayEditAll(ctx);
}

/** The 403 for an entry the person may not change (someone else's without "Edit all time entries"). */
export function changeRefused(ctx: ProjectContext, entry: Pick<TimeEntry, 'personId'>) {
  return editRefused(ctx, entry.personId === ctx.auth.person.id ? ['time.editOwn', 'time.edit'] : ['time.edit']);
}

/** A day as the pages show it: '2025-03-31' → '31 March 2025'. */
export const dayText = (day: string) => formatDate(new Date(`${day}T00:00:00Z`));

/** Hours with their unit: '1.50' → '1.5 hours'. */
export function hoursWithUnit(hours: string): string {
  const h = hoursText(hours);
  return `${h} ${h === '1' ? 'hour' : 'hours'}`;
}

/** An entry as the pages show it. */
export function entryView(projectId: string, e: TimeEntry) {
  const date = dayText(e.date);
  const hours = hoursText(e.hours);
  const person = e.personName ?? DELETED_PERSON;
  return { id: e.id, datetime: e.date, date, hours, person, label: `${date}, ${hoursWithUnit(e.hours)}, ${person}`, url: entryUrl(projectId, e.id) };
}

/** The hint under Date: what the person may enter (on an entry's page, also the day it has). */
export function dateHint(mayBackdate: boolean, storedDay?: string): string {
  if (mayBackdate) return 'For example 2025-03-31. Any day up to a year ahead.';
  return `For example 2025-03-31. Today or a later day, up to a year ahead${storedDay ? `, or the day it has (${dayText(storedDay)})` : ''}.`;
}

export const HOURS_HINT = 'For example 1.5 for an hour and a half. More than 0 and at most 24, with up to 2 decimals.';

/** The "Add time" form as it starts: today, no hours, the person themselves. */
export const newEntryForm = (ctx: ProjectContext) => emptyForm({ date: today(), hours: '', person: ctx.auth.person.id });

const total = (rows: readonly TimeEntry[]) => {
  const hundredths = rows.reduce((sum, r) => sum + Math.round(Number(r.hours) * 100), 0);
  return hoursText((hundredths / 100).toFixed(2));
};

/**
 * The Time tracking page: one page of entries (one statement), the people for "Person" (one statement, only for
 * those with "Edit all time entries") and the form when the person may add time.
 */
export async function timePageData(db: Db, ctx: ProjectContext, at: TimePageQuery, form?: FormState) {
  const { project, auth } = ctx;
  const canAdd = mayEditOwn(ctx);
  const canEditAll = mayEditAll(ctx);
  const [page, people] = await Promise.all([
    // kept with each entry as the page shows it (dates and hours written out): the same for every reader
    sectionPage(db, auth, 'time', project.id, at, async () => {
      const read = await listTimeEntries(db, auth.account.id, project.id, at);
      return { ...read, views: read.rows.map((e) => entryView(project.id, e)), totalHours: total(read.rows) };
    }),
    canEditAll ? listProjectPeople(db, auth, project.id) : [],
  ]);
  const rows = page.views.map((view, i) => ({ ...view, mayChange: mayChange(ctx, page.rows[i]!) }));
  const first = page.rows[0];
  const last = page.rows[page.rows.length - 1];
  const paged = Boolean(at.older || at.newer);
  return {
    ...projectFrame(ctx, 'time'),
    canAdd,
    canEditAll,
    form: form ?? newEntryForm(ctx),
    dateHint: dateHint(mayEdit(ctx, 'time.backdate')),
    hoursHint: HOURS_HINT,
    personOptions: Object.fromEntries(people.map((p) => [p.id, p.name])),
    rows,
    anyChangeable: rows.some((r) => r.mayChange),
    totalHours: page.totalHours,
    paged,
    pastTheEnd: paged && rows.length === 0,
    newestUrl: timeUrl(project.id),
    olderUrl: page.hasOlder && last ? timeUrl(project.id, { older: cursorText(last) }) : undefined,
    newerUrl: page.hasNewer && first ? timeUrl(project.id, { newer: cursorText(first) }) : undefined,
  };
}

/** The confirmations after a 303 (`?notice=key`): only these keys. */
const NOTICES: Record<string, string> = {
  'time-added': 'Saved. The time entry is added.',
  'time-changed': 'Saved. The time entry is changed.',
  'time-unchanged': 'Nothing changed: the time entry already had this date and these hours.',
  'time-deleted': 'The time entry is deleted.',
};

/** The notice to show, as a template local (only our keys, so the layout's own notices still work). */
export function timeNotice(query: unknown): { notice?: string } {
  const key = (query as { notice?: unknown } | undefined)?.notice;
  return typeof key === 'string' && Object.hasOwn(NOTICES, key) ? { notice: NOTICES[key] } : {};
}
