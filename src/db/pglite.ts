import fs from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';

/**
 * PGlite's postgres would start with shared_buffers = 128MB, which it touches at start inside the WASM memory:
 * 16MB keeps the process about 130 MB smaller, and pages beyond it are read from the files (the OS caches them).
 */
const SETTINGS = ['-c', 'shared_buffers=16MB'];

/** Opens the embedded PostgreSQL in a folder ('memory://…' keeps it in memory), with pg_trgm and our settings. */
export async function createPglite(dataDir: string): Promise<PGlite> {
  const [{ PGlite }, { pg_trgm }] = await Promise.all([import('@electric-sql/pglite'), import('@electric-sql/pglite/contrib/pg_trgm')]);
  if (!dataDir.startsWith('memory://')) fs.mkdirSync(dataDir, { recursive: true });
  return PGlite.create(dataDir, { extensions: { pg_trgm }, startParams: [...PGlite.defaultStartParams, ...SETTINGS] });
}
