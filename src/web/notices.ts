/** Confirmation messages shown after a 303 redirect (`?notice=key`); only known keys are shown, never free text. */
export const NOTICES = {
  saved: 'Saved',
  'signed-out': 'You have been signed out.',
  'password-reset': 'Your password has been changed.',
  'session-ended': 'Signed out. That session has ended: the device it was on is signed out.',
  'session-ended-already': 'That session had ended already.',
  'other-sessions-ended': 'You have been signed out of every other session.',
  'no-other-sessions': 'There were no other sessions to sign out of.',
  'password-changed': 'Your password has been changed. Every other device signed in to your account has been signed out.',
  'reset-sent': 'If an account uses that email, we have sent a link to reset its password. The link works for 1 hour.',
  'subscription-saved': 'Subscription saved.',
  'name-saved': 'Organization name saved.',
  welcome: 'Welcome to Accord. Your organization is ready.',
  invited: 'Invitation sent.',
  'invitation-mail-failed': 'The invitation is saved, but its email could not be sent. Use “Resend invitation” to try again.',
  'invitation-resent': 'Invitation sent again.',
  'invitation-revoked': 'Invitation revoked.',
  'contact-created': 'Contact created.',
  'project-created': 'Project created. You are its manager.',
  'project-deleted': 'Project deleted.',
  'request-approved': 'Project request approved. The project is created, and its requester is its manager.',
  'request-approved-no-requester': 'Project request approved. The project is created; its requester has been deleted, so you are its manager.',
  'invitation-accepted': 'Welcome to Accord. You have joined the organization and are signed in.',
  'invitation-accepted-read-only':
    'Welcome to Accord. You have joined the organization with a Read-Only license: you can look at everything you may read, but not change it.',
  'license-saved': 'License saved.',
  'global-permissions-saved': 'Global permissions saved.',
  'role-permissions-saved': 'Role permissions saved.',
  'role-renamed': 'Role name saved.',
  'role-shown': 'Saved. The role is visible.',
  'role-hidden': 'Saved. The role is hidden: it can’t be newly given to anyone; those who hold it keep its permissions.',
  'admin-added': 'Saved. This person is an administrator now.',
  'admin-removed': 'Saved. This person is no longer an administrator.',
  'person-deleted': 'Person deleted.',
  'support-sent': 'Your message has been sent to support. We will answer by email.',
  'self-deleted': 'You have deleted yourself from the organization and have been signed out.',
  'division-created': 'Division created.',
  'division-renamed': 'Division renamed.',
  'division-deleted': 'Division deleted. Its projects have no division now.',
  'division-permissions-saved': 'Division permissions saved.',
  'division-removed': 'Removed from the division: its permissions are gone.',
} as const;

export type NoticeKey = keyof typeof NOTICES;

export function noticeText(key: unknown): string | undefined {
  return typeof key === 'string' && Object.hasOwn(NOTICES, key) ? NOTICES[key as NoticeKey] : undefined;
}
