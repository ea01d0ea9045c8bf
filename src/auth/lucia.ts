import { DrizzlePostgreSQLAdapter } from '@lucia-auth/adapter-drizzle';
import { Lucia, TimeSpan } from 'lucia';
import type { Db } from '../db/client.js';
import { persons, sessions } from '../db/schema.js';

export const SESSION_COOKIE = 'accord_session';

export function createLucia(db: Db, secureCookies: boolean) {
  // The adapter's generic types expect a concrete driver database; ours is the driver-neutral PgDatabase.
  const adapter = new DrizzlePostgreSQLAdapter(db as never, sessions, persons);
  return new Lucia(adapter, {
    sessionExpiresIn: new TimeSpan(30, 'd'),
    sessionCookie: { name: SESSION_COOKIE, attributes: { secure: secureCookies, sameSite: 'lax' } },
    getSessionAttributes: (a) => ({ accountId: a.accountId }),
    getUserAttributes: (a) => ({
      accountId: a.accountId,
      name: a.name,
      email: a.email,
      license: a.license,
      isAdmin: a.isAdmin,
      telemetry: a.telemetry,
      invitationState: a.invitationState,
    }),
  });
}

export type AppLucia = ReturnType<typeof createLucia>;

declare module 'lucia' {
  interface Register {
    Lucia: AppLucia;
    DatabaseUserAttributes: typeof persons.$inferSelect;
    DatabaseSessionAttributes: { accountId: string };
  }
}
