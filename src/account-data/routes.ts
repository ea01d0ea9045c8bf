import { Readable } from 'node:stream';
import type { FastifyBaseLogger, FastifyInstance, FastifyReply } from 'fastify';
import { signInAttempts } from '../auth/sign-in-attempts.js';
import { type Auth, clearSessionCookie } from '../auth/session.js';
import { requireAdmin, requireAdminToEdit } from '../permissions/guard.js';
import type { AppDeps } from '../web/deps.js';
import { loggableError } from '../web/errors.js';
import { emptyForm, type FormState, formWithErrors, parseForm } from '../web/forms.js';
import { deleteAccount } from './delete.js';
import { exportAccountData, exportFileName } from './export.js';
import { confirmationErrors, DeleteOrganizationForm } from './forms.js';

/**
 * A failure half-way through a download can only cut it short (the headers are gone). It is logged here without
 * the query's parameters (a cursor may hold a session id), and the stream fails with an error that holds none.
 */
async function* withoutDetails(chunks: AsyncGenerator<string>, log: FastifyBaseLogger): AsyncGenerator<string> {
  try {
    yield* chunks;
  } catch (err) {
    log.error({ error: loggableError(err) }, 'account export failed');
    throw new Error('account export failed');
  }
}

/**
 * "Your data" on /settings/organization (views/account-data/_your-data.eta): the export, a download any
 * administrator may take (a read, so a plain GET link that works without JavaScript), and the organization's
 * deletion, confirmed with its name and the administrator's password (Read & Write administrators only).
 */
export default async function accountDataRoutes(app: FastifyInstance, { db, sealer, config }: AppDeps) {
  const attempts = signInAttempts(app, config);

  app.get('/settings/organization/export', async (request, reply) => {
    const auth = requireAdmin(request);
    const stream = Readable.from(withoutDetails(exportAccountData(db, sealer, auth.account.id), request.log));
    return reply
      .type('application/json; charset=utf-8')
      .header('content-disposition', `attachment; filename="${exportFileName(auth.account.name)}"`)
      .header('cache-control', 'no-store')
      .send(stream);
  });

  const deletePage = (reply: FastifyReply, auth: Auth, form: FormState, status = 200) => {
    const a = auth.account;
    const people = { total: a.readWriteCount + a.readOnlyCount + a.noAccessCount, readWrite: a.readWriteCount, readOnly: a.readOnlyCount, none: a.noAccessCount };
    return reply.render('account-data/delete-organization', { title: 'Delete organization', account: a, people, form }, { status });
  };

  app.get('/settings/organization/delete', async (request, reply) => deletePage(reply, requireAdminToEdit(request), emptyForm()));

  app.post('/settings/organization/delete', async (request, reply) => {
    const auth = requireAdminToEdit(request);
    const parsed = parseForm(DeleteOrganizationForm, request.body);
    if (!parsed.ok) return deletePage(reply, auth, parsed.form, 422);
    await attempts.requireAttemptLeft(request);
    const { errors, wrongPassword } = await confirmationErrors(db, auth, parsed.data);
    if (wrongPassword) await attempts.countFailure(request);
    if (errors.length > 0) return deletePage(reply, auth, formWithErrors({ organizationName: parsed.data.organizationName }, errors), 422);
    // undefined: another administrator deleted it a moment ago; either way it is gone, as the person asked
    const deleted = await deleteAccount(db, auth.account.id);
    request.log.info({ accountId: auth.account.id, deleted }, 'organization deleted');
    clearSessionCookie(app, reply);
    return reply.redirect('/organization-deleted', 303);
  });

  // The page after the deletion, signed out; someone signed in still has an organization, so it is not for them.
  app.get('/organization-deleted', async (request, reply) => {
    if (request.auth) return reply.redirect('/', 303);
    return reply.render('account-data/organization-deleted', { title: 'Organization deleted' });
  });
}
