/** Pure rules about administrators and licenses (SPEC §2, §5); the queries in seats.ts and admins.ts apply them under the account lock. */

/** The license types, in the order the page offers them, with their names on screen. */
export const LICENSES = { read_only: 'Read-Only', read_write: 'Read & Write', none: 'No Access' } as const;
export type License = keyof typeof LICENSES;

interface PersonLicense {
  isAdmin: boolean;
  license: License;
}

/** An administrator who can change settings: administrator with a Read & Write license. */
export function isWritingAdmin(p: PersonLicense): boolean {
  return p.isAdmin && p.license === 'read_write';
}

/**
 * Whether this person is the account's last administrator with Read & Write: then they can't be demoted,
 * given another license or deleted, because the account must always keep one.
 */
export function isLastWritingAdmin(p: PersonLicense, otherWritingAdmins: number): boolean {
  return isWritingAdmin(p) && otherWritingAdmins === 0;
}

/** Whether giving this person `license` needs a free Read & Write seat. */
export function needsSeat(p: PersonLicense, license: License): boolean {
  return license === 'read_write' && p.license !== 'read_write';
}
