import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Auth } from '../auth/session.js';
import { actorOf } from '../history/record.js';
import type { AppDeps } from '../web/deps.js';
import { formWithErrors, parseForm } from '../web/forms.js';
import { isHtmx } from '../web/htmx.js';
import { HttpError } from '../web/http-errors.js';
import { requireAdmin, requireAdminToEdit } from './guard.js';
import { confirmText, impactView } from './impact-view.js';
import { roleImpactOf, withoutCsrf } from './role-impact.js';
import { isConfirmed, RoleNameForm, RolePermissionsForm, RoleVisibleForm } from './role-forms.js';
import {
  NAME_TAKEN,
  permissionsSavedText,
  type RolePageForms,
  rolePageData,
  roleKeyIn,
  ROLES_PATH,
  renameRole,
  rolesOverviewData,
  roleUrl,
  roleView,
  setRoleVisible,
  updateRolePermissions,
} from './role-settings.js';
import { canRenameRole, resolveRole, type RoleKey } from './roles.js';
import { hasUsersTab } from './tabs.js';

const notFound = () => new HttpError(404, 'There is no such role in this edition.');

/** The role of the address, in the account's edition; 404 for anything else (the tab too must be in the edition). */
function roleOf(auth: Auth, request: FastifyRequest): RoleKey {
  if (!hasUsersTab(auth.account.edition, 'roles')) throw notFound();
  const key = roleKeyIn(auth.account.edition, String((request.params as { role?: unknown }).role ?? ''));
  if (!key) throw notFound();
  return key;
}

/** Renaming and hiding: never Managers, only where the edition has it; 404 otherwise, like a role the edition lacks. */
function renamableRoleOf(auth: Auth, request: FastifyRequest): RoleKey {
  const key = roleOf(auth, request);
  if (!canRenameRole(auth.account.edition, key)) throw notFound();
  return key;
}

