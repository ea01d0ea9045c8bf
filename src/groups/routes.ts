import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Auth } from '../auth/session.js';
import { actorOf } from '../history/record.js';
import { requireAdmin, requireAdminToEdit } from '../permissions/guard.js';
import { hasUsersTab } from '../permissions/tabs.js';
import type { AppDeps } from '../web/deps.js';
import { emptyForm, formWithErrors, parseForm } from '../web/forms.js';
import { isHtmx } from '../web/htmx.js';
import { HttpError } from '../web/http-errors.js';
import { confirmText } from '../permissions/impact-view.js';
import { withoutCsrf } from '../permissions/role-impact.js';
import { AddMembersForm, CandidateQuery, GROUP_NAME_TAKEN, GroupNameForm, groupIdOf, isConfirmed, MEMBERS_UNLICENSED, RemoveMemberForm, RemovePreviewQuery } from './forms.js';
import { membersImpact } from './impact.js';
import { addMembers, createGroup, deleteGroup, findGroup, listMembers, removeMember, renameGroup } from './groups.js';
import { candidatesData, GROUPS_PATH, groupNotice, groupPageData, groupUrl, type GroupPageForms, groupsPageData, membersText, projectsText } from './page.js';

const notFound = () => new HttpError(404, 'There is no such group in this account.');

/**
 * The Groups tab of User management (SPEC §6), Enterprise and up: administrators only (403), a Read & Write license
 * to change anything, 404 outside the edition and for groups of other accounts.
 */
