import { and, eq, sql } from 'drizzle-orm';
import type { Auth } from '../auth/session.js';
import { lockAccount } from '../account/organization.js';
import type { Db } from '../db/client.js';
import { accounts, persons, usageEvents } from '../db/schema.js';
import { type Actor, recordChanges } from '../history/record.js';

export const TELEMETRY_NOT_ALLOWED = 'Your administrator has not enabled this setting for the account.';

/** A person may send telemetry only while their account has privacy settings enabled. */
export function canSendTelemetry(account: { privacyEnabled: boolean }): boolean {
  return account.privacyEnabled;
}

/** Whether usage events are recorded for this person now: their own opt-in, allowed by the account. */
export function isTelemetryActive(person: { telemetry: boolean }, account: { privacyEnabled: boolean }): boolean {
  return person.telemetry && canSendTelemetry(account);
}

/** The telemetry switch's one statement, built once per database (drizzle rebuilding it was half the request). */
function prepareTelemetryUpdate(db: Db) {
  const on = sql`${sql.placeholder('on')}::boolean`;
  return db
    .update(persons)
    .set({ telemetry: on })
    .where(
      and(
        eq(persons.id, sql.placeholder('personId')),
        eq(persons.accountId, sql.placeholder('accountId')),
        sql`(not ${on} or exists (select 1 from ${accounts} where ${accounts.id} = ${persons.accountId} and ${accounts.privacyEnabled}))`,
      ),
    )
    .returning({ id: persons.id })
    .prepare('accord_update_telemetry');
}
const telemetryUpdates = new WeakMap<Db, ReturnType<typeof prepareTelemetryUpdate>>();

/**
 * Sets a person's "Send telemetry data". Turning it on is one conditional update that also checks the
 * account still allows it, so a concurrent "disable" by an administrator can't be overtaken. False = refused.
 */
export async function updatePersonalTelemetry(db: Db, auth: Auth, on: boolean): Promise<boolean> {
  let update = telemetryUpdates.get(db);
  if (!update) telemetryUpdates.set(db, (update = prepareTelemetryUpdate(db)));
  const rows = await update.execute({ on, personId: auth.person.id, accountId: auth.account.id });
  return rows.length === 1;
}

/**
 * Saves the account's privacy switches, with a history entry of what changed; disabling privacy settings
 * withdraws everyone's telemetry opt-in (each person's own choice, which the history does not show).
 */
export async function updateAccountPrivacy(db: Db, actor: Actor, s: { privacyEnabled: boolean; aiAllowed: boolean }) {
  const accountId = actor.accountId;
  await db.transaction(async (tx) => {
    const before = await lockAccount(tx, accountId);
    if (!before) return;
    await tx.update(accounts).set(s).where(eq(accounts.id, accountId));
    if (!s.privacyEnabled) {
      await tx.update(persons).set({ telemetry: false }).where(and(eq(persons.accountId, accountId), eq(persons.telemetry, true)));
    }
    await recordChanges(tx, actor, 'account.privacy', { type: 'account', id: accountId }, before, s);
  });
}

/**
 * Records one usage event (which page, when; never content). The insert re-checks the opt-in and the
 * account's permission in SQL, so nothing is recorded for anyone whose telemetry is off or not allowed.
 */
export async function recordUsageEvent(db: Db, auth: Auth, page: string): Promise<void> {
  if (!isTelemetryActive(auth.person, auth.account)) return;
  await db.execute(sql`
    insert into ${usageEvents} (account_id, person_id, page)
    select ${auth.account.id}, p.id, ${page}
    from ${persons} p join ${accounts} a on a.id = p.account_id
    where p.id = ${auth.person.id} and p.telemetry and a.privacy_enabled`);
}
