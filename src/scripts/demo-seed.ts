/**
 * Writes the demo account (src/scripts/demo-content.ts) in one transaction: the account and its first administrator
 * through sign-up's own code (default roles and permissions, "Create projects", the 'account.created' history entry),
 * then everything else in a few batch inserts. Seeded data writes no history of its own: it describes an account as
 * it stands, not changes anyone made.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { insertAccountWithAdmin } from '../auth/accounts.js';
import { SignupForm } from '../auth/forms.js';
import { newId, type Sealer } from '../crypto.js';
import type { Db, Tx } from '../db/client.js';
import {
  accounts,
  divisionGrants,
  divisions,
  globalGrants,
  groupMembers,
  persons,
  projectComments,
  projectEntries,
  projectRequests,
  projectRoles,
  projects,
  projectTasks,
  rolePermissions,
  roles,
  timeEntries,
  userGroups,
} from '../db/schema.js';
import type { License } from '../licenses/rules.js';
import type { RoleKey } from '../permissions/roles.js';
import {
  APPROVED_REQUEST,
  COMMENTS,
  DEMO_ADMIN,
  DEMO_ORGANIZATION,
  DEMO_PASSWORD,
  DEMO_READ_WRITE_LICENSES,
  DIVISION_GRANTS,
  DIVISION_LEADS,
  DIVISIONS,
  type DivisionKey,
  ENTRY_TITLES,
  GLOBAL_GRANTS,
  GROUPS,
  OTHER_REQUESTS,
  PEOPLE,
  PROJECTS,
  type Random,
  ROLE_CHANGES,
  SHOWCASE_PROJECT,
  seededRandom,
  seedOf,
  TASKS,
  THREE_LEVEL_PERSON,
} from './demo-content.js';

const DAY = 86_400_000;
const BATCH = 500;

export interface DemoSummary {
  people: number;
  readWrite: number;
  readOnly: number;
  noAccess: number;
  administrators: number;
  divisions: number;
  groups: number;
  projects: number;
  roleAssignments: number;
  comments: number;
  tasks: number;
  tasksDone: number;
  timeEntries: number;
  entries: number;
  requests: { waiting: number; approved: number; rejected: number };
}

/** The account the demo made (or found), with what the end of a run prints. */
export interface DemoAccount {
  accountId: string;
  accountName: string;
  admin: { id: string; name: string; email: string };
  /** the person with access from all three levels in the showcase project; undefined if someone deleted either */
  threeLevel?: { personId: string; name: string; email: string; projectId: string; projectName: string };
}

async function insertAll(tx: Tx, table: PgTable, rows: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) await tx.insert(table).values(rows.slice(i, i + BATCH) as never);
}

const daysAgo = (now: Date, days: number) => new Date(now.getTime() - days * DAY);
const dateOnly = (d: Date) => d.toISOString().slice(0, 10);

/** A moment between two others (for comments and tasks written during a project's life). */
const between = (rng: Random, from: Date, to: Date) => new Date(from.getTime() + Math.floor(rng.next() * (to.getTime() - from.getTime())));

/** A working day `days` before now (Saturday and Sunday move back to Friday). */
function workday(now: Date, days: number): string {
  const d = daysAgo(now, days);
  const weekday = d.getUTCDay();
  return dateOnly(weekday === 6 ? daysAgo(d, 1) : weekday === 0 ? daysAgo(d, 2) : d);
}

/** The demo account, found by its organization name and its first administrator's email; undefined if there is none. */
export async function findDemoAccount(db: Db | Tx): Promise<DemoAccount | undefined> {
  const [found] = await db
    .select({ accountId: accounts.id, accountName: accounts.name, adminId: persons.id, adminName: persons.name, adminEmail: persons.email })
    .from(accounts)
    .innerJoin(persons, eq(persons.accountId, accounts.id))
    .where(and(eq(accounts.name, DEMO_ORGANIZATION), sql`lower(${persons.email}) = ${DEMO_ADMIN.email}`, eq(persons.isAdmin, true)))
    .orderBy(accounts.createdAt)
    .limit(1);
  if (!found) return undefined;
  const three = PEOPLE.find((p) => p.name === THREE_LEVEL_PERSON)!;
  const [person] = await db
    .select({ id: persons.id, name: persons.name, email: persons.email })
    .from(persons)
    .where(and(eq(persons.accountId, found.accountId), sql`lower(${persons.email}) = ${three.email}`));
  const [project] = await db
    .select({ id: projects.id, name: projects.name })
    .from(projects)
    .where(and(eq(projects.accountId, found.accountId), eq(projects.name, SHOWCASE_PROJECT)))
    .limit(1);
  return {
    accountId: found.accountId,
    accountName: found.accountName,
    admin: { id: found.adminId, name: found.adminName, email: found.adminEmail },
    threeLevel: person && project && { personId: person.id, name: person.name, email: person.email, projectId: project.id, projectName: project.name },
  };
}

