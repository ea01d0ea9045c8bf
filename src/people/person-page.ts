import type { Auth } from '../auth/session.js';
import type { Db } from '../db/client.js';
import { findWaitingInvitation } from '../invitations/invitations.js';
import { acceptanceLicenseNote, accessRadios } from '../invitations/pages.js';
import { ACCESS, canInvite } from '../invitations/rules.js';
import { LICENSES } from '../licenses/seats.js';
import { isAdmin } from '../permissions/guard.js';
import { DAY_MS, keptFormat } from '../web/dates.js';
import { emptyForm, type FormState } from '../web/forms.js';
import { findPersonInAccount } from './people.js';
import { personStatus, STATUS_LABELS } from './rules.js';

/** A day as the pages write it ("2 January 2025", UTC). */
export const formatDate = keptFormat({ day: 'numeric', month: 'long', year: 'numeric' }, DAY_MS);

/**
 * Everything a person's page shows, or undefined when the id is not a person of the signed-in account.
 * The invitation buttons appear only for those canInvite allows (the POST handlers check it again).
 */
export async function personPageData(db: Db, auth: Auth, personId: string, inviteForm: FormState = emptyForm({ access: 'inherited' })) {
  const person = await findPersonInAccount(db, auth.account.id, personId);
  if (!person) return undefined;
  const waiting = person.invitationState === 'invited' ? await findWaitingInvitation(db, auth.account.id, person.id) : undefined;
  const mayInvite = person.invitationState === 'none' && canInvite(auth.person, auth.account, person.email).ok;
  const mayManageInvitation =
    person.invitationState === 'invited' && canInvite(auth.person, auth.account, person.email, waiting?.access ?? 'inherited').ok;
  const status = personStatus(person);
  const { twoStepSecret: _secret, twoStepLastStep: _step, passwordHash: _hash, ...shown } = person;
  return {
    title: person.name,
    person: shown,
    status,
    statusLabel: STATUS_LABELS[status],
    licenseLabel: LICENSES[person.license],
    waiting: waiting && {
      access: ACCESS[waiting.access],
      sentOn: formatDate(waiting.createdAt),
      expiresOn: formatDate(waiting.expiresAt),
      expired: waiting.expiresAt.getTime() <= Date.now(),
    },
    mayInvite,
    mayManageInvitation,
    accessRadios: mayInvite ? accessRadios(auth, inviteForm) : undefined,
    licenseNote: mayInvite || mayManageInvitation ? acceptanceLicenseNote(auth.account) : undefined,
    // administrator rights and “Delete person” (handled in src/licenses/admin-routes.ts) need an administrator with Read & Write
    viewerAdministers: isAdmin(auth) && auth.person.license === 'read_write',
    adminForm: emptyForm({ admin: person.isAdmin }),
    // only whether it is on (never the secret)
    twoStep: person.twoStepEnabledAt
      ? `On since ${formatDate(person.twoStepEnabledAt)}`
      : person.twoStepMustSetUp
        ? 'Off; they set it up at their next sign-in'
        : 'Off',
    form: inviteForm,
  };
}
