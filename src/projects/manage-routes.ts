import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorOf } from '../history/record.js';
import { hasFeature } from '../permissions/editions.js';
import { requireSignedIn } from '../permissions/guard.js';
import { loadRoles } from '../permissions/load.js';
import type { AppDeps } from '../web/deps.js';
import { emptyForm, formWithErrors, parseForm } from '../web/forms.js';
import { isHtmx } from '../web/htmx.js';
import { NO_SUCH_DIVISION } from './forms.js';
import { countProjectContents, deleteProject, setProjectLock } from './lock.js';
import { deletedProjectUrl, deletePageData } from './manage-delete.js';
import { editProject, projectNotFound } from './section-access.js';
import { unavailable } from './section-rows.js';
import { AddHoldersForm, CHOOSE_ROLE, GROUPS_UNKNOWN, HolderQuery, NO_GROUPS, PEOPLE_UNLICENSED, ProjectDetailsForm, RemoveAssignmentForm } from './manage-forms.js';
import {
  candidatesData,
  findManageAccess,
  LOCK_ANNOUNCEMENTS,
  type ManageAccess,
  type ManageForms,
  manageNotice,
  managePageData,
  manageUrl,
  requireLockRight,
  requireManageEdit,
  roleChoices,
} from './manage-page.js';
import { addHolders, listAssignments, removeAssignment, updateProjectDetails } from './manage.js';

const PAGE = '/projects/:id/manage';
const idOf = (request: FastifyRequest) => String((request.params as { id?: unknown }).id ?? '');
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * The Manage section of a project (SPEC §8): "Read manage page" to look (the projects' 404 otherwise), "Edit manage
 * page" with a Read & Write license to change the name, the division and the role assignments (403 otherwise, and
 * the locked page while the project is locked); "Lock project for editing" to lock and unlock it (unlocking is the
 * one change a locked project allows); "Delete projects" to delete it, with a confirmation page first.
 * These static paths take precedence over the generic /projects/:id/:section page.
 */
