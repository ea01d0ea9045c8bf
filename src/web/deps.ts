import type { Config } from '../config.js';
import type { Sealer } from '../crypto.js';
import type { Db } from '../db/client.js';
import type { Mailer } from '../mail/mailer.js';

/** What every area's routes receive from buildApp (src/app.ts), so no area imports the app itself. */
export interface AppDeps {
  config: Config;
  db: Db;
  sealer: Sealer;
  mailer: Mailer;
}
