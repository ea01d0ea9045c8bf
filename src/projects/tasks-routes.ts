import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Auth } from '../auth/session.js';
import { actorOf } from '../history/record.js';
import { requireSignedIn } from '../permissions/guard.js';
import type { AppDeps } from '../web/deps.js';
import { emptyForm, parseForm } from '../web/forms.js';
import { isHtmx } from '../web/htmx.js';
import { HttpError } from '../web/http-errors.js';
import { editProject, type ProjectContext, readProject } from './section-access.js';
import { rowIdOf, unavailable } from './section-rows.js';
import { addTask, findTask, renameTask, setTaskDone, type TaskChange, type TasksPosition } from './tasks.js';
import { TaskDoneForm, TaskTitleForm, tasksPositionOf } from './tasks-forms.js';
import { shownTask, type TaskRowError, tasksListData, tasksNotice, tasksPageData, tasksUrl } from './tasks-page.js';

const PAGE = '/projects/:id/tasks';
const params = (request: FastifyRequest) => (request.params ?? {}) as { id?: unknown; task?: unknown };
const idOf = (request: FastifyRequest) => String(params(request).id ?? '');
const taskNotFound = () => new HttpError(404, 'There is no such task in this project.');

/**
 * The Tasks section of a project (SPEC §8): "Read tasks" to read (the projects' 404 otherwise); "Edit tasks" with a
 * Read & Write license in an unlocked project to add tasks, rename them and mark them done (403 otherwise). A
 * task's forms answer with the page they were sent from (its hidden `after`/`before`); with htmx, "Done" answers
 * with the task's row and a rename with the page of tasks (the rows' accessible names follow the new name).
 */
export default async function tasksRoutes(app: FastifyInstance, { db }: AppDeps) {
  app.get(PAGE, async (request, reply) => {
    const auth = requireSignedIn(request);
    const ctx = await readProject(db, auth, idOf(request), 'tasks');
    return reply.render('projects/tasks', { ...(await tasksPageData(db, ctx, tasksPositionOf(request.query))), ...tasksNotice(request.query) });
  });

  app.post(PAGE, async (request, reply) => {
    const auth = requireSignedIn(request);
    const ctx = await editProject(db, auth, idOf(request), 'tasks', ['tasks.edit']);
    const id = ctx.project.id;
    const parsed = parseForm(TaskTitleForm, request.body);
    if (!parsed.ok) {
      const page = await tasksPageData(db, ctx, tasksPositionOf(request.body), { add: parsed.form });
      return reply.render('projects/tasks', { ...page, focusForm: true }, { status: 422, fragment: 'projects/_task-add' });
    }
    const added = await addTask(db, actorOf(auth), id, parsed.data.title);
    if (!added.ok) throw await unavailable(db, auth, id, 'tasks', added.reason);
    // the page that ends with the new task (the first page while there are few)
    const at = { before: added.id + 1 };
    if (!isHtmx(request)) return reply.redirect(tasksUrl(id, at, 'task-added'), 303);
    const page = await tasksPageData(db, ctx, at);
    reply.header('HX-Replace-Url', tasksUrl(id, page.isFirstPage ? {} : at));
    return reply.render('projects/_task-add-response', { ...page, focusForm: true, announce: `Task added: “${parsed.data.title}”.` });
  });

  /** The task a change names, once the person may edit tasks here: 404 for an odd or unknown id. */
  async function taskOf(request: FastifyRequest) {
    const auth = requireSignedIn(request);
    const ctx = await editProject(db, auth, idOf(request), 'tasks', ['tasks.edit']);
    const taskId = rowIdOf(params(request).task);
    if (taskId === undefined) throw taskNotFound();
    return { auth, ctx, taskId, position: tasksPositionOf(request.body) };
  }

  /** A refused value: the page (or with htmx, `fragment`) with the message at the task's field; 404 for no task. */
  async function refuse(reply: FastifyReply, ctx: ProjectContext, position: TasksPosition, error: TaskRowError, fragment: string) {
    const task = await findTask(db, ctx.auth.account.id, ctx.project.id, error.taskId);
    if (!task) throw taskNotFound();
    const page = await tasksPageData(db, ctx, position, { row: error });
    return reply.render('projects/tasks', { ...page, task: page.tasks.find((t) => t.id === task.id) ?? shownTask(task, error) }, { status: 422, fragment });
  }

  /** What a change found: the changed task, or the answer when there is none (404) or the project went away. */
  async function changed(change: TaskChange, auth: Auth, projectId: string): Promise<Extract<TaskChange, { task: unknown }>> {
    if ('task' in change) return change;
    if (change.result === 'no-task') throw taskNotFound();
    throw await unavailable(db, auth, projectId, 'tasks', change.result);
  }

  app.post(`${PAGE}/:task/title`, async (request, reply) => {
    const { auth, ctx, taskId, position } = await taskOf(request);
    const id = ctx.project.id;
    const parsed = parseForm(TaskTitleForm, request.body);
    if (!parsed.ok) {
      const error: TaskRowError = { taskId, field: 'title', message: parsed.form.summary[0]!.message, value: parsed.form.values.title };
      return refuse(reply, ctx, position, error, 'projects/_tasks-response');
    }
    const { result, task } = await changed(await renameTask(db, actorOf(auth), id, taskId, parsed.data.title), auth, id);
    if (!isHtmx(request)) return reply.redirect(tasksUrl(id, position, result === 'changed' ? 'task-renamed' : 'task-name-unchanged'), 303);
    const list = await tasksListData(db, ctx, position);
    const announce = result === 'changed' ? `Saved. The task is now called “${task.title}”.` : `Nothing changed: the task is already called “${task.title}”.`;
    return reply.render('projects/_tasks-response', { ...list, form: emptyForm(), announce });
  });

  app.post(`${PAGE}/:task/done`, async (request, reply) => {
    const { auth, ctx, taskId, position } = await taskOf(request);
    const id = ctx.project.id;
    const parsed = parseForm(TaskDoneForm, request.body);
    if (!parsed.ok) {
      const error: TaskRowError = { taskId, field: 'done', message: parsed.form.summary[0]!.message };
      return refuse(reply, ctx, position, error, 'projects/_task-row-response');
    }
    const { result, task } = await changed(await setTaskDone(db, actorOf(auth), id, taskId, parsed.data.done), auth, id);
    if (!isHtmx(request)) return reply.redirect(tasksUrl(id, position, result === 'unchanged' ? 'task-done-unchanged' : task.done ? 'task-done' : 'task-not-done'), 303);
    const state = task.done ? 'done' : 'not done';
    const announce = result === 'changed' ? `Saved. “${task.title}” is ${state}.` : `Nothing changed: “${task.title}” was ${state} already.`;
    // the row as the page shows it (its name told apart from other tasks of that name on the page)
    const list = await tasksListData(db, ctx, position);
    const row = list.tasks.find((t) => t.id === taskId) ?? shownTask(task);
    return reply.render('projects/_task-row-response', { ...list, task: row, form: emptyForm(), announce });
  });
}
