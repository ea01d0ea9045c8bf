import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { newId, newToken } from '../crypto.js';
import type { Db, Tx } from '../db/client.js';
import { accounts, invitations, persons } from '../db/schema.js';
import { type Actor, recordHistory } from '../history/record.js';
import { type Access, canInvite, checkInvitee, type InvitationAction, type InviteeConflict, type Inviter, type InviteRefusal } from './rules.js';

export const INVITATION_DAYS = 7;

type Person = typeof persons.$inferSelect;
type Invitation = typeof invitations.$inferSelect;

/** Who is inviting: their id and account, and what canInvite looks at. */
export interface InviterRef extends Inviter {
  id: string;
  accountId: string;
}

const actorOf = (inviter: InviterRef): Actor => ({ accountId: inviter.accountId, personId: inviter.id });

export type InvitationOutcome =
  | { ok: true; person: Person; token: string; expiresAt: Date }
  | { ok: false; reason: InviteRefusal | InviteeConflict | 'not-found'; message: string; person?: Person };

const NOT_FOUND = { ok: false, reason: 'not-found', message: 'There is no such person in your contacts.' } as const;

/** The person's row, locked for the rest of the transaction (invite, resend, revoke and accept take it in this order: account, person, invitation). */
async function lockPerson(tx: Tx, accountId: string, where: { id: string } | { email: string }) {
  const match = 'id' in where ? eq(persons.id, where.id) : sql`lower(${persons.email}) = lower(${where.email})`;
  const [row] = await tx.select().from(persons).where(and(eq(persons.accountId, accountId), match)).for('no key update');
  return row;
}

async function invitationSettings(tx: Tx, accountId: string) {
  const [row] = await tx
    .select({ usersMayInvite: accounts.usersMayInvite, allowedDomains: accounts.allowedDomains })
    .from(accounts)
    .where(eq(accounts.id, accountId));
  return row ?? { usersMayInvite: false, allowedDomains: [] };
}

/** The invitation waiting to be accepted (expired or not), if any. */
export async function findWaitingInvitation(db: Db | Tx, accountId: string, personId: string): Promise<Invitation | undefined> {
  const [row] = await db
    .select()
    .from(invitations)
    .where(and(eq(invitations.accountId, accountId), eq(invitations.personId, personId), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)))
    .orderBy(desc(invitations.createdAt))
    .limit(1);
  return row;
}

async function voidWaitingInvitations(tx: Tx, accountId: string, personId: string) {
  await tx
    .update(invitations)
    .set({ revokedAt: new Date() })
    .where(and(eq(invitations.accountId, accountId), eq(invitations.personId, personId), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)));
}

/** Voids any waiting invitation, stores a new one (only the token's hash), marks the person "invited" and records it. */
async function issueInvitation(tx: Tx, inviter: InviterRef, person: Person, access: Access, kind: 'invitation.sent' | 'invitation.resent'): Promise<InvitationOutcome> {
  await voidWaitingInvitations(tx, person.accountId, person.id);
  const { token, hash } = newToken();
  const expiresAt = new Date(Date.now() + INVITATION_DAYS * 86_400_000);
  await tx.insert(invitations).values({ id: newId(), accountId: person.accountId, personId: person.id, tokenHash: hash, access, invitedBy: inviter.id, expiresAt });
  const [updated] = await tx.update(persons).set({ invitationState: 'invited' }).where(eq(persons.id, person.id)).returning();
  await recordHistory(tx, actorOf(inviter), {
    kind,
    subject: { type: 'person', id: person.id },
    ...(kind === 'invitation.sent' ? { before: { invitationState: person.invitationState } } : {}),
    after: { ...(kind === 'invitation.sent' ? { invitationState: 'invited' } : {}), access },
  });
  return { ok: true, person: updated!, token, expiresAt };
}

