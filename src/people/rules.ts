import type { PermissionKey } from '../permissions/grants.js';

/** "Edit people" (adding contacts): administrators, or the global "Edit people" permission; edits need Read & Write. */
export function canEditPeople(person: { isAdmin: boolean; license: string }, grants: ReadonlySet<PermissionKey>): boolean {
  if (person.license !== 'read_write') return false;
  return person.isAdmin || grants.has('people.edit');
}

export const EDIT_PEOPLE_REFUSED = 'You need the “Edit people” permission to add contacts. Ask an administrator.';

export type PersonStatus = 'invited' | 'has-access' | 'no-access' | 'contact';

/** What the people list says about a person: "Invited" while an invitation waits, "Has access" once accepted. */
export function personStatus(p: { invitationState: 'none' | 'invited' | 'accepted'; license: string }): PersonStatus {
  if (p.invitationState === 'invited') return 'invited';
  if (p.invitationState === 'accepted') return p.license === 'none' ? 'no-access' : 'has-access';
  return 'contact';
}

export const STATUS_LABELS: Record<PersonStatus, string> = {
  invited: 'Invited',
  'has-access': 'Has access',
  'no-access': 'No Access',
  contact: 'Not invited',
};

/** Rows on one page of a people list (the lists page by keyset: see cursor.ts). */
export const PAGE_SIZE = 25;
