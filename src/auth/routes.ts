import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppDeps } from '../web/deps.js';
import { HttpError } from '../web/http-errors.js';
import { emptyForm, formWithErrors, parseForm, type FormState } from '../web/forms.js';
import {
  findPasswordReset,
  findPersonByCredentials,
  insertAccountWithAdmin,
  insertPasswordResets,
  recordSignIn,
  resetPassword,
  RESET_LINK_HOURS,
} from './accounts.js';
import { EDITIONS, FOUND_US, ForgotPasswordForm, LoginForm, ResetPasswordForm, safeNext, SignupForm } from './forms.js';
import { clearSessionCookie, startSession } from './session.js';
import { beginSecondStep } from './two-step.js';

export default async function authRoutes(app: FastifyInstance, deps: AppDeps) {
  const { db, sealer, mailer, config } = deps;
  const loginLimit = {
    rateLimit: {
      max: config.LOGIN_RATE_LIMIT_MAX,
      timeWindow: config.LOGIN_RATE_LIMIT_WINDOW_MINUTES * 60_000,
      errorResponseBuilder: () =>
        new HttpError(429, `Too many attempts from your address. Wait ${config.LOGIN_RATE_LIMIT_WINDOW_MINUTES} minutes, then try again.`),
    },
  };


  const signupPage = (reply: FastifyReply, form: FormState, status = 200) =>
    reply.render('auth/signup', { title: 'Create your organization', form, editions: EDITIONS, foundUs: FOUND_US }, { status });

  app.get('/', async (request, reply) => reply.redirect(request.auth ? '/settings/personal' : '/signup', 303));

  app.get('/signup', async (request, reply) => signupPage(reply, emptyForm({ edition: 'professional', readWriteLicenses: 5 })));

  app.post('/signup', async (request, reply) => {
    const parsed = parseForm(SignupForm, request.body);
    if (!parsed.ok) return signupPage(reply, parsed.form, 422);
    const { accountId, personId } = await insertAccountWithAdmin(db, sealer, parsed.data);
    await startSession(app, request, reply, personId, accountId);
    return reply.redirect('/settings/organization?notice=welcome', 303);
  });

  const loginPage = (reply: FastifyReply, form: FormState, status = 200) =>
    reply.render('auth/login', { title: 'Sign in', form }, { status });

  app.get('/login', async (request, reply) => {
    const { next } = request.query as { next?: unknown };
    if (request.auth) return reply.redirect(safeNext(next), 303);
    return loginPage(reply, emptyForm({ next: typeof next === 'string' ? next : undefined }));
  });

  app.post('/login', { config: loginLimit }, async (request, reply) => {
    const parsed = parseForm(LoginForm, request.body);
    if (!parsed.ok) return loginPage(reply, parsed.form, 422);
    const person = await findPersonByCredentials(db, parsed.data.email, parsed.data.password);
    if (!person) {
      const message = 'The email or password is not right, or this person has no access. Check them and try again.';
      return loginPage(reply, formWithErrors({ email: parsed.data.email, next: parsed.data.next }, [{ field: 'email', message }]), 422);
    }
    // with two-step verification on, the password only opens the second step (src/auth/two-step-routes.ts)
    if (person.twoStepSecret) return beginSecondStep(reply, db, config.secureCookies, person, safeNext(parsed.data.next));
    await recordSignIn(db, person.id);
    await startSession(app, request, reply, person.id, person.accountId);
    return reply.redirect(safeNext(parsed.data.next), 303);
  });

  app.post('/logout', async (request, reply) => {
    if (request.auth) await app.lucia.invalidateSession(request.auth.session.id);
    clearSessionCookie(app, reply);
    return reply.redirect('/login?notice=signed-out', 303);
  });

  const forgotPage = (reply: FastifyReply, form: FormState, status = 200) =>
    reply.render('auth/forgot', { title: 'Reset your password', form }, { status });

  app.get('/password/forgot', async (request, reply) => forgotPage(reply, emptyForm()));

  app.post('/password/forgot', { config: loginLimit }, async (request, reply) => {
    const parsed = parseForm(ForgotPasswordForm, request.body);
    if (!parsed.ok) return forgotPage(reply, parsed.form, 422);
    for (const { person, token, reminder } of await insertPasswordResets(db, sealer, parsed.data.email)) {
      const link = `${config.baseUrl}/password/reset/${token}`;
      const lines = [
        `Hello ${person.name},`,
        '',
        'Someone asked to reset the password of your Accord account. To choose a new password, open this link:',
        '',
        link,
        '',
        `The link works once, for ${RESET_LINK_HOURS} hour.`,
        ...(reminder ? ['', `Your password reminder: ${reminder}`] : []),
        '',
        'If you did not ask for this, you can ignore this email; your password stays as it is.',
      ];
      // The answer is the same whether or not mail went out (no telling which emails exist); failures are logged.
      await mailer
        .send({ to: person.email, subject: 'Reset your Accord password', text: lines.join('\n'), link })
        .catch((err) => request.log.error({ err, personId: person.id }, 'password reset email could not be sent'));
    }
    return reply.redirect('/login?notice=reset-sent', 303);
  });

  const resetPage = (reply: FastifyReply, token: string, form: FormState, status = 200) =>
    reply.render('auth/reset', { title: 'Choose a new password', form, token }, { status });
  const invalidLink = (reply: FastifyReply) =>
    reply.render('auth/link-invalid', { title: 'This link no longer works' }, { status: 410 });

  app.get('/password/reset/:token', async (request, reply) => {
    const { token } = request.params as { token: string };
    if (!(await findPasswordReset(db, token))) return invalidLink(reply);
    return resetPage(reply, token, emptyForm());
  });

  app.post('/password/reset/:token', async (request, reply) => {
    const { token } = request.params as { token: string };
    if (!(await findPasswordReset(db, token))) return invalidLink(reply);
    const parsed = parseForm(ResetPasswordForm, request.body);
    if (!parsed.ok) return resetPage(reply, token, parsed.form, 422);
    const person = await resetPassword(db, token, parsed.data.password);
    if (!person) return invalidLink(reply);
    await app.lucia.invalidateUserSessions(person.id);
    if (request.auth) clearSessionCookie(app, reply);
    // a new password does not skip two-step verification: the code is still asked for
    if (person.twoStepSecret) return beginSecondStep(reply, db, config.secureCookies, person, '/settings/personal?notice=password-reset');
    await startSession(app, request, reply, person.id, person.accountId);
    return reply.redirect('/settings/personal?notice=password-reset', 303);
  });
}
