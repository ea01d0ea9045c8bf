import { isIP } from 'node:net';
import { and, desc, eq, gt, ne, sql } from 'drizzle-orm';
import UAParser from 'ua-parser-js';
import { hashToken } from '../crypto.js';
import type { Db } from '../db/client.js';
import { sessions } from '../db/schema.js';

/** A session's last activity is written at most this often (a request after that writes it once more). */
export const SESSION_ACTIVITY_MINUTES = 5;
/** "Your sessions" shows this many, the most recently active first. */
export const SESSIONS_SHOWN = 100;
const USER_AGENT_MAX = 512;

/**
 * What the page and its forms call a session: a hash of its id, never the id (the id is the credential a browser
 * presents; whoever has it is signed in).
 */
export const sessionHandle = (sessionId: string) => hashToken(sessionId).slice(0, 32);

/** The User-Agent kept with a new session (a long one is cut; none is null). */
export const userAgentOf = (header: unknown) => (typeof header === 'string' && header.trim() ? header.slice(0, USER_AGENT_MAX) : null);

/**
 * An address shortened to an approximate place, the only form kept: IPv4 to its /24 ("203.0.113.x"), IPv6 to
 * its /48 ("2001:db8:85a3::/48"); an IPv4 address written as IPv6 (::ffff:203.0.113.7) as IPv4. Null for
 * anything that is not an address.
 */
export function shortenIp(ip: unknown): string | null {
  if (typeof ip !== 'string') return null;
  const address = ip.replace(/%.*$/, '').replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
  const kind = isIP(address);
  if (kind === 4) return `${address.split('.').slice(0, 3).join('.')}.x`;
  if (kind !== 6) return null;
  const [head = '', tail] = address.split('::');
  const first = head ? head.split(':') : [];
  const last = tail === undefined ? [] : tail ? tail.split(':') : [];
  const groups = tail === undefined ? first : [...first, ...Array<string>(Math.max(0, 8 - first.length - last.length)).fill('0'), ...last];
  return `${groups.slice(0, 3).map((g) => Number.parseInt(g, 16).toString(16)).join(':')}::/48`;
}

/** "Firefox 132" and "Windows 10" from a User-Agent; what can't be told is said so. */
export function describeUserAgent(userAgent: string | null): { browser: string; system: string } {
  if (!userAgent) return { browser: 'Unknown browser', system: 'Unknown system' };
  const { browser, os } = new UAParser(userAgent).getResult();
  const name = (n?: string, v?: string) => (n ? (v ? `${n} ${v}` : n) : undefined);
  return { browser: name(browser.name, browser.major) ?? 'Unknown browser', system: name(os.name, os.version) ?? 'Unknown system' };
}

const touch = (db: Db) =>
  db
    .update(sessions)
    .set({ lastActiveAt: sql`now()` })
    .where(eq(sessions.id, sql.placeholder('id')))
    .prepare('accord_session_touch');
const touches = new WeakMap<Db, ReturnType<typeof touch>>();

/** Records a request made with the session, when its last recorded one is SESSION_ACTIVITY_MINUTES old or more. */
export async function recordActivity(db: Db, session: { id: string; lastActiveAt?: Date }): Promise<void> {
  if (session.lastActiveAt && Date.now() - session.lastActiveAt.getTime() < SESSION_ACTIVITY_MINUTES * 60_000) return;
  let statement = touches.get(db);
  if (!statement) touches.set(db, (statement = touch(db)));
  await statement.execute({ id: session.id });
}

/** The person's sessions that have not expired, the most recently active first (SESSIONS_SHOWN + 1 at most). */
export function listSessions(db: Db, personId: string) {
  return db
    .select({ id: sessions.id, createdAt: sessions.createdAt, lastActiveAt: sessions.lastActiveAt, userAgent: sessions.userAgent, ipPrefix: sessions.ipPrefix })
    .from(sessions)
    .where(and(eq(sessions.userId, personId), gt(sessions.expiresAt, sql`now()`)))
    .orderBy(desc(sessions.lastActiveAt), desc(sessions.createdAt))
    .limit(SESSIONS_SHOWN + 1);
}

/** Ends the person's session with this handle; the id it ended, or undefined when there is none (ended already). */
export async function endSessionByHandle(db: Db, personId: string, handle: string): Promise<string | undefined> {
  const mine = await db.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, personId));
  const found = mine.find((s) => sessionHandle(s.id) === handle);
  if (!found) return undefined;
  const ended = await db.delete(sessions).where(and(eq(sessions.id, found.id), eq(sessions.userId, personId))).returning({ id: sessions.id });
  return ended[0]?.id;
}

/** Ends every session of the person but `keepId`; how many ended. */
export async function endOtherSessions(db: Db, personId: string, keepId: string): Promise<number> {
  const ended = await db.delete(sessions).where(and(eq(sessions.userId, personId), ne(sessions.id, keepId))).returning({ id: sessions.id });
  return ended.length;
}
