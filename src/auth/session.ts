import { eq } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Session, User } from 'lucia';
import type { Db } from '../db/client.js';
import { accounts } from '../db/schema.js';
import type { AppLucia } from './lucia.js';
import { HttpError } from '../web/http-errors.js';
import { recordActivity, shortenIp, userAgentOf } from './sessions.js';
import { mustSetUpTwoStep, TWO_STEP_PAGE } from './two-step.js';

export type Account = typeof accounts.$inferSelect;

/** Who is signed in, in which account. `person` is lucia's user (persons row attributes). */
export interface Auth {
  session: Session;
  person: Omit<User, 'account' | 'peopleListVersion' | 'accessVersion' | 'sectionVersion'>;
  account: Account;
  /**
   * The version of the account's people lists read with the session (null: no change recorded yet); lists of
   * people may be served from the cache under it. Undefined where it was not read: nothing is cached.
   */
  peopleListVersion?: string | null;
  /** The version of the account's permissions read with the session: resolved access may come from the cache. */
  accessVersion?: string | null;
  /**
   * The same version on every method, POST included: only for the check a change makes before it changes anything
   * (editProject), which is then as fresh as a GET's. Reads after a change must not use it: they would get what was
   * cached before the change.
   */
  accessVersionAtStart?: string | null;
  /** The version of the account's project sections (comments, tasks, time entries): their pages may come from the cache. */
  sectionVersion?: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    auth: Auth | null;
  }
  interface FastifyInstance {
    lucia: AppLucia;
  }
}

export function findAccount(db: Db, accountId: string): Promise<Account | undefined> {
  return db.query.accounts.findFirst({ where: eq(accounts.id, accountId) });
}

export function setSessionCookie(app: FastifyInstance, reply: FastifyReply, sessionId: string): void {
  const c = app.lucia.createSessionCookie(sessionId);
  reply.setCookie(c.name, c.value, c.attributes);
}

/**
 * Signs the request's browser in as the person: a new session (the one it had ends), with the browser's
 * User-Agent and its address shortened (Personal, "Your sessions"), and its cookie.
 */
export async function startSession(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, personId: string, accountId: string) {
  if (request.auth) await app.lucia.invalidateSession(request.auth.session.id);
  const session = await app.lucia.createSession(personId, { accountId, userAgent: userAgentOf(request.headers['user-agent']), ipPrefix: shortenIp(request.ip) });
  setSessionCookie(app, reply, session.id);
}

export function clearSessionCookie(app: FastifyInstance, reply: FastifyReply): void {
  const c = app.lucia.createBlankSessionCookie();
  reply.setCookie(c.name, c.value, c.attributes);
}

const SESSION_ID = /^[a-z0-9]{1,255}$/;
/** What a person who must set up two-step verification can still reach. */
const TWO_STEP_SET_UP_PATHS = new Set([TWO_STEP_PAGE, '/logout']);

/** Validates the lucia session cookie on every request; the same single query loads the person's account. */
export default fp(async function sessionPlugin(app: FastifyInstance, opts: { db: Db; lucia: AppLucia }) {
  app.decorate('lucia', opts.lucia);
  app.decorateRequest('auth', null);
  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith('/public/') || request.url.startsWith('/vendor/')) return;
    const sessionId = request.cookies[opts.lucia.sessionCookieName];
    // lucia's ids are lower-case base32; anything else (a forged cookie) is no session, and never reaches SQL
    if (!sessionId || !SESSION_ID.test(sessionId)) return;
    const { session, user } = await opts.lucia.validateSession(sessionId);
    if (!session || !user || user.license === 'none') {
      if (session) await opts.lucia.invalidateSession(session.id);
      clearSessionCookie(app, reply);
      return;
    }
    if (session.fresh) setSessionCookie(app, reply, session.id);
    await recordActivity(opts.db, session);
    const { account, peopleListVersion, accessVersion, sectionVersion, ...person } = user;
    // Cached reads serve only GET and HEAD, which change nothing: a POST that reads after its own change (a
    // fragment showing the new state) must not get what was cached under the version read before that change. Its
    // check before the change may: that version is as new as a GET's (accessVersionAtStart).
    const reading = request.method === 'GET' || request.method === 'HEAD';
    const atStart = { accessVersionAtStart: accessVersion };
    request.auth = reading
      ? { session, person, account, peopleListVersion, accessVersion, sectionVersion, ...atStart }
      : { session, person, account, ...atStart };
    // Two-step verification required (by the organization, or after an administrator's reset) and not set up: the
    // set-up page and signing out are all the person can reach until it is on.
    if (mustSetUpTwoStep(person, account) && !TWO_STEP_SET_UP_PATHS.has(request.url.split('?')[0]!)) {
      if (!reading) throw new HttpError(403, 'Your organization requires two-step verification. Set it up first, in Personal, Two-step verification.');
      return reply.redirect(`${TWO_STEP_PAGE}?notice=two-step-required`, 303);
    }
  });
});
