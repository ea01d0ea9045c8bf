import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Auth } from './session.js';
import { requireSignedIn } from '../permissions/guard.js';
import type { AppDeps } from '../web/deps.js';
import { emptyForm, formWithErrors, parseForm, type FormState } from '../web/forms.js';
import { ChangePasswordForm } from './forms.js';
import { changePassword } from './password-change.js';
import { clearSessionCookie } from './session.js';
import { describeUserAgent, endOtherSessions, endSessionByHandle, listSessions, sessionHandle, SESSIONS_SHOWN } from './sessions.js';
import { signInAttempts } from './sign-in-attempts.js';

const PAGE = '/settings/personal/password';
const SESSIONS = '/settings/personal/sessions';
const when = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
const SignOutForm = z.object({ session: z.string().regex(/^[0-9a-f]{32}$/) });
const WRONG_CURRENT = 'Your current password is not right. Enter the password you sign in with now.';

/**
 * Personal, Security. "Change password": the current password is checked like a sign-in (a wrong one counts
 * against the address's sign-in attempts; none is checked once they are used up); on success every other session
 * of the person ends and an email tells them. "Your sessions": the person's sessions, "Sign out" on one (named by
 * a hash of its id), and on all but this one.
 */
export default async function securityRoutes(app: FastifyInstance, { db, mailer, config }: AppDeps) {
  const attempts = signInAttempts(app, config);
  const page = (reply: FastifyReply, form: FormState, status = 200) =>
    reply.header('cache-control', 'no-store').render('auth/change-password', { title: 'Change your password', form }, { status });

  app.get(PAGE, async (request, reply) => {
    requireSignedIn(request);
    return page(reply, emptyForm());
  });

  app.post(PAGE, async (request, reply) => {
    const auth = requireSignedIn(request);
    const parsed = parseForm(ChangePasswordForm, request.body);
    // the page never sends a typed password back: its fields are always empty
    if (!parsed.ok) return page(reply, parsed.form, 422);
    await attempts.requireAttemptLeft(request);
    const { currentPassword, password } = parsed.data;
    const result = await changePassword(db, auth.person.id, auth.session.id, currentPassword, password);
    if (result === 'wrong-password') {
      await attempts.countFailure(request);
      return page(reply, formWithErrors({}, [{ field: 'currentPassword', message: WRONG_CURRENT }]), 422);
    }
    const text = [
      `Hello ${auth.person.name},`,
      '',
      `The password of your Accord account (${auth.person.email}) in ${auth.account.name} was changed on ${new Date().toUTCString()}.`,
      'Every other device signed in to your account has been signed out.',
      '',
      `If you did not change it, reset your password at once: ${config.baseUrl}/password/forgot`,
    ].join('\n');
    await mailer
      .send({ to: auth.person.email, subject: 'Your Accord password was changed', text })
      .catch((err) => request.log.error({ err, personId: auth.person.id }, 'password change email could not be sent'));
    return reply.redirect('/settings/personal?notice=password-changed', 303);
  });

  /** The person's sessions, this one marked: browser and system, approximate place, started and last active. */
  async function sessionsPage(reply: FastifyReply, auth: Auth, form: FormState, status = 200) {
    const rows = await listSessions(db, auth.person.id);
    const sessions = rows.slice(0, SESSIONS_SHOWN).map((s) => ({
      handle: sessionHandle(s.id),
      current: s.id === auth.session.id,
      ...describeUserAgent(s.userAgent),
      place: s.ipPrefix ?? 'Unknown',
      started: when.format(s.createdAt),
      startedAt: s.createdAt.toISOString(),
      lastActive: when.format(s.lastActiveAt),
      lastActiveAt: s.lastActiveAt.toISOString(),
    }));
    const others = rows.some((s) => s.id !== auth.session.id);
    return reply
      .header('cache-control', 'no-store')
      .render('auth/sessions', { title: 'Your sessions', sessions, others, more: rows.length > SESSIONS_SHOWN, shown: SESSIONS_SHOWN, form }, { status });
  }

  app.get(SESSIONS, async (request, reply) => sessionsPage(reply, requireSignedIn(request), emptyForm()));

  app.post(`${SESSIONS}/sign-out`, async (request, reply) => {
    const auth = requireSignedIn(request);
    const parsed = parseForm(SignOutForm, request.body);
    // only a form not made by the page sends no handle or an odd one: the message leads to the list
    if (!parsed.ok) return sessionsPage(reply, auth, formWithErrors({}, [{ field: 'sessions-table', message: 'Choose a session to sign out from the list' }]), 422);
    const ended = await endSessionByHandle(db, auth.person.id, parsed.data.session);
    if (ended === auth.session.id) {
      clearSessionCookie(app, reply);
      return reply.redirect('/login?notice=signed-out', 303);
    }
    return reply.redirect(`${SESSIONS}?notice=${ended ? 'session-ended' : 'session-ended-already'}`, 303);
  });

  app.post(`${SESSIONS}/sign-out-others`, async (request, reply) => {
    const auth = requireSignedIn(request);
    const count = await endOtherSessions(db, auth.person.id, auth.session.id);
    return reply.redirect(`${SESSIONS}?notice=${count ? 'other-sessions-ended' : 'no-other-sessions'}`, 303);
  });
}
