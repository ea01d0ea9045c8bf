// `npm run demo` as a real process (the built dist/scripts/demo.js): on a fresh data folder (PGlite), or on a fresh
// PostgreSQL database on the PostgreSQL run, it migrates the database and creates the demo account; its counts are
// right; the printed administrator signs in; the printed access explainer shows the person's global, division and
// group grants; a second run changes nothing; --reset creates it afresh. While the app holds the data folder, it
// refuses at once and changes nothing.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import t, { type Test } from 'tap';
import { type Db, openDatabase, rowsOf } from '../../src/db/client.js';
import { createTestDatabase, type TestDatabase, testDbKind } from '../helpers/db.js';
import { ensureBuilt, HttpClient, repoRoot, type ServerProcess, startServer } from '../helpers/server-process.js';

ensureBuilt();
t.setTimeout(400_000);

const APP_KEY = 'ab'.repeat(32);
const ADMIN = 'olivia.bennett@northwind.example';
const PASSWORD = 'welcome-to-northwind';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'accord-demo-'));
t.teardown(() => fs.rmSync(dataDir, { recursive: true, force: true }));
let testDb: TestDatabase | undefined;
if (testDbKind === 'postgres') {
  testDb = await createTestDatabase();
  t.teardown(() => testDb!.drop());
}
/** The database the demo and the server use: the test's own PostgreSQL database, or the data folder's PGlite. */
const databaseEnv: Record<string, string> = testDb ? { DATABASE_URL: testDb.url! } : {};

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs `node dist/scripts/demo.js` as `npm run demo` does (after the build), with the app's production settings. */
async function runDemo(args: string[] = []): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['DATABASE_URL', 'TEST_DATABASE_URL', 'ACCORD_TEST_DB', 'PORT', 'BASE_URL']) delete env[k];
  const started = Date.now();
  // without tap's NODE_OPTIONS (see spawnServer)
  const child = spawn('/usr/bin/env', ['-u', 'NODE_OPTIONS', process.execPath, 'dist/scripts/demo.js', ...args], {
    cwd: repoRoot,
    env: { ...env, NODE_ENV: 'production', APP_KEY, DATA_DIR: dataDir, ...databaseEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => (stderr += c));
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  return { code, stdout, stderr, ms: Date.now() - started };
}

/** Opens the demo's database for the test's own checks (PGlite: only while no process holds the folder). */
async function withDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  if (testDb) return fn(testDb.database.db);
  const database = await openDatabase({ dataDir: path.join(dataDir, 'pgdata'), migrate: false });
  try {
    return await fn(database.db);
  } finally {
    await database.close();
  }
}

const COUNTS = sql`select
  (select count(*) from accounts)::int as accounts,
  (select min(id) from accounts) as "accountId",
  (select count(*) from persons)::int as people,
  (select count(*) from persons where license = 'read_write')::int as "readWrite",
  (select count(*) from persons where license = 'read_only')::int as "readOnly",
  (select count(*) from persons where license = 'none')::int as "noAccess",
  (select count(*) from persons where is_admin and license = 'read_write')::int as admins,
  (select count(*) from persons where license <> 'none' and password_hash is null)::int as "licensedWithoutPassword",
  (select count(*) from persons where email like '%@northwind.example')::int as "atNorthwind",
  (select count(*) from divisions)::int as divisions,
  (select count(*) from user_groups)::int as groups,
  (select count(*) from group_members)::int as "groupMembers",
  (select count(*) from group_members m join persons p on p.id = m.person_id where p.license = 'none')::int as "unlicensedMembers",
  (select count(*) from project_roles r join persons p on p.id = r.person_id where p.license = 'none')::int as "unlicensedRoles",
  (select count(*) from projects)::int as projects,
  (select count(distinct division_id) from projects)::int as "projectDivisions",
  (select count(*) from projects where budget_amount is not null)::int as budgets,
  (select count(*) from projects where locked_at is not null)::int as locked,
  (select count(*) from project_roles)::int as "roleAssignments",
  (select count(*) from project_roles where group_id is not null)::int as "groupAssignments",
  (select count(*) from project_comments)::int as comments,
  (select count(distinct project_id) from project_comments)::int as "projectsWithComments",
  (select count(*) from project_tasks)::int as tasks,
  (select count(*) from project_tasks where done)::int as "tasksDone",
  (select count(*) from time_entries)::int as "timeEntries",
  (select count(*) from time_entries where worked_on >= current_date)::int as "timeNotPast",
  (select count(distinct section) from project_entries)::int as "entrySections",
  (select count(*) from project_entries)::int as entries,
  (select string_agg(state, ',' order by state) from project_requests) as requests,
  (select count(*) from project_requests where state = 'rejected' and rejection_reason <> '')::int as "rejectedWithReason",
  (select string_agg(key || '=' || name, ',' order by key) from roles where key in ('team', 'more1', 'more2') and visible) as "renamedRoles",
  (select count(*) from role_permissions where role_key in ('more1', 'more2'))::int as "moreRolePermissions",
  (select count(*) from global_grants where permission = 'projects.create')::int as "createProjects",
  (select count(*) from global_grants where permission = 'projectRequests.create')::int as "createRequests",
  (select count(*) from global_grants where permission = 'projectRequests.edit')::int as "editRequests",
  (select count(*) from division_grants)::int as "divisionGrants",
  (select string_agg(kind, ',') from history_entries) as history`;

