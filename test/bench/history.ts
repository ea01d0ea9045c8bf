/**
 * Benchmark support for the history (issue 9), used by test/bench/run.ts:
 * - seedHistory: 100,000 entries over 90 days in one account, inserted through SQL in batches;
 * - historyScenarios: GET /settings/history — the newest page, filtered pages and the last page — each with the
 *   target p99 < 20 ms (the app must run with HISTORY_RETENTION_DAYS large enough to keep 90 days, e.g. 365);
 * - measureCsvExport: downloads the whole history as CSV, timing it and sampling the app process's resident
 *   memory (VmRSS in /proc/<pid>/status) while it streams.
 */
import fs from 'node:fs';
import postgres from 'postgres';
import { HISTORY_PAGE_SIZE } from '../../src/history/list.js';

const DAY = 86_400_000;

export interface SeededHistory {
  accountId: string;
  entries: number;
  /** a person's name that matches exactly one person of the account, who is the subject of about a hundred entries */
  personFilter: string;
  /** the cursor of the last page ("older than" this entry), as the page's "Older" link would carry it */
  lastPageCursor: string;
}

/** What one scenario of test/bench/run.ts needs (the same shape as its Scenario). */
export interface HistoryScenario {
  name: string;
  path: string;
  headers?: Record<string, string>;
  expect: number;
  target: (r: { p99: number }, bare: unknown) => string;
}

const KINDS: { kind: string; subject: 'account' | 'person'; before: object | null; after: object | null }[] = [
  { kind: 'person.license', subject: 'person', before: { license: 'read_only' }, after: { license: 'read_write' } },
  { kind: 'person.license', subject: 'person', before: { license: 'read_write' }, after: { license: 'none' } },
  { kind: 'person.admin', subject: 'person', before: { isAdmin: false }, after: { isAdmin: true } },
  { kind: 'invitation.sent', subject: 'person', before: { invitationState: 'none' }, after: { invitationState: 'invited', access: 'inherited' } },
  { kind: 'invitation.resent', subject: 'person', before: null, after: { access: 'read_all' } },
  { kind: 'invitation.accepted', subject: 'person', before: { invitationState: 'invited', license: 'none' }, after: { invitationState: 'accepted', license: 'read_only', access: 'inherited' } },
  { kind: 'person.created', subject: 'person', before: null, after: null },
  { kind: 'account.renamed', subject: 'account', before: { name: 'Bench Org' }, after: { name: 'Bench Org' } },
  { kind: 'invitations.rules', subject: 'account', before: { usersMayInvite: false, allowedDomains: [] }, after: { usersMayInvite: true, allowedDomains: ['bench.test'] } },
];

/**
 * Inserts `count` history entries (default 100,000) into the account, spread evenly over the `days` (default 90)
 * before `now`: actors are the account's administrators and a few others, subjects 1,000 of its people (about a
 * hundred entries each) or the account. Batches of 5,000 rows; ANALYZE at the end.
 */
