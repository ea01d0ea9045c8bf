/** The Tasks section's inputs (SPEC §8): a task's name, its "Done" checkbox and the page a form was sent from. */
import { z } from 'zod';
import { rowIdOf } from './section-rows.js';
import type { TasksPosition } from './tasks.js';

export const TASK_TITLE_MAX = 200;
export const ENTER_TASK = 'Enter a task name';
export const TASK_TOO_LONG = `Task name must be ${TASK_TITLE_MAX} characters or fewer`;
export const TASK_CONTROL = 'Task name can’t contain control characters';
export const CHOOSE_DONE = 'Tick “Done” when the task is done, or leave it empty';

// PostgreSQL text can't hold U+0000, and a task's name is one line
const CONTROL = /[\u0000-\u001F\u007F]/;

/** "Task name" (adding and renaming): 1–200 characters once trimmed, counted as a person counts them. */
export const TaskTitleForm = z.object({
  title: z.preprocess(
    (v) => (typeof v === 'string' ? v.trim() : v),
    z
      .string({ error: ENTER_TASK })
      .min(1, ENTER_TASK)
      .refine((s) => [...s].length <= TASK_TITLE_MAX, TASK_TOO_LONG)
      .refine((s) => !CONTROL.test(s), TASK_CONTROL),
  ),
});

/** "Done": a checkbox sends "on" when ticked and nothing when not. */
export const TaskDoneForm = z.object({
  done: z
    .literal('on', { error: CHOOSE_DONE })
    .optional()
    .transform((v) => v === 'on'),
});

/**
 * The page of tasks (in the address, or in a form's hidden fields so that the answer goes back to the same page):
 * `after` or `before` a task's id; anything odd means the first page.
 */
export function tasksPositionOf(source: unknown): TasksPosition {
  const s = (source && typeof source === 'object' ? source : {}) as { after?: unknown; before?: unknown };
  const after = rowIdOf(s.after);
  if (after !== undefined) return { after };
  const before = rowIdOf(s.before);
  return before !== undefined ? { before } : {};
}
