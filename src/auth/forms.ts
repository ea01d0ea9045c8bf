import { z } from 'zod';

/** Turns '' into undefined so optional fields and "required" messages behave as a person expects. */
export const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

export const EDITIONS = {
  professional: 'Professional',
  enterprise: 'Enterprise',
  enterprise_plus: 'Enterprise Plus',
  self_hosted: 'Self-Hosted',
} as const;
export type Edition = keyof typeof EDITIONS;

export const FOUND_US = {
  search: 'Search engine',
  recommendation: 'Recommendation from a colleague or friend',
  social: 'Social media',
  event: 'Event or webinar',
  advertising: 'Advertisement',
  other: 'Other',
} as const;

/** An email field; `missing` is the message when it is left empty (it differs for your own and someone else's). */
export const emailFieldWith = (missing: string) =>
  z.preprocess(
    blankToUndefined,
    z
      .string({ error: missing })
      .trim()
      .max(254, 'Email address must be 254 characters or fewer')
      .pipe(z.email('Enter an email address in the correct format, like name@example.com')),
  );

export const emailField = emailFieldWith('Enter your email address');

export const nameField = (missing: string) =>
  z.preprocess(blankToUndefined, z.string({ error: missing }).trim().max(200, 'Must be 200 characters or fewer'));

export const newPasswordField = z
  .string({ error: 'Enter a password' })
  .min(12, 'Password must be at least 12 characters')
  .max(200, 'Password must be 200 characters or fewer');

export const editionField = z.enum(Object.keys(EDITIONS) as [Edition, ...Edition[]], { error: 'Select an edition' });

export const licensesField = z.preprocess(
  blankToUndefined,
  z.coerce
    .number({ error: 'Enter the number of Read & Write licenses' })
    .int('Enter a whole number of Read & Write licenses')
    .min(1, 'You need at least 1 Read & Write license')
    .max(100000, 'Enter at most 100000 Read & Write licenses'),
);

export const SignupForm = z
  .object({
    organizationName: nameField('Enter your organization name'),
    name: nameField('Enter your name'),
    email: emailField,
    phone: z.preprocess(
      blankToUndefined,
      z
        .string({ error: 'Enter your phone number' })
        .trim()
        .regex(/^\+?[0-9][0-9 ()./-]{4,28}[0-9]$/, 'Enter a phone number using digits, like +44 20 7946 0958'),
    ),
    password: newPasswordField,
    passwordReminder: z.preprocess(
      blankToUndefined,
      z.string().trim().max(200, 'Password reminder must be 200 characters or fewer').optional(),
    ),
    foundUs: z.enum(Object.keys(FOUND_US) as [keyof typeof FOUND_US], { error: 'Select how you found us' }),
    edition: editionField,
    readWriteLicenses: licensesField,
  })
  .refine((f) => !f.passwordReminder || !f.passwordReminder.toLowerCase().includes(f.password.toLowerCase()), {
    path: ['passwordReminder'],
    message: 'Password reminder must not contain your password',
  });

export const LoginForm = z.object({
  email: emailField,
  password: z.string({ error: 'Enter your password' }).min(1, 'Enter your password').max(200, 'Enter your password'),
  next: z.string().optional(),
});

export const ForgotPasswordForm = z.object({ email: emailField });

/**
 * "Change password" (Personal, Security): the current password, a new one by the sign-up rules, typed twice; the
 * new one must differ from the current one.
 */
export const ChangePasswordForm = z
  .object({
    currentPassword: z.string({ error: 'Enter your current password' }).min(1, 'Enter your current password').max(200, 'Enter your current password'),
    password: newPasswordField,
    confirmPassword: z.string({ error: 'Confirm your new password' }),
  })
  .refine((f) => f.password === f.confirmPassword, { path: ['confirmPassword'], message: 'Passwords do not match' })
  .refine((f) => f.password !== f.currentPassword, { path: ['password'], message: 'Your new password must be different from your current password' });

export const ResetPasswordForm = z
  .object({ password: newPasswordField, confirmPassword: z.string({ error: 'Confirm your new password' }) })
  .refine((f) => f.password === f.confirmPassword, { path: ['confirmPassword'], message: 'Passwords do not match' });

const SAME_SITE = 'https://accord.invalid';

/**
 * Only same-site paths are followed after sign-in (no open redirect). The path is read the way a browser reads
 * it (the WHATWG URL parser drops tabs and newlines and takes `\` for `/`, so `/<tab>/evil.test` is
 * `//evil.test`), and what is followed is the parser's own serialisation: never a control character.
 */
export function safeNext(next: unknown): string {
  const fallback = '/settings/personal';
  if (typeof next !== 'string' || !next.startsWith('/')) return fallback;
  try {
    const url = new URL(next, SAME_SITE);
    const path = url.pathname + url.search + url.hash;
    // dot-segments are resolved too: "/.//evil.test" has the path "//evil.test", which a Location header would
    // send to another site
    return url.origin === SAME_SITE && !/^\/[/\\]/.test(path) ? path : fallback;
  } catch {
    return fallback;
  }
}

const APP_CODE = 'Enter the 6-digit code your authenticator app shows';

/** Turning two-step verification on: the sealed secret the set-up page showed, and a code of it from the app. */
export const EnableTwoStepForm = z.object({
  setup: z.string({ error: 'The set-up has expired. Scan the new QR code.' }).min(1).max(500),
  code: z.preprocess((v) => (typeof v === 'string' ? v.replace(/\s/g, '') : v), z.string({ error: APP_CODE }).regex(/^\d{6}$/, APP_CODE)),
});

/** The second step of a sign-in: a code from the app or a recovery code (read by readCode, src/auth/two-step.ts). */
export const SecondStepForm = z.object({
  code: z.string({ error: 'Enter the code from your authenticator app, or a recovery code' }).max(64, 'Enter the code from your authenticator app, or a recovery code'),
});

/** Turning two-step verification off needs the password. */
export const TurnOffTwoStepForm = z.object({
  password: z.string({ error: 'Enter your password' }).min(1, 'Enter your password').max(200, 'Enter your password'),
});

/** "Download": the codes the page has just shown, sent back to come out as a text file. */
export const DownloadCodesForm = z.object({
  codes: z.array(z.string().max(40)).min(1).max(10),
});