/** The Roles tab of User management (administrators; Read-Only administrators may look, not change). */
export default async function roleRoutes(app: FastifyInstance, { db }: AppDeps) {
  const page = async (reply: FastifyReply, auth: Auth, key: RoleKey, forms: RolePageForms, status: number, fragment?: string) => {
    const data = await rolePageData(db, auth, key, forms);
    if (!data) throw notFound();
    return reply.render('permissions/role', data, { status, fragment });
  };

  app.get(ROLES_PATH, async (request, reply) => {
    const auth = requireAdmin(request);
    if (!hasUsersTab(auth.account.edition, 'roles')) throw notFound();
    return reply.render('permissions/roles', await rolesOverviewData(db, auth));
  });

  app.get(`${ROLES_PATH}/:role`, async (request, reply) => {
    const auth = requireAdmin(request);
    return page(reply, auth, roleOf(auth, request), {}, 200);
  });

  app.post(`${ROLES_PATH}/:role/permissions`, async (request, reply) => {
    const auth = requireAdminToEdit(request);
    const key = roleOf(auth, request);
    const parsed = parseForm(RolePermissionsForm, request.body);
    if (!parsed.ok) {
      const form = formWithErrors({}, parsed.form.summary);
      // the switches show what is saved; the message sits at the top of the form
      return page(reply, auth, key, { permissions: form }, 422, 'permissions/_role-permissions-form');
    }
    // with htmx a switch saves on change: a change that affects anyone waits for "Save this change" (confirm=1)
    if (isHtmx(request) && !isConfirmed(request.body)) {
      const found = await roleImpactOf(db, auth, key, parsed.data);
      if (!found) throw notFound();
      const impact = impactView(found.impact);
      if (impact.affectsAnyone) {
        const view = roleView(auth.account.edition, { ...found.role, permissions: parsed.data });
        return reply.render('permissions/_role-permissions-form', { ...view, canEdit: true, impact, confirming: true, announce: confirmText(impact) });
      }
    }
    const change = await updateRolePermissions(db, actorOf(auth), key, parsed.data);
    if (!change) throw notFound();
    if (!isHtmx(request)) return reply.redirect(roleUrl(key, 'role-permissions-saved'), 303);
    const view = roleView(auth.account.edition, change.role);
    return reply.render('permissions/_role-permissions-form', {
      ...view,
      canEdit: true,
      // after "Save this change" its button is gone: the first switch that changed takes the focus
      focusKey: isConfirmed(request.body) ? [...change.added, ...change.removed][0] : undefined,
      announce: permissionsSavedText(view.role.name, change),
    });
  });

  // "Cancel" of a change waiting for its confirmation: the saved switches again (the page itself without htmx)
  app.get(`${ROLES_PATH}/:role/permissions`, async (request, reply) => {
    const auth = requireAdmin(request);
    const key = roleOf(auth, request);
    if (!isHtmx(request)) return reply.redirect(roleUrl(key), 303);
    const data = await rolePageData(db, auth, key);
    if (!data) throw notFound();
    const first = data.groups[0]?.permissions[0]?.key;
    return reply.render('permissions/_role-permissions-form', { ...data, focusKey: first, announce: 'Cancelled. Nothing changed: the switches show the saved permissions.' });
  });

  // "Preview" (a GET submission of the switches, without JavaScript): the role page with the proposed switches and
  // the impact of saving them; nothing changes
  app.get(`${ROLES_PATH}/:role/preview`, async (request, reply) => {
    const auth = requireAdmin(request);
    const key = roleOf(auth, request);
    const query = (request.query ?? {}) as Record<string, unknown>;
    // the form's CSRF token has no business in an address (history, logs): the same preview without it
    const clean = withoutCsrf(request.url);
    if (clean) return reply.redirect(clean, 303);
    const parsed = parseForm(RolePermissionsForm, query);
    if (!parsed.ok) return page(reply, auth, key, { permissions: formWithErrors({}, parsed.form.summary) }, 422);
    const found = await roleImpactOf(db, auth, key, parsed.data);
    if (!found) throw notFound();
    const data = await rolePageData(db, auth, key);
    if (!data) throw notFound();
    const values = Object.fromEntries(parsed.data.map((k) => [k, true]));
    return reply.render('permissions/role', { ...data, title: `Preview – ${data.title}`, permissionsForm: { ...data.permissionsForm, values }, impact: impactView(found.impact) });
  });

  app.post(`${ROLES_PATH}/:role/name`, async (request, reply) => {
    const auth = requireAdminToEdit(request);
    const key = renamableRoleOf(auth, request);
    const parsed = parseForm(RoleNameForm, request.body);
    if (!parsed.ok) return page(reply, auth, key, { name: parsed.form }, 422, 'permissions/_role-name-form');
    const result = await renameRole(db, actorOf(auth), key, parsed.data.name);
    if (!result.ok) {
      if (result.reason === 'not-found') throw notFound();
      const form = formWithErrors({ name: parsed.data.name }, [{ field: 'name', message: NAME_TAKEN }]);
      return page(reply, auth, key, { name: form }, 422, 'permissions/_role-name-form');
    }
    if (!isHtmx(request)) return reply.redirect(roleUrl(key, 'role-renamed'), 303);
    return reply.render('permissions/_role-name-form', {
      ...roleView(auth.account.edition, { ...result.role, permissions: [] }),
      canEdit: true,
      renamed: true,
      announce: `Saved. The role is called ${result.role.name} now.`,
    });
  });

  app.post(`${ROLES_PATH}/:role/visible`, async (request, reply) => {
    const auth = requireAdminToEdit(request);
    const key = renamableRoleOf(auth, request);
    const parsed = parseForm(RoleVisibleForm, request.body);
    if (!parsed.ok) return page(reply, auth, key, { visible: parsed.form }, 422, 'permissions/_role-visible-form');
    const role = await setRoleVisible(db, actorOf(auth), key, parsed.data.visible);
    if (!role) throw notFound();
    if (!isHtmx(request)) return reply.redirect(roleUrl(key, parsed.data.visible ? 'role-shown' : 'role-hidden'), 303);
    const shown = resolveRole(auth.account.edition, role);
    return reply.render('permissions/_role-visible-form', {
      ...roleView(auth.account.edition, role),
      canEdit: true,
      announce: shown.visible
        ? `Saved. ${shown.name} is visible: it can be given to people in projects.`
        : `Saved. ${shown.name} is hidden: it can’t be newly given to anyone; those who hold it keep its permissions.`,
    });
  });
}