/** Runs canInvite and checkInvitee for one action on a locked person; a refusal carries its message. */
function refusal(inviter: Inviter, settings: Awaited<ReturnType<typeof invitationSettings>>, person: Person, access: Access, action: InvitationAction) {
  const who = canInvite(inviter, settings, person.email, access);
  if (!who.ok) return { ok: false, reason: who.reason, message: who.message, person } as const;
  const state = checkInvitee(person, action);
  if (!state.ok) return { ok: false, reason: state.reason, message: state.message, person } as const;
  return undefined;
}

export type InviteTarget = { personId: string } | { name: string; email: string };

/**
 * Invites a contact (by id) or an email address (creating the contact if needed), in one transaction.
 * canInvite is checked before anything is written, so a refused invitation saves nothing.
 */
export async function createInvitation(db: Db, inviter: InviterRef, target: InviteTarget, access: Access): Promise<InvitationOutcome> {
  return db.transaction(async (tx) => {
    const settings = await invitationSettings(tx, inviter.accountId);
    const where = 'personId' in target ? { id: target.personId } : { email: target.email };
    let person = await lockPerson(tx, inviter.accountId, where);
    if (!person && 'personId' in target) return NOT_FOUND;
    if (!person && 'email' in target) {
      const who = canInvite(inviter, settings, target.email, access);
      if (!who.ok) return { ok: false, reason: who.reason, message: who.message };
      const [created] = await tx
        .insert(persons)
        .values({ id: newId(), accountId: inviter.accountId, name: target.name, email: target.email })
        .onConflictDoNothing()
        .returning();
      // Someone added the same address a moment ago: go on with their row, under the same rules.
      person = created ?? (await lockPerson(tx, inviter.accountId, where));
      if (created) await recordHistory(tx, actorOf(inviter), { kind: 'person.created', subject: { type: 'person', id: created.id } });
    }
    if (!person) return NOT_FOUND;
    return refusal(inviter, settings, person, access, 'invite') ?? issueInvitation(tx, inviter, person, access, 'invitation.sent');
  });
}

/** Sends a waiting invitation again: a new token (same access), the old link stops working. */
export async function resendInvitation(db: Db, inviter: InviterRef, personId: string): Promise<InvitationOutcome> {
  return db.transaction(async (tx) => {
    const settings = await invitationSettings(tx, inviter.accountId);
    const person = await lockPerson(tx, inviter.accountId, { id: personId });
    if (!person) return NOT_FOUND;
    const waiting = await findWaitingInvitation(tx, inviter.accountId, person.id);
    const access = waiting?.access ?? 'inherited';
    return refusal(inviter, settings, person, access, 'resend') ?? issueInvitation(tx, inviter, person, access, 'invitation.resent');
  });
}

export type RevokeOutcome = { ok: true; person: Person } | Extract<InvitationOutcome, { ok: false }>;

/** Voids the waiting invitation and returns the person to a plain contact. Allowed to whoever could send it. */
export async function revokeInvitation(db: Db, inviter: InviterRef, personId: string): Promise<RevokeOutcome> {
  return db.transaction(async (tx) => {
    const settings = await invitationSettings(tx, inviter.accountId);
    const person = await lockPerson(tx, inviter.accountId, { id: personId });
    if (!person) return NOT_FOUND;
    const waiting = await findWaitingInvitation(tx, inviter.accountId, person.id);
    const access = waiting?.access ?? 'inherited';
    const refused = refusal(inviter, settings, person, access, 'revoke');
    if (refused) return refused;
    await voidWaitingInvitations(tx, person.accountId, person.id);
    const [updated] = await tx.update(persons).set({ invitationState: 'none' }).where(eq(persons.id, person.id)).returning();
    await recordHistory(tx, actorOf(inviter), {
      kind: 'invitation.revoked',
      subject: { type: 'person', id: person.id },
      before: { invitationState: person.invitationState, access },
      after: { invitationState: 'none' },
    });
    return { ok: true, person: updated! };
  });
}
