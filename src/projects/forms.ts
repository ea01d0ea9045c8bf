import { z } from 'zod';

/** /projects?q=…&after=… reads exactly like /people (a bad value means "no search" or "the first page", never an error). */
export { listUrl, type ListQuery, pageLinks, PeopleQuery as ProjectsQuery } from '../people/forms.js';

export const PROJECT_NAME_MAX = 120;
export const ENTER_NAME = 'Enter a project name';
export const NAME_TOO_LONG = `Project name must be ${PROJECT_NAME_MAX} characters or fewer`;
export const NAME_CONTROL = 'Project name can’t contain control characters';
export const NO_SUCH_DIVISION = 'Choose one of your organization’s divisions, or “No division”';

const trimmed = (v: unknown) => (typeof v === 'string' ? v.trim() : v);
// PostgreSQL text can't hold U+0000, and no name needs a control character
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/**
 * /projects/new: "Project name" (1–120 characters once trimmed) and "Division" (an id, or empty for none; whether
 * the id is one of the account's divisions is checked against the database, see insertProject).
 */
export const NewProjectForm = z.object({
  name: z.preprocess(
    trimmed,
    z
      .string({ error: ENTER_NAME })
      .min(1, ENTER_NAME)
      .max(PROJECT_NAME_MAX, NAME_TOO_LONG)
      .refine((s) => !CONTROL.test(s), NAME_CONTROL),
  ),
  division: z.preprocess(
    (v) => (v === undefined ? '' : trimmed(v)),
    z.string({ error: NO_SUCH_DIVISION }).regex(/^[A-Za-z0-9_-]{0,64}$/, NO_SUCH_DIVISION),
  ),
});
export type NewProject = z.infer<typeof NewProjectForm>;