type Counts = Record<string, number | string>;
const counts = () => withDb(async (db) => rowsOf<Counts>(await db.execute(COUNTS))[0]!);

/** The explainer's address the run printed, and its person and project. */
function explainerOf(t: Test, run: Run) {
  const m = /http:\/\/localhost:3000(\/settings\/users\/access\?person=([\w-]+)&project=([\w-]+))/.exec(run.stdout);
  t.ok(m, 'the access explainer URL is printed');
  return { path: m?.[1] ?? '', person: m?.[2] ?? '', project: m?.[3] ?? '' };
}

async function stop(server: ServerProcess) {
  server.child.kill('SIGTERM');
  await server.exited;
}

let first: Run;
let firstCounts: Counts;

t.test('a fresh database: migrated, and the demo account created with everything the brief promises', async (t) => {
  first = await runDemo();
  t.equal(first.code, 0, `exits 0 (${first.ms} ms)\n${first.stderr}`);
  t.match(first.stdout, 'Created the demo account "Northwind Demo" (Enterprise Plus)');
  t.match(first.stdout, /[Ss]ign in at http:\/\/localhost:3000\/login/);
  t.match(first.stdout, `Administrator: Olivia Bennett, ${ADMIN}`);
  t.match(first.stdout, `Password:      ${PASSWORD}`);
  t.match(first.stdout, 'Access from all three levels: Priya Natarajan (priya.natarajan@northwind.example) in the project "Payments API v2"');
  explainerOf(t, first);

  const c = (firstCounts = await counts());
  t.match(c, {
    accounts: 1,
    people: 60,
    readWrite: 46,
    readOnly: 10,
    noAccess: 4,
    admins: 2,
    licensedWithoutPassword: 0,
    atNorthwind: 52,
    divisions: 4,
    groups: 5,
    unlicensedMembers: 0,
    unlicensedRoles: 0,
    projects: 40,
    projectDivisions: 4,
    locked: 1,
    projectsWithComments: 40,
    timeNotPast: 0,
    entrySections: 4,
    requests: 'approved,rejected,requested',
    rejectedWithReason: 1,
    renamedRoles: 'more1=Steering committee,more2=Quality assurance,team=Delivery team',
    editRequests: 1,
    history: 'account.created',
  });
  for (const key of ['groupMembers', 'budgets', 'groupAssignments', 'comments', 'tasks', 'tasksDone', 'timeEntries', 'entries', 'moreRolePermissions', 'divisionGrants']) {
    t.ok(Number(c[key]) > 0, `${key}: ${c[key]}`);
  }
  t.ok(Number(c.tasksDone) < Number(c.tasks), 'some tasks are done, not all');
  t.ok(Number(c.roleAssignments) >= 120, `role assignments: ${c.roleAssignments}`);
  t.ok(Number(c.createProjects) >= 3 && Number(c.createRequests) >= 3, 'several people may create projects and project requests');
});

