/**
 * Lists, Mind maps, Planning and Documents (SPEC §8): one implementation of a project's titled entries, each
 * section's rows told apart by project_entries.section. Every change re-checks the project's lock in its own
 * transaction and writes its history entry there; every statement is scoped to the account, the project and the
 * section, so an entry of another section, project or account is never found.
 */
import { and, eq, sql } from 'drizzle-orm';
import { type Db, preparedRows } from '../db/client.js';
import { persons, projectEntries } from '../db/schema.js';
import { type Actor, recordHistory } from '../history/record.js';
import { holdUnlocked } from './lock.js';

export const ENTRY_SECTIONS = ['lists', 'mindmaps', 'planning', 'documents'] as const;
export type EntrySection = (typeof ENTRY_SECTIONS)[number];

/** How a section names its entries on screen: "list" / "lists", the title field's label. */
export interface EntryLabels {
  one: string;
  many: string;
  titleLabel: string;
}

export const ENTRY_LABELS: Readonly<Record<EntrySection, EntryLabels>> = {
  lists: { one: 'list', many: 'lists', titleLabel: 'List title' },
  mindmaps: { one: 'mind map', many: 'mind maps', titleLabel: 'Mind map title' },
  planning: { one: 'plan', many: 'plans', titleLabel: 'Plan title' },
  documents: { one: 'document', many: 'documents', titleLabel: 'Document title' },
};

/** How many entries a page lists. */
export const ENTRIES_PAGE_SIZE = 50;

export interface EntryRow {
  id: number;
  title: string;
  createdAt: Date;
  /** the author's current name; null once deleted */
  authorName: string | null;
}

type Direction = 'first' | 'older' | 'newer';

/** One page, newest first: the first, the one older than an entry, or the one newer than an entry (read upwards). */
const pageStatement = (direction: Direction) => () => {
  const boundary = direction === 'older' ? sql` and e.id < ${sql.placeholder('id')}` : direction === 'newer' ? sql` and e.id > ${sql.placeholder('id')}` : sql``;
  return sql`select e.id, e.title, e.created_at as "createdAt", p.name as "authorName"
    from project_entries e left join persons p on p.id = e.created_by and p.account_id = e.account_id
    where e.account_id = ${sql.placeholder('account')} and e.project_id = ${sql.placeholder('project')} and e.section = ${sql.placeholder('section')}${boundary}
    order by e.id ${direction === 'newer' ? sql`asc` : sql`desc`} limit ${sql.placeholder('limit')}`;
};

export interface EntriesPage {
  rows: EntryRow[];
  /** the boundaries of the neighbouring pages (absent: nothing that way); `newer` null: past the end, back to the first page */
  older?: number;
  newer?: number | null;
}

/** One page of a section's entries (one prepared statement, LIMIT page size + 1). */
export async function listEntries(
  db: Db,
  where: { accountId: string; projectId: string; section: EntrySection },
  at: { older?: number; newer?: number },
  size = ENTRIES_PAGE_SIZE,
): Promise<EntriesPage> {
  const direction: Direction = at.older ? 'older' : at.newer ? 'newer' : 'first';
  const run = preparedRows<{ id: number | string; title: string; createdAt: Date | string; authorName: string | null }>(db, `project_entries_${direction}`, pageStatement(direction));
  const read = await run({ account: where.accountId, project: where.projectId, section: where.section, limit: size + 1, ...(direction !== 'first' && { id: at.older ?? at.newer }) });
  const extra = read.length > size;
  const kept = read.slice(0, size);
  const rows = (direction === 'newer' ? kept.reverse() : kept).map((r) => ({ ...r, id: Number(r.id), createdAt: new Date(r.createdAt) }));
  if (direction === 'newer') return { rows, newer: extra ? rows[0]!.id : undefined, older: rows.length ? rows.at(-1)!.id : undefined };
  return {
    rows,
    older: extra ? rows.at(-1)!.id : undefined,
    newer: direction === 'older' ? (rows.length ? rows[0]!.id : null) : undefined,
  };
}

/** One entry of the section in the project with its author's current name (null once deleted), or undefined. */
export async function findEntry(db: Db, where: { accountId: string; projectId: string; section: EntrySection }, id: number): Promise<EntryRow | undefined> {
  const [row] = await db
    .select({ id: projectEntries.id, title: projectEntries.title, createdAt: projectEntries.createdAt, authorName: persons.name })
    .from(projectEntries)
    .leftJoin(persons, and(eq(persons.id, projectEntries.createdBy), eq(persons.accountId, projectEntries.accountId)))
    .where(and(eq(projectEntries.accountId, where.accountId), eq(projectEntries.projectId, where.projectId), eq(projectEntries.section, where.section), eq(projectEntries.id, id)));
  return row;
}

const subjectOf = (projectId: string) => ({ type: 'project' as const, id: projectId });

/** Adds an entry with its 'entry.added' history entry; refused while the project is locked. */
export async function addEntry(db: Db, actor: Actor, projectId: string, section: EntrySection, title: string) {
  return db.transaction(async (tx) => {
    const hold = await holdUnlocked(tx, actor.accountId, projectId);
    if (hold !== 'open') return { ok: false as const, reason: hold };
    const [row] = await tx
      .insert(projectEntries)
      .values({ accountId: actor.accountId, projectId, section, title, createdBy: actor.personId })
      .returning({ id: projectEntries.id });
    await recordHistory(tx, actor, { kind: 'entry.added', subject: subjectOf(projectId), after: { section, title } });
    return { ok: true as const, id: row!.id };
  });
}

export type RenameResult = 'renamed' | 'unchanged' | 'missing' | 'locked';

/** Renames an entry of the section ('entry.renamed' with the old and new title); nothing when the title is the same. */
export async function renameEntry(db: Db, actor: Actor, projectId: string, section: EntrySection, id: number, title: string): Promise<RenameResult> {
  return db.transaction(async (tx) => {
    const hold = await holdUnlocked(tx, actor.accountId, projectId);
    if (hold !== 'open') return hold;
    const where = and(eq(projectEntries.accountId, actor.accountId), eq(projectEntries.projectId, projectId), eq(projectEntries.section, section), eq(projectEntries.id, id));
    const [before] = await tx.select({ title: projectEntries.title }).from(projectEntries).where(where).for('update');
    if (!before) return 'missing';
    if (before.title === title) return 'unchanged';
    await tx.update(projectEntries).set({ title }).where(where);
    await recordHistory(tx, actor, { kind: 'entry.renamed', subject: subjectOf(projectId), before: { section, title: before.title }, after: { section, title } });
    return 'renamed';
  });
}

/** Deletes an entry of the section with its 'entry.deleted' entry; the deleted title, or why nothing was deleted. */
export async function deleteEntry(db: Db, actor: Actor, projectId: string, section: EntrySection, id: number) {
  return db.transaction(async (tx) => {
    const hold = await holdUnlocked(tx, actor.accountId, projectId);
    if (hold !== 'open') return { ok: false as const, reason: hold };
    const [gone] = await tx
      .delete(projectEntries)
      .where(and(eq(projectEntries.accountId, actor.accountId), eq(projectEntries.projectId, projectId), eq(projectEntries.section, section), eq(projectEntries.id, id)))
      .returning({ title: projectEntries.title });
    if (!gone) return { ok: false as const, reason: 'missing' as const };
    await recordHistory(tx, actor, { kind: 'entry.deleted', subject: subjectOf(projectId), before: { section, title: gone.title } });
    return { ok: true as const, title: gone.title };
  });
}
