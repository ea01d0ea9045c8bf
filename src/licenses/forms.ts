import { z } from 'zod';
import { PeopleQuery } from '../people/forms.js';
import { checkbox } from '../privacy/forms.js';
import { invalidDomainsMessage, MAX_DOMAINS, parseDomainList } from './domains.js';
import type { License } from './rules.js';

export const AutoLicenseForm = z.object({ autoLicense: checkbox });

/** "Allowed email domains": commas, spaces or new lines between domains; each one checked, lower-cased. */
const allowedDomainsField = z
  .string({ error: 'Enter the allowed email domains as text' })
  .max(10_000, 'Allowed email domains must be 10000 characters or fewer')
  .optional()
  .transform((text, ctx) => {
    const { domains, invalid } = parseDomainList(text ?? '');
    if (invalid.length) ctx.addIssue({ code: 'custom', message: invalidDomainsMessage(invalid) });
    else if (domains.length > MAX_DOMAINS) ctx.addIssue({ code: 'custom', message: `Enter at most ${MAX_DOMAINS} domains` });
    return domains;
  });

export const InvitationSettingsForm = z.object({ usersMayInvite: checkbox, allowedDomains: allowedDomainsField });

/**
 * The people search of /settings/users (GET, and the hidden fields of each license form): the same query as
 * /people (q, after or before); anything odd falls back to "everyone, first page" rather than an error.
 */
export const SearchQuery = PeopleQuery;

export const LicenseForm = z.object({
  license: z.enum(['read_only', 'read_write', 'none'] satisfies License[], { error: 'Choose Read-Only, Read & Write or No Access' }),
});

/** The "Administrator" switch on a person's page. */
export const AdminForm = z.object({ admin: checkbox });