t.test('a second run finds the account and changes nothing', async (t) => {
  const again = await runDemo();
  t.equal(again.code, 0, again.stderr);
  t.match(again.stdout, 'The demo account exists already: "Northwind Demo". Nothing was changed');
  t.notMatch(again.stdout, 'Created the demo account');
  t.match(again.stdout, `Administrator: Olivia Bennett, ${ADMIN}`);
  t.equal(explainerOf(t, again).path, explainerOf(t, first).path, 'the same person and project are printed');
  t.same(await counts(), firstCounts, 'every count as it was');
});

t.test('the printed administrator signs in and the explainer shows Global, Division and via-group grants; the app holds the folder meanwhile', async (t) => {
  const server = await startServer(dataDir, { APP_KEY, ...databaseEnv });
  t.teardown(() => stop(server));
  const admin = new HttpClient(server.base);
  await admin.request('/login');
  t.equal((await admin.post('/login', { email: ADMIN, password: PASSWORD })).status, 303, 'the administrator signs in with the printed password');

  const explainer = explainerOf(t, first);
  const page = await admin.request(explainer.path);
  t.equal(page.status, 200, 'the access explainer answers');
  t.match(page.body, 'Priya Natarajan</a> in <a', 'for Priya Natarajan');
  t.match(page.body, 'Payments API v2');
  t.match(page.body, '<li>Global</li>', 'a global grant');
  t.match(page.body, '<li>Division: Engineering</li>', 'a division grant for the project’s division');
  t.match(page.body, '<li>Role: Delivery team via group Platform team</li>', 'a role through a group');

  const member = new HttpClient(server.base);
  await member.request('/login');
  t.equal((await member.post('/login', { email: 'priya.natarajan@northwind.example', password: PASSWORD })).status, 303, 'a member signs in with the same password');
  const project = await member.request(`/projects/${explainer.project}`);
  t.equal(project.status, 200, 'and opens the project');
  const readOnly = new HttpClient(server.base);
  await readOnly.request('/login');
  t.equal((await readOnly.post('/login', { email: 'kai.muller@northwind.example', password: PASSWORD })).status, 303, 'a Read-Only person signs in too');
  const contact = new HttpClient(server.base);
  await contact.request('/login');
  t.not((await contact.post('/login', { email: 'laura.simmons@tailspin.example', password: PASSWORD })).status, 303, 'a No Access contact does not');

  const meanwhile = await runDemo();
  if (testDbKind === 'pglite') {
    t.equal(meanwhile.code, 1, 'the demo refuses while the app holds the data folder');
    t.ok(meanwhile.ms < 20_000, `at once (${meanwhile.ms} ms)`);
    t.match(meanwhile.stderr, `The data folder ${fs.realpathSync(dataDir)} is in use by another Accord process (pid ${server.child.pid}`);
    t.match(meanwhile.stderr, 'Stop the app before running `npm run demo`');
    t.equal(meanwhile.stdout, '', 'having done nothing');
    t.equal((await admin.request(explainer.path)).status, 200, 'the app keeps serving');
  } else {
    t.equal(meanwhile.code, 0, 'on PostgreSQL it runs beside the app');
    t.match(meanwhile.stdout, 'The demo account exists already');
  }
});

t.test('--reset deletes the account with the account deletion code and creates it afresh', async (t) => {
  const reset = await runDemo(['--reset']);
  t.equal(reset.code, 0, reset.stderr);
  t.match(reset.stdout, 'Deleted the demo account "Northwind Demo" (--reset).');
  t.match(reset.stdout, 'Created the demo account "Northwind Demo"');
  const after = await counts();
  t.not(after.accountId, firstCounts.accountId, 'a new account');
  t.same({ ...after, accountId: null }, { ...firstCounts, accountId: null }, 'with the same counts');
  t.not(explainerOf(t, reset).path, explainerOf(t, first).path, 'new ids are printed');
});

t.test('an unknown argument: the usage, exit 2, nothing opened', async (t) => {
  const run = await runDemo(['--wipe']);
  t.equal(run.code, 2);
  t.match(run.stderr, 'Unknown argument: --wipe');
  t.match(run.stderr, 'Usage: npm run demo [-- --reset]');
});
