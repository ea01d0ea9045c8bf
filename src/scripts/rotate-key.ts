// `npm run rotate-key`: re-seals every phone number and password reminder under APP_KEY, so the keys in
// APP_KEY_PREVIOUS can be retired. npm runs it built (`node dist/scripts/rotate-key.js`); `tsx src/scripts/rotate-key.ts` works too.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Config, ConfigError, loadConfig } from '../config.js';
import { createAppSealer, type Sealer } from '../crypto.js';
import { openDatabase } from '../db/client.js';
import { DataFolderInUseError, type DataFolderLock, lockDataFolder } from '../db/data-folder-lock.js';
import { type ResealOptions, type ResealResult, resealAll } from './reseal.js';

export class RotationError extends Error {}

/** PGlite: one process per data folder. The app holds the folder's lock while it runs; so does this script. */
async function lockPglite(dataDir: string, pgdata: string): Promise<DataFolderLock> {
  if (!fs.existsSync(path.join(pgdata, 'PG_VERSION'))) {
    throw new RotationError(`There is no embedded database in ${pgdata}: check DATA_DIR (or set DATABASE_URL).`);
  }
  try {
    return await lockDataFolder(dataDir, {
      onCompromised: (err) => {
        console.error(`Lost the lock on the data folder (${err.message}): stopping before another write.`);
        process.exit(1);
      },
    });
  } catch (err) {
    if (!(err instanceof DataFolderInUseError)) throw err;
    throw new RotationError(`${err.message}\nStop the app before rotating the key: only one process may open the embedded database (PGlite) at a time.`);
  }
}

/** Loads the configuration, opens the database the app uses, re-seals, and prints what it did. */
export async function rotateKey(
  env: Record<string, string | undefined> = process.env,
  print: (line: string) => void = console.log,
  opts: Omit<ResealOptions, 'print'> = {},
): Promise<ResealResult> {
  const config = loadConfig(env);
  const sealer = createAppSealer(config);
  const pgdata = path.join(config.dataDir, 'pgdata');
  let folderLock: DataFolderLock | undefined;
  if (config.DATABASE_URL) {
    print('Re-sealing on PostgreSQL (DATABASE_URL). The app may keep serving: a row edited meanwhile is left as the edit made it.');
  } else {
    folderLock = await lockPglite(config.dataDir, pgdata);
    print(`Re-sealing the embedded database in ${pgdata}. The app must stay stopped until this ends (PGlite: one process at a time).`);
  }
  print(`APP_KEY has key id ${sealer.keyId}; ${config.APP_KEY_PREVIOUS.length} previous key(s) from APP_KEY_PREVIOUS.`);
  try {
    return await resealDatabase(config, sealer, pgdata, print, opts);
  } finally {
    await folderLock?.release();
  }
}

async function resealDatabase(config: Config, sealer: Sealer, pgdata: string, print: (line: string) => void, opts: Omit<ResealOptions, 'print'>) {
  const database = await openDatabase({ url: config.DATABASE_URL, dataDir: pgdata, max: 2, migrate: false });
  try {
    const result = await resealAll(database.db, sealer, { ...opts, print }).catch((err: { cause?: { code?: string } }) => {
      if (err.cause?.code !== '42P01') throw err;
      throw new RotationError('The database has no Accord tables: is this the app’s database? (The app creates them when it first starts.)');
    });
    print(`Done: ${result.resealed} row(s) re-sealed under APP_KEY.`);
    if (result.changedMeanwhile) print(`${result.changedMeanwhile} row(s) changed while this ran and were left as they are.`);
    if (result.unreadable.length) {
      print(`${result.unreadable.length} row(s) could not be opened with APP_KEY or APP_KEY_PREVIOUS (person ids: ${result.unreadable.join(', ')}).`);
    }
    print(
      result.remaining === 0
        ? 'Every sealed value is under APP_KEY now: APP_KEY_PREVIOUS can be removed.'
        : `${result.remaining} row(s) are still sealed under an older key: keep APP_KEY_PREVIOUS and run this again.`,
    );
    return result;
  } finally {
    await database.close();
  }
}

const invokedDirectly = process.argv[1] && import.meta.url === pathToFileURL(fs.realpathSync(process.argv[1])).href;
if (invokedDirectly) {
  rotateKey()
    .then((result) => process.exit(result.remaining === 0 ? 0 : 1))
    .catch((err) => {
      if (err instanceof ConfigError || err instanceof RotationError) {
        console.error(err.message);
        process.exit(2);
      }
      console.error(err);
      process.exit(1);
    });
}
