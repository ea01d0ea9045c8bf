// `npm run rotate-key` end to end: rows sealed under older keys (and in the format from before key ids) are
// re-sealed under APP_KEY by the script's own function, against a PGlite folder and (when the suite runs on
// PostgreSQL) a server database; afterwards APP_KEY alone opens everything. A row changed while the script runs
// keeps the change.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import t, { type Test } from 'tap';
import { ConfigError } from '../../src/config.js';
import { createSealer, keyId } from '../../src/crypto.js';
import { type Db, openDatabase } from '../../src/db/client.js';
import { accounts, persons } from '../../src/db/schema.js';
import { RotationError, rotateKey } from '../../src/scripts/rotate-key.js';
import { Agent, signUp } from '../helpers/agent.js';
import { build } from '../helpers/build.js';
import { createTestDatabase, testDbKind } from '../helpers/db.js';
import { sealV1 } from '../helpers/legacy-seal.js';

const OLDER_HEX = '2'.repeat(64);
const OLD_HEX = '1'.repeat(64);
const NEW_HEX = 'c'.repeat(64);
const [OLDER, OLD, NEW] = [OLDER_HEX, OLD_HEX, NEW_HEX].map((h) => Buffer.from(h, 'hex')) as [Buffer, Buffer, Buffer];

