// Generated from the catalog: every page and edit route of a project's sections (described once per area in
// test/helpers/section-cases/), as a person who holds the permission, one who doesn't, one who can't even read the
// section, a Read-Only and a No Access person, in a locked project, and against another account's project. Each
// gets the status SPEC §6 and §8 say, and a refused request changes nothing in the database.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { and, eq } from 'drizzle-orm';
import t from 'tap';
import { newId } from '../../src/crypto.js';
import type { Db } from '../../src/db/client.js';
import { accounts, globalGrants, persons, projects } from '../../src/db/schema.js';
import { findSection, type PermissionKey } from '../../src/permissions/catalog.js';
import { type Agent, signIn, signUp } from '../helpers/agent.js';
import { build } from '../helpers/build.js';
import { insertPerson } from '../helpers/factories.js';
import type { CaseContext, SectionRouteCase } from '../helpers/section-cases.js';

// every case × seven people and states, each a request or two: well over the default 120 s per file on PGlite
t.setTimeout(900_000);

const here = path.dirname(fileURLToPath(import.meta.url));
const casesDir = path.join(here, '../helpers/section-cases');
const CASES: SectionRouteCase[] = [];
for (const file of fs.readdirSync(casesDir).filter((f) => f.endsWith('.ts')).sort()) {
  const module = (await import(path.join(casesDir, file))) as { cases: SectionRouteCase[] };
  CASES.push(...module.cases);
}

const PASSWORD = 'a long enough password';

/** The paths of the router's printRoutes tree, with their methods (HEAD left out). */
function routerRoutes(printed: string): string[] {
  const stack: string[] = [];
  const routes: string[] = [];
  for (const line of printed.split('\n')) {
    const m = /^([│ ]*)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = [...m[1]!].length / 4;
    stack.length = depth;
    stack[depth] = m[2]!;
    const full = stack.join('');
    for (const method of m[3]?.split(', ') ?? []) if (method !== 'HEAD') routes.push(`${method} ${full}`);
  }
  return routes;
}

/** A route's pattern from a case's concrete URL: the project's id and numeric ids become parameters. */
const patternOf = (url: string, projectId: string) =>
  url.split('?')[0]!.replace(projectId, ':id').split('/').map((s) => (/^\d+$/.test(s) ? ':n' : s)).join('/');

interface World {
  app: Awaited<ReturnType<typeof build>>['app'];
  db: Db;
  ours: CaseContext;
  theirs: CaseContext;
  actor: Agent;
  reader: Agent;
  noAccess: { agent: Agent; id: string };
  adaId: string;
}

async function setGrants(db: Db, accountId: string, personId: string, permissions: PermissionKey[]) {
  await db.delete(globalGrants).where(and(eq(globalGrants.accountId, accountId), eq(globalGrants.personId, personId)));
  const unique = [...new Set(permissions)];
  if (unique.length) await db.insert(globalGrants).values(unique.map((permission) => ({ accountId, personId, permission })));
}

async function setup(t: { teardown(fn: () => unknown): void }): Promise<World> {
  const { app, db } = await build(t);
  await signUp(app, { edition: 'enterprise_plus' });
  const [account] = await db.select().from(accounts);
  const [ada] = await db.select().from(persons);
  const person = async (name: string, email: string, license: 'read_write' | 'read_only') =>
    insertPerson(db, { name, email, license, password: PASSWORD });
  const actor = await person('Ari Actor', 'ari@acme.test', 'read_write');
  const other = await person('Oda Other', 'oda@acme.test', 'read_write');
  const reader = await person('Rosa Reader', 'rosa@acme.test', 'read_only');
  const gone = await person('Nils Noaccess', 'nils@acme.test', 'read_write');
  const project = newId();
  await db.insert(projects).values({ id: project, accountId: account!.id, name: 'Apollo', createdBy: ada!.id });

  // another organization with its own project, contents and people
  await signUp(app, { organizationName: 'Globex', email: 'gil@globex.test', edition: 'enterprise_plus' });
  const [globex] = await db.select().from(accounts).where(eq(accounts.name, 'Globex'));
  const gil = await insertPerson(db, { accountId: globex!.id, name: 'Gil Globex', email: 'gil2@globex.test', license: 'read_write' });
  const theirProject = newId();
  await db.insert(projects).values({ id: theirProject, accountId: globex!.id, name: 'Zeus' });

  const noAccess = await signIn(app, 'nils@acme.test', PASSWORD);
  await db.update(persons).set({ license: 'none' }).where(eq(persons.id, gone.id));
  return {
    app,
    db,
    ours: { db, accountId: account!.id, projectId: project, actorId: actor.id, otherId: other.id },
    theirs: { db, accountId: globex!.id, projectId: theirProject, actorId: gil.id, otherId: gil.id },
    actor: await signIn(app, 'ari@acme.test', PASSWORD),
    reader: await signIn(app, 'rosa@acme.test', PASSWORD),
    noAccess: { agent: noAccess, id: gone.id },
    adaId: ada!.id,
  };
}

const send = (agent: Agent, c: SectionRouteCase, req: { url: string; body?: Record<string, string> }) =>
  c.method === 'GET' ? agent.get(req.url) : agent.post(req.url, req.body ?? {});

