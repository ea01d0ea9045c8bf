import { and, asc, eq, type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Sealer } from '../crypto.js';
import type { Db } from '../db/client.js';
import { type ExportedColumn, exportedColumns, exportRow } from './column-rules.js';
import { ACCOUNT_DATA, type AccountTable } from './tables.js';

/** Rows read per statement: what the export holds in memory at a time, whatever the account's size. */
export const EXPORT_BATCH = 500;

export const EXPORT_FORMAT = { format: 'accord-account-export', version: 1 } as const;

/** The cursor columns travel under names no export column can take, and are dropped before a row is written. */
const keyName = (i: number) => `\u0000key${i}`;

/** A column's type for a cast (serial types are integers once created). */
const castType = (column: PgColumn) => column.getSQLType().replace(/^(big|small)?serial$/, (_, size?: string) => (size ? `${size}int` : 'integer'));

/**
 * Selects the exported columns plus the keyset's columns as text (which may be secret: a session id). As text the
 * cursor round-trips exactly: a timestamp keeps its microseconds, which a JavaScript Date would round away.
 */
function selection(t: AccountTable, columns: ExportedColumn[]) {
  const fields: Record<string, ExportedColumn['column'] | SQL> = {};
  for (const c of columns) fields[c.as] = c.column;
  t.keyset.forEach((column, i) => (fields[keyName(i)] = sql`${column}::text`));
  return fields;
}

/** After this key, in keyset order: a row comparison, so a key of several columns pages as one. */
function after(t: AccountTable, key: string[]): SQL {
  const columns = sql.join(t.keyset, sql`, `);
  const values = sql.join(key.map((v, i) => sql`${v}::${sql.raw(castType(t.keyset[i]!))}`), sql`, `);
  return sql`(${columns}) > (${values})`;
}

/** One table's rows of the account, read in keyset batches (each one statement, each resuming after the last key). */
async function* tableBatches(db: Db, t: AccountTable, accountId: string, columns: ExportedColumn[]) {
  const fields = selection(t, columns);
  let key: string[] | undefined;
  for (;;) {
    const rows = (await db
      .select(fields)
      .from(t.table)
      .where(and(eq(t.accountId, accountId), key ? after(t, key) : undefined))
      .orderBy(...t.keyset.map((c) => asc(c)))
      .limit(EXPORT_BATCH)) as Record<string, unknown>[];
    if (rows.length === 0) return;
    yield rows;
    const last = rows[rows.length - 1]!;
    key = t.keyset.map((_, i) => last[keyName(i)] as string);
    if (rows.length < EXPORT_BATCH) return;
  }
}

/**
 * Everything the account owns as one JSON document, produced piece by piece: the account's row, then each
 * account-owned table (found by walking the schema) as an array of rows. Secret columns are never read into
 * the file; sealed ones are opened. Batches are read as the reply is written, so memory stays flat.
 * The batches are not one snapshot (that would hold a transaction open for as long as a slow download lasts);
 * a change made during the export may or may not be in it, as with any read that is not a transaction.
 */
export async function* exportAccountData(db: Db, sealer: Sealer, accountId: string, now = new Date()): AsyncGenerator<string> {
  const { root, owned } = ACCOUNT_DATA;
  const rootColumns = exportedColumns(root.name, root.columns);
  const fields = Object.fromEntries(rootColumns.map((c) => [c.as, c.column]));
  const [account] = (await db.select(fields).from(root.table).where(eq(root.id, accountId))) as Record<string, unknown>[];
  if (!account) throw new Error('account not found');
  const head = { ...EXPORT_FORMAT, exported_at: now.toISOString(), account: exportRow(sealer, rootColumns, account) };
  yield `${JSON.stringify(head).slice(0, -1)},\n"tables":{`;
  let firstTable = true;
  for (const t of owned) {
    const columns = exportedColumns(t.name, t.columns);
    yield `${firstTable ? '' : ','}\n${JSON.stringify(t.name)}:[`;
    firstTable = false;
    let firstRow = true;
    for await (const rows of tableBatches(db, t, accountId, columns)) {
      const lines = rows.map((row) => JSON.stringify(exportRow(sealer, columns, row)));
      yield `${firstRow ? '\n' : ',\n'}${lines.join(',\n')}`;
      firstRow = false;
    }
    yield ']';
  }
  yield '\n}}\n';
}

/** The download's file name: the organization's name as a slug (ASCII letters, digits, hyphens) and the date. */
export function exportFileName(organizationName: string, now = new Date()): string {
  const slug = organizationName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return `accord-${slug || 'organization'}-${now.toISOString().slice(0, 10)}.json`;
}
