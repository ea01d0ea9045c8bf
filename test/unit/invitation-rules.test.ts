import t from 'tap';
import {
  ADMINS_ONLY,
  canInvite,
  checkInvitee,
  emailDomain,
  FULL_PERMISSIONS_ADMINS_ONLY,
  type Access,
  type InvitationSettings,
  type Invitee,
  type InvitationAction,
  invitationLinkProblem,
  type Inviter,
  isDomainAllowed,
} from '../../src/invitations/rules.js';
import { READ_ONLY_REFUSED } from '../../src/permissions/guard.js';

const admin: Inviter = { isAdmin: true, license: 'read_write' };
const member: Inviter = { isAdmin: false, license: 'read_write' };
const closed: InvitationSettings = { usersMayInvite: false, allowedDomains: [] };
const open: InvitationSettings = { usersMayInvite: true, allowedDomains: [] };
const domains: InvitationSettings = { usersMayInvite: true, allowedDomains: ['Example.com', 'acme.test'] };
const DOMAIN_MESSAGE = 'You can only invite email addresses in these domains: example.com, acme.test.';

t.test('canInvite: who may invite whom, with which access', async (t) => {
  const cases: [string, Inviter, InvitationSettings, string | undefined, Access, string | null][] = [
    ['administrator, invitations closed', admin, closed, 'x@anywhere.test', 'inherited', null],
    ['administrator, outside allowed domains', admin, domains, 'x@other.test', 'full', null],
    ['administrator, full permissions', admin, closed, 'x@example.com', 'full', null],
    ['administrator with Read-Only', { isAdmin: true, license: 'read_only' }, open, 'x@example.com', 'inherited', READ_ONLY_REFUSED],
    ['member with Read-Only', { isAdmin: false, license: 'read_only' }, open, 'x@example.com', 'inherited', READ_ONLY_REFUSED],
    ['member with No Access', { isAdmin: false, license: 'none' }, open, 'x@example.com', 'inherited', READ_ONLY_REFUSED],
    ['member, invitations closed', member, closed, 'x@example.com', 'inherited', ADMINS_ONLY],
    ['member, invitations closed, no email yet', member, closed, undefined, 'inherited', ADMINS_ONLY],
    ['member, open, any domain', member, open, 'x@anywhere.test', 'inherited', null],
    ['member, open, read all projects', member, open, 'x@anywhere.test', 'read_all', null],
    ['member, open, full permissions', member, open, 'x@anywhere.test', 'full', FULL_PERMISSIONS_ADMINS_ONLY],
    ['member, allowed domain', member, domains, 'x@example.com', 'inherited', null],
    ['member, allowed domain in other case', member, domains, 'X@EXAMPLE.COM', 'inherited', null],
    ['member, second allowed domain', member, domains, 'x@acme.test', 'read_all', null],
    ['member, subdomain is not the domain', member, domains, 'x@sub.example.com', 'inherited', DOMAIN_MESSAGE],
    ['member, domain as a suffix', member, domains, 'x@notexample.com', 'inherited', DOMAIN_MESSAGE],
    ['member, domain followed by more', member, domains, 'x@example.com.evil.test', 'inherited', DOMAIN_MESSAGE],
    ['member, domain in the local part', member, domains, 'example.com@other.test', 'inherited', DOMAIN_MESSAGE],
    ['member, no email yet: may open the form', member, domains, undefined, 'inherited', null],
  ];
  for (const [name, inviter, account, email, access, message] of cases) {
    const verdict = canInvite(inviter, account, email, access);
    if (message === null) t.same(verdict, { ok: true }, name);
    else t.equal(verdict.ok ? null : verdict.message, message, name);
  }
  t.same(canInvite(member, closed, 'x@example.com'), { ok: false, reason: 'admins-only', message: ADMINS_ONLY }, 'the reason comes with its message');
});

t.test('domains: exact, case-insensitive, empty list allows any', async (t) => {
  const cases: [string, string[], boolean][] = [
    ['a@example.com', [], true],
    ['a@example.com', ['example.com'], true],
    ['a@Example.Com', [' @EXAMPLE.com '], true],
    ['a@mail.example.com', ['example.com'], false],
    ['a@example.co', ['example.com'], false],
    ['no-at-sign', ['example.com'], false],
    ['a@b@example.com', ['example.com'], true],
  ];
  for (const [email, allowed, expected] of cases) t.equal(isDomainAllowed(email, allowed), expected, `${email} in [${allowed}]`);
  t.equal(emailDomain('Someone@Sub.Example.COM'), 'sub.example.com');
});

t.test('checkInvitee: never invited twice; only a waiting invitation is resent or revoked', async (t) => {
  const person = (invitationState: Invitee['invitationState'], license: Invitee['license'] = 'none'): Invitee => ({ name: 'Bea', invitationState, license });
  const cases: [Invitee, InvitationAction, string | null][] = [
    [person('none'), 'invite', null],
    [person('invited'), 'invite', 'Already invited: Bea has an invitation waiting. Use “Resend invitation” on their page to send it again.'],
    [person('accepted', 'read_write'), 'invite', 'Already invited: Bea already has access to this account.'],
    [person('accepted', 'read_only'), 'invite', 'Already invited: Bea already has access to this account.'],
    [person('accepted', 'none'), 'invite', 'Already invited: Bea has joined this account before. An administrator can give them a license under User management.'],
    [person('invited'), 'resend', null],
    [person('invited'), 'revoke', null],
    [person('none'), 'resend', 'Bea has no invitation waiting to be accepted.'],
    [person('accepted', 'read_write'), 'resend', 'Bea has no invitation waiting to be accepted.'],
    [person('none'), 'revoke', 'Bea has no invitation waiting to be accepted.'],
    [person('accepted', 'read_write'), 'revoke', 'Bea has no invitation waiting to be accepted.'],
  ];
  for (const [invitee, action, message] of cases) {
    const verdict = checkInvitee(invitee, action);
    const name = `${action} ${invitee.invitationState}/${invitee.license}`;
    if (message === null) t.same(verdict, { ok: true }, name);
    else t.equal(verdict.ok ? null : verdict.message, message, name);
  }
});

t.test('invitationLinkProblem: used, revoked, expired, unknown', async (t) => {
  const now = new Date('2026-06-01T12:00:00Z');
  const later = new Date('2026-06-08T12:00:00Z');
  const cases: [string, Parameters<typeof invitationLinkProblem>[0], ReturnType<typeof invitationLinkProblem>][] = [
    ['valid', { acceptedAt: null, revokedAt: null, expiresAt: later }, null],
    ['unknown', undefined, 'unknown'],
    ['used', { acceptedAt: now, revokedAt: null, expiresAt: later }, 'used'],
    ['revoked or replaced', { acceptedAt: null, revokedAt: now, expiresAt: later }, 'revoked'],
    ['expired', { acceptedAt: null, revokedAt: null, expiresAt: new Date('2026-06-01T11:59:59Z') }, 'expired'],
    ['expires this very moment', { acceptedAt: null, revokedAt: null, expiresAt: now }, 'expired'],
    ['used wins over expired', { acceptedAt: now, revokedAt: null, expiresAt: now }, 'used'],
  ];
  for (const [name, invitation, expected] of cases) t.equal(invitationLinkProblem(invitation, now), expected, name);
});
