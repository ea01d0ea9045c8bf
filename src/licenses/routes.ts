import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../web/deps.js';
import { actorOf } from '../history/record.js';
import type { Auth } from '../auth/session.js';
import { listUrl } from '../people/forms.js';
import { personNotFound } from '../people/access.js';
import { requireAdmin, requireAdminToEdit } from '../permissions/guard.js';
import { emptyForm, formWithErrors, parseForm } from '../web/forms.js';
import { isHtmx } from '../web/htmx.js';
import { AutoLicenseForm, InvitationSettingsForm, LicenseForm, SearchQuery } from './forms.js';
import { ALL_SEATS_TAKEN, findPersonWithAdmins, LAST_ADMIN, LICENSES, updateLicense } from './seats.js';
import { licenseSavedText, seatSummary } from './summary.js';
import {
  licenseRow,
  type SearchState,
  updateAutoLicense,
  updateInvitationSettings,
  usersPageData,
  usersSearchData,
  type UsersPageForms,
} from './users.js';

const PAGE = 'licenses/users-page';
const onOff = (v: boolean) => (v ? 'on' : 'off');

/** Back to the same search after a change, with a confirmation. */
export function usersUrl(search: SearchState, notice?: string): string {
  return listUrl('/settings/users', search, notice);
}

export default async function licenseRoutes(app: FastifyInstance, { db }: AppDeps) {
  const page = async (reply: FastifyReply, auth: Auth, search: SearchState, forms: UsersPageForms, status: number, fragment?: string) =>
    reply.render(PAGE, await usersPageData(db, auth, search, forms), { status, fragment });

  app.get('/settings/users', async (request, reply) => {
    const auth = requireAdmin(request);
    const search = SearchQuery.parse(request.query ?? {});
    if (isHtmx(request)) {
      // the address shows the search typed so far, and no leftover "?q=" once the field is cleared
      reply.header('HX-Replace-Url', usersUrl(search));
      return reply.render('licenses/_search-response', await usersSearchData(db, auth, search));
    }
    return page(reply, auth, search, {}, 200);
  });

  app.post('/settings/users/auto-license', async (request, reply) => {
    const auth = requireAdminToEdit(request);
    const parsed = parseForm(AutoLicenseForm, request.body);
    const first = SearchQuery.parse({});
    if (!parsed.ok) return page(reply, auth, first, { autoLicense: parsed.form }, 422, 'licenses/_auto-license-form');
    await updateAutoLicense(db, actorOf(auth), parsed.data.autoLicense);
    if (!isHtmx(request)) return reply.redirect(usersUrl(first, 'saved'), 303);
    return reply.render('licenses/_auto-license-form', {
      autoLicense: emptyForm(parsed.data),
      canEdit: true,
      announce: `Saved. Automatic Read & Write licenses are ${onOff(parsed.data.autoLicense)}.`,
    });
  });

  app.post('/settings/users/invitations', async (request, reply) => {
    const auth = requireAdminToEdit(request);
    const parsed = parseForm(InvitationSettingsForm, request.body);
    const first = SearchQuery.parse({});
    if (!parsed.ok) return page(reply, auth, first, { invitations: parsed.form }, 422, 'licenses/_invitations-form');
    const { usersMayInvite, allowedDomains } = parsed.data;
    await updateInvitationSettings(db, actorOf(auth), { usersMayInvite, allowedDomains });
    if (!isHtmx(request)) return reply.redirect(usersUrl(first, 'saved'), 303);
    const domains = allowedDomains.length ? `allowed email domains: ${allowedDomains.join(', ')}` : 'any email domain';
    return reply.render('licenses/_invitations-form', {
      invitations: emptyForm({ usersMayInvite, allowedDomains: allowedDomains.join('\n') }),
      canEdit: true,
      announce: `Saved. Users ${usersMayInvite ? 'may' : 'may not'} invite other users; ${domains}.`,
    });
  });

  app.post('/settings/users/licenses/:personId', async (request, reply) => {
    const auth = requireAdminToEdit(request);
    const { personId } = request.params as { personId: string };
    const search = SearchQuery.parse(request.body ?? {});
    const parsed = parseForm(LicenseForm, request.body);
    if (!parsed.ok) return refuseLicense(request, reply, auth, personId, search, parsed.form.summary[0]!.message);
    const result = await updateLicense(db, actorOf(auth), personId, parsed.data.license);
    if (!result.ok) {
      if (result.reason === 'not-found') throw personNotFound();
      return refuseLicense(request, reply, auth, personId, search, result.reason === 'no-seat' ? ALL_SEATS_TAKEN : LAST_ADMIN);
    }
    if (!isHtmx(request)) return reply.redirect(usersUrl(search, 'license-saved'), 303);
    const { person } = result;
    return reply.render('licenses/_license-response', {
      person: licenseRow(person),
      search,
      licenseOptions: LICENSES,
      canEdit: true,
      summary: seatSummary(result.counts, auth.account.readWriteLicenses),
      announce: licenseSavedText(person.name, person.license),
    });
  });

  /** 422: the radio group shows the saved license again (public/app.js applies it after a refused morph) with the message next to it and in the error summary. */
  async function refuseLicense(request: FastifyRequest, reply: FastifyReply, auth: Auth, personId: string, search: SearchState, message: string) {
    const found = await findPersonWithAdmins(db, auth.account.id, personId);
    if (!found) throw personNotFound();
    if (!isHtmx(request)) return page(reply, auth, search, { license: { personId, message } }, 422);
    const field = `p-${personId}-license`;
    return reply.render(
      'licenses/_license-response',
      { person: licenseRow(found), search, licenseOptions: LICENSES, canEdit: true, error: message, form: formWithErrors({}, [{ field, message }]) },
      { status: 422 },
    );
  }
}
