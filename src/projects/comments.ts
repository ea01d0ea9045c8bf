/**
 * A project's comments, its diary (SPEC §8): pages of 50, newest first, read through the (account_id, project_id,
 * created_at, id) index with keyset paging; adding and deleting, each with its history entry in the same
 * transaction. Every statement is scoped to the account and the project, so another project's or account's comment
 * is never found.
 */
import { type SQL, sql } from 'drizzle-orm';
import { type Db, preparedRows, rowsOf } from '../db/client.js';
import type { HistoryKind } from '../history/kinds.js';
import { type Actor, recordHistory } from '../history/record.js';
import { holdProject, type ProjectHold } from './section-rows.js';

export const COMMENTS_PAGE_SIZE = 50;

/**
 * Where a page starts: right after (older) or right before (newer) a comment, by its exact creation time in
 * microseconds since 1970 and its id. The text form "<micros>-<id>" travels in the page links.
 */
export interface CommentCursor {
  micros: number;
  id: number;
}

export interface Comment {
  id: number;
  /** creation time in microseconds since 1970 (exact: the cursor of the page links) */
  micros: number;
  createdAt: Date;
  authorId: string | null;
  /** the author's current name; null once the person is deleted */
  authorName: string | null;
  body: string;
}

export const cursorText = (c: { micros: number; id: number }) => `${c.micros}-${c.id}`;

/** The cursor's time as text PostgreSQL reads exactly (ISO, six decimals, UTC). */
function cursorTime(micros: number): string {
  const iso = new Date(Math.floor(micros / 1000)).toISOString();
  return iso.replace('Z', `${String(micros % 1000).padStart(3, '0')}Z`);
}

type Direction = 'first' | 'older' | 'newer';

/** One page in reading order (newest first, or oldest first for "newer"), limit + 1 rows, the authors' names. */
function pageStatement(direction: Direction): SQL {
  const past =
    direction === 'first'
      ? sql``
      : sql` and (c.created_at, c.id) ${sql.raw(direction === 'older' ? '<' : '>')} (${sql.placeholder('at')}::timestamptz, ${sql.placeholder('id')}::bigint)`;
  const dir = sql.raw(direction === 'newer' ? 'asc' : 'desc');
  // the limit is written into the statement: the generic plan then knows it reads a few rows of one index range
  return sql`with page as (
      select c.id, c.created_at, c.author_id, c.body from project_comments c
      where c.account_id = ${sql.placeholder('account')} and c.project_id = ${sql.placeholder('project')}${past}
      order by c.created_at ${dir}, c.id ${dir} limit ${sql.raw(String(COMMENTS_PAGE_SIZE + 1))})
    select page.id::text as id, (extract(epoch from page.created_at) * 1000000)::bigint::text as micros,
      page.author_id as "authorId", p.name as "authorName", page.body
    from page left join persons p on p.id = page.author_id and p.account_id = ${sql.placeholder('account')}
    order by page.created_at ${dir}, page.id ${dir}`;
}

type Row = { id: string; micros: string; authorId: string | null; authorName: string | null; body: string };

async function readPage(db: Db, accountId: string, projectId: string, direction: Direction, cursor?: CommentCursor): Promise<Comment[]> {
  const run = preparedRows<Row>(db, `project_comments_${direction}`, () => pageStatement(direction));
  const rows = await run({ account: accountId, project: projectId, ...(cursor && { at: cursorTime(cursor.micros), id: cursor.id }) });
  return rows.map((r) => {
    const micros = Number(r.micros);
    return { id: Number(r.id), micros, createdAt: new Date(Math.floor(micros / 1000)), authorId: r.authorId, authorName: r.authorName, body: r.body };
  });
}

export interface CommentsPage {
  /** newest first */
  comments: Comment[];
  /** cursors of the "Newer comments" and "Older comments" links (absent: nothing that way) */
  newer?: string;
  older?: string;
}

/**
 * One page of the project's comments, newest first: one statement (plus one when a "newer" page turns out to be
 * the newest, which is then read as the first page), whatever the number of comments.
 */
