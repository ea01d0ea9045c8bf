/** What the pages of Lists, Mind maps, Planning and Documents show: the entries, the forms and the notices. */
import type { Db } from '../db/client.js';
import { formatDate } from '../people/person-page.js';
import { emptyForm, type FormState } from '../web/forms.js';
import { ENTRY_LABELS, type EntryLabels, type EntryRow, type EntrySection, listEntries } from './entries.js';
import type { EntriesPosition } from './entries-forms.js';
import { mayEdit, type ProjectContext, projectFrame } from './section-access.js';
import { projectUrl } from './sections.js';

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The section's address, at a page position and with a notice when given. */
export function entriesUrl(projectId: string, section: EntrySection, at: EntriesPosition = {}, notice?: string): string {
  const params = new URLSearchParams();
  if ('older' in at && at.older) params.set('older', String(at.older));
  if ('newer' in at && at.newer) params.set('newer', String(at.newer));
  if (notice) params.set('notice', notice);
  const query = params.toString();
  return `${projectUrl(projectId, section)}${query ? `?${query}` : ''}`;
}

/** The confirmations after a 303 (`?notice=key`), in the section's words. */
function notices(labels: EntryLabels): Record<string, string> {
  const one = capital(labels.one);
  return {
    'entry-added': `Saved. ${one} added.`,
    'entry-renamed': `Saved. ${one} renamed.`,
    'entry-unchanged': `Nothing changed: the ${labels.one} already had this title.`,
    'entry-deleted': `${one} deleted.`,
  };
}

/** The notice to show, as a template local (only these keys). */
export function entriesNotice(section: EntrySection, query: unknown): { notice?: string } {
  const key = (query as { notice?: unknown } | undefined)?.notice;
  const known = notices(ENTRY_LABELS[section]);
  return typeof key === 'string' && Object.hasOwn(known, key) ? { notice: known[key] } : {};
}

/** What the htmx answers announce. */
export function entriesAnnouncement(section: EntrySection, what: 'added' | 'renamed' | 'unchanged', title: string): string {
  const labels = ENTRY_LABELS[section];
  if (what === 'unchanged') return `Nothing changed: the ${labels.one} is called “${title}” already.`;
  return what === 'added' ? `Saved. ${capital(labels.one)} “${title}” added.` : `Saved. The ${labels.one} is called “${title}” now.`;
}

export interface EntriesForms {
  add?: FormState;
  /** a refused rename: the entry and its form (errors at the field `title-<id>`) */
  rename?: { id: number; form: FormState };
}

/** A section's page: the frame, one page of entries (one statement), and to those who may edit the forms. */
export async function entriesPageData(db: Db, ctx: ProjectContext, section: EntrySection, at: EntriesPosition, forms: EntriesForms = {}) {
  const labels = ENTRY_LABELS[section];
  const projectId = ctx.project.id;
  const page = await listEntries(db, { accountId: ctx.auth.account.id, projectId, section }, at);
  const add = forms.add ?? emptyForm({ title: '' });
  const rename = forms.rename;
  return {
    ...projectFrame(ctx, section),
    labels: { ...labels, One: capital(labels.one), Many: capital(labels.many) },
    url: entriesUrl(projectId, section),
    at,
    mayEdit: mayEdit(ctx, `${section}.edit`),
    rows: page.rows.map((r) => ({ id: r.id, title: r.title, authorName: r.authorName ?? 'Deleted person', addedOn: formatDate(r.createdAt), addedIso: r.createdAt.toISOString() })),
    pastTheEnd: page.rows.length === 0 && Object.keys(at).length > 0,
    olderUrl: page.older ? entriesUrl(projectId, section, { older: page.older }) : undefined,
    newerUrl: page.newer ? entriesUrl(projectId, section, { newer: page.newer }) : page.newer === null ? entriesUrl(projectId, section) : undefined,
    add,
    rename,
    form: { values: {}, errors: {}, summary: [...add.summary, ...(rename?.form.summary ?? [])] },
  };
}

/** The confirmation page of a deletion: the section's header, the entry named. */
export function entryDeleteData(ctx: ProjectContext, section: EntrySection, entry: EntryRow) {
  const labels = ENTRY_LABELS[section];
  const frame = projectFrame(ctx, section);
  return {
    ...frame,
    title: `Delete ${labels.one} – ${frame.title}`,
    sectionUrl: entriesUrl(ctx.project.id, section),
    labels,
    entry: { id: entry.id, title: entry.title, authorName: entry.authorName ?? 'Deleted person', addedOn: formatDate(entry.createdAt) },
    action: `${entriesUrl(ctx.project.id, section)}/${entry.id}/delete`,
  };
}
