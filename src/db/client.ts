import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import { type SQL, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type postgres from 'postgres';
import { createPglite } from './pglite.js';
import * as schema from './schema.js';

// Each database's driver (and drizzle's migrator) is imported when that database is opened: a start loads one.

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** SQL statements sent through drizzle so far (tests assert that a page sends a bounded number). */
  stats: { queries: number };
  close(): Promise<void>;
}

function counter() {
  const stats = { queries: 0 };
  return { stats, logger: { logQuery: () => void stats.queries++ } };
}

export const migrationsFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../drizzle');

/** The newest migration in drizzle/ (the journal's `when`, which drizzle stores as the migration's created_at). */
function newestMigration(): number {
  const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as { entries: { when: number }[] };
  return Math.max(...journal.entries.map((e) => e.when));
}

const LAST_APPLIED = 'select max(created_at)::text as last from drizzle.__drizzle_migrations';

/**
 * drizzle's migrator applies every migration newer than the newest it recorded, and spends a few statements
 * finding that out; at a start with nothing to apply, one query says so (no table yet: not up to date).
 */
async function upToDate(lastApplied: () => Promise<{ last: string | null }[]>): Promise<boolean> {
  try {
    const [row] = await lastApplied();
    return row?.last != null && Number(row.last) >= newestMigration();
  } catch {
    return false;
  }
}

/** A fixed key for the advisory lock that serialises migrations when several instances start at once. */
const MIGRATION_LOCK = 727_001;

/**
 * drizzle asks postgres-js not to prepare unnamed queries; we let it (postgres-js's own default), so PostgreSQL
 * parses and plans each distinct statement once per connection instead of on every request (and may settle on
 * a generic plan: replanning the session lookup on each request cost a quarter of the signed-in throughput).
 */
function preparing(client: postgres.Sql): postgres.Sql {
  const unsafe = client.unsafe.bind(client);
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === 'unsafe') {
        return (query: string, params?: never[], options?: postgres.UnsafeQueryOptions) => unsafe(query, params, { ...options, prepare: true });
      }
      return Reflect.get(target, prop, receiver);
    },
  });
}

export interface OpenOptions {
  /** postgres:// URL; without it the embedded PGlite is used. */
  url?: string;
  /** PGlite data folder; 'memory://' keeps everything in memory (tests). */
  dataDir?: string;
  /** connections in the postgres pool */
  max?: number;
  /** PGlite already being opened (createPglite) in dataDir: the server starts it before the app's modules load */
  pglite?: Promise<PGlite>;
  migrate?: boolean;
}

/** Opens PostgreSQL (postgres driver) when a URL is given, else PGlite in a folder; applies migrations. */
export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.url) {
    const [{ default: postgres }, { drizzle: drizzlePostgres }] = await Promise.all([import('postgres'), import('drizzle-orm/postgres-js')]);
    const client = postgres(opts.url, {
      max: Math.max(2, opts.max ?? 10),
      onnotice: () => {},
    });
    const { stats, logger } = counter();
    const db = drizzlePostgres(preparing(client), { schema, logger }) as unknown as Db;
    if (opts.migrate !== false && !(await upToDate(() => client.unsafe(LAST_APPLIED)))) {
      // One reserved connection holds the lock while the pool runs the migrations.
      const { migrate: migratePostgres } = await import('drizzle-orm/postgres-js/migrator');
      const lock = await client.reserve();
      try {
        await lock`select pg_advisory_lock(${MIGRATION_LOCK})`;
        await migratePostgres(drizzlePostgres(client), { migrationsFolder });
      } finally {
        await lock`select pg_advisory_unlock(${MIGRATION_LOCK})`;
        lock.release();
      }
    }
    return { db, kind: 'postgres', stats, close: () => client.end({ timeout: 5 }) };
  }
  return wrapPglite(opts.pglite ?? createPglite(opts.dataDir ?? 'memory://'), opts.migrate !== false);
}

export async function wrapPglite(pglite: PGlite | Promise<PGlite>, runMigrations = true): Promise<Database> {
  const [client, { drizzle: drizzlePglite }] = await Promise.all([pglite, import('drizzle-orm/pglite')]);
  const { stats, logger } = counter();
  const db = drizzlePglite(client, { schema, logger }) as unknown as Db;
  if (runMigrations && !(await upToDate(async () => (await client.query<{ last: string | null }>(LAST_APPLIED)).rows))) {
    const { migrate: migratePglite } = await import('drizzle-orm/pglite/migrator');
    await migratePglite(drizzlePglite(client), { migrationsFolder });
  }
  return { db, kind: 'pglite', stats, close: () => client.close() };
}

/** Cheap liveness probe used by /healthz. */
export async function pingDatabase(db: Db): Promise<void> {
  await db.execute(sql`select 1`);
}

/** `db.execute` gives postgres-js's array of rows, or PGlite's object with `rows`: one accessor for both. */
export function rowsOf<T>(res: unknown): T[] {
  return (Array.isArray(res) ? res : (res as { rows: T[] }).rows) as T[];
}

const dialect = new PgDialect();
const preparedByDb = new WeakMap<Db, Map<string, (values: Record<string, unknown>) => Promise<unknown>>>();

/**
 * A hot read statement: its SQL text is built once per database (values as `sql.placeholder(name)`), sent as a
 * prepared statement, and its rows returned as the driver gives them (column aliases as keys; timestamps as the
 * text PostgreSQL sends, as drizzle's drivers are set up). Against building the statement on every request and
 * drizzle mapping every row, this halves a list page's cost in the app (0.099 -> 0.043 ms of CPU for 26 rows).
 * `name` names the statement: one name, one SQL text. Counted in `stats.queries` like every statement.
 */
export function preparedRows<T>(db: Db, name: string, build: () => SQL): (values: Record<string, unknown>) => Promise<T[]> {
  let statements = preparedByDb.get(db);
  if (!statements) preparedByDb.set(db, (statements = new Map()));
  let run = statements.get(name);
  if (!run) {
    // drizzle's own query builders prepare this way (a query without fields: the driver's rows, unmapped)
    const statement = db._.session.prepareQuery(dialect.sqlToQuery(build()), undefined, name, false);
    run = async (values) => rowsOf(await statement.execute(values));
    statements.set(name, run);
  }
  return run as (values: Record<string, unknown>) => Promise<T[]>;
}
