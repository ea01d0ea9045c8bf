import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorOf } from '../history/record.js';
import { requireSignedIn } from '../permissions/guard.js';
import { today } from '../web/clock.js';
import type { AppDeps } from '../web/deps.js';
import { emptyForm, type FormState, formWithErrors, parseForm } from '../web/forms.js';
import { isHtmx } from '../web/htmx.js';
import { editProject, mayEdit, type ProjectContext, projectFrame, readProject, requireEdit } from './section-access.js';
import { rowIdOf, unavailable } from './section-rows.js';
import { AddTimeForm, CHOOSE_PERSON, dateRefusal, EditTimeForm, TimePageQuery } from './time-forms.js';
import {
  changeRefused,
  dateHint,
  dayText,
  DELETED_PERSON,
  entryNotFound,
  entryView,
  HOURS_HINT,
  hoursWithUnit,
  mayChange,
  mayEditAll,
  newEntryForm,
  timeNotice,
  timePageData,
  timeUrl,
} from './time-page.js';
import { addTimeEntry, changeTimeEntry, deleteTimeEntry, findTimeEntry, hoursText, personName, type TimeEntry } from './time.js';

const PAGE = '/projects/:id/time';
const ENTRY = `${PAGE}/:entry`;
const EDITORS = ['time.editOwn', 'time.edit'] as const;
const idOf = (request: FastifyRequest) => String((request.params as { id?: unknown }).id ?? '');

/**
 * The Time tracking section of a project (SPEC §8): "Read time tracking" to look (the projects' 404 otherwise);
 * "Edit own time entries" to add, change and delete one's own entries, "Edit all time entries" for anyone's (403
 * otherwise, and while the project is locked). A day before today (UTC, src/web/clock.ts) needs "Allow backdating in
 * times" too (422 next to Date), except an entry that keeps the day it has; a day more than a year ahead is refused.
 */
