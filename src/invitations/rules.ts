import { READ_ONLY_REFUSED } from '../permissions/guard.js';

/** "Access" on an invitation (SPEC §4): where the invitee's permissions come from once they accept. */
export const ACCESS = {
  inherited: 'Inherited by role',
  read_all: 'Read all projects',
  full: 'Full permissions',
} as const;
export type Access = keyof typeof ACCESS;

/** The part of a person that decides whether they may invite. */
export interface Inviter {
  isAdmin: boolean;
  license: 'read_write' | 'read_only' | 'none';
}

/** The account's invitation settings (on /settings/users, section "Invitations"). */
export interface InvitationSettings {
  usersMayInvite: boolean;
  allowedDomains: readonly string[];
}

export type InviteRefusal = 'read-only' | 'admins-only' | 'full-permissions-admins-only' | 'domain-not-allowed';
export type Verdict<R extends string> = { ok: true } | { ok: false; reason: R; message: string };

export const ADMINS_ONLY = 'Only administrators can invite people to this account.';
export const FULL_PERMISSIONS_ADMINS_ONLY = 'Only administrators can give “Full permissions”.';
export const domainNotAllowed = (domains: readonly string[]) =>
  `You can only invite email addresses in these domains: ${domains.map(normalizeDomain).join(', ')}.`;

/** "Example.COM", " @example.com " → "example.com". */
export function normalizeDomain(domain: string): string {
  return domain.trim().replace(/^@/, '').toLowerCase();
}

/** The domain of an email address, lower-cased ("" when there is none). */
export function emailDomain(email: string): string {
  const at = email.lastIndexOf('@');
  return at < 0 ? '' : normalizeDomain(email.slice(at + 1));
}

/** Exact domain, case-insensitive; an empty list allows any domain. */
export function isDomainAllowed(email: string, allowedDomains: readonly string[]): boolean {
  const allowed = allowedDomains.map(normalizeDomain).filter(Boolean);
  return allowed.length === 0 || allowed.includes(emailDomain(email));
}

/**
 * Whether `inviter` may invite `email` with `access` — THE rule for every path that creates, resends or revokes
 * an invitation (SPEC §4). Administrators always may; others only while the account lets users invite, only to
 * an allowed domain, and never with "Full permissions". Any invitation needs a Read & Write license.
 * Without `email` it answers whether the inviter may invite anyone at all (to show or hide the form).
 */
export function canInvite(
  inviter: Inviter,
  account: InvitationSettings,
  email?: string,
  access: Access = 'inherited',
): Verdict<InviteRefusal> {
  if (inviter.license !== 'read_write') return { ok: false, reason: 'read-only', message: READ_ONLY_REFUSED };
  if (inviter.isAdmin) return { ok: true };
  if (!account.usersMayInvite) return { ok: false, reason: 'admins-only', message: ADMINS_ONLY };
  if (access === 'full') return { ok: false, reason: 'full-permissions-admins-only', message: FULL_PERMISSIONS_ADMINS_ONLY };
  if (email !== undefined && !isDomainAllowed(email, account.allowedDomains)) {
    return { ok: false, reason: 'domain-not-allowed', message: domainNotAllowed(account.allowedDomains) };
  }
  return { ok: true };
}

/** The part of the invitee that decides whether an invitation can be sent, resent or revoked now. */
export interface Invitee {
  name: string;
  invitationState: 'none' | 'invited' | 'accepted';
  license: 'read_write' | 'read_only' | 'none';
}

export type InvitationAction = 'invite' | 'resend' | 'revoke';
export type InviteeConflict = 'already-has-access' | 'already-invited' | 'no-pending-invitation';

export const alreadyHasAccess = (name: string) => `Already invited: ${name} already has access to this account.`;
export const alreadyJoinedNoAccess = (name: string) =>
  `Already invited: ${name} has joined this account before. An administrator can give them a license under User management.`;
export const alreadyInvited = (name: string) =>
  `Already invited: ${name} has an invitation waiting. Use “Resend invitation” on their page to send it again.`;
export const noPendingInvitation = (name: string) => `${name} has no invitation waiting to be accepted.`;

/** Someone who already joined is never invited twice; only a waiting invitation can be resent or revoked. */
export function checkInvitee(invitee: Invitee, action: InvitationAction): Verdict<InviteeConflict> {
  const { name, invitationState: state } = invitee;
  if (action === 'invite') {
    if (state === 'accepted') {
      const message = invitee.license === 'none' ? alreadyJoinedNoAccess(name) : alreadyHasAccess(name);
      return { ok: false, reason: 'already-has-access', message };
    }
    if (state === 'invited') return { ok: false, reason: 'already-invited', message: alreadyInvited(name) };
    return { ok: true };
  }
  if (state !== 'invited') return { ok: false, reason: 'no-pending-invitation', message: noPendingInvitation(name) };
  return { ok: true };
}

export type LinkProblem = 'unknown' | 'used' | 'revoked' | 'expired';

/** Why an invitation link can't be used any more (null: it can). Revoked includes "replaced by a resend". */
export function invitationLinkProblem(
  invitation: { acceptedAt: Date | null; revokedAt: Date | null; expiresAt: Date } | undefined,
  now: Date,
): LinkProblem | null {
  if (!invitation) return 'unknown';
  if (invitation.acceptedAt) return 'used';
  if (invitation.revokedAt) return 'revoked';
  if (invitation.expiresAt.getTime() <= now.getTime()) return 'expired';
  return null;
}
