/** What the Comments section shows (SPEC §8): the page of comments, who may add or delete which, the notices. */
import type { Db } from '../db/client.js';
import { keptFormat, MINUTE_MS } from '../web/dates.js';
import { emptyForm, type FormState } from '../web/forms.js';
import { type Comment, listComments } from './comments.js';
import type { CommentsPosition } from './comments-forms.js';
import { mayEdit, type ProjectContext, projectFrame } from './section-access.js';
import { sectionPage } from './section-cache.js';
import { projectUrl } from './sections.js';

/** A comment's date and time as the page shows it ("2 Jan 2025, 14:05 UTC"). */
export const whenText = keptFormat({ dateStyle: 'medium', timeStyle: 'short' }, MINUTE_MS, ' UTC');

/** The Comments page's address, with a page cursor and a notice when given. */
export function commentsUrl(projectId: string, page: { older?: string; newer?: string } = {}, notice?: string): string {
  const params = new URLSearchParams();
  if (page.older) params.set('older', page.older);
  if (page.newer) params.set('newer', page.newer);
  if (notice) params.set('notice', notice);
  const query = params.toString();
  return `${projectUrl(projectId, 'comments')}${query ? `?${query}` : ''}`;
}

export const deleteUrl = (projectId: string, commentId: number) => `${projectUrl(projectId, 'comments')}/${commentId}/delete`;

/** The confirmations after a 303 (`?notice=key`): only these keys. */
const NOTICES: Record<string, string> = {
  'comment-added': 'Comment added.',
  'comment-deleted': 'Comment deleted.',
};

/** The notice to show, as a template local (only our keys, so the layout's own notices still work). */
export function commentsNotice(query: unknown): { notice?: string } {
  const key = (query as { notice?: unknown } | undefined)?.notice;
  return typeof key === 'string' && Object.hasOwn(NOTICES, key) ? { notice: NOTICES[key] } : {};
}

/** Whether the person may delete this comment now: anyone's with "Delete project comments", their own with either. */
export function mayDelete(ctx: ProjectContext, authorId: string | null): boolean {
  if (mayEdit(ctx, 'comments.delete')) return true;
  return authorId !== null && authorId === ctx.auth.person.id && mayEdit(ctx, 'comments.deleteOwn');
}

/** A comment as the templates show it. */
function shown(ctx: ProjectContext, c: Comment) {
  const author = c.authorName ?? 'Deleted person';
  const when = whenText(c.createdAt);
  return {
    id: c.id,
    author,
    when,
    datetime: c.createdAt.toISOString(),
    /** paragraphs (split at blank lines), each a list of lines */
    paragraphs: c.body.split(/\n[^\S\n]*\n\s*/).map((p) => p.split('\n')),
    deleteUrl: mayDelete(ctx, c.authorId) ? deleteUrl(ctx.project.id, c.id) : undefined,
  };
}
export type ShownComment = ReturnType<typeof shown>;

/** The list's part of the page (what an htmx addition swaps in): one page of comments and its links. */
export async function commentsListData(db: Db, ctx: ProjectContext, position: CommentsPosition) {
  const page = await sectionPage(db, ctx.auth, 'comments', ctx.project.id, position, () => listComments(db, ctx.auth.account.id, ctx.project.id, position));
  const id = ctx.project.id;
  const paged = Boolean(position.older || position.newer);
  return {
    comments: page.comments.map((c) => shown(ctx, c)),
    pastTheEnd: page.comments.length === 0 && paged,
    firstUrl: commentsUrl(id),
    newerUrl: page.newer ? commentsUrl(id, { newer: page.newer }) : undefined,
    olderUrl: page.older ? commentsUrl(id, { older: page.older }) : undefined,
    mayAdd: mayEdit(ctx, 'comments.add'),
  };
}

/** The whole Comments page: the project's frame, the form (to those who may add) and one page of comments. */
export async function commentsPageData(db: Db, ctx: ProjectContext, position: CommentsPosition, form: FormState = emptyForm({ body: '' })) {
  return {
    ...projectFrame(ctx, 'comments'),
    ...(await commentsListData(db, ctx, position)),
    commentForm: form,
    form,
  };
}

/** The delete confirmation of one comment. */
export function deletePageData(ctx: ProjectContext, comment: Comment) {
  const frame = projectFrame(ctx, 'comments');
  return {
    ...frame,
    title: `Delete this comment? – ${frame.title}`,
    comment: shown(ctx, comment),
    action: deleteUrl(ctx.project.id, comment.id),
    cancelUrl: commentsUrl(ctx.project.id),
  };
}
