import { sql } from 'drizzle-orm';
import type { Sealer } from '../crypto.js';
import { type Db, rowsOf } from '../db/client.js';

/** A person's sealed columns as read for re-sealing (null: nothing sealed there). */
export interface SealedRow {
  id: string;
  phone: string | null;
  reminder: string | null;
  /** the TOTP secret of two-step verification */
  twoStep: string | null;
}

export interface ResealResult {
  /** rows re-sealed under APP_KEY */
  resealed: number;
  /** rows that changed between read and write: left as the concurrent change made them */
  changedMeanwhile: number;
  /** ids of rows no configured key opens (left as they are) */
  unreadable: string[];
  /** rows still sealed under an older key when the run ended */
  remaining: number;
}

export interface ResealOptions {
  batchSize?: number;
  print?: (line: string) => void;
  /** runs after each batch is read and before it is written (tests change a row here, as a concurrent request would) */
  afterRead?: (rows: SealedRow[], db: Db) => Promise<void>;
}

/** Rows with a value sealed under another key than `keyId` (or before key ids), after `afterId`, in id order. */
function staleRows(db: Db, keyId: string, afterId: string, limit: number) {
  const prefix = `v2.${keyId}.`;
  return db.execute(sql`
    select id, phone_encrypted as phone, reminder_encrypted as reminder, two_step_secret as "twoStep" from persons
    where id > ${afterId}
      and ((phone_encrypted is not null and not starts_with(phone_encrypted, ${prefix}))
        or (reminder_encrypted is not null and not starts_with(reminder_encrypted, ${prefix}))
        or (two_step_secret is not null and not starts_with(two_step_secret, ${prefix})))
    order by id
    limit ${limit}`);
}

export async function countStale(db: Db, keyId: string): Promise<number> {
  const prefix = `v2.${keyId}.`;
  const res = await db.execute(sql`
    select count(*)::int as n from persons
    where (phone_encrypted is not null and not starts_with(phone_encrypted, ${prefix}))
       or (reminder_encrypted is not null and not starts_with(reminder_encrypted, ${prefix}))
       or (two_step_secret is not null and not starts_with(two_step_secret, ${prefix}))`);
  return Number(rowsOf<{ n: number }>(res)[0]!.n);
}

/**
 * Writes a batch in one statement (one transaction). Compare-and-set: a row is updated only if all its sealed
 * values are still the ones read, so a concurrent change is never overwritten with stale data. Returns the ids written.
 */
async function writeBatch(db: Db, batch: { row: SealedRow; phone: string | null; reminder: string | null; twoStep: string | null }[]) {
  const values = sql.join(
    batch.map(
      ({ row, phone, reminder, twoStep }) =>
        sql`(${row.id}::text, ${row.phone}::text, ${row.reminder}::text, ${row.twoStep}::text, ${phone}::text, ${reminder}::text, ${twoStep}::text)`,
    ),
    sql`, `,
  );
  const res = await db.execute(sql`
    update persons p set phone_encrypted = v.new_phone, reminder_encrypted = v.new_reminder, two_step_secret = v.new_two_step
    from (values ${values}) as v(id, old_phone, old_reminder, old_two_step, new_phone, new_reminder, new_two_step)
    where p.id = v.id
      and p.phone_encrypted is not distinct from v.old_phone
      and p.reminder_encrypted is not distinct from v.old_reminder
      and p.two_step_secret is not distinct from v.old_two_step
    returning p.id`);
  return rowsOf<{ id: string }>(res).length;
}

/**
 * Re-seals every sealed value under the sealer's current key (APP_KEY), in batches walked by id (keyset), each
 * written in its own transaction. Safe while the app serves; running it again finds nothing left to do.
 */
export async function resealAll(db: Db, sealer: Sealer, opts: ResealOptions = {}): Promise<ResealResult> {
  const batchSize = opts.batchSize ?? 500;
  const print = opts.print ?? (() => {});
  const result: ResealResult = { resealed: 0, changedMeanwhile: 0, unreadable: [], remaining: 0 };
  const reseal = (value: string | null) => (value === null || !sealer.isStale(value) ? value : sealer.seal(sealer.open(value)));
  let afterId = '';
  for (;;) {
    const rows = rowsOf<SealedRow>(await staleRows(db, sealer.keyId, afterId, batchSize));
    if (rows.length === 0) break;
    afterId = rows.at(-1)!.id;
    await opts.afterRead?.(rows, db);
    const batch = [];
    for (const row of rows) {
      try {
        batch.push({ row, phone: reseal(row.phone), reminder: reseal(row.reminder), twoStep: reseal(row.twoStep) });
      } catch {
        result.unreadable.push(row.id);
      }
    }
    const written = batch.length ? await writeBatch(db, batch) : 0;
    result.resealed += written;
    result.changedMeanwhile += batch.length - written;
    print(`Re-sealed ${written} of ${rows.length} rows in this batch (${result.resealed} so far).`);
  }
  result.remaining = await countStale(db, sealer.keyId);
  return result;
}
