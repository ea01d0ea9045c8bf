import path from 'node:path';
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/client.js';
import { scheduleCleanup } from './jobs/cleanup.js';

async function main() {
  const config = loadConfig();
  const database = await openDatabase({ url: config.DATABASE_URL, max: config.DATABASE_POOL_SIZE, dataDir: path.join(config.dataDir, 'pgdata') });
  const app = await buildApp({ config, database });
  const stopCleanup = scheduleCleanup(database.db, app.log);
  const close = async () => {
    stopCleanup();
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', close);
  process.once('SIGTERM', close);
  await app.listen({ port: config.PORT, host: config.HOST });
  app.log.info(
    `Accord is running on ${config.baseUrl} (database: ${database.kind === 'pglite' ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL'}). Sign up at ${config.baseUrl}/signup`,
  );
}

main().catch((err) => {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(2);
  }
  console.error(err);
  process.exit(1);
});
