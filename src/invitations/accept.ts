import { and, eq, gt, isNull } from 'drizzle-orm';
import { hashPassword } from '../auth/passwords.js';
import { hashToken } from '../crypto.js';
import type { Db } from '../db/client.js';
import { accounts, invitations, persons } from '../db/schema.js';
import { changedFields, recordHistory } from '../history/record.js';
import { type License, resolveAcceptanceLicense } from '../licenses/seats.js';
import { insertGlobalGrants, PROJECT_READ_PERMISSIONS } from '../permissions/grants.js';
import { invitationLinkProblem, type LinkProblem } from './rules.js';

type Person = typeof persons.$inferSelect;

/** Tokens are 43 base64url characters; anything else can't be one (and is not looked up). */
const looksLikeToken = (token: string) => /^[A-Za-z0-9_-]{20,100}$/.test(token);

export type InvitationLookup =
  | { ok: true; invitation: typeof invitations.$inferSelect; person: Person; accountName: string }
  | { ok: false; problem: LinkProblem };

/** The invitation behind a link, with its person and account name, or why the link no longer works. One query. */
export async function findInvitationByToken(db: Db, token: string, now = new Date()): Promise<InvitationLookup> {
  if (!looksLikeToken(token)) return { ok: false, problem: 'unknown' };
  const [row] = await db
    .select({ invitation: invitations, person: persons, accountName: accounts.name })
    .from(invitations)
    .innerJoin(persons, and(eq(persons.id, invitations.personId), eq(persons.accountId, invitations.accountId)))
    .innerJoin(accounts, eq(accounts.id, invitations.accountId))
    .where(eq(invitations.tokenHash, hashToken(token)));
  const problem = invitationLinkProblem(row?.invitation, now);
  if (problem || !row) return { ok: false, problem: problem ?? 'unknown' };
  return { ok: true, ...row };
}

export type Acceptance = { ok: true; person: Person; license: License } | { ok: false; problem: LinkProblem };

/**
 * Accepts an invitation in one transaction: the account row lock (taken by resolveAcceptanceLicense) makes the
 * seat check and the license write one atomic step, so concurrent acceptances never over-distribute
 * Read & Write. The invitation is claimed with a conditional update, so a link works exactly once.
 * "Full permissions" makes the person an administrator; "Read all projects" grants the project read
 * permissions globally — both only now, on acceptance, so a revoked invitation leaves nothing behind.
 */
export async function acceptInvitation(db: Db, token: string, form: { name: string; password: string }): Promise<Acceptance> {
  const found = await findInvitationByToken(db, token);
  if (!found.ok) return found;
  const passwordHash = await hashPassword(form.password); // slow: before the transaction takes any lock
  const { invitation } = found;
  return db.transaction(async (tx): Promise<Acceptance> => {
    const resolved = await resolveAcceptanceLicense(tx, invitation.accountId);
    const [person] = await tx
      .select()
      .from(persons)
      .where(and(eq(persons.id, invitation.personId), eq(persons.accountId, invitation.accountId)))
      .for('no key update');
    const [claimed] = await tx
      .update(invitations)
      .set({ acceptedAt: new Date() })
      .where(and(eq(invitations.id, invitation.id), isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, new Date())))
      .returning();
    if (!claimed || !person || person.invitationState !== 'invited') {
      const [now] = await tx.select().from(invitations).where(eq(invitations.id, invitation.id));
      return { ok: false, problem: invitationLinkProblem(now, new Date()) ?? 'revoked' };
    }
    // A person who already holds a Read & Write seat (given by an administrator meanwhile) keeps it.
    const license: License = person.license === 'read_write' ? 'read_write' : resolved;
    const [accepted] = await tx
      .update(persons)
      .set({
        name: form.name,
        passwordHash,
        license,
        isAdmin: person.isAdmin || claimed.access === 'full',
        invitationState: 'accepted',
        lastSignInAt: new Date(),
      })
      .where(eq(persons.id, person.id))
      .returning();
    if (claimed.access === 'read_all') await insertGlobalGrants(tx, person.accountId, person.id, PROJECT_READ_PERMISSIONS);
    // the invitee acts: what their acceptance changed, and the access the invitation gave
    const changes = changedFields<Record<string, unknown>>(
      { invitationState: person.invitationState, license: person.license, isAdmin: person.isAdmin },
      { invitationState: accepted!.invitationState, license: accepted!.license, isAdmin: accepted!.isAdmin },
    );
    await recordHistory(tx, { accountId: person.accountId, personId: person.id }, {
      kind: 'invitation.accepted',
      subject: { type: 'person', id: person.id },
      before: changes?.before,
      after: { ...changes?.after, access: claimed.access },
    });
    return { ok: true, person: accepted!, license };
  });
}
