// One row in every table the account owns, built by walking the schema (src/account-data/tables.ts): a table added
// later gets its row without a change here, as long as its columns are of a type `valueFor` knows.
import { eq, getTableColumns, sql } from 'drizzle-orm';
import { getTableConfig, type PgColumn, type PgTable } from 'drizzle-orm/pg-core';
import { COLUMN_RULES } from '../../src/account-data/column-rules.js';
import { ACCOUNT_DATA } from '../../src/account-data/tables.js';
import type { Sealer } from '../../src/crypto.js';
import type { Db } from '../../src/db/client.js';

/** Every secret value the rows hold starts with this, so a test can look for it anywhere in an export. */
export const SECRET_MARK = 'SECRET';

const isSecret = (table: string, column: string) => COLUMN_RULES[table]?.secret?.includes(column) ?? false;
const isSealed = (table: string, column: string) => Object.hasOwn(COLUMN_RULES[table]?.open ?? {}, column);

/** A value of the column's type that names the account (`tag`), the table and the column, so it can be found again. */
function valueFor(sealer: Sealer, tag: string, table: string, column: PgColumn): unknown {
  const text = `${tag}-${table}-${column.name}`;
  if (column.enumValues?.length) return column.enumValues[0];
  switch (column.columnType) {
    case 'PgText':
    case 'PgVarchar':
      if (isSecret(table, column.name)) return `${SECRET_MARK}-${text}`;
      return isSealed(table, column.name) ? sealer.seal(`opened-${text}`) : text;
    case 'PgTimestamp':
      return new Date('2031-02-03T04:05:06.789Z');
    case 'PgBoolean':
      return true;
    case 'PgInteger':
    case 'PgBigInt53':
      return 7;
    case 'PgNumeric':
      return '7.25'; // within every numeric column's checks (hours: more than 0, at most 24)
    case 'PgDateString':
    case 'PgDate':
      return '2031-02-03';
    case 'PgJsonb':
    case 'PgJson':
      return { note: text };
    case 'PgArray':
      return [text];
    default:
      throw new Error(`test/helpers/account-rows.ts can't fill ${table}.${column.name} (${column.columnType}): teach valueFor this type`);
  }
}

/** The JavaScript property of each column, for drizzle's insert (which takes property names, not SQL names). */
function propertyOf(table: PgTable, column: PgColumn): string {
  return Object.entries(getTableColumns(table)).find(([, c]) => c === column)![0];
}

/** Nullable columns a table's check leaves empty when another is filled (a role is held by a person or a group). */
const ONE_OF: Record<string, string[]> = { project_roles: ['group_id'] };

export interface AccountRows {
  accountId: string;
  /** the inserted rows by table, as the database returned them (property names) */
  rows: Record<string, Record<string, unknown>>;
}

/**
 * Inserts one row into every account-owned table for the account (and, unless it exists, the account's row),
 * parents first; a foreign key points at the row just inserted into its parent. Every column gets a value
 * (serials and generated columns aside), so every column can be looked for in an export.
 */
export async function insertAccountRows(db: Db, sealer: Sealer, tag: string, existingAccountId?: string): Promise<AccountRows> {
  const { root, owned } = ACCOUNT_DATA;
  const rows: Record<string, Record<string, unknown>> = {};
  let accountId = existingAccountId;
  if (!accountId) {
    const values = Object.fromEntries(root.columns.filter((c) => !c.generated).map((c) => [propertyOf(root.table, c), valueFor(sealer, tag, root.name, c)]));
    const [inserted] = await db.insert(root.table).values(values as never).returning();
    accountId = (inserted as { id: string }).id;
  }
  for (const t of owned) {
    // by SQL name: a composite foreign key declared in the table's extra config holds copies of the column objects
    const references = new Map<string, { table: string; column: PgColumn }>();
    for (const fk of getTableConfig(t.table).foreignKeys) {
      const ref = fk.reference();
      const parent = getTableConfig(ref.foreignTable);
      ref.columns.forEach((c, i) => references.set(c.name, { table: parent.name, column: parent.columns.find((p) => p.name === ref.foreignColumns[i]!.name)! }));
    }
    const values: Record<string, unknown> = {};
    for (const c of t.columns) {
      if (c.generated || c.columnType.includes('Serial')) continue;
      if (ONE_OF[t.name]?.includes(c.name)) continue;
      const ref = references.get(c.name);
      const key = propertyOf(t.table, c);
      if (c === t.accountId || ref?.table === root.name) values[key] = accountId;
      else if (ref && rows[ref.table]) values[key] = rows[ref.table]![propertyOf(ref.column.table as PgTable, ref.column)];
      else values[key] = valueFor(sealer, tag, t.name, c);
    }
    const [inserted] = await db.insert(t.table).values(values as never).returning();
    rows[t.name] = inserted as Record<string, unknown>;
  }
  return { accountId, rows };
}

/** How many rows of the account each account-owned table holds, and (under `accounts`) whether its own row is there. */
export async function accountRowCounts(db: Db, accountId: string): Promise<Record<string, number>> {
  const { root, owned } = ACCOUNT_DATA;
  const counts: Record<string, number> = {};
  for (const table of owned) {
    const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(table.table).where(eq(table.accountId, accountId));
    counts[table.name] = row!.n;
  }
  counts[root.name] = (await db.select().from(root.table).where(eq(root.id, accountId))).length;
  return counts;
}
