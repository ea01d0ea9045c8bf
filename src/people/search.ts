import { and, asc, eq, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { persons } from '../db/schema.js';

export interface PersonSummary {
  id: string;
  name: string;
  email: string;
  license: 'read_write' | 'read_only' | 'none';
  isAdmin: boolean;
  invitationState: 'none' | 'invited' | 'accepted';
  lastSignInAt: Date | null;
}

export interface SearchResult {
  rows: PersonSummary[];
  /** how many people match in all (for pagination) */
  total: number;
}

/** Escapes LIKE wildcards so a search for "50%" or "a_b" finds exactly that text. */
export function escapeLike(q: string): string {
  return q.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * The account's people whose name or email contains `q` (case-insensitive substring, served by the trigram
 * indexes), ordered by name; one SQL statement whatever the size of the account (the total comes from a window).
 */
export async function searchPeople(db: Db, accountId: string, opts: { q?: string; limit: number; offset?: number }): Promise<SearchResult> {
  const q = opts.q?.trim() ?? '';
  const where: SQL[] = [eq(persons.accountId, accountId)];
  if (q) {
    const pattern = `%${escapeLike(q)}%`;
    where.push(sql`(${persons.name} ilike ${pattern} or ${persons.email} ilike ${pattern})`);
  }
  const rows = await db
    .select({
      id: persons.id,
      name: persons.name,
      email: persons.email,
      license: persons.license,
      isAdmin: persons.isAdmin,
      invitationState: persons.invitationState,
      lastSignInAt: persons.lastSignInAt,
      total: sql<number>`count(*) over ()`.mapWith(Number),
    })
    .from(persons)
    .where(and(...where))
    .orderBy(asc(persons.name), asc(persons.id))
    .limit(opts.limit)
    .offset(opts.offset ?? 0);
  return { rows: rows.map(({ total: _t, ...r }) => r), total: rows[0]?.total ?? 0 };
}
