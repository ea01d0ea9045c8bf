/** The Manage section's forms (SPEC §8): the project's details, "Add people" and "Remove". */
import { z } from 'zod';
import { NewProjectForm } from './forms.js';

export const CHOOSE_ROLE = 'Choose a role from the list';
export const SELECT_HOLDERS = 'Select at least one person or group to add';
export const PEOPLE_UNLICENSED = 'Only people with a Read & Write or Read-Only license can hold a role: select people from the list';
export const GROUPS_UNKNOWN = 'Select groups from the list';
export const NO_GROUPS = 'Groups can’t hold roles in your edition: select people instead';

/** "Project name" and "Division": the same fields and rules as "New project". */
export const ProjectDetailsForm = NewProjectForm;

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** One or many repeated fields as a list without repeats; absent means none. */
const ids = (message: string) =>
  z
    .union([z.string(), z.array(z.string())], { error: message })
    .optional()
    .transform((v) => [...new Set(v === undefined ? [] : Array.isArray(v) ? v : [v])])
    .pipe(z.array(z.string().regex(ID, message)).max(100, 'Select at most 100 at a time'));

/**
 * "Add people": a role (whether it may be assigned is checked against the account's roles and the edition) and the
 * ticked people and groups (each one or many fields), at least one of them.
 */
export const AddHoldersForm = z
  .object({
    role: z.string({ error: CHOOSE_ROLE }).regex(/^[a-z0-9]{1,20}$/, CHOOSE_ROLE),
    person: ids(PEOPLE_UNLICENSED),
    group: ids(GROUPS_UNKNOWN),
  })
  .refine((f) => f.person.length + f.group.length > 0, { message: SELECT_HOLDERS, path: ['person'] });
export type AddHolders = z.infer<typeof AddHoldersForm>;

/** "Remove": one assignment by its id. */
export const RemoveAssignmentForm = z.object({ assignment: z.string().regex(/^[1-9][0-9]{0,15}$/).transform(Number) });

/** The people search on the Manage page (kept in the add form): bad values mean "no search". */
export const HolderQuery = z.object({ q: z.string().trim().max(200).catch('').default('') });
export type HolderQuery = z.infer<typeof HolderQuery>;
