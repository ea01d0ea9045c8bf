import type { FastifyInstance, FastifyReply } from 'fastify';
import { requireSignedIn } from '../permissions/guard.js';
import type { AppDeps } from '../web/deps.js';
import { emptyForm, formWithErrors, parseForm, type FormState } from '../web/forms.js';
import { ChangePasswordForm } from './forms.js';
import { changePassword } from './password-change.js';
import { signInAttempts } from './sign-in-attempts.js';

const PAGE = '/settings/personal/password';
const WRONG_CURRENT = 'Your current password is not right. Enter the password you sign in with now.';

/**
 * Personal, Security: "Change password". The current password is checked like a sign-in (a wrong one counts
 * against the address's sign-in attempts; none is checked once they are used up); on success every other session
 * of the person ends and an email tells them.
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
}
