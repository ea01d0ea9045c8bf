import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../web/deps.js';
import { HttpError } from '../web/http-errors.js';
import { ACCESS_PATH, AccessQuery, accessPageData } from './explainer.js';
import { requireAdmin } from './guard.js';
import { hasUsersTab } from './tabs.js';

/** The access explainer (administrators; a Read-Only administrator may look, as it changes nothing). */
export default async function explainerRoutes(app: FastifyInstance, { db }: AppDeps) {
  app.get(ACCESS_PATH, async (request, reply) => {
    const auth = requireAdmin(request);
    if (!hasUsersTab(auth.account.edition, 'access')) throw new HttpError(404, 'There is no page at this address.');
    const data = await accessPageData(db, auth, AccessQuery.parse(request.query ?? {}));
    if (!data) throw new HttpError(404, 'There is no such person or project in this account.');
    return reply.render('permissions/access', data);
  });
}
