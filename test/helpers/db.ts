import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import postgres from 'postgres';
import { type Database, migrationsFolder, openDatabase, wrapPglite } from '../../src/db/client.js';

/** Which database the suite runs on: PGlite unless the runner asked for the real server. */
export const testDbKind: 'pglite' | 'postgres' =
  process.env.ACCORD_TEST_DB === 'postgres' && process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';

function migrationsHash(): string {
  const h = createHash('sha256');
  for (const f of fs.readdirSync(migrationsFolder).filter((f) => f.endsWith('.sql')).sort()) {
    h.update(fs.readFileSync(`${migrationsFolder}/${f}`));
  }
  return h.digest('hex').slice(0, 12);
}

let pgliteSnapshot: Promise<Blob> | undefined;
/** Migrating PGlite takes a while; each test process migrates once and starts every database from that snapshot. */
async function freshPglite(): Promise<Database> {
  pgliteSnapshot ??= (async () => {
    const pg = await PGlite.create('memory://', { extensions: { pg_trgm } });
    const database = await wrapPglite(pg);
    const dump = await pg.dumpDataDir('none');
    await database.close();
    return dump;
  })();
  const pg = await PGlite.create('memory://', { extensions: { pg_trgm }, loadDataDir: await pgliteSnapshot });
  return wrapPglite(pg, false);
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

let templateReady: Promise<string> | undefined;
/** A migrated template database per version of the migrations; tests clone it (CREATE DATABASE … TEMPLATE). */
async function ensureTemplate(adminUrl: string): Promise<string> {
  const name = `accord_tpl_${migrationsHash()}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin`select pg_advisory_lock(727002)`;
    const [exists] = await admin`select 1 from pg_database where datname = ${name}`;
    if (!exists) {
      await admin.unsafe(`drop database if exists "${name}_build" with (force)`);
      await admin.unsafe(`create database "${name}_build"`);
      const db = await openDatabase({ url: withDatabase(adminUrl, `${name}_build`), max: 2 });
      await db.close();
      await admin.unsafe(`alter database "${name}_build" rename to "${name}"`);
    }
    await admin`select pg_advisory_unlock(727002)`;
  } finally {
    await admin.end();
  }
  return name;
}

export interface TestDatabase {
  database: Database;
  /** postgres:// URL of this test's own database (postgres only), for a second app instance */
  url?: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  if (testDbKind === 'pglite') {
    const database = await freshPglite();
    return { database, drop: () => database.close() };
  }
  const adminUrl = process.env.TEST_DATABASE_URL!;
  templateReady ??= ensureTemplate(adminUrl);
  const template = await templateReady;
  const name = `accord_t_${randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  // Cloning needs the template to have no other connection; retry briefly if another process is cloning it.
  for (let i = 0; ; i++) {
    try {
      await admin.unsafe(`create database "${name}" template "${template}"`);
      break;
    } catch (err) {
      if (i > 50) throw err;
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
    }
  }
  await admin.end();
  const url = withDatabase(adminUrl, name);
  const database = await openDatabase({ url, max: 5, migrate: false });
  return {
    database,
    url,
    async drop() {
      await database.close();
      const a = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists "${name}" with (force)`);
      await a.end();
    },
  };
}
