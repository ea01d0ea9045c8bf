import type { FastifyInstance, FastifyRequest } from 'fastify';
import { actorOf } from '../history/record.js';
import { requireSignedIn } from '../permissions/guard.js';
import type { AppDeps } from '../web/deps.js';
import { emptyForm, parseForm } from '../web/forms.js';
import { isHtmx } from '../web/htmx.js';
import { HttpError } from '../web/http-errors.js';
import { addComment, deleteComment, findComment } from './comments.js';
import { CommentForm, CommentsQuery } from './comments-forms.js';
import { commentsNotice, commentsPageData, commentsUrl, deletePageData } from './comments-page.js';
import { editProject, editRefused, mayEdit, type ProjectContext, readProject, requireEdit } from './section-access.js';
import { rowIdOf, unavailable } from './section-rows.js';

const PAGE = '/projects/:id/comments';
const DELETE = `${PAGE}/:comment/delete`;
const DELETE_PERMISSIONS = ['comments.deleteOwn', 'comments.delete'] as const;
const params = (request: FastifyRequest) => (request.params ?? {}) as { id?: unknown; comment?: unknown };
const idOf = (request: FastifyRequest) => String(params(request).id ?? '');
const commentNotFound = () => new HttpError(404, 'There is no such comment in this project. It may have been deleted.');

/**
 * The Comments section of a project, its diary (SPEC §8): "Read project comments" to read (the projects' 404
 * otherwise); "Add project comments" to add; "Delete own project comments" for one's own and "Delete project
 * comments" for anyone's, each with a confirmation page. Edits need a Read & Write license and an unlocked project.
 */
export default async function commentsRoutes(app: FastifyInstance, { db }: AppDeps) {
  app.get(PAGE, async (request, reply) => {
    const auth = requireSignedIn(request);
    const ctx = await readProject(db, auth, idOf(request), 'comments');
    const position = CommentsQuery.parse(request.query ?? {});
    return reply.render('projects/comments', { ...(await commentsPageData(db, ctx, position)), ...commentsNotice(request.query) });
  });

  app.post(PAGE, async (request, reply) => {
    const auth = requireSignedIn(request);
    const ctx = await editProject(db, auth, idOf(request), 'comments', ['comments.add']);
    const id = ctx.project.id;
    const parsed = parseForm(CommentForm, request.body);
    if (!parsed.ok) {
      return reply.render('projects/comments', { ...(await commentsPageData(db, ctx, {}, parsed.form)), focusForm: true }, { status: 422, fragment: 'projects/_comment-form' });
    }
    const result = await addComment(db, actorOf(auth), id, parsed.data.body);
    if (!result.ok) throw await unavailable(db, auth, id, 'comments', result.reason);
    if (!isHtmx(request)) return reply.redirect(commentsUrl(id, {}, 'comment-added'), 303);
    // the newest page, with the new comment on top; the address loses any page cursor
    reply.header('HX-Replace-Url', commentsUrl(id));
    const page = await commentsPageData(db, ctx, {}, emptyForm({ body: '' }));
    return reply.render('projects/_comment-add-response', { ...page, focusForm: true, announce: 'Comment added.' });
  });

  /** The comment the address names in this project (404 for an odd or unknown id). */
  async function commentOf(ctx: ProjectContext, request: FastifyRequest) {
    const commentId = rowIdOf(params(request).comment);
    const comment = commentId === undefined ? undefined : await findComment(db, ctx.auth.account.id, ctx.project.id, commentId);
    if (!comment) throw commentNotFound();
    return comment;
  }

  /**
   * The comment the address names, to a person who may delete it: 404 without the section or the comment; 403 with
   * the reason without the permission its author calls for ("Delete own project comments" or "Delete project
   * comments" for one's own, the latter for anyone else's), with a Read-Only license, or while the project is
   * locked. The confirmation and the deletion answer alike, so no page offers a button its form would refuse.
   */
  async function deletable(request: FastifyRequest) {
    const auth = requireSignedIn(request);
    const read = await readProject(db, auth, idOf(request), 'comments');
    const comment = await commentOf(read, request);
    const ctx = requireEdit(read, comment.authorId !== null && comment.authorId === auth.person.id ? DELETE_PERMISSIONS : ['comments.delete']);
    return { auth, ctx, comment };
  }

  app.get(DELETE, async (request, reply) => {
    const { ctx, comment } = await deletable(request);
    return reply.render('projects/comment-delete', deletePageData(ctx, comment));
  });

  app.post(DELETE, async (request, reply) => {
    const { auth, ctx, comment } = await deletable(request);
    const id = ctx.project.id;
    const result = await deleteComment(db, actorOf(auth), id, comment.id, mayEdit(ctx, 'comments.delete'));
    if (result === 'no-comment') throw commentNotFound();
    if (result === 'refused') throw editRefused(ctx, ['comments.delete']);
    if (result !== 'deleted') throw await unavailable(db, auth, id, 'comments', result);
    const url = commentsUrl(id, {}, 'comment-deleted');
    // an htmx request (a boosted form) goes to the comments all the same: a full page load there, with the notice
    if (isHtmx(request)) return reply.header('HX-Redirect', url).code(200).send('');
    return reply.redirect(url, 303);
  });
}