export async function seedHistory(url: string, accountId: string, opts: { count?: number; days?: number; now?: Date } = {}): Promise<SeededHistory> {
  const count = opts.count ?? 100_000;
  const days = opts.days ?? 90;
  const now = (opts.now ?? new Date()).getTime();
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const admins = (await sql`select id from persons where account_id = ${accountId} and is_admin order by id`).map((r) => r.id as string);
    // subjects: people whose name ends in a four-digit number match only themselves (seedPeople names them "First Last i")
    const people = await sql`select id, name from persons where account_id = ${accountId} and name ~ ' [0-9]{4}$' order by id limit 1000`;
    const subjects = people.length ? people : await sql`select id, name from persons where account_id = ${accountId} order by id limit 1000`;
    const actors = [...admins, ...subjects.slice(0, 20).map((r) => r.id as string)];
    const span = days * DAY;
    for (let start = 0; start < count; start += 5000) {
      const rows = Array.from({ length: Math.min(5000, count - start) }, (_, j) => {
        const i = start + j;
        const k = KINDS[i % KINDS.length]!;
        return {
          account_id: accountId,
          created_at: new Date(now - span + Math.floor(((i + 0.5) * span) / count)),
          actor_id: actors[i % actors.length]!,
          kind: k.kind,
          subject_type: k.subject,
          subject_id: k.subject === 'account' ? accountId : (subjects[(i * 13) % subjects.length]!.id as string),
          before: k.before,
          after: k.after,
        };
      });
      await sql`insert into history_entries ${sql(rows as never)}`;
    }
    // as autovacuum would after so many inserts: statistics, and the visibility map that index-only scans read
    await sql`vacuum analyze history_entries`;
    const [{ n }] = (await sql`select count(*)::int as n from history_entries where account_id = ${accountId}`) as unknown as [{ n: number }];
    const lastCount = n % HISTORY_PAGE_SIZE || HISTORY_PAGE_SIZE;
    const [edge] = await sql`select (extract(epoch from created_at) * 1000)::bigint as ms, id from history_entries
      where account_id = ${accountId} order by created_at asc, id asc offset ${lastCount} limit 1`;
    return { accountId, entries: n, personFilter: subjects[0]!.name as string, lastPageCursor: edge ? `${edge.ms}-${edge.id}` : '' };
  } finally {
    await sql.end();
  }
}

const p99Under20 = (r: { p99: number }) => `p99 < 20 ms: ${r.p99} ms ${r.p99 < 20 ? 'MET' : 'NOT MET'}`;

/** The history pages to load, for an administrator's session headers (`cookie`). */
export function historyScenarios(seeded: SeededHistory, session: Record<string, string>): HistoryScenario[] {
  const page = (name: string, query: string, htmx = false): HistoryScenario => ({
    name,
    path: `/settings/history${query}`,
    headers: { ...session, ...(htmx ? { 'hx-request': 'true' } : {}) },
    expect: 200,
    target: p99Under20,
  });
  return [
    page('GET /settings/history, newest page (100,000 entries)', ''),
    page('GET /settings/history, filtered by person (htmx)', `?person=${encodeURIComponent(seeded.personFilter)}`, true),
    page('GET /settings/history, filtered by kind and dates', '?kind=person.admin&from=2000-01-01&to=2999-12-31'),
    page('GET /settings/history, last page', `?older=${seeded.lastPageCursor}`),
  ];
}

function rssKb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

export interface CsvExportMeasure {
  ms: number;
  bytes: number;
  /** CSV records, the header not counted */
  records: number;
  rssBeforeMb: number;
  rssPeakMb: number;
  /** the most the app's resident memory grew above where it was before the download (target < 50 MB) */
  rssGrowthMb: number;
}

/**
 * Downloads the whole history as CSV from `base` (the app at pid `pid`) with the session headers, reading the
 * body as it streams, and samples the app's VmRSS every 20 ms meanwhile.
 */
export async function measureCsvExport(base: string, session: Record<string, string>, pid: number): Promise<CsvExportMeasure> {
  const before = rssKb(pid);
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, rssKb(pid))), 20);
  const started = performance.now();
  try {
    const res = await fetch(`${base}/settings/history/export`, { headers: session });
    if (res.status !== 200 || !res.body) throw new Error(`CSV export answered ${res.status}`);
    let bytes = 0;
    let lineEnds = 0;
    let previous = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      for (const byte of chunk) {
        if (byte === 10 && previous === 13) lineEnds++;
        previous = byte;
      }
    }
    const ms = performance.now() - started;
    peak = Math.max(peak, rssKb(pid));
    return { ms, bytes, records: lineEnds - 1, rssBeforeMb: before / 1024, rssPeakMb: peak / 1024, rssGrowthMb: (peak - before) / 1024 };
  } finally {
    clearInterval(timer);
  }
}
