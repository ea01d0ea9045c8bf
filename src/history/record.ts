import type { Tx } from '../db/client.js';
import { historyEntries } from '../db/schema.js';
import type { HistoryKind } from './kinds.js';

export type SubjectType = (typeof historyEntries.subjectType.enumValues)[number];

/** Who changes something, in which account: the person's id, or null when the system acts. */
export interface Actor {
  accountId: string;
  personId: string | null;
}

export const actorOf = (auth: { account: { id: string }; person: { id: string } }): Actor => ({ accountId: auth.account.id, personId: auth.person.id });

type Fields = Record<string, unknown>;

export interface HistoryEntry {
  kind: HistoryKind;
  subject: { type: SubjectType; id: string };
  /** only the fields that changed (see changedFields); ids rather than personal data */
  before?: Fields | null;
  after?: Fields | null;
}

/**
 * Records one history entry. It takes a transaction, not the database: call it inside the transaction of the
 * change itself, so a change that rolls back leaves no entry and an entry never exists without its change.
 */
export async function recordHistory(tx: Tx, actor: Actor, entry: HistoryEntry): Promise<void> {
  await tx.insert(historyEntries).values({
    accountId: actor.accountId,
    actorId: actor.personId,
    kind: entry.kind,
    subjectType: entry.subject.type,
    subjectId: entry.subject.id,
    before: entry.before ?? null,
    after: entry.after ?? null,
  });
}

const same = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);

/** The fields of `after` whose values differ from `before`, as {before, after}; null when nothing changed. */
export function changedFields<T extends Fields>(before: T, after: Partial<T>): { before: Partial<T>; after: Partial<T> } | null {
  const keys = Object.keys(after).filter((k) => after[k] !== undefined && !same(before[k], after[k]));
  if (keys.length === 0) return null;
  const pick = (o: Partial<T>) => Object.fromEntries(keys.map((k) => [k, o[k] ?? null])) as Partial<T>;
  return { before: pick(before), after: pick(after) };
}

/** Records `kind` for the fields that changed; nothing when none did. True when an entry was written. */
export async function recordChanges<T extends Fields>(
  tx: Tx,
  actor: Actor,
  kind: HistoryKind,
  subject: HistoryEntry['subject'],
  before: T,
  after: Partial<T>,
): Promise<boolean> {
  const changes = changedFields(before, after);
  if (!changes) return false;
  await recordHistory(tx, actor, { kind, subject, ...changes });
  return true;
}
