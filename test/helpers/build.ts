import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { Db } from '../../src/db/client.js';
import type { Mailer, Message } from '../../src/mail/mailer.js';
import { createTestDatabase } from './db.js';

export const TEST_APP_KEY = '0'.repeat(63) + '1';

export interface TestApp {
  app: FastifyInstance;
  db: Db;
  /** messages the app sent, newest last */
  outbox: Message[];
  /** while true, every mail the app sends fails (as an unreachable SMTP server would) */
  mailFails: { on: boolean };
  dataDir: string;
  url?: string;
  /** SQL statements sent so far; read it before and after a request to count that request's statements */
  stats: { queries: number };
}

interface Tap {
  teardown(fn: () => unknown): void;
}

/** A fresh app on a fresh database (PGlite, or a cloned PostgreSQL database); closed when the test ends. */
export async function build(
  t: Tap,
  env: Record<string, string> = {},
  opts: { beforeReady?: (app: FastifyInstance) => void } = {},
): Promise<TestApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'accord-test-'));
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, APP_KEY: TEST_APP_KEY, LOG_LEVEL: 'silent', ...env });
  const testDb = await createTestDatabase();
  const outbox: Message[] = [];
  const mailFails = { on: false };
  const mailer: Mailer = {
    send: async (m) => {
      if (mailFails.on) throw new Error('SMTP server unreachable');
      outbox.push(m);
    },
  };
  const app = await buildApp({ config, database: testDb.database, mailer, logger: false });
  opts.beforeReady?.(app);
  await app.ready();
  t.teardown(async () => {
    await app.close();
    await testDb.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  return { app, db: testDb.database.db, outbox, mailFails, dataDir, url: testDb.url, stats: testDb.database.stats };
}

/**
 * A second app instance on the same PostgreSQL database (as behind a load balancer). On PGlite, which one
 * process owns, it returns the first app: concurrency tests then run against one instance.
 */
export async function buildSecondInstance(t: Tap, first: TestApp): Promise<FastifyInstance> {
  if (!first.url) return first.app;
  const { openDatabase } = await import('../../src/db/client.js');
  const database = await openDatabase({ url: first.url, max: 5, migrate: false });
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: first.dataDir, APP_KEY: TEST_APP_KEY, LOG_LEVEL: 'silent' });
  const app = await buildApp({ config, database, mailer: { send: async (m) => void first.outbox.push(m) }, logger: false });
  await app.ready();
  t.teardown(async () => {
    await app.close();
    await database.close();
  });
  return app;
}
