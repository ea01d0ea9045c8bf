/** What the Tasks section shows (SPEC §8): a page of tasks with their forms (to those who may edit), the notices. */
import type { Db } from '../db/client.js';
import { emptyForm, type FieldError, type FormState } from '../web/forms.js';
import { keptRender } from '../web/kept-render.js';
import { mayEdit, type ProjectContext, projectFrame } from './section-access.js';
import { projectUrl } from './sections.js';
import { sectionPage } from './section-cache.js';
import { listTasks, type Task, type TasksPosition } from './tasks.js';

/** The Tasks page's address: a page of tasks and a notice when given. */
export function tasksUrl(projectId: string, at: TasksPosition = {}, notice?: string): string {
  const params = new URLSearchParams();
  if (at.after !== undefined) params.set('after', String(at.after));
  else if (at.before !== undefined) params.set('before', String(at.before));
  if (notice) params.set('notice', notice);
  const query = params.toString();
  return `${projectUrl(projectId, 'tasks')}${query ? `?${query}` : ''}`;
}

/** The confirmations after a 303 (`?notice=key`): only these keys. */
const NOTICES: Record<string, string> = {
  'task-added': 'Task added.',
  'task-renamed': 'Saved. The task is renamed.',
  'task-name-unchanged': 'Nothing changed: the task already has this name.',
  'task-done': 'Saved. The task is marked done.',
  'task-not-done': 'Saved. The task is marked not done.',
  'task-done-unchanged': 'Nothing changed: the task was marked so already.',
};

/** The notice to show, as a template local (only our keys, so the layout's own notices still work). */
export function tasksNotice(query: unknown): { notice?: string } {
  const key = (query as { notice?: unknown } | undefined)?.notice;
  return typeof key === 'string' && Object.hasOwn(NOTICES, key) ? { notice: NOTICES[key] } : {};
}

/** A refused rename or "Done" of one task: what its row shows (the value sent, the message). */
export interface TaskRowError {
  taskId: number;
  field: 'title' | 'done';
  message: string;
  value?: unknown;
}

/** The field a row's error links to from the error summary. */
export const rowFieldId = (e: Pick<TaskRowError, 'taskId' | 'field'>) => `${e.field}-${e.taskId}`;

/** A task as its row shows it; `name` is what its checkbox, field and button are named after. */
export function shownTask(t: Task, error?: TaskRowError, name = `“${t.title}”`) {
  const mine = error?.taskId === t.id ? error : undefined;
  return {
    id: t.id,
    title: t.title,
    done: t.done,
    name,
    titleValue: mine?.field === 'title' ? mine.value : t.title,
    titleError: mine?.field === 'title' ? mine.message : undefined,
    doneError: mine?.field === 'done' ? mine.message : undefined,
  };
}

/** The tasks of a page, tasks of one name told apart ("“Call Bob” (2 of 3)"), so that every row's names differ. */
function shownTasks(tasks: readonly Task[], error?: TaskRowError) {
  const count = new Map<string, number>();
  for (const t of tasks) count.set(t.title, (count.get(t.title) ?? 0) + 1);
  const seen = new Map<string, number>();
  return tasks.map((t) => {
    const n = (seen.get(t.title) ?? 0) + 1;
    seen.set(t.title, n);
    const total = count.get(t.title)!;
    return shownTask(t, error, total > 1 ? `“${t.title}” (${n} of ${total})` : undefined);
  });
}
export type ShownTask = ReturnType<typeof shownTask>;

/** The list's part of the page (what a rename swaps in): one page of tasks, their forms and the page links. */
export async function tasksListData(db: Db, ctx: ProjectContext, position: TasksPosition, error?: TaskRowError) {
  const page = await sectionPage(db, ctx.auth, 'tasks', ctx.project.id, position, () => listTasks(db, ctx.auth.account.id, ctx.project.id, position));
  const id = ctx.project.id;
  const editor = mayEdit(ctx, 'tasks.edit');
  return {
    project: ctx.project,
    tasks: shownTasks(page.tasks, error),
    /** the rows' HTML (`rows(csrfToken, render)`), kept with a cached page for each kind of reader; never with a message */
    rows: keptRender(page, error ? undefined : String(editor)),
    /** the page the forms were sent from, so that their answers come back to it */
    position,
    isFirstPage: page.previous === undefined,
    pastTheEnd: page.tasks.length === 0 && position.after !== undefined,
    firstUrl: tasksUrl(id),
    previousUrl: page.previous !== undefined ? tasksUrl(id, { before: page.previous }) : undefined,
    nextUrl: page.next !== undefined ? tasksUrl(id, { after: page.next }) : undefined,
    mayEdit: editor,
  };
}

/** The whole Tasks page: the project's frame, "Add a task" (to those who may edit) and one page of tasks. */
export async function tasksPageData(db: Db, ctx: ProjectContext, position: TasksPosition, forms: { add?: FormState; row?: TaskRowError } = {}) {
  const add = forms.add ?? emptyForm({ title: '' });
  const rowErrors: FieldError[] = forms.row ? [{ field: rowFieldId(forms.row), message: forms.row.message }] : [];
  return {
    ...projectFrame(ctx, 'tasks'),
    ...(await tasksListData(db, ctx, position, forms.row)),
    addForm: add,
    form: { values: {}, errors: {}, summary: [...add.summary, ...rowErrors] },
  };
}
