import { z } from 'zod';

/** An HTML checkbox sends "on" when checked and nothing when not. */
export const checkbox = z
  .literal('on', { error: 'Choose on or off' })
  .optional()
  .transform((v) => v === 'on');

export const PersonalPrivacyForm = z.object({ telemetry: checkbox });

export const OrganizationPrivacyForm = z.object({ privacyEnabled: checkbox, aiAllowed: checkbox });