export default async function manageRoutes(app: FastifyInstance, { db }: AppDeps) {
  async function refuse(reply: FastifyReply, found: ManageAccess, q: string, forms: ManageForms, fragment: string) {
    return reply.render('projects/manage', await managePageData(db, found, { q }, forms), { status: 422, fragment });
  }

  app.get(PAGE, async (request, reply) => {
    const auth = requireSignedIn(request);
    const found = await findManageAccess(db, auth, idOf(request));
    const search = HolderQuery.parse(request.query ?? {});
    if (isHtmx(request) && found.canEdit) {
      // search as you type: only the people; the address shows the search typed so far
      reply.header('HX-Replace-Url', manageUrl(found.project.id, search.q));
      return reply.render('projects/_manage-search-response', await candidatesData(db, auth, search));
    }
    return reply.render('projects/manage', { ...(await managePageData(db, found, search)), ...manageNotice(request.query) });
  });

  app.post(`${PAGE}/details`, async (request, reply) => {
    const auth = requireSignedIn(request);
    const found = await requireManageEdit(db, auth, idOf(request));
    const id = found.project.id;
    const fragment = 'projects/_manage-details-response';
    const parsed = parseForm(ProjectDetailsForm, request.body);
    if (!parsed.ok) return refuse(reply, found, '', { details: parsed.form }, fragment);
    const withDivisions = hasFeature(auth.account.edition, 'divisions');
    const divisionId = withDivisions ? parsed.data.division || null : undefined;
    const result = await updateProjectDetails(db, actorOf(auth), id, { name: parsed.data.name, divisionId });
    if (result === 'missing' || result === 'locked') throw await unavailable(db, auth, id, 'manage', result);
    if (result === 'no-division') return refuse(reply, found, '', { details: formWithErrors(parsed.data, [{ field: 'division', message: NO_SUCH_DIVISION }]) }, fragment);
    if (!isHtmx(request)) return reply.redirect(manageUrl(id, '', result === 'saved' ? 'project-saved' : 'project-unchanged'), 303);
    const page = await managePageData(db, await findManageAccess(db, auth, id), { q: '' });
    const announce = result === 'saved' ? `Saved. The project is called “${page.project.name}”${withDivisions ? `, ${page.project.divisionName ? `in the division ${page.project.divisionName}` : 'with no division'}` : ''}.` : 'Nothing changed: the project already had these details.';
    return reply.render(fragment, { ...page, announce, renamed: result === 'saved' });
  });

  app.post(`${PAGE}/roles`, async (request, reply) => {
    const auth = requireSignedIn(request);
    const found = await requireManageEdit(db, auth, idOf(request));
    const id = found.project.id;
    const { q } = HolderQuery.parse(request.body ?? {});
    const fragment = 'projects/_manage-add-response';
    const parsed = parseForm(AddHoldersForm, request.body);
    if (!parsed.ok) return refuse(reply, found, q, { add: parsed.form }, fragment);
    const { role, person, group } = parsed.data;
    const fail = (field: string, message: string) => refuse(reply, found, q, { add: formWithErrors(parsed.data, [{ field, message }]) }, fragment);
    const { assignable } = roleChoices(auth, await loadRoles(db, auth.account.id, auth.accessVersion));
    const chosen = assignable.find((r) => r.key === role);
    if (!chosen) return fail('role', CHOOSE_ROLE);
    if (group.length && !hasFeature(auth.account.edition, 'groups')) return fail('person', NO_GROUPS);
    const result = await addHolders(db, actorOf(auth), id, chosen.key, { personIds: person, groupIds: group });
    if (!result.ok) {
      if (result.reason === 'missing' || result.reason === 'locked') throw await unavailable(db, auth, id, 'manage', result.reason);
      return result.reason === 'unlicensed' ? fail('person', PEOPLE_UNLICENSED) : fail('group', GROUPS_UNKNOWN);
    }
    if (!isHtmx(request)) return reply.redirect(manageUrl(id, q, result.added ? 'roles-added' : 'roles-unchanged'), 303);
    const page = await managePageData(db, found, { q }, { add: emptyForm({ role }) });
    const announce = result.added
      ? `Saved. ${plural(result.added, 'holder', 'holders')} added as ${chosen.name}.`
      : `Nothing changed: the selected people and groups hold ${chosen.name} already.`;
    return reply.render(fragment, { ...page, announce, added: true });
  });

  app.post(`${PAGE}/roles/remove`, async (request, reply) => {
    const auth = requireSignedIn(request);
    const found = await requireManageEdit(db, auth, idOf(request));
    const id = found.project.id;
    const form = RemoveAssignmentForm.safeParse(request.body ?? {});
    const before = isHtmx(request) ? await listAssignments(db, auth.account.id, id) : [];
    const result = form.success ? await removeAssignment(db, actorOf(auth), id, form.data.assignment) : { ok: true as const };
    if (!result.ok) throw await unavailable(db, auth, id, 'manage', result.reason);
    if (!isHtmx(request)) return reply.redirect(manageUrl(id, '', result.removed ? 'role-removed' : 'role-not-found'), 303);
    const page = await managePageData(db, found, { q: '' });
    // focus moves to the next assignment's Remove button (the one before at the end), or to the heading when none is left
    const at = form.success ? before.findIndex((a) => a.id === form.data.assignment) : -1;
    const next = at < 0 ? undefined : (before[at + 1] ?? before[at - 1]);
    const holder = at < 0 ? undefined : before[at];
    const roleName = holder ? (page.roleNames[holder.role] ?? holder.role) : '';
    return reply.render('projects/_manage-assignments-response', {
      ...page,
      focusId: next ? String(next.id) : 'heading',
      announce: result.removed && holder ? `Saved. ${holder.groupId ? `Group ${holder.name}` : holder.name} no longer holds ${roleName} in this project.` : 'Nothing changed: that role assignment was removed already.',
    });
  });
  for (const locked of [true, false]) {
    app.post(`${PAGE}/${locked ? 'lock' : 'unlock'}`, async (request, reply) => {
      const auth = requireSignedIn(request);
      const id = (await requireLockRight(db, auth, idOf(request))).project.id;
      const result = await setProjectLock(db, actorOf(auth), id, locked);
      if (result === 'missing') throw projectNotFound();
      const changed = result === 'changed';
      if (!isHtmx(request)) {
        const notice = locked ? (changed ? 'project-locked' : 'project-already-locked') : changed ? 'project-unlocked' : 'project-already-unlocked';
        return reply.redirect(manageUrl(id, '', notice), 303);
      }
      // the whole page changes with the lock (its forms, the header's note): all of it, the focus on the lock's button
      const page = await managePageData(db, await findManageAccess(db, auth, id), { q: '' });
      const announce = locked ? (changed ? LOCK_ANNOUNCEMENTS.locked : LOCK_ANNOUNCEMENTS.alreadyLocked) : changed ? LOCK_ANNOUNCEMENTS.unlocked : LOCK_ANNOUNCEMENTS.alreadyUnlocked;
      return reply.render('projects/_manage-lock-response', { ...page, focusLock: true, announce });
    });
  }

  app.get(`${PAGE}/delete`, async (request, reply) => {
    const auth = requireSignedIn(request);
    const ctx = await editProject(db, auth, idOf(request), 'manage', ['project.delete']);
    return reply.render('projects/delete', deletePageData(ctx, await countProjectContents(db, auth.account.id, ctx.project.id)));
  });

  app.post(`${PAGE}/delete`, async (request, reply) => {
    const auth = requireSignedIn(request);
    const id = (await editProject(db, auth, idOf(request), 'manage', ['project.delete'])).project.id;
    const result = await deleteProject(db, actorOf(auth), id);
    // gone or locked after the guard looked
    if (result === 'missing' || result === 'locked') throw await unavailable(db, auth, id, 'manage', result);
    const url = deletedProjectUrl(id);
    // an htmx request (a boosted form) goes to the list all the same: a full page load there, with the confirmation
    if (isHtmx(request)) return reply.header('HX-Redirect', url).code(200).send('');
    return reply.redirect(url, 303);
  });
}
