import { DrizzlePostgreSQLAdapter } from '@lucia-auth/adapter-drizzle';
import { eq, sql } from 'drizzle-orm';
import { type DatabaseSession, type DatabaseUser, Lucia, TimeSpan } from 'lucia';
import type { Db } from '../db/client.js';
import { accessVersions, accounts, peopleListVersions, persons, sectionVersions, sessions } from '../db/schema.js';

export const SESSION_COOKIE = 'accord_session';
/** A session (and its cookie) lasts this long; lucia renews it when it is used in the second half of that time. */
export const SESSION_DAYS = 30;

/** The person's columns every signed-in request loads. */
const REQUEST_PERSON = {
  id: persons.id,
  accountId: persons.accountId,
  name: persons.name,
  email: persons.email,
  license: persons.license,
  isAdmin: persons.isAdmin,
  telemetry: persons.telemetry,
  invitationState: persons.invitationState,
  /** two-step verification is on (the secret itself is never loaded with a request) */
  twoStepOn: sql<boolean>`${persons.twoStepSecret} is not null`,
  twoStepMustSetUp: persons.twoStepMustSetUp,
};

/**
 * lucia's drizzle adapter, with one change: validating a session also loads the person's account in the
 * same statement (session ⋈ person ⋈ account), so a signed-in request costs one query, not two.
 */
class AccordAdapter extends DrizzlePostgreSQLAdapter {
  /** Runs on every signed-in request: a named prepared statement, so PostgreSQL plans it once per connection. */
  private readonly sessionAndUser;

  constructor(database: Db) {
    // The adapter's generic types expect a concrete driver database; ours is the driver-neutral PgDatabase.
    super(database as never, sessions, persons);
    // Only what a request uses: never the password hash or the sealed personal data.
    this.sessionAndUser = database
      .select({
        session: sessions,
        person: REQUEST_PERSON,
        account: accounts,
        // the version of the account's people lists (see peopleListVersions): a primary-key read in the same statement
        peopleListVersion: sql<string | null>`(select version from ${peopleListVersions} where ${peopleListVersions.accountId} = ${accounts.id})`,
        // and of its permissions (see accessVersions)
        accessVersion: sql<string | null>`(select version from ${accessVersions} where ${accessVersions.accountId} = ${accounts.id})`,
        // and of its projects' comments, tasks and time entries (see sectionVersions: its 16 rows in one string)
        sectionVersion: sql<string | null>`(select string_agg(${sectionVersions.version}, ',' order by ${sectionVersions.slot}) from ${sectionVersions} where ${sectionVersions.accountId} = ${accounts.id})`,
      })
      .from(sessions)
      .innerJoin(persons, eq(sessions.userId, persons.id))
      .innerJoin(accounts, eq(persons.accountId, accounts.id))
      .where(eq(sessions.id, sql.placeholder('sessionId')))
      .prepare('accord_session_and_user');
  }

  override async getSessionAndUser(sessionId: string): Promise<[DatabaseSession | null, DatabaseUser | null]> {
    const [row] = await this.sessionAndUser.execute({ sessionId });
    if (!row) return [null, null];
    const { id, userId, expiresAt, ...sessionAttributes } = row.session;
    const { id: personId, ...personAttributes } = row.person;
    return [
      { id, userId, expiresAt, attributes: sessionAttributes },
      { id: personId, attributes: { ...personAttributes, account: row.account, peopleListVersion: row.peopleListVersion, accessVersion: row.accessVersion, sectionVersion: row.sectionVersion } as never },
    ];
  }
}

export function createLucia(db: Db, secureCookies: boolean) {
  return new Lucia(new AccordAdapter(db), {
    sessionExpiresIn: new TimeSpan(SESSION_DAYS, 'd'),
    sessionCookie: { name: SESSION_COOKIE, attributes: { secure: secureCookies, sameSite: 'lax' } },
    getSessionAttributes: (a) => ({ accountId: a.accountId, lastActiveAt: a.lastActiveAt }),
    getUserAttributes: (a) => ({
      accountId: a.accountId,
      name: a.name,
      email: a.email,
      license: a.license,
      isAdmin: a.isAdmin,
      telemetry: a.telemetry,
      invitationState: a.invitationState,
      twoStepOn: a.twoStepOn,
      twoStepMustSetUp: a.twoStepMustSetUp,
      account: a.account,
      peopleListVersion: a.peopleListVersion,
      accessVersion: a.accessVersion,
      sectionVersion: a.sectionVersion,
    }),
  });
}

export type AppLucia = ReturnType<typeof createLucia>;

declare module 'lucia' {
  interface Register {
    Lucia: AppLucia;
    /** the person's request columns, plus their account, as loaded by the adapter above */
    DatabaseUserAttributes: Pick<typeof persons.$inferSelect, 'accountId' | 'name' | 'email' | 'license' | 'isAdmin' | 'telemetry' | 'invitationState' | 'twoStepMustSetUp'> & {
      twoStepOn: boolean;
      account: typeof accounts.$inferSelect;
      peopleListVersion: string | null;
      accessVersion: string | null;
      sectionVersion: string | null;
    };
    /** what a new session is created with, and (lastActiveAt) what each request reads of it */
    DatabaseSessionAttributes: { accountId: string; userAgent?: string | null; ipPrefix?: string | null; lastActiveAt?: Date };
  }
}
