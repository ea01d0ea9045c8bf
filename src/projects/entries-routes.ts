import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Auth } from '../auth/session.js';
import type { Db } from '../db/client.js';
import { actorOf } from '../history/record.js';
import { requireSignedIn } from '../permissions/guard.js';
import type { AppDeps } from '../web/deps.js';
import { formWithErrors, parseForm } from '../web/forms.js';
import { isHtmx } from '../web/htmx.js';
import { HttpError } from '../web/http-errors.js';
import { addEntry, deleteEntry, ENTRY_LABELS, ENTRY_SECTIONS, type EntrySection, findEntry, renameEntry } from './entries.js';
import { EntriesQuery, type EntriesPosition, entryIdOf, entryTitleForm } from './entries-forms.js';
import { entriesAnnouncement, entriesNotice, entriesPageData, entriesUrl, entryDeleteData } from './entries-page.js';
import { editProject, lockedError, projectNotFound, readProject } from './section-access.js';
import { SECTION_SLUGS } from './sections.js';

const params = (request: FastifyRequest) => request.params as { id?: string; entry?: string };
const idOf = (request: FastifyRequest) => String(params(request).id ?? '');

/** Where a rename form was sent from (its hidden `older` / `newer`); the first page otherwise. */
function positionOf(body: unknown): EntriesPosition {
  const parsed = EntriesQuery.safeParse(body && typeof body === 'object' ? body : {});
  return parsed.success ? parsed.data : {};
}

/**
 * Lists, Mind maps, Planning and Documents (SPEC §8): the same routes for each section, under its slug —
 * GET /projects/:id/<slug> (the entries, "Add" to editors), POST /projects/:id/<slug> (add),
 * POST /projects/:id/<slug>/:entry/title (rename), GET and POST /projects/:id/<slug>/:entry/delete (confirm, delete).
 * "Read <section>" to look (the projects' 404 otherwise), "Edit <section>" with a Read & Write license in an
 * unlocked project to change (403 otherwise). An entry of another section, project or account is a 404.
 */
export default async function entriesRoutes(app: FastifyInstance, { db }: AppDeps) {
  for (const section of ENTRY_SECTIONS) sectionRoutes(app, db, section);
}

function sectionRoutes(app: FastifyInstance, db: Db, section: EntrySection) {
  const labels = ENTRY_LABELS[section];
  const PAGE = `/projects/:id/${SECTION_SLUGS[section]}`;
  const TitleForm = entryTitleForm(labels);
  const entryNotFound = () => new HttpError(404, `There is no such ${labels.one} in this project. It may have been deleted.`);

  async function edit(request: FastifyRequest) {
    const auth = requireSignedIn(request);
    return editProject(db, auth, idOf(request), section, [`${section}.edit`]);
  }
  function entryOf(request: FastifyRequest): number {
    const id = entryIdOf(params(request).entry);
    if (id === undefined) throw entryNotFound();
    return id;
  }
  /** A change the transaction refused: the project was locked (or deleted) after the guard looked. */
  async function refusal(auth: Auth, projectId: string, reason: 'locked' | 'missing'): Promise<HttpError> {
    if (reason === 'missing') return projectNotFound();
    const ctx = await readProject(db, auth, projectId, section);
    return ctx.lock ? lockedError(ctx.lock) : projectNotFound();
  }

  app.get(PAGE, async (request, reply) => {
    const auth = requireSignedIn(request);
    const ctx = await readProject(db, auth, idOf(request), section);
    const at = EntriesQuery.parse(request.query ?? {});
    return reply.render('projects/entries', { ...(await entriesPageData(db, ctx, section, at)), ...entriesNotice(section, request.query) });
  });

  app.post(PAGE, async (request, reply) => {
    const ctx = await edit(request);
    const { auth } = ctx;
    const id = ctx.project.id;
    const fragment = 'projects/_entries-add-response';
    const parsed = parseForm(TitleForm, request.body);
    if (!parsed.ok) return reply.render('projects/entries', await entriesPageData(db, ctx, section, {}, { add: parsed.form }), { status: 422, fragment });
    const result = await addEntry(db, actorOf(auth), id, section, parsed.data.title);
    if (!result.ok) throw await refusal(auth, id, result.reason);
    if (!isHtmx(request)) return reply.redirect(entriesUrl(id, section, {}, 'entry-added'), 303);
    const page = await entriesPageData(db, ctx, section, {});
    return reply.render(fragment, { ...page, added: true, announce: entriesAnnouncement(section, 'added', parsed.data.title) });
  });

  app.post(`${PAGE}/:entry/title`, async (request, reply) => {
    const ctx = await edit(request);
    const { auth } = ctx;
    const id = ctx.project.id;
    const entryId = entryOf(request);
    const where = { accountId: auth.account.id, projectId: id, section };
    const requested = positionOf(request.body);
    /** the page the form was on, or the one that starts with the entry when it is no longer there */
    const pageWith = async (forms: Parameters<typeof entriesPageData>[4], extra: Record<string, unknown> = {}) => {
      const page = await entriesPageData(db, ctx, section, requested, forms);
      const data = page.rows.some((r) => r.id === entryId) ? page : await entriesPageData(db, ctx, section, { older: entryId + 1 }, forms);
      return { ...data, ...extra };
    };
    const parsed = parseForm(TitleForm, request.body);
    if (!parsed.ok) {
      if (!(await findEntry(db, where, entryId))) throw entryNotFound();
      const form = formWithErrors(parsed.form.values, parsed.form.summary.map((e) => ({ ...e, field: `title-${entryId}` })));
      return reply.render('projects/entries', await pageWith({ rename: { id: entryId, form } }), { status: 422, fragment: 'projects/_entries-list-response' });
    }
    const result = await renameEntry(db, actorOf(auth), id, section, entryId, parsed.data.title);
    if (result === 'missing') throw entryNotFound();
    if (result === 'locked') throw await refusal(auth, id, 'locked');
    if (!isHtmx(request)) return reply.redirect(entriesUrl(id, section, requested, result === 'renamed' ? 'entry-renamed' : 'entry-unchanged'), 303);
    const announce = entriesAnnouncement(section, result, parsed.data.title);
    return reply.render('projects/_entries-list-response', await pageWith({}, { focusId: entryId, announce }));
  });

  app.get(`${PAGE}/:entry/delete`, async (request, reply) => {
    const ctx = await edit(request);
    const entry = await findEntry(db, { accountId: ctx.auth.account.id, projectId: ctx.project.id, section }, entryOf(request));
    if (!entry) throw entryNotFound();
    return reply.render('projects/entry-delete', entryDeleteData(ctx, section, entry));
  });

  app.post(`${PAGE}/:entry/delete`, async (request, reply) => {
    const ctx = await edit(request);
    const id = ctx.project.id;
    const result = await deleteEntry(db, actorOf(ctx.auth), id, section, entryOf(request));
    if (!result.ok) throw result.reason === 'missing' ? entryNotFound() : await refusal(ctx.auth, id, result.reason);
    const url = entriesUrl(id, section, {}, 'entry-deleted');
    // an htmx request (a boosted form) goes to the section all the same: a full page load there, with the confirmation
    if (isHtmx(request)) return reply.header('HX-Redirect', url).code(200).send('');
    return reply.redirect(url, 303);
  });
}
