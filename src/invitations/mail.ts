import type { Message } from '../mail/mailer.js';
import { INVITATION_DAYS } from './invitations.js';

/** The invitation email: who invites to which account, the one-time link and how long it works. */
export function invitationMessage(opts: {
  baseUrl: string;
  token: string;
  to: { name: string; email: string };
  inviterName: string;
  accountName: string;
  expiresAt: Date;
}): Message {
  const link = `${opts.baseUrl}/invite/${opts.token}`;
  const until = opts.expiresAt.toISOString().slice(0, 10);
  const lines = [
    `Hello ${opts.to.name},`,
    '',
    `${opts.inviterName} invited you to join ${opts.accountName} on Accord. To accept, open this link and choose your name and a password:`,
    '',
    link,
    '',
    `The link works once, for ${INVITATION_DAYS} days (until ${until}). If it has run out, ask ${opts.inviterName} to send the invitation again.`,
    '',
    'If you did not expect this invitation, you can ignore this email.',
  ];
  return { to: opts.to.email, subject: `${opts.inviterName} invited you to ${opts.accountName} on Accord`, text: lines.join('\n'), link };
}