export async function listComments(db: Db, accountId: string, projectId: string, at: { older?: CommentCursor; newer?: CommentCursor }): Promise<CommentsPage> {
  const size = COMMENTS_PAGE_SIZE;
  if (at.newer && !at.older) {
    const rows = await readPage(db, accountId, projectId, 'newer', at.newer);
    if (rows.length <= size) return listComments(db, accountId, projectId, {});
    const page = rows.slice(0, size).reverse();
    return { comments: page, newer: cursorText(page[0]!), older: cursorText(page.at(-1)!) };
  }
  const rows = await readPage(db, accountId, projectId, at.older ? 'older' : 'first', at.older);
  const page = rows.slice(0, size);
  return {
    comments: page,
    newer: at.older && page.length ? cursorText(page[0]!) : undefined,
    older: rows.length > size ? cursorText(page.at(-1)!) : undefined,
  };
}

/** One comment of the project (for its delete confirmation), with its author's name; undefined if there is none. */
export async function findComment(db: Db, accountId: string, projectId: string, id: number): Promise<Comment | undefined> {
  const [row] = rowsOf<Row>(
    await db.execute(sql`select c.id::text as id, (extract(epoch from c.created_at) * 1000000)::bigint::text as micros,
        c.author_id as "authorId", p.name as "authorName", c.body
      from project_comments c left join persons p on p.id = c.author_id and p.account_id = c.account_id
      where c.account_id = ${accountId} and c.project_id = ${projectId} and c.id = ${id}`),
  );
  if (!row) return undefined;
  const micros = Number(row.micros);
  return { id, micros, createdAt: new Date(Math.floor(micros / 1000)), authorId: row.authorId, authorName: row.authorName, body: row.body };
}

export type AddResult = { ok: true; id: number } | { ok: false; reason: Exclude<ProjectHold, 'open'> };

/**
 * Adds a comment by the actor; 'comment.added' names the comment by its id (its text stays out of the history).
 * One prepared statement, so one transaction and one round trip (the busiest write of a project): it holds the
 * project's row FOR SHARE (see holdProject: a lock that commits first is seen, a later one waits), inserts the
 * comment only into an unlocked project, and writes its history entry with the same columns recordHistory writes.
 */
export async function addComment(db: Db, actor: Actor, projectId: string, body: string): Promise<AddResult> {
  const run = preparedRows<{ found: boolean; locked: boolean | null; id: string | null }>(db, 'project_comment_add', () => {
    const account = sql.placeholder('account');
    const project = sql.placeholder('project');
    const person = sql.placeholder('person');
    const kind: HistoryKind = 'comment.added';
    return sql`with hold as (
        select locked_at from projects where account_id = ${account} and id = ${project} for share
      ), added as (
        insert into project_comments (account_id, project_id, author_id, body)
        select ${account}, ${project}, ${person}, ${sql.placeholder('body')} from hold where hold.locked_at is null
        returning id
      ), recorded as (
        insert into history_entries (account_id, actor_id, kind, subject_type, subject_id, after)
        select ${account}, ${person}, ${kind}, 'project', ${project}, jsonb_build_object('comment', added.id::text) from added
      )
      select exists (select from hold) as found, (select locked_at is not null from hold) as locked, (select id::text from added) as id`;
  });
  const [row] = await run({ account: actor.accountId, project: projectId, person: actor.personId, body });
  if (!row?.found) return { ok: false, reason: 'missing' };
  if (row.locked || row.id === null) return { ok: false, reason: 'locked' };
  return { ok: true, id: Number(row.id) };
}

export type DeleteResult = 'deleted' | 'refused' | 'no-comment' | Exclude<ProjectHold, 'open'>;

/**
 * Deletes a comment: anyone's when `any`, otherwise only the actor's own ('refused' for someone else's). The
 * comment is locked before the check, so the author seen is the author deleted. 'comment.deleted' keeps the id
 * and the author's id (the history page shows the author's current name).
 */
export async function deleteComment(db: Db, actor: Actor, projectId: string, id: number, any: boolean): Promise<DeleteResult> {
  return db.transaction(async (tx) => {
    const hold = await holdProject(tx, actor.accountId, projectId);
    if (hold !== 'open') return hold;
    const [row] = rowsOf<{ authorId: string | null }>(
      await tx.execute(sql`select author_id as "authorId" from project_comments
        where account_id = ${actor.accountId} and project_id = ${projectId} and id = ${id} for update`),
    );
    if (!row) return 'no-comment';
    if (!any && (row.authorId === null || row.authorId !== actor.personId)) return 'refused';
    await tx.execute(sql`delete from project_comments where account_id = ${actor.accountId} and project_id = ${projectId} and id = ${id}`);
    await recordHistory(tx, actor, { kind: 'comment.deleted', subject: { type: 'project', id: projectId }, before: { comment: String(id), person: row.authorId } });
    return 'deleted';
  });
}
