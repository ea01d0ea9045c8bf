import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import * as schema from './schema.js';

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
  migrate?: boolean;
}

/** Opens PostgreSQL (postgres driver) when a URL is given, else PGlite in a folder; applies migrations. */
export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.url) {
    const client = postgres(opts.url, {
      max: Math.max(2, opts.max ?? 10),
      onnotice: () => {},
    });
    const { stats, logger } = counter();
    const db = drizzlePostgres(preparing(client), { schema, logger }) as unknown as Db;
    if (opts.migrate !== false) {
      // One reserved connection holds the lock while the pool runs the migrations.
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
  const dataDir = opts.dataDir ?? 'memory://';
  if (!dataDir.startsWith('memory://')) fs.mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create(dataDir, { extensions: { pg_trgm } });
  return wrapPglite(client, opts.migrate !== false);
}

export async function wrapPglite(client: PGlite, runMigrations = true): Promise<Database> {
  const { stats, logger } = counter();
  const db = drizzlePglite(client, { schema, logger }) as unknown as Db;
  if (runMigrations) await migratePglite(drizzlePglite(client), { migrationsFolder });
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
