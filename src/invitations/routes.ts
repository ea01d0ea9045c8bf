import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../web/deps.js';
import { startSession, type Auth } from '../auth/session.js';
import { requireSignedIn, requireWriteLicense } from '../permissions/guard.js';
import { HttpError } from '../web/http-errors.js';
import { emptyForm, formWithErrors, parseForm, type FormState } from '../web/forms.js';
import { acceptInvitation, findInvitationByToken } from './accept.js';
import { AcceptInvitationForm, InviteForm, InvitePersonForm } from './forms.js';
import { createInvitation, type InvitationOutcome, type InviterRef, resendInvitation, revokeInvitation } from './invitations.js';
import { invitationMessage } from './mail.js';
import type { NoticeKey } from '../web/notices.js';
import { invitePageData } from './pages.js';
import { canInvite, type LinkProblem } from './rules.js';

const inviterOf = (auth: Auth): InviterRef => ({ id: auth.person.id, accountId: auth.account.id, isAdmin: auth.person.isAdmin, license: auth.person.license });

type Refused = Extract<InvitationOutcome, { ok: false }>;

/** Who-refusals are 403, a missing person 404, a person in the wrong state for the action 409. */
export function refusalError(r: Refused): HttpError {
  if (r.reason === 'not-found') return new HttpError(404, r.message);
  const conflict = r.reason === 'already-has-access' || r.reason === 'already-invited' || r.reason === 'no-pending-invitation';
  return new HttpError(conflict ? 409 : 403, r.message);
}

const LINK_TITLES: Record<LinkProblem, string> = {
  unknown: 'This invitation link is not valid',
  used: 'This invitation has already been accepted',
  revoked: 'This invitation was withdrawn',
  expired: 'This invitation has expired',
};

export default async function invitationRoutes(app: FastifyInstance, { db, mailer, config }: AppDeps) {
  /**
   * Sends the invitation email. The invitation is already saved, so a mail failure is not the inviter's error
   * and not a 500: it is logged and the redirect's notice says to resend. Returns the notice key to show.
   */
  async function sendInvitationEmail(request: FastifyRequest, auth: Auth, sent: Extract<InvitationOutcome, { ok: true }>, notice: NoticeKey): Promise<NoticeKey> {
    try {
      await mailer.send(
        invitationMessage({ baseUrl: config.baseUrl, token: sent.token, to: sent.person, inviterName: auth.person.name, accountName: auth.account.name, expiresAt: sent.expiresAt }),
      );
      return notice;
    } catch (err) {
      request.log.error({ err, personId: sent.person.id }, 'invitation email could not be sent');
      return 'invitation-mail-failed';
    }
  }

  const invitePage = async (reply: FastifyReply, auth: Auth, form?: FormState, status = 200) =>
    reply.render('invitations/invite', await invitePageData(db, auth, form), { status });

  app.get('/people/invite', async (request, reply) => {
    const auth = requireSignedIn(request);
    const may = canInvite(auth.person, auth.account);
    if (!may.ok) throw new HttpError(403, may.message);
    return invitePage(reply, auth);
  });

  app.post('/people/invite', async (request, reply) => {
    const auth = requireWriteLicense(request);
    const parsed = parseForm(InviteForm, request.body);
    if (!parsed.ok) return invitePage(reply, auth, parsed.form, 422);
    const { name, email, access } = parsed.data;
    const sent = await createInvitation(db, inviterOf(auth), { name, email }, access);
    if (!sent.ok) {
      // What the inviter can fix in the form is a 422 next to the field; everything else is refused outright.
      const field = sent.reason === 'domain-not-allowed' || sent.reason.startsWith('already') ? 'email' : undefined;
      if (!field) throw refusalError(sent);
      return invitePage(reply, auth, formWithErrors(parsed.data, [{ field, message: sent.message }]), 422);
    }
    const notice = await sendInvitationEmail(request, auth, sent, 'invited');
    return reply.redirect(`/people/${sent.person.id}?notice=${notice}`, 303);
  });

  app.post('/people/:id/invite', async (request, reply) => {
    const auth = requireWriteLicense(request);
    const { id } = request.params as { id: string };
    const parsed = parseForm(InvitePersonForm, request.body);
    if (!parsed.ok) throw new HttpError(422, parsed.form.summary[0]!.message);
    const sent = await createInvitation(db, inviterOf(auth), { personId: id }, parsed.data.access);
    if (!sent.ok) throw refusalError(sent);
    const notice = await sendInvitationEmail(request, auth, sent, 'invited');
    return reply.redirect(`/people/${id}?notice=${notice}`, 303);
  });

  app.post('/people/:id/invitation/resend', async (request, reply) => {
    const auth = requireWriteLicense(request);
    const { id } = request.params as { id: string };
    const sent = await resendInvitation(db, inviterOf(auth), id);
    if (!sent.ok) throw refusalError(sent);
    const notice = await sendInvitationEmail(request, auth, sent, 'invitation-resent');
    return reply.redirect(`/people/${id}?notice=${notice}`, 303);
  });

  app.post('/people/:id/invitation/revoke', async (request, reply) => {
    const auth = requireWriteLicense(request);
    const { id } = request.params as { id: string };
    const revoked = await revokeInvitation(db, inviterOf(auth), id);
    if (!revoked.ok) throw refusalError(revoked);
    return reply.redirect(`/people/${id}?notice=invitation-revoked`, 303);
  });

  const linkInvalid = (reply: FastifyReply, problem: LinkProblem) =>
    reply.render('invitations/link-invalid', { title: LINK_TITLES[problem], problem }, { status: problem === 'unknown' ? 404 : 410 });

  const acceptPage = (reply: FastifyReply, token: string, found: { accountName: string; person: { email: string } }, form: FormState, status = 200) =>
    reply.render('invitations/accept', { title: `Join ${found.accountName}`, token, accountName: found.accountName, email: found.person.email, form }, { status });

  app.get('/invite/:token', async (request, reply) => {
    const { token } = request.params as { token: string };
    const found = await findInvitationByToken(db, token);
    if (!found.ok) return linkInvalid(reply, found.problem);
    return acceptPage(reply, token, found, emptyForm({ name: found.person.name }));
  });

  app.post('/invite/:token', async (request: FastifyRequest, reply) => {
    const { token } = request.params as { token: string };
    const found = await findInvitationByToken(db, token);
    if (!found.ok) return linkInvalid(reply, found.problem);
    const parsed = parseForm(AcceptInvitationForm, request.body);
    if (!parsed.ok) return acceptPage(reply, token, found, parsed.form, 422);
    const accepted = await acceptInvitation(db, token, parsed.data);
    if (!accepted.ok) return linkInvalid(reply, accepted.problem);
    const { person } = accepted;
    await startSession(app, request, reply, person.id, person.accountId);
    const notice = accepted.license === 'read_only' ? 'invitation-accepted-read-only' : 'invitation-accepted';
    return reply.redirect(`/settings/personal?notice=${notice}`, 303);
  });
}
