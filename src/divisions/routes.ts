import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Auth } from '../auth/session.js';
import { actorOf } from '../history/record.js';
import { findPermission } from '../permissions/catalog.js';
import { hasFeature } from '../permissions/editions.js';
import { requireAdmin, requireAdminToEdit } from '../permissions/guard.js';
import { usersTabs } from '../permissions/tabs.js';
import { searchPeople } from '../people/search.js';
import type { AppDeps } from '../web/deps.js';
import { emptyForm, type FormState, formWithErrors, parseForm } from '../web/forms.js';
import { isHtmx } from '../web/htmx.js';
import { HttpError } from '../web/http-errors.js';
import {
  createDivision,
  deleteDivision,
  findDivision,
  findLicensedPerson,
  listDivisions,
  personDivisions,
  renameDivision,
  setDivisionGrants,
} from './divisions.js';
import { DIVISION_NAME_TAKEN, DIVISION_PERMISSIONS, DivisionGrantsForm, DivisionNameForm, DivisionsTabQuery, RemoveDivisionForm } from './forms.js';

export const DIVISIONS_PATH = '/settings/divisions';
export const TAB_PATH = '/settings/users/divisions';

const notFound = () => new HttpError(404, 'There is no such division in this account.');

/** Administrators, in an edition with divisions (404 outside it: the feature is not there). */
function divisionsAdmin(request: FastifyRequest, edit: boolean): Auth {
  const auth = edit ? requireAdminToEdit(request) : requireAdmin(request);
  if (!hasFeature(auth.account.edition, 'divisions')) throw new HttpError(404, 'There is no page at this address.');
  return auth;
}

const tabUrl = (q: { person?: string; division?: string; notice?: string }) => {
  const params = new URLSearchParams(Object.entries(q).filter((e): e is [string, string] => Boolean(e[1])));
  const s = params.toString();
  return s ? `${TAB_PATH}?${s}` : TAB_PATH;
};

/** The switches of one person's permissions in one division, grouped as reading and editing permissions. */
function grantSwitches(held: readonly string[]) {
  const all = DIVISION_PERMISSIONS.map((key) => ({ name: key, label: findPermission(key).label, checked: held.includes(key), kind: findPermission(key).kind }));
  return { reading: all.filter((s) => s.kind === 'read'), editing: all.filter((s) => s.kind === 'edit') };
}

