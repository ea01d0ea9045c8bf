/**
 * Benchmark support for the permissions (issue 10), used by test/bench/run.ts: in the large account, 20 divisions,
 * 2,000 projects over them, 200 groups of 10 members, 40,000 role assignments (people and groups, spread over the
 * projects and roles), and one member — the measured person — with 50 direct role assignments and 3 group
 * memberships, a global grant and a division grant, so their access in a project comes from every level.
 * Inserted through SQL in batches (the app's own forms are exercised by the tests, not here).
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';

const id = () => randomBytes(15).toString('base64url');

export interface SeededPermissions {
  /** the measured person: email and password to sign in with */
  email: string;
  password: string;
  personId: string;
  /** a project where the person holds roles directly and through a group (in a division they have grants in) */
  projectId: string;
  projects: number;
  groups: number;
  assignments: number;
}

export async function seedPermissions(url: string, accountId: string, passwordHash: string): Promise<SeededPermissions> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`update accounts set edition = 'enterprise_plus' where id = ${accountId}`;
    const people = (await sql<{ id: string }[]>`select id from persons where account_id = ${accountId} and license <> 'none' order by id`).map((r) => r.id);
    const divisions = Array.from({ length: 20 }, (_, i) => ({ id: id(), account_id: accountId, name: `Division ${i + 1}` }));
    await sql`insert into divisions ${sql(divisions)}`;
    const projects = Array.from({ length: 2000 }, (_, i) => ({
      id: id(),
      account_id: accountId,
      name: `Project ${String(i + 1).padStart(4, '0')}`,
      division_id: divisions[i % divisions.length]!.id,
    }));
    for (let i = 0; i < projects.length; i += 1000) await sql`insert into projects ${sql(projects.slice(i, i + 1000))}`;
    const groups = Array.from({ length: 200 }, (_, i) => ({ id: id(), account_id: accountId, name: `Group ${i + 1}` }));
    await sql`insert into user_groups ${sql(groups)}`;
    const members = groups.flatMap((g, gi) => Array.from({ length: 10 }, (_, k) => ({ account_id: accountId, group_id: g.id, person_id: people[(gi * 10 + k) % people.length]! })));
    await sql`insert into group_members ${sql(members)} on conflict do nothing`;

    // the measured person
    const person = { id: id(), account_id: accountId, name: 'Measured Member', email: 'measured@bench.test', password_hash: passwordHash, license: 'read_write', invitation_state: 'accepted' };
    await sql`insert into persons ${sql(person)}`;
    await sql`insert into group_members ${sql(groups.slice(0, 3).map((g) => ({ account_id: accountId, group_id: g.id, person_id: person.id })))}`;
    await sql`insert into global_grants ${sql({ account_id: accountId, person_id: person.id, permission: 'documents.read' })}`;
    await sql`insert into division_grants ${sql({ account_id: accountId, person_id: person.id, division_id: divisions[0]!.id, permission: 'time.read' })}`;

    const roleKeys = ['managers', 'team', 'customers', 'partners', 'additional', 'more1'];
    const assignments: { account_id: string; project_id: string; role_key: string; person_id: string | null; group_id: string | null }[] = [];
    // 50 direct assignments of the measured person (projects 0, 20, 40, … : all in division 1), and its groups in them too
    for (let i = 0; i < 50; i++) assignments.push({ account_id: accountId, project_id: projects[i * 20]!.id, role_key: roleKeys[i % 4]!, person_id: person.id, group_id: null });
    for (let i = 0; i < 3; i++) assignments.push({ account_id: accountId, project_id: projects[0]!.id, role_key: roleKeys[(i + 1) % 4]!, person_id: null, group_id: groups[i]!.id });
    // the rest: 20 per project, people and groups in turn, until 40,000
    const seen = new Set(assignments.map((a) => `${a.project_id}|${a.role_key}|${a.person_id ?? a.group_id}`));
    let n = 0;
    while (assignments.length < 40_000) {
      const project = projects[n % projects.length]!;
      const role = roleKeys[Math.floor(n / projects.length) % roleKeys.length]!;
      const byGroup = n % 10 === 0;
      const holder = byGroup ? groups[n % groups.length]!.id : people[(n * 7) % people.length]!;
      n++;
      const key = `${project.id}|${role}|${holder}`;
      if (seen.has(key)) continue;
      seen.add(key);
      assignments.push({ account_id: accountId, project_id: project.id, role_key: role, person_id: byGroup ? null : holder, group_id: byGroup ? holder : null });
    }
    for (let i = 0; i < assignments.length; i += 5000) await sql`insert into project_roles ${sql(assignments.slice(i, i + 5000))}`;
    await sql`analyze`;
    return { email: person.email, password: 'member password', personId: person.id, projectId: projects[0]!.id, projects: projects.length, groups: groups.length, assignments: assignments.length };
  } finally {
    await sql.end();
  }
}

/** What one scenario of test/bench/run.ts needs (its Scenario's shape). */
export interface PermissionScenario {
  name: string;
  path: string;
  method?: 'GET' | 'POST';
  headers: Record<string, string>;
  perConnection?: { headers: Record<string, string>[]; bodies: string[]; paths?: string[]; bodiesByConnection?: string[][] };
  expect: number;
}

/**
 * The pages issue 10 measures, for the measured member (the project list and a project page) and the administrator
 * (the roles matrix, a role page, the explainer), and saving a role permission that changes the access of
 * thousands: each connection switches "Read planning" on and off in turn in a role of its own (the form without
 * JavaScript: 303), as administrators changing different roles at once would — ten connections on one role would
 * measure only the wait for that role's row lock.
 */
export function permissionScenarios(
  seeded: SeededPermissions,
  member: Record<string, string>,
  admin: { headers: Record<string, string>; csrf: string; roles: ReadonlyMap<string, readonly string[]> },
): PermissionScenario[] {
  const form = (keys: readonly string[]) => new URLSearchParams([['_csrf', admin.csrf], ...keys.map((k) => [k, 'on'] as [string, string])]).toString();
  const roleKeys = [...admin.roles.keys()].sort();
  const toggles = roleKeys.map((key) => {
    const without = (admin.roles.get(key) ?? []).filter((k) => k !== 'planning.read');
    return [form([...without, 'planning.read']), form(without)];
  });
  return [
    { name: 'GET /projects (member: 50 roles, 3 groups)', path: '/projects', headers: member, expect: 200 },
    { name: 'GET /projects/:id (member, every level of grant)', path: `/projects/${seeded.projectId}`, headers: member, expect: 200 },
    { name: 'GET /settings/users/roles (the matrix)', path: '/settings/users/roles', headers: admin.headers, expect: 200 },
    { name: 'GET /settings/users/roles/team', path: '/settings/users/roles/team', headers: admin.headers, expect: 200 },
    {
      name: 'GET /settings/users/access (the explainer)',
      path: `/settings/users/access?person=${seeded.personId}&project=${seeded.projectId}`,
      headers: admin.headers,
      expect: 200,
    },
    {
      name: 'POST a role permission on/off (thousands affected)',
      path: '/settings/users/roles/team/permissions',
      method: 'POST',
      headers: admin.headers,
      perConnection: {
        headers: [{ ...admin.headers, 'content-type': 'application/x-www-form-urlencoded' }],
        bodies: toggles[0]!,
        paths: roleKeys.map((key) => `/settings/users/roles/${key}/permissions`),
        bodiesByConnection: toggles,
      },
      expect: 303,
    },
  ];
}
