import module from 'node:module';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { ConfigError, loadConfig } from './config.js';
import { DataFolderInUseError, type DataFolderLock, lockDataFolder } from './db/data-folder-lock.js';

/** After SIGTERM or SIGINT, requests in flight get this long to finish before the process exits anyway. */
const SHUTDOWN_TIMEOUT_MS = 10_000;

let log: FastifyBaseLogger | undefined;

/** The data folder's lock was lost (removed, or taken over): another process may be writing, so stop at once. */
function lockLost(err: Error) {
  const message = `Lost the lock on the data folder (${err.message}): stopping now, without another write, so that two processes never write one database.`;
  if (log) log.fatal(message);
  else console.error(message);
  process.exit(1);
}

async function main() {
  // Node 22.1+: compiled code of the modules loaded below is kept on disk between starts (a no-op on Node 20).
  (module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
  const config = loadConfig();
  // PGlite: one process per data folder, taken before anything opens the folder (and before the app's modules
  // load, so that a refused start says so at once). With DATABASE_URL the folder holds only the outbox and a
  // development key, which several instances may share.
  const folderLock: DataFolderLock | undefined = config.DATABASE_URL ? undefined : await lockDataFolder(config.dataDir, { onCompromised: lockLost });
  // The database opens (PGlite compiles its WASM on other threads) while the app's modules load.
  const dataDir = path.join(config.dataDir, 'pgdata');
  const pglite = config.DATABASE_URL ? undefined : import('./db/pglite.js').then(({ createPglite }) => createPglite(dataDir));
  const opening = import('./db/client.js').then(({ openDatabase }) =>
    openDatabase({ url: config.DATABASE_URL, max: config.DATABASE_POOL_SIZE, dataDir, pglite }),
  );
  // awaited below, where a failure stops the start
  pglite?.catch(() => {});
  opening.catch(() => {});
  const [{ buildApp }, { scheduleCleanup }, { logDestination }] = await Promise.all([
    import('./app.js'),
    import('./jobs/cleanup.js'),
    import('./web/log-destination.js'),
  ]);
  const logStream = await logDestination(config);
  const database = await opening;
  const app = await buildApp({ config, database, logStream });
  log = app.log;
  const stopCleanup = scheduleCleanup(database.db, app.log, { historyRetentionDays: config.HISTORY_RETENTION_DAYS });

  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) {
      app.log.warn(`${signal} again: exiting without waiting for the requests in flight`);
      process.exit(1);
    }
    stopping = true;
    app.log.info(`${signal}: no new connections; finishing the requests in flight`);
    setTimeout(() => {
      app.log.error(`requests still in flight after ${SHUTDOWN_TIMEOUT_MS / 1000} s: exiting anyway`);
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS).unref();
    try {
      stopCleanup();
      const closed = app.close();
      // A keep-alive connection whose request was in flight turns idle when answered: close it then too.
      const reaper = setInterval(() => app.server.closeIdleConnections(), 100);
      await closed;
      clearInterval(reaper);
      await database.close();
      await folderLock?.release();
      app.log.info('stopped');
      process.exit(0);
    } catch (err) {
      app.log.error({ err }, 'stopping failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  await app.listen({ port: config.PORT, host: config.HOST });
  app.log.info(
    `Accord is running on ${config.baseUrl} (database: ${database.kind === 'pglite' ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL'}). Sign up at ${config.baseUrl}/signup`,
  );
}

main().catch((err) => {
  if (err instanceof ConfigError || err instanceof DataFolderInUseError) {
    console.error(err.message);
    process.exit(err instanceof ConfigError ? 2 : 1);
  }
  console.error(err);
  process.exit(1);
});