interface Seeded {
  id: string;
  name: string;
  email: string;
  division: DivisionKey | null;
  license: License;
  external: boolean;
}

/**
 * Creates the demo account. `tx` is the caller's transaction: sign-up's code runs inside it (its own transaction
 * becomes a savepoint), so a failure anywhere leaves nothing behind.
 */
export async function createDemoAccount(tx: Tx, sealer: Sealer, now = new Date()): Promise<{ account: DemoAccount; summary: DemoSummary }> {
  const form = SignupForm.parse({
    organizationName: DEMO_ORGANIZATION,
    name: DEMO_ADMIN.name,
    email: DEMO_ADMIN.email,
    phone: DEMO_ADMIN.phone,
    password: DEMO_PASSWORD,
    foundUs: 'other',
    edition: 'enterprise_plus',
    readWriteLicenses: DEMO_READ_WRITE_LICENSES,
  });
  const { accountId, personId: adminId } = await insertAccountWithAdmin(tx, sealer, form);
  // one argon2 hash (sign-up's) for everyone: hashing 46 more would take seconds and give the same password
  const [{ passwordHash }] = (await tx.select({ passwordHash: persons.passwordHash }).from(persons).where(eq(persons.id, adminId))) as [{ passwordHash: string }];

  // People
  const people = new Map<string, Seeded>();
  people.set(DEMO_ADMIN.name, { id: adminId, name: DEMO_ADMIN.name, email: DEMO_ADMIN.email, division: DEMO_ADMIN.division, license: 'read_write', external: false });
  const rng = seededRandom(seedOf(DEMO_ORGANIZATION));
  const personRows = PEOPLE.map((p) => {
    const id = newId();
    people.set(p.name, { id, name: p.name, email: p.email, division: p.division, license: p.license, external: p.external });
    const licensed = p.license !== 'none';
    return {
      id,
      accountId,
      name: p.name,
      email: p.email,
      passwordHash: licensed ? passwordHash : null,
      license: p.license,
      isAdmin: p.admin,
      invitationState: licensed ? ('accepted' as const) : ('none' as const),
      lastSignInAt: licensed && rng.chance(0.85) ? daysAgo(now, rng.next() * 20) : null,
      createdAt: daysAgo(now, rng.int(30, 420)),
    };
  });
  await insertAll(tx, persons, personRows);
  const person = (name: string): Seeded => {
    const p = people.get(name);
    if (!p) throw new Error(`demo content: no person named ${name}`);
    return p;
  };

  // Divisions
  const divisionIds = Object.fromEntries((Object.keys(DIVISIONS) as DivisionKey[]).map((k) => [k, newId()])) as Record<DivisionKey, string>;
  await insertAll(
    tx,
    divisions,
    (Object.keys(DIVISIONS) as DivisionKey[]).map((k) => ({ id: divisionIds[k], accountId, name: DIVISIONS[k], createdAt: daysAgo(now, 400) })),
  );

  // Roles: renamed, two More roles made visible with their permissions
  for (const change of ROLE_CHANGES) {
    await tx.update(roles).set({ name: change.name, visible: change.visible }).where(and(eq(roles.accountId, accountId), eq(roles.key, change.key)));
  }
  const newPermissions = ROLE_CHANGES.filter((c) => c.permissions);
  await tx.delete(rolePermissions).where(
    and(
      eq(rolePermissions.accountId, accountId),
      inArray(
        rolePermissions.roleKey,
        newPermissions.map((c) => c.key),
      ),
    ),
  );
  await insertAll(tx, rolePermissions, newPermissions.flatMap((c) => c.permissions!.map((permission) => ({ accountId, roleKey: c.key, permission }))));

  // Global and division grants
  await insertAll(
    tx,
    globalGrants,
    Object.entries(GLOBAL_GRANTS).flatMap(([name, permissions]) => permissions.map((permission) => ({ accountId, personId: person(name).id, permission }))),
  );
  await insertAll(
    tx,
    divisionGrants,
    DIVISION_GRANTS.flatMap(([name, division, permissions]) =>
      permissions.map((permission) => ({ accountId, personId: person(name).id, divisionId: divisionIds[division], permission })),
    ),
  );

  // Groups and their members
  const groups = GROUPS.map((g) => ({ ...g, id: newId(), people: g.members.map(person) }));
  await insertAll(tx, userGroups, groups.map((g) => ({ id: g.id, accountId, name: g.name, createdAt: daysAgo(now, 380) })));
  await insertAll(tx, groupMembers, groups.flatMap((g) => g.people.map((p) => ({ accountId, groupId: g.id, personId: p.id }))));
  const leadership = groups.find((g) => g.division === null)!;

  // Projects and their contents
  const staff = [...people.values()].filter((p) => !p.external);
  const clients = [...people.values()].filter((p) => p.external && p.license === 'read_only');
  const projectRows: Record<string, unknown>[] = [];
  const roleRows: Record<string, unknown>[] = [];
  const commentRows: Record<string, unknown>[] = [];
  const taskRows: Record<string, unknown>[] = [];
  const timeRows: Record<string, unknown>[] = [];
  const entryRows: Record<string, unknown>[] = [];
  const projectIds = new Map<string, { id: string; createdAt: Date; manager: Seeded }>();
  const perDivision = new Map<DivisionKey | null, number>();

  for (const p of PROJECTS) {
    const r = seededRandom(seedOf(p.name));
    const id = newId();
    const nth = perDivision.get(p.division) ?? 0;
    perDivision.set(p.division, nth + 1);
    const showcase = p.name === SHOWCASE_PROJECT;
    const createdAt = daysAgo(now, r.int(45, 240));
    const manager = person(p.manager ?? (p.division ? DIVISION_LEADS[p.division] : DEMO_ADMIN.name));
    const ageDays = Math.floor((now.getTime() - createdAt.getTime()) / DAY);
    const budgeted = showcase || r.chance(0.55);
    const locked = p.locked === true;
    projectRows.push({
      id,
      accountId,
      name: p.name,
      divisionId: p.division ? divisionIds[p.division] : null,
      createdBy: manager.id,
      createdAt,
      lockedAt: locked ? daysAgo(now, 9) : null,
      lockedBy: locked ? manager.id : null,
      budgetAmount: budgeted ? `${r.int(30, 900) * 500}.00` : null,
      budgetCurrency: budgeted ? r.pick(['EUR', 'EUR', 'EUR', 'USD', 'GBP']) : null,
    });
    projectIds.set(p.name, { id, createdAt, manager });

    const assign = (roleKey: RoleKey, holder: { personId: string } | { groupId: string }) => roleRows.push({ accountId, projectId: id, roleKey, ...holder });
    const colleagues = staff.filter((s) => (p.division ? s.division === p.division : true));
    // The division's group works on every other project of its division (always on the showcase project).
    const group = groups.find((g) => g.division !== null && g.division === p.division && (showcase || nth % 2 === 0));
    const taken = new Set<string>([manager.id, ...(group?.people.map((m) => m.id) ?? [])]);
    const free = (list: Seeded[]) => list.filter((s) => !taken.has(s.id));
    const take = (list: Seeded[]) => {
      for (const s of list) taken.add(s.id);
      return list;
    };

    assign('managers', { personId: manager.id });
    const coManagers = r.chance(0.25) ? take(r.sample(free(colleagues).filter((s) => s.license === 'read_write'), 1)) : [];
    for (const m of coManagers) assign('managers', { personId: m.id });
    const team = take(r.sample(free(colleagues), r.int(2, 5)));
    for (const m of team) assign('team', { personId: m.id });
    if (group) assign('team', { groupId: group.id });
    if (budgeted) assign('more1', { groupId: leadership.id });
    if ((p.division === 'sales' || p.division === 'marketing' || p.name === 'Fabrikam integration') && r.chance(0.5)) {
      for (const c of take(r.sample(free(clients), 1))) assign('customers', { personId: c.id });
    }
    const partners = r.chance(0.2) ? take(r.sample(free(staff.filter((s) => s.division !== p.division && s.license === 'read_write')), 1)) : [];
    for (const m of partners) assign('partners', { personId: m.id });
    if (p.division === 'engineering' && r.chance(0.5)) {
      for (const m of take(r.sample(free(colleagues.filter((s) => s.license === 'read_write')), 1))) assign('more2', { personId: m.id });
    }

    // Who writes comments, tasks, entries and time: the project's Read & Write people with edit roles.
    const writers = [manager, ...coManagers, ...team, ...(group?.people ?? [])].filter((s) => s.license === 'read_write');
    const until = locked ? daysAgo(now, 9) : now;

    const commentCount = showcase ? 36 : r.int(3, 26);
    const start = r.int(0, COMMENTS.length - 1);
    const times = Array.from({ length: commentCount }, () => between(r, createdAt, until)).sort((a, b) => a.getTime() - b.getTime());
    times.forEach((at, i) => commentRows.push({ accountId, projectId: id, authorId: r.pick(writers).id, body: COMMENTS[(start + i) % COMMENTS.length], createdAt: at }));

    const pool = TASKS[p.division ?? 'general'];
    for (const title of r.sample(pool, r.int(4, Math.min(12, pool.length)))) {
      taskRows.push({ accountId, projectId: id, title, done: locked || r.chance(0.45), createdBy: r.pick(writers).id, createdAt: between(r, createdAt, until) });
    }

    const lastDay = locked ? 10 : 1;
    for (let i = r.int(6, showcase ? 40 : 30); i > 0; i--) {
      const hours = r.pick([0.5, 1, 1.5, 2, 2.5, 3, 4, 4, 6, 7.5, 8]);
      timeRows.push({ accountId, projectId: id, personId: r.pick(writers).id, workedOn: workday(now, r.int(lastDay, Math.max(lastDay, Math.min(60, ageDays)))), hours: hours.toFixed(2) });
    }

    for (const section of ['lists', 'mindmaps', 'planning', 'documents'] as const) {
      for (const title of r.sample(ENTRY_TITLES[section], showcase ? 3 : r.int(0, 3))) {
        entryRows.push({ accountId, projectId: id, section, title, createdBy: r.pick(writers).id, createdAt: between(r, createdAt, until) });
      }
    }
  }
  await insertAll(tx, projects, projectRows);
  await insertAll(tx, projectRoles, roleRows);
  await insertAll(tx, projectComments, commentRows);
  await insertAll(tx, projectTasks, taskRows);
  await insertAll(tx, timeEntries, timeRows);
  await insertAll(tx, projectEntries, entryRows);

  // Project requests: the one that became a project, one waiting, one rejected
  const approved = projectIds.get(APPROVED_REQUEST.project)!;
  const requestRows = [
    {
      id: newId(),
      accountId,
      name: APPROVED_REQUEST.project,
      divisionId: divisionIds.operations,
      reason: APPROVED_REQUEST.reason,
      requestedBy: person(APPROVED_REQUEST.requestedBy).id,
      state: 'approved' as const,
      decidedBy: person(APPROVED_REQUEST.decidedBy).id,
      decidedAt: approved.createdAt,
      projectId: approved.id,
      createdAt: daysAgo(approved.createdAt, 3),
    },
    ...OTHER_REQUESTS.map((q) => ({
      id: newId(),
      accountId,
      name: q.name,
      divisionId: divisionIds[q.division],
      reason: q.reason,
      requestedBy: person(q.requestedBy).id,
      state: q.state,
      decidedBy: q.state === 'rejected' ? person(q.decidedBy!).id : null,
      decidedAt: q.state === 'rejected' ? daysAgo(now, q.daysAgo - 2) : null,
      rejectionReason: q.state === 'rejected' ? q.rejectionReason! : null,
      createdAt: daysAgo(now, q.daysAgo),
    })),
  ];
  await insertAll(tx, projectRequests, requestRows);

  const everyone = [...people.values()];
  const three = person(THREE_LEVEL_PERSON);
  const showcase = projectIds.get(SHOWCASE_PROJECT)!;
  return {
    account: {
      accountId,
      accountName: DEMO_ORGANIZATION,
      admin: { id: adminId, name: DEMO_ADMIN.name, email: DEMO_ADMIN.email },
      threeLevel: { personId: three.id, name: three.name, email: three.email, projectId: showcase.id, projectName: SHOWCASE_PROJECT },
    },
    summary: {
      people: everyone.length,
      readWrite: everyone.filter((p) => p.license === 'read_write').length,
      readOnly: everyone.filter((p) => p.license === 'read_only').length,
      noAccess: everyone.filter((p) => p.license === 'none').length,
      administrators: 1 + PEOPLE.filter((p) => p.admin).length,
      divisions: Object.keys(DIVISIONS).length,
      groups: groups.length,
      projects: projectRows.length,
      roleAssignments: roleRows.length,
      comments: commentRows.length,
      tasks: taskRows.length,
      tasksDone: taskRows.filter((t) => t.done).length,
      timeEntries: timeRows.length,
      entries: entryRows.length,
      requests: {
        waiting: requestRows.filter((q) => q.state === 'requested').length,
        approved: requestRows.filter((q) => q.state === 'approved').length,
        rejected: requestRows.filter((q) => q.state === 'rejected').length,
      },
    },
  };
}