export default async function timeRoutes(app: FastifyInstance, { db }: AppDeps) {
  /** The entry the address names in this project (404 otherwise), for its pages: `ctx` decides what they offer. */
  async function entryOf(ctx: ProjectContext, request: FastifyRequest): Promise<TimeEntry> {
    const id = rowIdOf((request.params as { entry?: unknown }).entry);
    const entry = id === undefined ? undefined : await findTimeEntry(db, ctx.auth.account.id, ctx.project.id, id);
    if (!entry) throw entryNotFound();
    return entry;
  }

  /**
   * For a change and its page: the entry (404 without the section or the entry), and the person may change it: 403
   * with the reason without the permission it calls for ("Edit own time entries" or "Edit all time entries" for
   * one's own, the latter for anyone else's), with a Read-Only license, or while the project is locked.
   */
  async function changeable(request: FastifyRequest) {
    const read = await readProject(db, requireSignedIn(request), idOf(request), 'time');
    const entry = await entryOf(read, request);
    const ctx = requireEdit(read, entry.personId === read.auth.person.id ? EDITORS : ['time.edit']);
    return { ctx, entry };
  }

  /**
   * An entry's page (its edit form, or its deletion's confirmation), to a person who may change the entry: the
   * same 404 and 403 as its change, so no page offers a form its route would refuse.
   */
  function pageOf(ctx: ProjectContext, entry: TimeEntry) {
    const frame = projectFrame(ctx, 'time');
    return { ctx, entry, data: { ...frame, entry: entryView(ctx.project.id, entry), frameTitle: frame.title } };
  }
  const entryPage = async (request: FastifyRequest) => {
    const { ctx, entry } = await changeable(request);
    return pageOf(ctx, entry);
  };

  function editPage(reply: FastifyReply, page: ReturnType<typeof pageOf>, form: FormState, status = 200) {
    const { ctx, entry, data } = page;
    return reply.render('projects/time-edit', {
      ...data,
      title: `Change the time entry of ${data.entry.date} – ${data.frameTitle}`,
      form,
      dateHint: dateHint(mayEdit(ctx, 'time.backdate'), entry.date),
      hoursHint: HOURS_HINT,
    }, { status });
  }

  app.get(PAGE, async (request, reply) => {
    const auth = requireSignedIn(request);
    const ctx = await readProject(db, auth, idOf(request), 'time');
    const at = TimePageQuery.parse(request.query ?? {});
    return reply.render('projects/time', { ...(await timePageData(db, ctx, at)), ...timeNotice(request.query) });
  });

  app.post(PAGE, async (request, reply) => {
    const auth = requireSignedIn(request);
    const ctx = await editProject(db, auth, idOf(request), 'time', EDITORS);
    const fragment = 'projects/_time-add-response';
    const refuse = async (form: FormState) => reply.render('projects/time', await timePageData(db, ctx, {}, form), { status: 422, fragment });
    const parsed = parseForm(AddTimeForm, request.body);
    if (!parsed.ok) return refuse(parsed.form);
    const { date, hours } = parsed.data;
    const personId = parsed.data.person ?? auth.person.id;
    // someone else's time: "Edit all time entries" (403, nothing to correct in the form)
    if (personId !== auth.person.id && !mayEditAll(ctx)) throw changeRefused(ctx, { personId });
    const values = { ...parsed.data, person: personId };
    const tooEarly = dateRefusal(date, today(), mayEdit(ctx, 'time.backdate'));
    if (tooEarly) return refuse(formWithErrors(values, [{ field: 'date', message: tooEarly }]));
    const added = await addTimeEntry(db, actorOf(auth), ctx.project.id, { personId, date, hours });
    if (added === 'unlicensed') return refuse(formWithErrors(values, [{ field: 'person', message: CHOOSE_PERSON }]));
    if (added !== 'added') throw await unavailable(db, auth, ctx.project.id, 'time', added);
    if (!isHtmx(request)) return reply.redirect(timeUrl(ctx.project.id, { notice: 'time-added' }), 303);
    // htmx: the form starts again and the table shows the newest entries (where the address now points)
    const page = await timePageData(db, ctx, {});
    const person = personId === auth.person.id ? 'you' : (page.personOptions[personId] ?? (await personName(db, auth.account.id, personId)) ?? DELETED_PERSON);
    reply.header('HX-Replace-Url', timeUrl(ctx.project.id));
    return reply.render(fragment, { ...page, form: newEntryForm(ctx), added: true, announce: `Saved. ${hoursWithUnit(hours)} on ${dayText(date)} added for ${person}.` });
  });

  app.get(`${ENTRY}/edit`, async (request, reply) => {
    const page = await entryPage(request);
    return editPage(reply, page, emptyForm({ date: page.entry.date, hours: hoursText(page.entry.hours) }));
  });

  app.post(ENTRY, async (request, reply) => {
    const { ctx, entry } = await changeable(request);
    const refuse = async (form: FormState) => editPage(reply, pageOf(ctx, entry), form, 422);
    const parsed = parseForm(EditTimeForm, request.body);
    if (!parsed.ok) return refuse(parsed.form);
    const tooEarly = dateRefusal(parsed.data.date, today(), mayEdit(ctx, 'time.backdate'), entry.date);
    if (tooEarly) return refuse(formWithErrors(parsed.data, [{ field: 'date', message: tooEarly }]));
    const result = await changeTimeEntry(db, actorOf(ctx.auth), ctx.project.id, entry.id, parsed.data);
    if (result === 'no-entry') throw entryNotFound();
    if (result === 'missing' || result === 'locked') throw await unavailable(db, ctx.auth, ctx.project.id, 'time', result);
    return back(request, reply, timeUrl(ctx.project.id, { notice: result === 'saved' ? 'time-changed' : 'time-unchanged' }));
  });

  app.get(`${ENTRY}/delete`, async (request, reply) => {
    const { data } = await entryPage(request);
    return reply.render('projects/time-delete', { ...data, title: `Delete the time entry of ${data.entry.date} – ${data.frameTitle}` });
  });

  app.post(`${ENTRY}/delete`, async (request, reply) => {
    const { ctx, entry } = await changeable(request);
    const result = await deleteTimeEntry(db, actorOf(ctx.auth), ctx.project.id, entry.id);
    if (result === 'no-entry') throw entryNotFound();
    if (result !== 'deleted') throw await unavailable(db, ctx.auth, ctx.project.id, 'time', result);
    return back(request, reply, timeUrl(ctx.project.id, { notice: 'time-deleted' }));
  });
}

/** After a change on its own page: back to the list with the confirmation (an htmx request loads it as a page). */
function back(request: FastifyRequest, reply: FastifyReply, url: string) {
  if (isHtmx(request)) return reply.header('HX-Redirect', url).code(200).send('');
  return reply.redirect(url, 303);
}
