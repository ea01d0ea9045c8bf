import { is } from 'drizzle-orm';
import { getTableConfig, type PgColumn, PgTable } from 'drizzle-orm/pg-core';
import * as schema from '../db/schema.js';

/** A table whose rows belong to one account: it has an `account_id` column. Found by walking the drizzle schema. */
export interface AccountTable {
  name: string;
  table: PgTable;
  columns: PgColumn[];
  accountId: PgColumn;
  /**
   * The order of the export's keyset batches after account_id: the columns of a btree index that starts with
   * account_id (so a batch is a range of that index, not a scan over every account's rows), then the rest of
   * the primary key, which makes the order unique. Without such an index: the primary key.
   */
  keyset: PgColumn[];
  /** whether an index leading with account_id serves the keyset (false: each batch filters the primary key's scan) */
  indexed: boolean;
  /** the other account-owned tables this one references (its parents) */
  parents: string[];
}

export interface RootTable {
  name: string;
  table: PgTable;
  columns: PgColumn[];
  id: PgColumn;
}

function primaryKeyOf(name: string, config: ReturnType<typeof getTableConfig>): PgColumn[] {
  const single = config.columns.filter((c) => c.primary);
  // a composite key's columns come from the table's extra config: find the table's own columns by name
  const key = single.length > 0 ? single : (config.primaryKeys[0]?.columns ?? []).map((c) => config.columns.find((col) => col.name === c.name)!);
  if (key.length === 0) throw new Error(`${name}: an account-owned table needs a primary key (exports read it in key order)`);
  return key;
}

/** The columns of a whole-table btree index (plain, NOT NULL columns only: a NULL breaks a keyset comparison). */
function indexColumns(config: ReturnType<typeof getTableConfig>, index: (typeof config.indexes)[number]): PgColumn[] | undefined {
  const { columns, where, method } = index.config;
  if (where || (method && method !== 'btree')) return undefined;
  const found = columns.map((c) => config.columns.find((col) => 'name' in c && col.name === c.name));
  return found.every((c): c is PgColumn => !!c && c.notNull) ? found : undefined;
}

/** The keyset order of a table's export batches (see AccountTable.keyset). */
function keysetOf(config: ReturnType<typeof getTableConfig>, accountId: PgColumn, primaryKey: PgColumn[]): { keyset: PgColumn[]; indexed: boolean } {
  const candidates = [primaryKey, ...config.indexes.map((index) => indexColumns(config, index))];
  for (const columns of candidates) {
    if (columns?.[0] !== accountId) continue;
    const rest = columns.slice(1);
    return { keyset: [...rest, ...primaryKey.filter((c) => c !== accountId && !rest.includes(c))], indexed: true };
  }
  return { keyset: primaryKey, indexed: false };
}

/** Parents before children (a topological sort of the foreign keys between account-owned tables). */
function parentsFirst(tables: AccountTable[]): AccountTable[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const sorted: AccountTable[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (t: AccountTable, path: string[]) => {
    if (state.get(t.name) === 'done') return;
    if (state.get(t.name) === 'visiting') throw new Error(`account-owned tables reference each other in a cycle: ${[...path, t.name].join(' → ')}`);
    state.set(t.name, 'visiting');
    for (const parent of t.parents) visit(byName.get(parent)!, [...path, t.name]);
    state.set(t.name, 'done');
    sorted.push(t);
  };
  for (const t of [...tables].sort((a, b) => a.name.localeCompare(b.name))) visit(t, []);
  return sorted;
}

/**
 * Tables with an `account_id` that hold no data of the account: the version stamps of the cached reads (written
 * by triggers whenever the account's people, permissions or project sections change, and removed with the account
 * by their foreign key's cascade). They are neither exported nor deleted table by table.
 */
export const NOT_ACCOUNT_DATA: readonly PgTable[] = [schema.peopleListVersions, schema.accessVersions, schema.sectionVersions];

/** Walks every table the schema module exports; a new table with an `account_id` joins export and deletion by itself. */
export function walkSchema(): { root: RootTable; owned: AccountTable[] } {
  const tables = (Object.values(schema) as unknown[]).filter((v): v is PgTable => is(v, PgTable));
  let root: RootTable | undefined;
  const owned: AccountTable[] = [];
  for (const table of tables) {
    if (NOT_ACCOUNT_DATA.includes(table)) continue;
    const config = getTableConfig(table);
    if (table === schema.accounts) {
      root = { name: config.name, table, columns: config.columns, id: config.columns.find((c) => c.name === 'id')! };
      continue;
    }
    const accountId = config.columns.find((c) => c.name === 'account_id');
    if (!accountId) continue;
    const parents = config.foreignKeys
      .map((fk) => fk.reference().foreignTable)
      .filter((parent) => parent !== table && parent !== schema.accounts)
      .map((parent) => getTableConfig(parent).name);
    const { keyset, indexed } = keysetOf(config, accountId, primaryKeyOf(config.name, config));
    owned.push({ name: config.name, table, columns: config.columns, accountId, keyset, indexed, parents: [...new Set(parents)] });
  }
  if (!root) throw new Error('the schema has no accounts table');
  // a reference to a table shared by every account (no account_id) orders nothing here
  const names = new Set(owned.map((t) => t.name));
  for (const t of owned) t.parents = t.parents.filter((p) => names.has(p));
  return { root, owned: parentsFirst(owned) };
}

/** The account's own row and every account-owned table, parents first (export order; deletion runs it backwards). */
export const ACCOUNT_DATA = walkSchema();