export default async function groupRoutes(app: FastifyInstance, { db }: AppDeps) {
  function guard(request: FastifyRequest, edit: boolean): Auth {
    const auth = edit ? requireAdminToEdit(request) : requireAdmin(request);
    if (!hasUsersTab(auth.account.edition, 'groups')) throw new HttpError(404, 'There is no page at this address.');
    return auth;
  }
  async function groupOf(auth: Auth, request: FastifyRequest) {
    const id = groupIdOf(request.params);
    const group = id ? await findGroup(db, auth.account.id, id) : undefined;
    if (!group) throw notFound();
    return group;
  }
  const idOf = (request: FastifyRequest) => {
    const id = groupIdOf(request.params);
    if (!id) throw notFound();
    return id;
  };

  app.get(GROUPS_PATH, async (request, reply) => {
    const auth = guard(request, false);
    return reply.render('groups/index', { ...(await groupsPageData(db, auth)), ...groupNotice(request.query) });
  });

  app.post(GROUPS_PATH, async (request, reply) => {
    const auth = guard(request, true);
    const parsed = parseForm(GroupNameForm, request.body);
    const refuse = async (form: ReturnType<typeof emptyForm>) =>
      reply.render('groups/index', await groupsPageData(db, auth, form), { status: 422, fragment: 'groups/_groups' });
    if (!parsed.ok) return refuse(parsed.form);
    const created = await createGroup(db, actorOf(auth), parsed.data.name);
    if (created === 'taken') return refuse(formWithErrors(parsed.data, [{ field: 'name', message: GROUP_NAME_TAKEN }]));
    if (!isHtmx(request)) return reply.redirect(groupUrl(created.id, '', 'group-created'), 303);
    return reply.render('groups/_groups', { ...(await groupsPageData(db, auth)), announce: `Saved. Group “${parsed.data.name}” created.` });
  });

  app.get(`${GROUPS_PATH}/:id`, async (request, reply) => {
    const auth = guard(request, false);
    const group = await groupOf(auth, request);
    const search = CandidateQuery.parse(request.query ?? {});
    if (isHtmx(request)) {
      // the address shows the search typed so far, and no leftover "?q=" once the field is cleared
      reply.header('HX-Replace-Url', groupUrl(group.id, search.q));
      // "Cancel" of an addition waiting for its confirmation: the list again, nobody ticked, the count focused
      const cancelled = (request.query as { cancelled?: unknown } | undefined)?.cancelled === '1';
      const candidates = await candidatesData(db, auth, group, search);
      return reply.render(
        'groups/_candidates-response',
        cancelled ? { ...candidates, focusCount: true, announce: `Cancelled. Nothing changed. ${candidates.candidatesText}` } : candidates,
      );
    }
    return reply.render('groups/group', { ...(await groupPageData(db, auth, group, search)), ...groupNotice(request.query, group.name) });
  });

  async function refuseOnGroupPage(request: FastifyRequest, reply: FastifyReply, auth: Auth, forms: GroupPageForms, q: string, fragment: string) {
    const group = await groupOf(auth, request);
    return reply.render('groups/group', await groupPageData(db, auth, group, { q }, forms), { status: 422, fragment });
  }

  app.post(`${GROUPS_PATH}/:id/name`, async (request, reply) => {
    const auth = guard(request, true);
    const id = idOf(request);
    const parsed = parseForm(GroupNameForm, request.body);
    if (!parsed.ok) return refuseOnGroupPage(request, reply, auth, { rename: parsed.form }, '', 'groups/_rename-form');
    const { name } = parsed.data;
    const result = await renameGroup(db, actorOf(auth), id, name);
    if (result === 'missing') throw notFound();
    if (result === 'taken') {
      return refuseOnGroupPage(request, reply, auth, { rename: formWithErrors(parsed.data, [{ field: 'name', message: GROUP_NAME_TAKEN }]) }, '', 'groups/_rename-form');
    }
    if (!isHtmx(request)) return reply.redirect(groupUrl(id, '', result === 'renamed' ? 'group-renamed' : 'group-unchanged'), 303);
    const announce = result === 'renamed' ? `Saved. The group is now called “${name}”.` : `Nothing changed: the group is already called “${name}”.`;
    return reply.render('groups/_rename-form', { group: { id, name }, rename: emptyForm({ name }), canEdit: true, announce, renamed: true });
  });

  app.post(`${GROUPS_PATH}/:id/members`, async (request, reply) => {
    const auth = guard(request, true);
    const id = idOf(request);
    const { q } = CandidateQuery.parse(request.body ?? {});
    const parsed = parseForm(AddMembersForm, request.body);
    const refuse = (message: string) =>
      refuseOnGroupPage(request, reply, auth, { add: formWithErrors({}, [{ field: 'person', message }]) }, q, 'groups/_candidates-response');
    if (!parsed.ok) return refuse(parsed.form.summary[0]!.message);
    // with htmx an addition that changes anyone's access waits for "Save this change" (confirm=1)
    if (isHtmx(request) && !isConfirmed(request.body)) {
      const group = await groupOf(auth, request);
      const addImpact = await membersImpact(db, auth, group, await listMembers(db, auth.account.id, id), { add: parsed.data.person });
      if (addImpact.affectsAnyone) {
        return reply.render('groups/_candidates-response', {
          ...(await candidatesData(db, auth, group, { q })),
          selected: parsed.data.person,
          addImpact,
          confirming: true,
          announce: confirmText(addImpact),
        });
      }
    }
    const result = await addMembers(db, actorOf(auth), id, parsed.data.person);
    if (!result.ok) {
      if (result.reason === 'missing') throw notFound();
      return refuse(MEMBERS_UNLICENSED);
    }
    if (!isHtmx(request)) return reply.redirect(groupUrl(id, q, 'members-added'), 303);
    const group = await groupOf(auth, request);
    const members = await listMembers(db, auth.account.id, id);
    const added = result.added === 1 ? '1 person added' : `${result.added} people added`;
    const candidates = await candidatesData(db, auth, group, { q });
    return reply.render('groups/_candidates-response', {
      ...candidates,
      focusCount: candidates.candidates.length === 0,
      members,
      membersText,
      announce: result.added ? `Saved. ${added} to ${group.name}; it has ${membersText(members.length)}.` : 'Nothing changed: the selected people are members already.',
    });
  });

  app.post(`${GROUPS_PATH}/:id/members/remove`, async (request, reply) => {
    const auth = guard(request, true);
    const id = idOf(request);
    const person = RemoveMemberForm.safeParse(request.body ?? {});
    // with htmx a removal that changes anyone's access waits for "Save this change" (confirm=1)
    if (isHtmx(request) && !isConfirmed(request.body) && person.success) {
      const group = await groupOf(auth, request);
      const members = await listMembers(db, auth.account.id, id);
      const removeImpact = await membersImpact(db, auth, group, members, { remove: [person.data.person] });
      if (removeImpact.affectsAnyone) {
        return reply.render('groups/_members-response', {
          group,
          members,
          membersText,
          canEdit: true,
          impactFor: person.data.person,
          removeImpact,
          confirming: true,
          announce: confirmText(removeImpact),
        });
      }
    }
    const result = await removeMember(db, actorOf(auth), id, person.success ? person.data.person : '');
    if (!result.ok) throw notFound();
    if (!isHtmx(request)) return reply.redirect(groupUrl(id, '', result.removed ? 'member-removed' : 'member-not-found'), 303);
    const group = await groupOf(auth, request);
    const members = await listMembers(db, auth.account.id, id);
    const gone = result.removed;
    // focus moves to the next member's Remove button (the last one's at the end), or to the heading when none is left
    const next = gone && (members.find((m) => m.name > gone.name || (m.name === gone.name && m.id > gone.id)) ?? members.at(-1));
    return reply.render('groups/_members-response', {
      group,
      members,
      membersText,
      canEdit: true,
      focusId: next ? next.id : 'heading',
      announce: gone
        ? `Saved. ${gone.name} is no longer a member of ${group.name}; it has ${membersText(members.length)}.`
        : `Nothing changed: that person is not a member of ${group.name}.`,
    });
  });

  // "Cancel" of a removal waiting for its confirmation: the members again, the member's Remove button focused
  app.get(`${GROUPS_PATH}/:id/members`, async (request, reply) => {
    const auth = guard(request, false);
    const group = await groupOf(auth, request);
    if (!isHtmx(request)) return reply.redirect(groupUrl(group.id), 303);
    const members = await listMembers(db, auth.account.id, group.id);
    const person = RemoveMemberForm.safeParse(request.query ?? {});
    const focusId = person.success && members.some((m) => m.id === person.data.person) ? person.data.person : 'heading';
    return reply.render('groups/_members-response', {
      group,
      members,
      membersText,
      canEdit: auth.person.license === 'read_write',
      focusId,
      announce: `Cancelled. Nothing changed: ${group.name} has ${membersText(members.length)}.`,
    });
  });

  // "Preview" next to "Add selected" and "Preview removing <name>" (without JavaScript): the group's page with the
  // impact of the change; nothing changes
  app.get(`${GROUPS_PATH}/:id/members/preview`, async (request, reply) => {
    const auth = guard(request, false);
    const clean = withoutCsrf(request.url);
    if (clean) return reply.redirect(clean, 303);
    const group = await groupOf(auth, request);
    const { q } = CandidateQuery.parse(request.query ?? {});
    const removal = RemovePreviewQuery.safeParse(request.query ?? {});
    if (removal.success) {
      const data = await groupPageData(db, auth, group, { q });
      const person = removal.data.remove;
      if (!data.members.some((m) => m.id === person)) throw new HttpError(404, 'That person is not a member of this group.');
      const removeImpact = await membersImpact(db, auth, group, data.members, { remove: [person] });
      return reply.render('groups/group', { ...data, title: `Preview – ${data.title}`, impactFor: person, removeImpact });
    }
    const parsed = parseForm(AddMembersForm, request.query);
    if (!parsed.ok) {
      return reply.render('groups/group', await groupPageData(db, auth, group, { q }, { add: formWithErrors({}, [{ field: 'person', message: parsed.form.summary[0]!.message }]) }), {
        status: 422,
      });
    }
    const data = await groupPageData(db, auth, group, { q });
    const addImpact = await membersImpact(db, auth, group, data.members, { add: parsed.data.person });
    return reply.render('groups/group', { ...data, title: `Preview – ${data.title}`, selected: parsed.data.person, addImpact });
  });

  app.get(`${GROUPS_PATH}/:id/delete`, async (request, reply) => {
    const auth = guard(request, true);
    const group = await groupOf(auth, request);
    return reply.render('groups/delete', { title: `Delete ${group.name}`, group, projectsText, membersText });
  });

  app.post(`${GROUPS_PATH}/:id/delete`, async (request, reply) => {
    const auth = guard(request, true);
    const deleted = await deleteGroup(db, actorOf(auth), idOf(request));
    if (!deleted) throw notFound();
    const url = `${GROUPS_PATH}?notice=group-deleted`;
    // an htmx request (a boosted form) goes to the list all the same: a full page load there, with the confirmation
    if (isHtmx(request)) return reply.header('HX-Redirect', url).code(200).send('');
    return reply.redirect(url, 303);
  });
}
