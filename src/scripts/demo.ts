// `npm run demo`: creates the demo account "Northwind Demo" (Enterprise Plus: 60 people, 4 divisions, 5 groups,
// 40 projects with comments, tasks, time and more) in the database `npm start` uses, and prints how to sign in.
// Run again, it finds the account and changes nothing; `--reset` deletes it (with the account deletion's own code)
// and creates it afresh. npm runs it built (`node dist/scripts/demo.js`); `npx tsx src/scripts/demo.ts` works too.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { sql } from 'drizzle-orm';
import { deleteAccount } from '../account-data/delete.js';
import { type Config, ConfigError, loadConfig } from '../config.js';
import { createAppSealer } from '../crypto.js';
import { openDatabase } from '../db/client.js';
import { DataFolderInUseError, type DataFolderLock, lockDataFolder } from '../db/data-folder-lock.js';
import { findPermission } from '../permissions/catalog.js';
import { accessUrl } from '../permissions/explainer.js';
import { DEMO_PASSWORD, DIVISIONS, GLOBAL_GRANTS, GROUPS, THREE_LEVEL_PERSON } from './demo-content.js';
import { createDemoAccount, type DemoAccount, type DemoSummary, findDemoAccount } from './demo-seed.js';

export class DemoError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export const USAGE = `Usage: npm run demo [-- --reset]
Creates the demo account "Northwind Demo" in the database \`npm start\` uses (DATA_DIR, or DATABASE_URL).
  --reset   delete the demo account and create it afresh`;

/** Serialises demo runs on one PostgreSQL database (two at once would otherwise both find no account and create two). */
const DEMO_LOCK = 727_011;

/** PGlite: one process per data folder. The app holds the folder's lock while it runs; so does this script. */
async function lockPglite(dataDir: string): Promise<DataFolderLock> {
  try {
    return await lockDataFolder(dataDir, {
      onCompromised: (err) => {
        console.error(`Lost the lock on the data folder (${err.message}): stopping before another write.`);
        process.exit(1);
      },
    });
  } catch (err) {
    if (!(err instanceof DataFolderInUseError)) throw err;
    throw new DemoError(
      `${err.message}\nStop the app before running \`npm run demo\`: only one process may open the embedded database (PGlite) at a time. Start the app again afterwards.`,
    );
  }
}

export interface DemoResult {
  created: boolean;
  /** --reset deleted the previous demo account */
  replaced?: boolean;
  account: DemoAccount;
  summary?: DemoSummary;
}

/** Loads the configuration, opens (and migrates) the app's database, creates or finds the demo account, and prints it. */
export async function runDemo(
  args: readonly string[] = process.argv.slice(2),
  env: Record<string, string | undefined> = process.env,
  print: (line: string) => void = console.log,
): Promise<DemoResult> {
  const unknown = args.filter((a) => a !== '--reset');
  if (unknown.length) throw new DemoError(`Unknown argument: ${unknown[0]}\n${USAGE}`, 2);
  const reset = args.includes('--reset');
  const config = loadConfig(env);
  const pgdata = path.join(config.dataDir, 'pgdata');
  // the folder's lock before anything opens or writes the folder (the development key included)
  const folderLock = config.DATABASE_URL ? undefined : await lockPglite(config.dataDir);
  try {
    const sealer = createAppSealer(config);
    print(config.DATABASE_URL ? 'Database: PostgreSQL (DATABASE_URL).' : `Database: the embedded PGlite in ${pgdata}.`);
    const started = Date.now();
    const database = await openDatabase({ url: config.DATABASE_URL, dataDir: pgdata, max: 2 });
    let result: DemoResult;
    try {
      result = await database.db.transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(${DEMO_LOCK})`);
        const existing = await findDemoAccount(tx);
        if (existing && !reset) return { created: false, account: existing };
        // --reset: the account deletion's own code, in this transaction (a failure below keeps the old account)
        if (existing) await deleteAccount(tx, existing.accountId);
        const { account, summary } = await createDemoAccount(tx, sealer);
        return { created: true, replaced: existing !== undefined, account, summary };
      });
    } finally {
      await database.close();
    }
    report(config, result, (Date.now() - started) / 1000, print);
    return result;
  } finally {
    await folderLock?.release();
  }
}

function report(config: Config, { created, replaced, account, summary }: DemoResult, seconds: number, print: (line: string) => void) {
  const url = (p: string) => `${config.baseUrl}${p}`;
  if (replaced) print(`Deleted the demo account "${account.accountName}" (--reset).`);
  if (created && summary) {
    const s = summary;
    print(`Created the demo account "${account.accountName}" (Enterprise Plus) in ${seconds.toFixed(1)} s:`);
    print(`  ${s.people} people: ${s.readWrite} Read & Write (${s.administrators} administrators), ${s.readOnly} Read-Only, ${s.noAccess} No Access contacts`);
    print(`  ${s.divisions} divisions (${Object.values(DIVISIONS).join(', ')}), ${s.groups} user groups (${GROUPS.map((g) => g.name).join(', ')})`);
    print(`  ${s.projects} projects with ${s.roleAssignments} role assignments, ${s.comments} comments, ${s.tasks} tasks (${s.tasksDone} done),`);
    print(`  ${s.timeEntries} time entries, ${s.entries} lists, mind maps, plans and documents`);
    print(`  project requests: ${s.requests.waiting} waiting, ${s.requests.approved} approved, ${s.requests.rejected} rejected`);
  } else {
    print(`The demo account exists already: "${account.accountName}". Nothing was changed (\`npm run demo -- --reset\` deletes it and creates it afresh).`);
  }
  print('');
  print(
    config.DATABASE_URL
      ? `Sign in at ${url('/login')} (start the app with \`npm start\` if it is not running):`
      : `Start the app with \`npm start\`, then sign in at ${url('/login')}:`,
  );
  print(`  Administrator: ${account.admin.name}, ${account.admin.email}`);
  print(`  Password:      ${DEMO_PASSWORD}`);
  print('  Every person with a license signs in with the same password (demo data: never use it for real people).');
  const three = account.threeLevel;
  if (three) {
    const global = GLOBAL_GRANTS[THREE_LEVEL_PERSON]!.map((key) => findPermission(key).label).join(', ');
    print('');
    print(`Access from all three levels: ${three.name} (${three.email}) in the project "${three.projectName}":`);
    print(`  global grants (${global}), division grants for Engineering, and the role "Delivery team" through the group "Platform team".`);
    print(`  The access explainer (signed in as the administrator) shows every grant behind each permission:`);
    print(`  ${url(accessUrl({ person: three.personId, project: three.projectId }))}`);
  }
}

const invokedDirectly = process.argv[1] && import.meta.url === pathToFileURL(fs.realpathSync(process.argv[1])).href;
if (invokedDirectly && process.argv.slice(2).some((a) => a === '--help' || a === '-h')) {
  console.log(USAGE);
} else if (invokedDirectly) {
  runDemo()
    .then(() => process.exit(0))
    .catch((err) => {
      if (err instanceof ConfigError || err instanceof DemoError) {
        console.error(err.message);
        process.exit(err instanceof ConfigError ? 2 : err.exitCode);
      }
      console.error(err);
      process.exit(1);
    });
}
