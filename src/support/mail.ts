import type { Auth } from '../auth/session.js';
import type { Message } from '../mail/mailer.js';
import type { SupportMessage } from './forms.js';

/**
 * The email "Contact support" sends: to SUPPORT_EMAIL, Reply-To the sender, so support answers them directly.
 * The subject carries no personal data (the mailer logs subjects); a signed-in sender's organization is named
 * in the text so support knows which account the question is about.
 */
export function supportEmail(to: string, form: SupportMessage, auth: Auth | null): Message {
  const lines = [
    `From: ${form.name} <${form.email}>`,
    ...(auth ? [`Signed in as: ${auth.person.name} <${auth.person.email}>, organization “${auth.account.name}” (account ${auth.account.id})`] : ['Not signed in']),
    '',
    form.message,
    '',
    '—',
    'Sent with the “Contact support” form of Accord. Reply to this email to answer the sender.',
  ];
  return { to, subject: 'Accord support request', text: lines.join('\n'), replyTo: { name: form.name, address: form.email } };
}
