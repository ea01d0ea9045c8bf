import { z } from 'zod';

export const GROUP_NAME_TAKEN = 'A group with this name already exists';
export const MEMBERS_MISSING = 'Select at least one person to add';
export const MEMBERS_UNLICENSED = 'Only people with a Read & Write or Read-Only license can be group members: select people from the list';

/** "Group name": 1–80 characters once trimmed (runs of spaces count as one). */
const groupName = z
  .string({ error: 'Enter a group name' })
  .transform((s) => s.trim().replace(/\s+/g, ' '))
  .pipe(z.string().min(1, 'Enter a group name').max(80, 'Group name must be 80 characters or fewer'));

/** New group and rename: the same field. */
export const GroupNameForm = z.object({ name: groupName });

/** An id as the app writes them (newId: base64url); anything else is nobody. */
const ID = /^[A-Za-z0-9_-]{1,64}$/;
export const idField = z.string().regex(ID);

/** A group's address: an id that could be one, or undefined (the route answers 404). */
export const groupIdOf = (params: unknown): string | undefined => {
  const id = (params as { id?: unknown } | undefined)?.id;
  return idField.safeParse(id).success ? (id as string) : undefined;
};

/** "Add selected": the ticked people (one or many `person` fields), at most 100 at a time. */
export const AddMembersForm = z.object({
  person: z
    .union([z.string(), z.array(z.string())], { error: MEMBERS_MISSING })
    .transform((v) => [...new Set(Array.isArray(v) ? v : [v])])
    .pipe(z.array(z.string().regex(ID, MEMBERS_UNLICENSED)).min(1, MEMBERS_MISSING).max(100, 'Select at most 100 people at a time')),
});

/** "Remove <name>": one member. */
export const RemoveMemberForm = z.object({ person: idField });

/** The "Select contacts" search on a group's page (and kept in the add form): bad values mean "no search". */
export const CandidateQuery = z.object({ q: z.string().trim().max(200).catch('').default('') });
export type CandidateQuery = z.infer<typeof CandidateQuery>;

/** "Save this change" sends `confirm=1`: with htmx, a membership change that affects anyone is saved only then. */
export const isConfirmed = (body: unknown) => (body as Record<string, unknown> | null | undefined)?.confirm === '1';

/** "Preview removing <name>" (a link without JavaScript): the member whose removal to preview. */
export const RemovePreviewQuery = z.object({ remove: idField });
