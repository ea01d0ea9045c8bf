import type { FastifyInstance } from 'fastify';
import { organizationPageData } from '../account/organization.js';
import type { AppDeps } from '../web/deps.js';
import { actorOf } from '../history/record.js';
import { requireAdminToEdit, requireSignedIn } from '../permissions/guard.js';
import { emptyForm, formWithErrors, parseForm, type FormState } from '../web/forms.js';
import { isHtmx } from '../web/htmx.js';
import { OrganizationPrivacyForm, PersonalPrivacyForm } from './forms.js';
import { canSendTelemetry, TELEMETRY_NOT_ALLOWED, updateAccountPrivacy, updatePersonalTelemetry } from './privacy.js';

const onOff = (v: boolean) => (v ? 'on' : 'off');

export default async function privacyRoutes(app: FastifyInstance, { db }: AppDeps) {
  app.get('/settings/personal', async (request, reply) => {
    const auth = requireSignedIn(request);
    return reply.render('privacy/personal', {
      title: 'Personal',
      form: emptyForm({ telemetry: auth.person.telemetry && canSendTelemetry(auth.account) }),
      allowed: canSendTelemetry(auth.account),
      notAllowedText: TELEMETRY_NOT_ALLOWED,
    });
  });

  app.post('/settings/personal', async (request, reply) => {
    const auth = requireSignedIn(request);
    const allowed = canSendTelemetry(auth.account);
    const render = (form: FormState, status: number, announce?: string) =>
      reply.render(
        'privacy/personal',
        { title: 'Personal', form, allowed, notAllowedText: TELEMETRY_NOT_ALLOWED, announce },
        { status, fragment: 'privacy/_personal-form' },
      );
    const parsed = parseForm(PersonalPrivacyForm, request.body);
    if (!parsed.ok) return render(parsed.form, 422);
    const on = parsed.data.telemetry;
    if (!(await updatePersonalTelemetry(db, auth, on))) {
      return render(formWithErrors({ telemetry: false }, [{ field: 'telemetry', message: TELEMETRY_NOT_ALLOWED }]), 422);
    }
    if (!isHtmx(request)) return reply.redirect('/settings/personal?notice=saved', 303);
    return render(emptyForm({ telemetry: on }), 200, `Saved. Send telemetry data is ${onOff(on)}.`);
  });

  app.post('/settings/organization/privacy', async (request, reply) => {
    const auth = requireAdminToEdit(request);
    const parsed = parseForm(OrganizationPrivacyForm, request.body);
    if (!parsed.ok) {
      return reply.render('account/organization-page', await organizationPageData(db, auth, { privacy: parsed.form }), {
        status: 422,
        fragment: 'account/_privacy-form',
      });
    }
    await updateAccountPrivacy(db, actorOf(auth), parsed.data);
    if (!isHtmx(request)) return reply.redirect('/settings/organization?notice=saved', 303);
    const { privacyEnabled, aiAllowed } = parsed.data;
    return reply.render('account/_privacy-form', {
      privacy: emptyForm(parsed.data),
      announce: `Saved. Enable privacy settings in this account is ${onOff(privacyEnabled)}; Allow AI assistance is ${onOff(aiAllowed)}.`,
    });
  });
}
