import type { Auth } from '../auth/session.js';
import type { Db } from '../db/client.js';
import { wouldFallBackToReadOnly } from '../licenses/seats.js';
import { isAdmin } from '../permissions/guard.js';
import { emptyForm, type FormState } from '../web/forms.js';
import { ACCESS, type Access } from './rules.js';

export const FALLS_BACK_TO_READ_ONLY =
  'All Read & Write licenses are distributed: if this person accepts now, they get a Read-Only license.';
export const AUTO_LICENSE_OFF =
  'Automatic license distribution is off: people who accept an invitation get a Read-Only license until an administrator gives them Read & Write.';

/** What the inviter is told before sending about the license the invitee will get (SPEC §5). */
export function acceptanceLicenseNote(account: Auth['account']): string | undefined {
  if (!account.autoLicense) return AUTO_LICENSE_OFF;
  return wouldFallBackToReadOnly(account) ? FALLS_BACK_TO_READ_ONLY : undefined;
}

/** "Access" choices for this inviter: "Full permissions" only for administrators. */
export function accessOptions(auth: Auth): Partial<Record<Access, string>> {
  const { full: _full, ...others } = ACCESS;
  return isAdmin(auth) ? { ...ACCESS } : others;
}

export const ACCESS_HINT =
  'Inherited by role: permissions come from the roles and grants you give them. Read all projects: they can read every project. Full permissions: they become an administrator.';
export const ACCESS_HINT_NON_ADMIN =
  'Inherited by role: permissions come from the roles and grants they are given. Read all projects: they can read every project.';

/** The Access radio group's parameters (views/partials/radios.eta). */
export function accessRadios(auth: Auth, form: FormState) {
  return {
    name: 'access',
    legend: 'Access',
    options: accessOptions(auth),
    value: form.values.access ?? 'inherited',
    hint: isAdmin(auth) ? ACCESS_HINT : ACCESS_HINT_NON_ADMIN,
    error: form.errors.access,
  };
}

/** Everything /people/invite shows. */
export async function invitePageData(db: Db, auth: Auth, form: FormState = emptyForm({ access: 'inherited' })) {
  return {
    title: 'Invite someone',
    form,
    accessRadios: accessRadios(auth, form),
    licenseNote: acceptanceLicenseNote(auth.account),
  };
}
