import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../web/deps.js';
import { actorOf } from '../history/record.js';
import { requireAdmin, requireAdminToEdit } from '../permissions/guard.js';
import { formWithErrors, parseForm } from '../web/forms.js';
import { OrganizationNameForm, SubscriptionForm } from './forms.js';
import { organizationPageData, renameAccount, seatsBelowDistributedMessage, updateSubscription } from './organization.js';

export default async function accountRoutes(app: FastifyInstance, { db }: AppDeps) {
  app.get('/settings/organization', async (request, reply) => {
    const auth = requireAdmin(request);
    return reply.render('account/organization-page', await organizationPageData(db, auth));
  });

  app.post('/settings/organization/name', async (request, reply) => {
    const auth = requireAdminToEdit(request);
    const parsed = parseForm(OrganizationNameForm, request.body);
    if (!parsed.ok) {
      return reply.render('account/organization-page', await organizationPageData(db, auth, { name: parsed.form }), { status: 422 });
    }
    await renameAccount(db, actorOf(auth), parsed.data.organizationName);
    return reply.redirect('/settings/organization?notice=name-saved', 303);
  });

  app.post('/settings/organization/subscription', async (request, reply) => {
    const auth = requireAdminToEdit(request);
    const parsed = parseForm(SubscriptionForm, request.body);
    const refuse = (subscription: ReturnType<typeof formWithErrors>) =>
      organizationPageData(db, auth, { subscription }).then((data) =>
        reply.render('account/organization-page', data, { status: 422 }),
      );
    if (!parsed.ok) return refuse(parsed.form);
    const { edition, readWriteLicenses } = parsed.data;
    const result = await updateSubscription(db, actorOf(auth), edition, readWriteLicenses);
    if (!result.ok) {
      return refuse(
        formWithErrors({ edition, readWriteLicenses }, [
          { field: 'readWriteLicenses', message: seatsBelowDistributedMessage(result.distributed) },
        ]),
      );
    }
    return reply.redirect('/settings/organization?notice=subscription-saved', 303);
  });
}
