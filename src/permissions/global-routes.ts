import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Auth } from '../auth/session.js';
import { actorOf } from '../history/record.js';
import type { AppDeps } from '../web/deps.js';
import type { FieldError } from '../web/forms.js';
import { isHtmx } from '../web/htmx.js';
import { HttpError } from '../web/http-errors.js';
import { permissionLabel } from './catalog.js';
import { GLOBAL_PATH, GlobalQuery, type GlobalSelection, globalPageData, globalResultsData, globalUrl, globalWhom, PEOPLE_FIELD, parseGlobalSave } from './global.js';
import { saveGlobalPermissions } from './global-save.js';
import { requireAdmin, requireAdminToEdit } from './guard.js';
import { hasUsersTab } from './tabs.js';

const PAGE = 'permissions/global';

function requireTab(auth: Auth) {
  if (!hasUsersTab(auth.account.edition, 'global')) throw new HttpError(404, 'There is no page at this address.');
  return auth;
}

/** The "Global" tab: administrators look (a Read-Only administrator too); changing needs a Read & Write license. */
export default async function globalPermissionRoutes(app: FastifyInstance, { db }: AppDeps) {
  app.get(GLOBAL_PATH, async (request, reply) => {
    const auth = requireTab(requireAdmin(request));
    const query: GlobalSelection = GlobalQuery.parse(request.query ?? {});
    if (isHtmx(request)) {
      const data = await globalResultsData(db, auth, query);
      // the address shows the search typed so far (no leftover "?q=") and the valid selection
      reply.header('HX-Replace-Url', globalUrl({ q: query.q, person: data.selectedIds }));
      return reply.render('permissions/_global-search-response', data);
    }
    return reply.render(PAGE, await globalPageData(db, auth, query));
  });

  app.post(GLOBAL_PATH, async (request, reply) => {
    const auth = requireTab(requireAdminToEdit(request));
    const parsed = parseGlobalSave(request.body);
    if (!parsed.ok) return refuse(request, reply, auth, parsed.selection, parsed.errors);
    const { q, person, decide } = parsed.data;
    const result = await saveGlobalPermissions(db, actorOf(auth), person, decide);
    if (!result.ok) {
      const message = 'Select one or more people of your organization who have a license';
      return refuse(request, reply, auth, { q, person }, [{ field: PEOPLE_FIELD, message }]);
    }
    if (!isHtmx(request)) return reply.redirect(globalUrl({ q, person }, 'global-permissions-saved'), 303);
    let announce: string;
    if (decide.size === 1) {
      const [key, on] = [...decide][0]!;
      announce = `Saved. “${permissionLabel(key)}” is ${on ? 'on' : 'off'} for ${globalWhom(result.people)}.`;
    } else {
      announce = `Saved global permissions of ${globalWhom(result.people)}.`;
    }
    return reply.render('permissions/_global-form-response', { ...(await globalPageData(db, auth, { q, person })), announce });
  });

  /** 422, nothing changed: without JavaScript the page again with the error summary; htmx: only the error summary. */
  async function refuse(request: FastifyRequest, reply: FastifyReply, auth: Auth, selection: GlobalSelection, errors: FieldError[]) {
    if (isHtmx(request)) {
      return reply.render('errors/_htmx-error', { title: 'There is a problem', message: errors.map((e) => e.message).join('. ') }, { status: 422 });
    }
    return reply.render(PAGE, await globalPageData(db, auth, selection, errors), { status: 422 });
  }
}
