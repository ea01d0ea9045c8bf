import { lte } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/client.js';
import { passwordResets, rateLimits, sessions } from '../db/schema.js';
import { loggableError } from '../web/errors.js';

/** Deletes what has expired: sessions, password reset links, rate-limit windows. Idempotent: any instance may run it. */
export async function deleteExpired(db: Db, now = new Date()): Promise<void> {
  await db.delete(sessions).where(lte(sessions.expiresAt, now));
  await db.delete(passwordResets).where(lte(passwordResets.expiresAt, now));
  await db.delete(rateLimits).where(lte(rateLimits.resetAt, now));
}

/** Runs deleteExpired every `everyMs` (and once at start) without keeping the process alive. */
export function scheduleCleanup(db: Db, log: FastifyBaseLogger, everyMs = 3600_000): () => void {
  const run = () => deleteExpired(db).catch((err) => log.warn({ error: loggableError(err) }, 'cleanup of expired rows failed'));
  void run();
  const timer = setInterval(run, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