export default async function divisionRoutes(app: FastifyInstance, { db }: AppDeps) {
  // ---- the account's divisions: /settings/divisions ------------------------------------------------------------
  const listPage = async (auth: Auth, form: FormState, status = 200) =>
    ({ data: { title: 'Divisions', divisions: await listDivisions(db, auth.account.id), form, canEdit: auth.person.license === 'read_write' }, status });

  app.get(DIVISIONS_PATH, async (request, reply) => {
    const auth = divisionsAdmin(request, false);
    const { data } = await listPage(auth, emptyForm());
    return reply.render('divisions/index', data);
  });

  app.post(DIVISIONS_PATH, async (request, reply) => {
    const auth = divisionsAdmin(request, true);
    const parsed = parseForm(DivisionNameForm, request.body);
    const refuse = async (form: FormState) => reply.render('divisions/index', (await listPage(auth, form)).data, { status: 422 });
    if (!parsed.ok) return refuse(parsed.form);
    const id = await createDivision(db, actorOf(auth), parsed.data.name);
    if (!id) return refuse(formWithErrors(parsed.data, [{ field: 'name', message: DIVISION_NAME_TAKEN }]));
    return reply.redirect(`${DIVISIONS_PATH}?notice=division-created`, 303);
  });

  const divisionPage = (auth: Auth, division: NonNullable<Awaited<ReturnType<typeof findDivision>>>, form: FormState) => ({
    title: `Division ${division.name}`,
    division,
    form,
    canEdit: auth.person.license === 'read_write',
  });

  app.get(`${DIVISIONS_PATH}/:id`, async (request, reply) => {
    const auth = divisionsAdmin(request, false);
    const division = await findDivision(db, auth.account.id, (request.params as { id: string }).id);
    if (!division) throw notFound();
    return reply.render('divisions/division', divisionPage(auth, division, emptyForm({ name: division.name })));
  });

  app.post(`${DIVISIONS_PATH}/:id`, async (request, reply) => {
    const auth = divisionsAdmin(request, true);
    const division = await findDivision(db, auth.account.id, (request.params as { id: string }).id);
    if (!division) throw notFound();
    const parsed = parseForm(DivisionNameForm, request.body);
    const refuse = (form: FormState) => reply.render('divisions/division', divisionPage(auth, division, form), { status: 422 });
    if (!parsed.ok) return refuse(parsed.form);
    const result = await renameDivision(db, actorOf(auth), division.id, parsed.data.name);
    if (result === 'missing') throw notFound();
    if (result === 'taken') return refuse(formWithErrors(parsed.data, [{ field: 'name', message: DIVISION_NAME_TAKEN }]));
    return reply.redirect(`${DIVISIONS_PATH}?notice=division-renamed`, 303);
  });

  app.get(`${DIVISIONS_PATH}/:id/delete`, async (request, reply) => {
    const auth = divisionsAdmin(request, false);
    const division = await findDivision(db, auth.account.id, (request.params as { id: string }).id);
    if (!division) throw notFound();
    return reply.render('divisions/delete', { title: `Delete division ${division.name}`, division, canEdit: auth.person.license === 'read_write' });
  });

  app.post(`${DIVISIONS_PATH}/:id/delete`, async (request, reply) => {
    const auth = divisionsAdmin(request, true);
    if (!(await deleteDivision(db, actorOf(auth), (request.params as { id: string }).id))) throw notFound();
    return reply.redirect(`${DIVISIONS_PATH}?notice=division-deleted`, 303);
  });

  // ---- the Divisions tab: one person's permissions per division -----------------------------------------------
  async function tabData(auth: Auth, query: { person?: string; division?: string; q?: string }, form: FormState = emptyForm(), held?: readonly string[]) {
    const base = { title: 'User management', tabs: usersTabs(auth.account.edition, 'divisions'), q: query.q ?? '', form, canEdit: auth.person.license === 'read_write' };
    const divisions = await listDivisions(db, auth.account.id);
    if (!query.person) {
      const found = await searchPeople(db, auth.account.id, { q: query.q, limit: 25, accountTotal: 0 });
      const people = found.rows.filter((p) => p.license !== 'none').map((p) => ({ name: p.name, email: p.email, url: tabUrl({ person: p.id }) }));
      return { ...base, divisions, people, morePeople: found.extraRow };
    }
    const person = await findLicensedPerson(db, auth.account.id, query.person);
    if (!person) return null;
    const mine = await personDivisions(db, auth.account.id, person.id);
    const division = query.division ? divisions.find((d) => d.id === query.division) : undefined;
    if (query.division && !division) return null;
    const current = division ? (held ?? mine.find((d) => d.id === division.id)?.permissions ?? []) : [];
    return {
      ...base,
      divisions,
      person,
      mine: mine.map((d) => ({ ...d, labels: d.permissions.map((k) => findPermission(k).label), url: tabUrl({ person: person.id, division: d.id }) })),
      division,
      switches: division ? grantSwitches(current) : undefined,
    };
  }

  app.get(TAB_PATH, async (request, reply) => {
    const auth = divisionsAdmin(request, false);
    const data = await tabData(auth, DivisionsTabQuery.parse(request.query ?? {}));
    if (!data) throw new HttpError(404, 'There is no such person or division in this account.');
    return reply.render('divisions/tab', data);
  });

  app.post(TAB_PATH, async (request, reply) => {
    const auth = divisionsAdmin(request, true);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const parsed = parseForm(DivisionGrantsForm, body);
    const htmx = isHtmx(request);
    const ids = DivisionsTabQuery.parse({ person: body.person, division: body.division });
    if (!parsed.ok) {
      const data = await tabData(auth, ids, parsed.form);
      if (!data) throw new HttpError(404, 'There is no such person or division in this account.');
      // the switches need their person and division: a post that names neither has no form to show them in
      if (!('division' in data) || !data.division) throw new HttpError(422, 'Choose a person and a division first.');
      return reply.render('divisions/tab', { ...data, htmx }, { status: 422, fragment: 'divisions/_grants-form' });
    }
    const { person, division, permissions } = parsed.data;
    const result = await setDivisionGrants(db, actorOf(auth), person, division, permissions);
    if (result === 'missing') throw new HttpError(404, 'There is no such person or division in this account.');
    if (!htmx) return reply.redirect(tabUrl({ person, division, notice: 'division-permissions-saved' }), 303);
    const data = await tabData(auth, { person, division }, emptyForm(), permissions);
    const who = data && 'person' in data ? data.person!.name : 'This person';
    const where = data && 'division' in data ? data.division!.name : 'the division';
    const announce = permissions.length
      ? `Saved. ${who} has ${permissions.length} ${permissions.length === 1 ? 'permission' : 'permissions'} in every project of ${where}.`
      : `Saved. ${who} has no permissions in ${where} now.`;
    return reply.render('divisions/_grants-form', { ...data, htmx, announce });
  });

  app.post(`${TAB_PATH}/remove`, async (request, reply) => {
    const auth = divisionsAdmin(request, true);
    const parsed = parseForm(RemoveDivisionForm, request.body);
    if (!parsed.ok) throw new HttpError(404, 'There is no such person or division in this account.');
    const result = await setDivisionGrants(db, actorOf(auth), parsed.data.person, parsed.data.division, []);
    if (result === 'missing') throw new HttpError(404, 'There is no such person or division in this account.');
    return reply.redirect(tabUrl({ person: parsed.data.person, notice: 'division-removed' }), 303);
  });
}
