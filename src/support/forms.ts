import { z } from 'zod';
import { blankToUndefined, emailField, nameField } from '../auth/forms.js';

/** The longest message "Contact support" takes (about two pages of text). */
export const SUPPORT_MESSAGE_MAX = 5000;

/** /support: "Name", "Email", "Message". The name is one line (it goes into the email's Reply-To). */
export const SupportForm = z.object({
  name: nameField('Enter your name').transform((name) => name.replace(/\s+/g, ' ')),
  email: emailField,
  message: z.preprocess(
    blankToUndefined,
    z
      .string({ error: 'Enter your message' })
      .trim()
      .max(SUPPORT_MESSAGE_MAX, `Message must be ${SUPPORT_MESSAGE_MAX.toLocaleString('en-GB')} characters or fewer`),
  ),
});
export type SupportMessage = z.infer<typeof SupportForm>;

/** How many messages one address may send per window (counted in the shared rate-limit table). */
export const SUPPORT_LIMIT = { max: 5, windowMinutes: 60 } as const;
