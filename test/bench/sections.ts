/**
 * Benchmark support for the project sections (issue 11), used by test/bench/run.ts: into the permissions data
 * (2,000 projects, 40,000 role assignments, the measured member with 50 role assignments) go 200,000 comments,
 * 100,000 tasks and 100,000 time entries, a tenth of each in the member's measured project and the rest spread
 * over every project, written by the server in one statement each (generate_series).
 */
import postgres from 'postgres';
import type { PermissionScenario, SeededPermissions } from './permissions.js';

export const SECTION_ROWS = { comments: 200_000, tasks: 100_000, timeEntries: 100_000 };

export async function seedSections(url: string, accountId: string, seeded: SeededPermissions): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    // every tenth row in the measured project, the others over all projects; authors among the licensed people
    const project = sql`case when g % 10 = 0 then ${seeded.projectId} else p.ids[1 + g % array_length(p.ids, 1)] end`;
    const person = sql`q.ids[1 + (g * 7) % array_length(q.ids, 1)]`;
    const series = (n: number) => sql`from generate_series(1, ${n}::int) g,
      (select array_agg(id order by id) ids from projects where account_id = ${accountId}) p,
      (select array_agg(id order by id) ids from persons where account_id = ${accountId} and license <> 'none') q`;
    await sql`insert into project_comments (account_id, project_id, author_id, body, created_at)
      select ${accountId}, ${project}, ${person}, 'Benchmark comment ' || g || ': the weekly status, the risks and the next steps.',
             now() - g * interval '1 minute' ${series(SECTION_ROWS.comments)}`;
    await sql`insert into project_tasks (account_id, project_id, title, done, created_by, created_at)
      select ${accountId}, ${project}, 'Benchmark task ' || g, g % 3 = 0, ${person}, now() - g * interval '1 minute' ${series(SECTION_ROWS.tasks)}`;
    await sql`insert into time_entries (account_id, project_id, person_id, worked_on, hours, created_at)
      select ${accountId}, ${project}, ${person}, current_date - (g % 700), 1 + (g % 16) / 2.0, now() - g * interval '1 minute' ${series(SECTION_ROWS.timeEntries)}`;
  } finally {
    await sql.end();
  }
}

/** The pages issue 11 measures for the member with 50 role assignments, and adding a comment (no JavaScript: 303). */
export function sectionScenarios(seeded: SeededPermissions, member: { cookie: string; csrf: string }): PermissionScenario[] {
  const at = (section: string) => `/projects/${seeded.projectId}/${section}`;
  const headers = { cookie: member.cookie };
  const comment = (n: number) => new URLSearchParams({ _csrf: member.csrf, body: `Benchmark comment added ${n}` }).toString();
  return [
    { name: 'GET a project’s Comments (20,000 in it)', path: at('comments'), headers, expect: 200 },
    { name: 'GET a project’s Tasks (10,000 in it)', path: at('tasks'), headers, expect: 200 },
    { name: 'GET a project’s Time tracking (10,000 in it)', path: at('time'), headers, expect: 200 },
    {
      name: 'POST a comment',
      path: at('comments'),
      method: 'POST',
      headers,
      perConnection: { headers: [{ ...headers, 'content-type': 'application/x-www-form-urlencoded' }], bodies: [comment(1), comment(2), comment(3)] },
      expect: 303,
    },
  ];
}
