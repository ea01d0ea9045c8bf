import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppDeps } from '../web/deps.js';
import { actorOf } from '../history/record.js';
import { personNotFound } from '../people/access.js';
import { requireAdminToEdit } from '../permissions/guard.js';
import { emptyForm, type FormState, formWithErrors, parseForm } from '../web/forms.js';
import { isHtmx } from '../web/htmx.js';
import { deletePerson, updateAdmin } from './admins.js';
import { AdminForm } from './forms.js';
import { isLastWritingAdmin } from './rules.js';
import { findPersonWithAdmins, LAST_ADMIN, type Person } from './seats.js';

const personUrl = (id: string) => `/people/${encodeURIComponent(id)}`;

/**
 * Administrator rights and deleting a person, on the person's page (/people/<id>): the page includes
 * views/licenses/_admin-form.eta and links to /people/<id>/delete. Only administrators with Read & Write.
 */
export default async function adminRoutes(app: FastifyInstance, { db }: AppDeps) {
  async function findPerson(accountId: string, personId: string) {
    const found = await findPersonWithAdmins(db, accountId, personId);
    if (!found) throw personNotFound();
    return found;
  }

  /** The switch again: for htmx the form alone (after a refusal it shows the saved value); without JavaScript a small page. */
  function renderAdminForm(reply: FastifyReply, person: Pick<Person, 'id' | 'name'>, adminForm: FormState, status: number, announce?: string) {
    const data = { title: `Administrator rights of ${person.name}`, person, adminForm, form: adminForm, announce };
    return reply.render('licenses/person-admin', data, { status, fragment: 'licenses/_admin-form' });
  }

  app.post('/people/:personId/admin', async (request, reply) => {
    const auth = requireAdminToEdit(request);
    const { personId } = request.params as { personId: string };
    const parsed = parseForm(AdminForm, request.body);
    if (!parsed.ok) {
      const person = await findPerson(auth.account.id, personId);
      return renderAdminForm(reply, person, formWithErrors({ admin: person.isAdmin }, parsed.form.summary), 422);
    }
    const result = await updateAdmin(db, actorOf(auth), personId, parsed.data.admin);
    if (!result.ok) {
      if (result.reason === 'not-found') throw personNotFound();
      const person = await findPerson(auth.account.id, personId);
      return renderAdminForm(reply, person, formWithErrors({ admin: person.isAdmin }, [{ field: 'admin', message: LAST_ADMIN }]), 422);
    }
    const { person } = result;
    if (!isHtmx(request)) return reply.redirect(`${personUrl(person.id)}?notice=${person.isAdmin ? 'admin-added' : 'admin-removed'}`, 303);
    const announce = `Saved. ${person.name} is ${person.isAdmin ? 'an administrator now' : 'no longer an administrator'}.`;
    return renderAdminForm(reply, person, emptyForm({ admin: person.isAdmin }), 200, announce);
  });

  app.get('/people/:personId/delete', async (request, reply) => {
    const auth = requireAdminToEdit(request);
    const person = await findPerson(auth.account.id, (request.params as { personId: string }).personId);
    const lastAdmin = isLastWritingAdmin(person, person.otherWritingAdmins);
    return reply.render('licenses/delete-person', { title: `Delete ${person.name}`, person, lastAdmin, lastAdminText: LAST_ADMIN, self: person.id === auth.person.id });
  });

  app.post('/people/:personId/delete', async (request, reply) => {
    const auth = requireAdminToEdit(request);
    const { personId } = request.params as { personId: string };
    const result = await deletePerson(db, actorOf(auth), personId);
    if (result.ok) return reply.redirect(personId === auth.person.id ? '/login?notice=self-deleted' : '/people?notice=person-deleted', 303);
    if (result.reason === 'not-found') throw personNotFound();
    const person = await findPerson(auth.account.id, personId);
    const form = formWithErrors({}, [{ field: 'delete-person', message: LAST_ADMIN }]);
    return reply.render('licenses/delete-person', { title: `Delete ${person.name}`, person, lastAdmin: true, lastAdminText: LAST_ADMIN, self: person.id === auth.person.id, form }, { status: 422 });
  });
}