/** Before each request: the project exists (a case deletes it), locked or not as the scenario wants. */
async function restore(w: World, locked: boolean) {
  await w.db
    .insert(projects)
    .values({ id: w.ours.projectId, accountId: w.ours.accountId, name: 'Apollo', createdBy: w.adaId })
    .onConflictDoNothing();
  await w.db
    .update(projects)
    .set(locked ? { lockedAt: new Date(), lockedBy: w.adaId } : { lockedAt: null, lockedBy: null })
    .where(eq(projects.id, w.ours.projectId));
}

t.test('the cases cover every route of the sections (a new route needs its case)', async (t) => {
  const w = await setup(t);
  const routes = routerRoutes(w.app.printRoutes({ commonPrefix: false }));
  t.ok(routes.includes('GET /projects/:id/manage'), 'the route tree is read');
  const covered = new Set<string>();
  for (const c of CASES) {
    const req = await c.prepare(w.ours);
    covered.add(`${c.method} ${patternOf(req.url, w.ours.projectId)}`);
  }
  // inside a project: everything but the overview, the generic section page and unlocking (whose rule differs:
  // it is the one edit a locked project allows, tested in project-lock.test.ts)
  const sectionRoutes = routes.filter((r) => / \/projects\/:id\/./.test(r) && !r.endsWith('/:section') && !r.endsWith('/manage/unlock'));
  const normalise = (r: string) => r.replace(/:(?!id\b)\w+/g, ':n');
  const missing = sectionRoutes.map(normalise).filter((r) => !covered.has(r));
  t.same(missing, [], 'every route inside a project has a case');
  t.ok(CASES.length >= sectionRoutes.length, `${CASES.length} cases for ${sectionRoutes.length} routes`);
});

t.test('every case, for every kind of person and project', async (t) => {
  const w = await setup(t);
  for (const c of CASES) {
    await t.test(`${c.method} ${c.name}`, async (t) => {
      const read = findSection(c.section).read;
      const granted: PermissionKey[] = [read, ...c.permissions.slice(0, 1)];
      const success = c.method === 'GET' ? 200 : 303;
      // a page is for every reader; an edit, and the confirmation page of one (a GET with permissions), is not
      const refusedWrite = c.permissions.length ? 403 : 200;

      /** runs the request as `agent` with `grants`, and checks its status and (when refused) that nothing changed */
      const check = async (label: string, agent: Agent, personId: string, grants: PermissionKey[], expected: number, ctx = w.ours, locked = false) => {
        await restore(w, locked);
        await setGrants(w.db, w.ours.accountId, personId, grants);
        const req = await c.prepare({ ...ctx, actorId: ctx === w.ours ? personId : ctx.actorId });
        const before = await c.snapshot(ctx);
        const res = await send(agent, c, req);
        t.equal(res.statusCode, expected, `${label}: ${c.method} ${req.url} answers ${expected}`);
        const after = await c.snapshot(ctx);
        if (expected === 303 && !locked) t.notSame(after, before, `${label}: the change is made`);
        else t.same(after, before, `${label}: nothing changed`);
        return res;
      };

      await check('with the permission', w.actor, w.ours.actorId, granted, success);
      if (c.permissions.length) {
        const res = await check('without the permission', w.actor, w.ours.actorId, [read], 403);
        t.match(res.body, /needs the permission/, 'the refusal names the permission');
        for (const p of c.permissions.slice(1)) await check(`with only “${p}”`, w.actor, w.ours.actorId, [read, p], success);
      }
      // the project is seen (Read projects), the section is not: its URLs answer 404 like a project not there
      await check('without reading the section', w.actor, w.ours.actorId, ['project.read'], 404);
      const ro = await check('Read-Only', w.reader, (await idOf(w.db, 'rosa@acme.test'))!, granted, refusedWrite);
      if (c.method === 'POST') t.match(ro.body, /Read-Only/, 'the refusal says why');

      // No Access: the session no longer counts (back to sign-in); nothing changes
      await restore(w, false);
      await setGrants(w.db, w.ours.accountId, w.noAccess.id, granted);
      const req = await c.prepare({ ...w.ours, actorId: w.noAccess.id });
      const before = await c.snapshot(w.ours);
      const res = await send(w.noAccess.agent, c, req);
      t.ok([303, 403].includes(res.statusCode) && (res.statusCode !== 303 || String(res.headers.location).startsWith('/login')), `No Access: ${res.statusCode} ${res.headers.location ?? ''}`);
      t.same(await c.snapshot(w.ours), before, 'No Access: nothing changed');

      const locked = await check('locked project', w.actor, w.ours.actorId, granted, c.whileLocked ?? refusedWrite, w.ours, true);
      if (locked.statusCode !== 303) t.match(locked.body, /This project is locked/, 'the page or the refusal says the project is locked');

      await check('another account’s project', w.actor, w.ours.actorId, granted, 404, w.theirs);
    });
  }
});

const idOf = async (db: Db, email: string) => (await db.select({ id: persons.id }).from(persons).where(eq(persons.email, email)))[0]?.id;
