import { eq } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { lockAccount, organizationPageData } from '../account/organization.js';
import { accounts } from '../db/schema.js';
import { actorOf, recordChanges } from '../history/record.js';
import { personNotFound } from '../people/access.js';
import { findPersonInAccount } from '../people/people.js';
import { requireAdminToEdit, requireSignedIn } from '../permissions/guard.js';
import type { AppDeps } from '../web/deps.js';
import { emptyForm, formWithErrors, parseForm, type FormState } from '../web/forms.js';
import { isHtmx } from '../web/htmx.js';
import { isOwnPassword, recordSignIn } from './accounts.js';
import { DownloadCodesForm, EnableTwoStepForm, safeNext, SecondStepForm, TurnOffTwoStepForm } from './forms.js';
import type { Auth } from './session.js';
import { startSession } from './session.js';
import { signInAttempts } from './sign-in-attempts.js';
import {
  areUnusedCodes,
  checkSecondStep,
  disableTwoStep,
  enableTwoStep,
  endChallenge,
  failChallenge,
  findChallenge,
  groupedSecret,
  newSecret,
  readCode,
  recoveryCodesLeft,
  replaceRecoveryCodes,
  requiredOf,
  resetTwoStep,
  setUpImage,
  TWO_STEP_CHALLENGE_COOKIE,
  TWO_STEP_FAILURES,
  TWO_STEP_MINUTES,
  TWO_STEP_PAGE,
  twoStepStatus,
} from './two-step.js';

const SECOND_STEP = '/login/two-step';
const when = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' });
const WRONG_CODE = 'That code is not right. Enter the code your authenticator app shows now, or one of your recovery codes.';
const REPLAYED = 'That code has been used already. Wait for your app to show the next code, then enter it.';
const WRONG_SETUP_CODE = 'That code is not right. Check that the time on your phone is set automatically, then enter the code your app shows now.';
const REQUIRED = 'Your organization requires two-step verification, so you can’t turn it off. You can make new recovery codes.';
const PolicyForm = z.object({
  twoStepForAdmins: z.preprocess((v) => v === 'on' || v === 'true', z.boolean()),
  twoStepForEveryone: z.preprocess((v) => v === 'on' || v === 'true', z.boolean()),
});
const onOff = (v: boolean) => (v ? 'on' : 'off');

/**
 * Two-step verification with an authenticator app (TOTP, RFC 6238, by otpauth): Personal's set-up, recovery codes and
 * turning it off; the second step of signing in (the half-signed-in state of src/auth/two-step.ts); the organization's
 * policy (Organization, Security); an administrator's reset on a person's page.
 */
