import { lte, sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import { type Db, rowsOf } from '../db/client.js';
import { passwordResets, rateLimits, sessions, twoStepChallenges } from '../db/schema.js';
import { loggableError } from '../web/errors.js';

/** How often each instance runs the cleanup (the privacy policy quotes it). */
export const CLEANUP_EVERY_MINUTES = 60;
/** The advisory lock that lets one instance at a time run the cleanup. */
export const CLEANUP_LOCK = 727_003;
/** History entries deleted per transaction: a long history goes in short steps, never one huge delete. */
export const HISTORY_DELETE_BATCH = 5000;

export interface CleanupOptions {
  now?: Date;
  /** history entries older than this many days go (HISTORY_RETENTION_DAYS) */
  historyRetentionDays: number;
  batch?: number;
}

export interface CleanupResult {
  /** false: another instance was running the cleanup, so this one did nothing */
  ran: boolean;
  historyDeleted: number;
}

/**
 * Deletes what has expired: sessions, password reset links, half-signed-in states of two-step verification, rate-limit windows, and history entries older than
 * the retention period (in batches). Each step is a transaction that first takes a PostgreSQL advisory lock
 * (pg_try_advisory_xact_lock): when another instance holds it, this one stops, so with several instances the
 * cleanup runs once at a time. Idempotent.
 */
export async function deleteExpired(db: Db, opts: CleanupOptions): Promise<CleanupResult> {
  const now = opts.now ?? new Date();
  const batch = opts.batch ?? HISTORY_DELETE_BATCH;
  const cutoff = new Date(now.getTime() - opts.historyRetentionDays * 86_400_000).toISOString();
  const locked = async (tx: Parameters<Parameters<Db['transaction']>[0]>[0]) => {
    const [row] = rowsOf<{ locked: boolean }>(await tx.execute(sql`select pg_try_advisory_xact_lock(${CLEANUP_LOCK}) as locked`));
    return row?.locked === true;
  };
  const ran = await db.transaction(async (tx) => {
    if (!(await locked(tx))) return false;
    await tx.delete(sessions).where(lte(sessions.expiresAt, now));
    await tx.delete(passwordResets).where(lte(passwordResets.expiresAt, now));
    await tx.delete(twoStepChallenges).where(lte(twoStepChallenges.expiresAt, now));
    await tx.delete(rateLimits).where(lte(rateLimits.resetAt, now));
    return true;
  });
  let historyDeleted = 0;
  while (ran) {
    const deleted = await db.transaction(async (tx) => {
      if (!(await locked(tx))) return 0;
      const rows = rowsOf<{ id: unknown }>(
        await tx.execute(sql`delete from history_entries where id in (
          select id from history_entries where created_at < ${cutoff}::timestamptz limit ${batch}) returning id`),
      );
      return rows.length;
    });
    historyDeleted += deleted;
    if (deleted < batch) break;
  }
  return { ran, historyDeleted };
}

/** Runs deleteExpired every `everyMs` (and once at start) without keeping the process alive. */
export function scheduleCleanup(db: Db, log: FastifyBaseLogger, opts: { historyRetentionDays: number; everyMs?: number }): () => void {
  const run = () =>
    deleteExpired(db, { historyRetentionDays: opts.historyRetentionDays }).catch((err) => log.warn({ error: loggableError(err) }, 'cleanup of expired rows failed'));
  void run();
  const timer = setInterval(run, opts.everyMs ?? CLEANUP_EVERY_MINUTES * 60_000);
  timer.unref();
  return () => clearInterval(timer);
}