/** What each person's phone, reminder and two-step secret say, and how they were sealed before the rotation. */
const PEOPLE: { name: string; phone: string | null; reminder: string | null; twoStep?: string; seal: (plain: string) => string }[] = [
  { name: 'Legacy Lee', phone: '+1 555 0100', reminder: 'the cat', seal: (p) => sealV1(OLD, p) },
  { name: 'Old Olga', phone: '+1 555 0101', reminder: null, seal: (p) => createSealer(OLD).seal(p) },
  { name: 'Older Otto', phone: '+1 555 0102', reminder: 'the dog', twoStep: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', seal: (p) => createSealer(OLDER).seal(p) },
  { name: 'Mixed Mia', phone: '+1 555 0103', reminder: 'the bird', seal: (p) => (p.startsWith('+') ? createSealer(NEW).seal(p) : sealV1(OLDER, p)) },
  { name: 'Current Cal', phone: '+1 555 0104', reminder: 'the fish', twoStep: 'KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU', seal: (p) => createSealer(NEW).seal(p) },
  { name: 'Nothing Ned', phone: null, reminder: null, seal: (p) => p },
  ...Array.from({ length: 7 }, (_, i) => ({ name: `Bulk ${i}`, phone: `+1 555 02${i}0`, reminder: `bulk ${i}`, seal: (p: string) => createSealer(OLD).seal(p) })),
];

async function seed(db: Db) {
  await db.insert(accounts).values({ id: 'acc1', name: 'Acme', edition: 'professional', readWriteLicenses: 5 });
  await db.insert(persons).values(
    PEOPLE.map((p, i) => ({
      id: `p${String(i).padStart(2, '0')}`,
      accountId: 'acc1',
      name: p.name,
      email: `p${i}@acme.test`,
      phoneEncrypted: p.phone && p.seal(p.phone),
      reminderEncrypted: p.reminder && p.seal(p.reminder),
      twoStepSecret: p.twoStep ? p.seal(p.twoStep) : null,
    })),
  );
}

/** Every person opens with APP_KEY alone (no previous key), sealed under its id; `expect` maps changed phones. */
async function assertAllUnderNewKey(t: Test, db: Db, expect: Record<string, string> = {}) {
  const onlyNew = createSealer(NEW);
  const rows = await db.select().from(persons).orderBy(persons.id);
  t.equal(rows.length, PEOPLE.length);
  for (const [i, row] of rows.entries()) {
    const p = PEOPLE[i]!;
    for (const [value, plain] of [[row.phoneEncrypted, expect[row.id] ?? p.phone], [row.reminderEncrypted, p.reminder], [row.twoStepSecret, p.twoStep ?? null]] as const) {
      if (plain === null) {
        t.equal(value, null, `${p.name}: nothing sealed stays nothing`);
        continue;
      }
      t.ok(value!.startsWith(`v2.${keyId(NEW)}.`), `${p.name}: under APP_KEY`);
      t.equal(onlyNew.open(value!), plain, `${p.name}: opens with APP_KEY alone`);
    }
  }
}

/** The rotation against one database: `env` points the script at it, `open` opens it for the test's checks. */
async function rotationFlow(t: Test, env: Record<string, string>, open: () => Promise<{ db: Db; close(): Promise<void> }>) {
  const rotatedEnv = { ...env, NODE_ENV: 'production', APP_KEY: NEW_HEX, APP_KEY_PREVIOUS: `${OLD_HEX},${OLDER_HEX}` };

  // A concurrent edit between the script's read and its write: Old Olga's phone changes under the old key
  // (an instance not yet given the new APP_KEY). The script must not put her old number back.
  const lines: string[] = [];
  let edited = false;
  const first = await rotateKey(rotatedEnv, (l) => lines.push(l), {
    batchSize: 4,
    afterRead: async (rows, db) => {
      if (edited || !rows.some((r) => r.id === 'p01')) return;
      edited = true;
      await db.update(persons).set({ phoneEncrypted: createSealer(OLD).seal('+1 555 0999') }).where(eq(persons.id, 'p01'));
    },
  });
  t.ok(edited, 'the concurrent edit happened mid-run');
  t.same(first, { resealed: 10, changedMeanwhile: 1, unreadable: [], remaining: 1 }, 'Current Cal and Nothing Ned needed nothing; Olga was edited meanwhile');
  t.match(lines.join('\n'), /Re-sealed 3 of 4 rows in this batch \(3 so far\)\./, 'progress per batch');
  t.match(lines.join('\n'), /Done: 10 row\(s\) re-sealed under APP_KEY\.\n1 row\(s\) changed while this ran/);
  t.match(lines.at(-1), /1 row\(s\) are still sealed under an older key: keep APP_KEY_PREVIOUS and run this again\./);
  {
    const { db, close } = await open();
    const olga = (await db.select().from(persons).where(eq(persons.id, 'p01')))[0]!;
    t.equal(createSealer(OLD).open(olga.phoneEncrypted!), '+1 555 0999', 'the concurrent edit was not overwritten');
    await close();
  }

  const again: string[] = [];
  t.same(await rotateKey(rotatedEnv, (l) => again.push(l)), { resealed: 1, changedMeanwhile: 0, unreadable: [], remaining: 0 }, 'a second run finishes the edited row');
  t.equal(again.at(-1), 'Every sealed value is under APP_KEY now: APP_KEY_PREVIOUS can be removed.');
  t.same(await rotateKey(rotatedEnv, () => {}), { resealed: 0, changedMeanwhile: 0, unreadable: [], remaining: 0 }, 'idempotent: nothing left to do');

  const { db, close } = await open();
  await assertAllUnderNewKey(t, db, { p01: '+1 555 0999' });
  await close();
}

/** Another process that holds the data folder's lock, as the running app does. */
async function holdDataFolder(t: Test, dataDir: string) {
  const lockModule = new URL('../../src/db/data-folder-lock.ts', import.meta.url).href;
  const code = `const m = await import(${JSON.stringify(lockModule)}); await m.lockDataFolder(process.env.LOCK_DIR, { onCompromised() {} }); console.log('locked'); setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { env: { ...process.env, LOCK_DIR: dataDir }, stdio: ['ignore', 'pipe', 'inherit'] });
  t.teardown(() => void child.kill());
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  t.equal(line.toString().trim(), 'locked');
  return child;
}

t.test('PGlite folder: every row re-sealed under APP_KEY; the app must be stopped', async (t) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'accord-rotate-'));
  t.teardown(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const pgdata = path.join(dataDir, 'pgdata');
  const open = () => openDatabase({ dataDir: pgdata }).then((d) => ({ db: d.db, close: d.close }));

  const seeding = await openDatabase({ dataDir: pgdata });
  await seed(seeding.db);
  await seeding.close();

  // The app, in another process, holds the data folder's lock: the script refuses and names it.
  const app = await holdDataFolder(t, dataDir);
  const refused = await rotateKey({ DATA_DIR: dataDir, APP_KEY: NEW_HEX }, () => {}).catch((e: unknown) => e);
  t.ok(refused instanceof RotationError, 'refused while the app holds the folder');
  t.match((refused as Error).message, `in use by another Accord process (pid ${app.pid}`);
  t.match((refused as Error).message, 'Stop the app before rotating the key: only one process may open the embedded database (PGlite) at a time.');
  app.kill();
  await once(app, 'exit');

  await rotationFlow(t, { DATA_DIR: dataDir }, open);
});

t.test('PostgreSQL (DATABASE_URL): every row re-sealed under APP_KEY while the database stays in use', { skip: testDbKind !== 'postgres' && 'runs with ACCORD_TEST_DB=postgres' }, async (t) => {
  const testDb = await createTestDatabase();
  t.teardown(() => testDb.drop());
  await seed(testDb.database.db);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'accord-rotate-'));
  t.teardown(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  // the test's own connection stays open throughout, as a serving app's would
  await rotationFlow(t, { DATABASE_URL: testDb.url!, DATA_DIR: dataDir }, async () => ({ db: testDb.database.db, close: async () => {} }));
});

t.test('a bad APP_KEY_PREVIOUS stops the script with a configuration error, before any database is opened', async (t) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'accord-rotate-'));
  t.teardown(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const second = await rotateKey({ DATA_DIR: dataDir, APP_KEY: NEW_HEX, APP_KEY_PREVIOUS: `${OLD_HEX},nope` }, () => {}).catch((e: unknown) => e);
  t.ok(second instanceof ConfigError);
  t.match((second as Error).message, /APP_KEY_PREVIOUS: key 2 of 2 is not 64 hexadecimal characters/);
  t.notOk(fs.existsSync(path.join(dataDir, 'pgdata')), 'no database was opened');
});

t.test('a row no configured key opens is reported and left alone', async (t) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'accord-rotate-'));
  t.teardown(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const pgdata = path.join(dataDir, 'pgdata');
  const database = await openDatabase({ dataDir: pgdata });
  await seed(database.db);
  await database.close();
  const lines: string[] = [];
  const result = await rotateKey({ DATA_DIR: dataDir, APP_KEY: NEW_HEX, APP_KEY_PREVIOUS: OLD_HEX }, (l) => lines.push(l));
  t.same(result.unreadable, ['p02', 'p03'], 'Otto (older key) and Mia (older key in her reminder)');
  t.equal(result.remaining, 2);
  t.match(lines.join('\n'), /2 row\(s\) could not be opened with APP_KEY or APP_KEY_PREVIOUS \(person ids: p02, p03\)/);
  const after = await openDatabase({ dataDir: pgdata });
  const mia = (await after.db.select().from(persons).where(eq(persons.id, 'p03')))[0]!;
  t.equal(createSealer(NEW).open(mia.phoneEncrypted!), '+1 555 0103', 'her phone was left as it was (already under APP_KEY)');
  t.equal(createSealer(OLDER).open(mia.reminderEncrypted!), 'the bird', 'her reminder was left as it was');
  await after.close();
});

t.test('the app opens rows sealed under a previous key: the reset email carries a reminder sealed with the old key', async (t) => {
  const { app, db, outbox } = await build(t, { APP_KEY: NEW_HEX, APP_KEY_PREVIOUS: OLD_HEX });
  await signUp(app);
  await db.update(persons).set({ reminderEncrypted: sealV1(OLD, 'sealed long ago') });
  const res = await new Agent(app).post('/password/forgot', { email: 'ada@acme.test' });
  t.equal(res.statusCode, 303);
  t.match(outbox.at(-1)?.text, 'Your password reminder: sealed long ago');
  const [admin] = await db.select().from(persons);
  t.ok(admin!.phoneEncrypted!.startsWith(`v2.${keyId(NEW)}.`), 'sign-up sealed the phone under APP_KEY');
});
