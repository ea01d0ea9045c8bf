import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../web/deps.js';
import { actorOf } from '../history/record.js';
import { requireSignedIn } from '../permissions/guard.js';
import { emptyForm, formWithErrors, parseForm } from '../web/forms.js';
import { personNotFound, requireEditPeople } from './access.js';
import { isHtmx } from '../web/htmx.js';
import { listUrl, NewContactForm, PeopleQuery } from './forms.js';
import { peopleListData } from './list.js';
import { EMAIL_TAKEN, insertContact } from './people.js';
import { personPageData } from './person-page.js';

export default async function peopleRoutes(app: FastifyInstance, { db }: AppDeps) {
  app.get('/people', async (request, reply) => {
    const auth = requireSignedIn(request);
    const search = PeopleQuery.parse(request.query ?? {});
    // the address shows the search typed so far, and no leftover "?q=" once the field is cleared
    if (isHtmx(request)) reply.header('HX-Replace-Url', listUrl('/people', search));
    return reply.render('people/index', await peopleListData(db, auth, search), { fragment: 'people/_results' });
  });

  app.get('/people/new', async (request, reply) => {
    await requireEditPeople(db, request);
    return reply.render('people/new', { title: 'New contact', form: emptyForm() });
  });

  app.post('/people/new', async (request, reply) => {
    const auth = await requireEditPeople(db, request);
    const parsed = parseForm(NewContactForm, request.body);
    if (!parsed.ok) return reply.render('people/new', { title: 'New contact', form: parsed.form }, { status: 422 });
    const person = await insertContact(db, actorOf(auth), parsed.data);
    if (!person) {
      const form = formWithErrors(parsed.data, [{ field: 'email', message: EMAIL_TAKEN }]);
      return reply.render('people/new', { title: 'New contact', form }, { status: 422 });
    }
    return reply.redirect(`/people/${person.id}?notice=contact-created`, 303);
  });

  app.get('/people/:id', async (request, reply) => {
    const auth = requireSignedIn(request);
    const { id } = request.params as { id: string };
    const data = await personPageData(db, auth, id);
    if (!data) throw personNotFound();
    return reply.render('people/person', data);
  });
}