export default async function twoStepRoutes(app: FastifyInstance, { db, sealer, config }: AppDeps) {
  const attempts = signInAttempts(app, config);
  const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');

  /** Off: the set-up (a new secret each time the page is made, sealed into the form). On: its state and the forms. */
  async function twoStepPage(reply: FastifyReply, auth: Auth, form: FormState = emptyForm(), status = 200, sealedSecret?: string) {
    const state = await twoStepStatus(db, auth.person.id);
    if (state?.on) {
      return noStore(reply).render(
        'auth/two-step',
        {
          title: 'Two-step verification',
          on: true,
          since: state.enabledAt ? when.format(state.enabledAt) : undefined,
          codesLeft: await recoveryCodesLeft(db, auth.person.id),
          required: requiredOf(auth.person, auth.account),
          form,
        },
        { status },
      );
    }
    const secret = sealedSecret ? sealer.open(sealedSecret) : newSecret();
    return noStore(reply).render(
      'auth/two-step',
      {
        title: 'Set up two-step verification',
        on: false,
        required: auth.person.twoStepMustSetUp || requiredOf(auth.person, auth.account),
        reset: auth.person.twoStepMustSetUp,
        qr: await setUpImage(secret, auth.person.email),
        secret: groupedSecret(secret),
        setup: sealedSecret ?? sealer.seal(secret),
        form,
      },
      { status },
    );
  }

  /** The codes, shown once (never stored but as hashes), with "Download". */
  const codesPage = (reply: FastifyReply, codes: string[], first: boolean) =>
    noStore(reply).render('auth/recovery-codes', { title: 'Your recovery codes', codes, first });

  app.get(TWO_STEP_PAGE, async (request, reply) => twoStepPage(reply, requireSignedIn(request)));

  app.post(TWO_STEP_PAGE, async (request, reply) => {
    const auth = requireSignedIn(request);
    const body = (request.body ?? {}) as Record<string, unknown>;
    // the secret comes back sealed (only this server can open it); one that does not open starts a new set-up
    let sealed: string | undefined = typeof body.setup === 'string' ? body.setup : undefined;
    try {
      if (sealed) sealer.open(sealed);
    } catch {
      sealed = undefined;
    }
    const parsed = parseForm(EnableTwoStepForm, body);
    if (!sealed) {
      return twoStepPage(reply, auth, formWithErrors({}, [{ field: 'code', message: 'The set-up has expired. Add the new QR code (or key) below to your app, then enter its code.' }]), 422);
    }
    if (!parsed.ok) return twoStepPage(reply, auth, formWithErrors({}, parsed.form.summary), 422, sealed);
    await attempts.requireAttemptLeft(request);
    const result = await enableTwoStep(db, sealer, { ...actorOf(auth), personId: auth.person.id }, sealer.open(sealed), parsed.data.code);
    if (!result.ok && result.reason === 'wrong-code') {
      await attempts.countFailure(request);
      return twoStepPage(reply, auth, formWithErrors({}, [{ field: 'code', message: WRONG_SETUP_CODE }]), 422, sealed);
    }
    if (!result.ok) return reply.redirect(`${TWO_STEP_PAGE}?notice=two-step-on-already`, 303);
    return codesPage(reply, result.codes, true);
  });

  app.post(`${TWO_STEP_PAGE}/recovery-codes`, async (request, reply) => {
    const auth = requireSignedIn(request);
    const codes = await replaceRecoveryCodes(db, { ...actorOf(auth), personId: auth.person.id });
    if (!codes) return reply.redirect(`${TWO_STEP_PAGE}?notice=two-step-off-already`, 303);
    return codesPage(reply, codes, false);
  });

  app.post(`${TWO_STEP_PAGE}/recovery-codes.txt`, async (request, reply) => {
    const auth = requireSignedIn(request);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const parsed = parseForm(DownloadCodesForm, { codes: typeof body.codes === 'string' ? [body.codes] : body.codes });
    if (!parsed.ok || !(await areUnusedCodes(db, auth.person.id, parsed.data.codes))) {
      const message = 'These recovery codes can’t be downloaded: they are not your current unused codes. Make new codes to download them.';
      return twoStepPage(reply, auth, formWithErrors({}, [{ field: 'make-new-codes', message }]), 422);
    }
    const text = [
      `Accord recovery codes for ${auth.person.email} (${auth.account.name})`,
      '',
      'Each code signs you in once, when you can’t use your authenticator app. Keep them somewhere safe.',
      '',
      ...parsed.data.codes,
      '',
    ].join('\n');
    return noStore(reply)
      .type('text/plain; charset=utf-8')
      .header('content-disposition', 'attachment; filename="accord-recovery-codes.txt"')
      .send(text);
  });

  app.post(`${TWO_STEP_PAGE}/off`, async (request, reply) => {
    const auth = requireSignedIn(request);
    if (requiredOf(auth.person, auth.account)) return twoStepPage(reply, auth, formWithErrors({}, [{ field: 'turn-off', message: REQUIRED }]), 422);
    const parsed = parseForm(TurnOffTwoStepForm, request.body);
    if (!parsed.ok) return twoStepPage(reply, auth, formWithErrors({}, parsed.form.summary), 422);
    await attempts.requireAttemptLeft(request);
    if (!(await isOwnPassword(db, auth.person.id, parsed.data.password))) {
      await attempts.countFailure(request);
      return twoStepPage(reply, auth, formWithErrors({}, [{ field: 'password', message: 'Your password is not right. Enter the password you sign in with.' }]), 422);
    }
    const off = await disableTwoStep(db, { ...actorOf(auth), personId: auth.person.id });
    return reply.redirect(`${TWO_STEP_PAGE}?notice=${off ? 'two-step-off' : 'two-step-off-already'}`, 303);
  });

  // ---- the second step of signing in ----

  async function challengeOf(request: FastifyRequest) {
    const token = request.cookies[TWO_STEP_CHALLENGE_COOKIE];
    if (!token || !/^[A-Za-z0-9_-]{16,100}$/.test(token)) return undefined;
    return findChallenge(db, token);
  }
  const clearChallenge = (reply: FastifyReply) => reply.clearCookie(TWO_STEP_CHALLENGE_COOKIE, { path: SECOND_STEP });
  const secondStepPage = (reply: FastifyReply, form: FormState, status = 200) =>
    noStore(reply).render('auth/second-step', { title: 'Enter your code', form, minutes: TWO_STEP_MINUTES }, { status });
  const startAgain = (reply: FastifyReply, notice: string) => clearChallenge(reply).redirect(`/login?notice=${notice}`, 303);

  app.get(SECOND_STEP, async (request, reply) => {
    if (!(await challengeOf(request))) return startAgain(reply, 'two-step-expired');
    return secondStepPage(reply, emptyForm());
  });

  app.post(SECOND_STEP, async (request, reply) => {
    const challenge = await challengeOf(request);
    if (!challenge) return startAgain(reply, 'two-step-expired');
    const parsed = parseForm(SecondStepForm, request.body);
    const typed = parsed.ok ? readCode(parsed.data.code) : null;
    if (!typed) {
      const message = 'Enter the 6-digit code from your authenticator app, or a recovery code (16 letters and digits)';
      return secondStepPage(reply, formWithErrors({}, [{ field: 'code', message }]), 422);
    }
    await attempts.requireAttemptLeft(request);
    const result = await checkSecondStep(db, sealer, challenge.personId, typed);
    if (result === 'wrong' || result === 'replayed') {
      await attempts.countFailure(request);
      if ((await failChallenge(db, challenge.tokenHash)) === 'ended') return startAgain(reply, 'two-step-too-many');
      const left = TWO_STEP_FAILURES - challenge.failures - 1;
      const message = `${result === 'wrong' ? WRONG_CODE : REPLAYED} ${left === 1 ? '1 try is' : `${left} tries are`} left before you start again with your password.`;
      return secondStepPage(reply, formWithErrors({}, [{ field: 'code', message }]), 422);
    }
    // the state is used once: of two requests with it, only the one that ends it signs in
    if (!(await endChallenge(db, challenge.tokenHash))) return startAgain(reply, 'two-step-expired');
    await recordSignIn(db, challenge.personId);
    await startSession(app, request, reply, challenge.personId, challenge.accountId);
    clearChallenge(reply);
    return reply.redirect(result === 'recovery' ? `${TWO_STEP_PAGE}?notice=recovery-code-used` : safeNext(challenge.next), 303);
  });

  // ---- the organization's policy ----

  app.post('/settings/organization/two-step', async (request, reply) => {
    const auth = requireAdminToEdit(request);
    const parsed = parseForm(PolicyForm, request.body);
    if (!parsed.ok) {
      const data = await organizationPageData(db, auth, { twoStep: parsed.form });
      return reply.render('account/organization-page', data, { status: 422, fragment: 'account/_two-step-form' });
    }
    const policy = parsed.data;
    await db.transaction(async (tx) => {
      const before = await lockAccount(tx, auth.account.id);
      if (!before) return;
      await tx.update(accounts).set(policy).where(eq(accounts.id, auth.account.id));
      await recordChanges(tx, actorOf(auth), 'account.twoStep', { type: 'account', id: auth.account.id }, before, policy);
    });
    if (!isHtmx(request)) return reply.redirect('/settings/organization?notice=saved', 303);
    return reply.render('account/_two-step-form', {
      twoStep: emptyForm(policy),
      announce: `Saved. Require two-step verification for administrators is ${onOff(policy.twoStepForAdmins)}; for everyone is ${onOff(policy.twoStepForEveryone)}.`,
    });
  });

  // ---- an administrator's reset ----

  async function personToReset(request: FastifyRequest) {
    const auth = requireAdminToEdit(request);
    const { personId } = request.params as { personId: string };
    const person = await findPersonInAccount(db, auth.account.id, personId);
    if (!person) throw personNotFound();
    return { auth, person };
  }

  app.get('/people/:personId/two-step/reset', async (request, reply) => {
    const { auth, person } = await personToReset(request);
    return reply.render('auth/two-step-reset', { title: `Reset two-step verification of ${person.name}`, person: { id: person.id, name: person.name, email: person.email }, on: person.twoStepSecret !== null, self: person.id === auth.person.id });
  });

  app.post('/people/:personId/two-step/reset', async (request, reply) => {
    const { auth, person } = await personToReset(request);
    if (person.id === auth.person.id) {
      const message = 'You can’t reset your own two-step verification here. Turn it off or make new recovery codes in Personal, Two-step verification.';
      return reply.render('auth/two-step-reset', { title: `Reset two-step verification of ${person.name}`, person: { id: person.id, name: person.name, email: person.email }, on: person.twoStepSecret !== null, self: true, form: formWithErrors({}, [{ field: 'reset-two-step', message }]) }, { status: 422 });
    }
    await resetTwoStep(db, actorOf(auth), person.id);
    return reply.redirect(`/people/${encodeURIComponent(person.id)}?notice=two-step-reset`, 303);
  });
}
