/**
 * npm run bench — load benchmark against a running instance on real PostgreSQL (never part of npm test).
 * Starts the app as a child process on a fresh database, seeds it over HTTP and SQL, then runs autocannon
 * scenarios one after another and prints req/s, p50 and p99 for each, and the ratio to the bare route.
 *
 * BENCH_ONLY=<text> runs only the scenarios whose name contains it (and the bare route).
 * BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) names the server; a database
 * "accord_bench" is created on it afresh. BENCH_DURATION (seconds, default 10), BENCH_CONNECTIONS (default 10),
 * BENCH_POOL_SIZE (the app's DATABASE_POOL_SIZE; default twice the cores).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import postgres from 'postgres';
import { hashPassword } from '../../src/auth/passwords.js';
import { seedPeople } from './seed.js';

const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const duration = Number(process.env.BENCH_DURATION ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
const port = 3900 + Math.floor(Math.random() * 90);
const base = `http://127.0.0.1:${port}`;
const dbName = 'accord_bench';
const poolSize = process.env.BENCH_POOL_SIZE ?? String(2 * os.cpus().length);

function dbUrl(name: string) {
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

async function freshDatabase() {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${dbName} with (force)`);
  await admin.unsafe(`create database ${dbName}`);
  await admin.end();
}

async function startApp() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'accord-bench-'));
  const child = spawn(process.execPath, [...(process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=/tmp/accord-prof'] : []), '--import=tsx', 'src/server.ts'], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      APP_KEY: randomBytes(32).toString('hex'),
      DATABASE_URL: dbUrl(dbName),
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      LOGIN_RATE_LIMIT_MAX: '1000',
      // the README's sizing rule, PostgreSQL being on this machine: about twice its cores
      DATABASE_POOL_SIZE: poolSize,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) return child;
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill();
  throw new Error('the app did not start');
}

/** A tiny cookie-keeping client for seeding through the real forms. */
class Client {
  cookies = new Map<string, string>();
  csrf = '';
  async request(url: string, init: RequestInit = {}) {
    const res = await fetch(base + url, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie: this.cookieHeader() },
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [k, v] = pair!.split('=');
      this.cookies.set(k!, v!);
    }
    const body = await res.text();
    const m = /<meta name="csrf-token" content="([^"]+)">/.exec(body);
    if (m) this.csrf = m[1]!;
    return { status: res.status, body, location: res.headers.get('location') };
  }
  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  async post(url: string, form: Record<string, string>) {
    return this.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...form, _csrf: this.csrf }).toString(),
    });
  }
}

interface Scenario {
  name: string;
  path: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** one set of headers per connection (each connection a different signed-in person), bodies sent in turn */
  perConnection?: { headers: Record<string, string>[]; bodies: string[] };
  /** the status every response must have */
  expect: number;
  target?: (r: Measured, bare: Measured) => string;
}

interface Measured {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  wrongStatus: number;
}

async function measure(s: Scenario): Promise<Measured> {
  let wrongStatus = 0;
  let nextConnection = 0;
  const pc = s.perConnection;
  const result = await autocannon({
    url: base + s.path,
    method: s.method ?? 'GET',
    headers: s.headers,
    body: s.body,
    ...(pc
      ? {
          requests: [
            {
              setupRequest: (req: Record<string, unknown>, context: { n?: number; i?: number }) => {
                context.n ??= nextConnection++;
                context.i = (context.i ?? -1) + 1;
                return { ...req, method: 'POST', headers: pc.headers[context.n % pc.headers.length], body: pc.bodies[context.i % pc.bodies.length] };
              },
            },
          ],
        }
      : {}),
    connections,
    duration,
    setupClient: (client: { on(event: string, fn: (status: number) => void): void }) => {
      client.on("response", (status: number) => {
        if (status !== s.expect) wrongStatus++;
      });
    },
  } as autocannon.Options);
  return {
    name: s.name,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    wrongStatus,
  };
}

async function main() {
  await freshDatabase();
  const child = await startApp();
  try {
    const admin = new Client();
    await admin.request('/signup');
    const signup = await admin.post('/signup', {
      organizationName: 'Bench Org', name: 'Bench Admin', email: 'admin@bench.test', phone: '+1 555 0100 000',
      password: 'benchmark password', foundUs: 'other', edition: 'enterprise', readWriteLicenses: '20000',
    });
    if (signup.status !== 303) throw new Error(`sign-up failed: ${signup.status}`);
    await admin.post('/settings/organization/privacy', { privacyEnabled: 'on', aiAllowed: 'on' });
    await admin.request('/settings/personal');
    const accountId = await seedPeople(dbUrl(dbName), 'admin@bench.test', 10_000);
    const session = { cookie: admin.cookieHeader() };
    const members = await signInMembers(dbUrl(dbName), connections);

    const scenarios: Scenario[] = [
      { name: 'bare layout (/privacy, no session, no database)', path: '/privacy', expect: 200 },
      {
        name: 'GET /settings/personal (signed in)',
        path: '/settings/personal',
        headers: session,
        expect: 200,
        target: (r, bare) => `>= 50% of bare req/s: ${pct(r.rps / bare.rps)} ${r.rps / bare.rps >= 0.5 ? 'MET' : 'NOT MET'}`,
      },
      {
        name: `POST /settings/personal (htmx switch, ${connections} people on/off)`,
        path: '/settings/personal',
        method: 'POST',
        perConnection: {
          headers: members.map((m) => ({
            cookie: m.cookieHeader(),
            'content-type': 'application/x-www-form-urlencoded',
            'hx-request': 'true',
            'x-csrf-token': m.csrf,
          })),
          bodies: ['telemetry=on', ''],
        },
        expect: 200,
        target: (r) => `p99 < 10 ms: ${r.p99} ms ${r.p99 < 10 ? 'MET' : 'NOT MET'}`,
      },
      ...issue3Scenarios(session),
    ];
    console.log(`\nAccord benchmark: ${connections} connections, ${duration} s each, PostgreSQL ${new URL(adminUrl).host} (pool ${poolSize}), ${os.cpus().length} cores, Node ${process.version}; account ${accountId} has ${10_001 + connections} people\n`);
    const results: Measured[] = [];
    const only = process.env.BENCH_ONLY;
    for (const s of scenarios.filter((x, i) => i === 0 || !only || x.name.includes(only))) {
      const r = await measure(s);
      results.push(r);
      const bare = results[0]!;
      console.log(
        `${r.name.padEnd(62)} ${r.rps.toFixed(0).padStart(7)} req/s  p50 ${String(r.p50).padStart(3)} ms  p99 ${String(r.p99).padStart(3)} ms  ` +
          `${pct(r.rps / bare.rps).padStart(5)} of bare` +
          (r.errors || r.wrongStatus ? `  (${r.errors} errors, ${r.wrongStatus} unexpected statuses)` : '') +
          (s.target ? `\n${''.padEnd(64)}target ${s.target(r, bare)}` : ''),
      );
    }
  } finally {
    await new Promise((r) => setTimeout(r, 500)); // let the last in-flight requests finish before stopping
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

/** Adds `n` people who can sign in, and signs each in through the real form (one session per connection). */
async function signInMembers(url: string, n: number): Promise<Client[]> {
  const passwordHash = await hashPassword('member password');
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  const [admin] = await sql`select account_id from persons where email = 'admin@bench.test'`;
  const rows = Array.from({ length: n }, (_, i) => ({
    id: randomBytes(15).toString('base64url'),
    account_id: admin!.account_id,
    name: `Member ${i}`,
    email: `member${i}@bench.test`,
    password_hash: passwordHash,
    license: 'read_write',
    invitation_state: 'accepted',
  }));
  await sql`insert into persons ${sql(rows)}`;
  await sql.end();
  const clients: Client[] = [];
  for (const r of rows) {
    const c = new Client();
    await c.request('/login');
    const res = await c.post('/login', { email: r.email, password: 'member password' });
    if (res.status !== 303) throw new Error(`sign-in failed: ${res.status}`);
    await c.request('/settings/personal');
    clients.push(c);
  }
  return clients;
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

/** The people and licenses pages over an account of 10,000 people (issue 3). */
function issue3Scenarios(session: Record<string, string>): Scenario[] {
  const p99Below20 = (r: Measured) => `p99 < 20 ms: ${r.p99} ms ${r.p99 < 20 ? 'MET' : 'NOT MET'}`;
  return [
    {
      name: '"Search people" fragment, 3 letters (/settings/users?q=lov)',
      path: '/settings/users?q=lov',
      headers: { ...session, 'hx-request': 'true' },
      expect: 200,
      target: p99Below20,
    },
    {
      name: 'People search fragment, 3 letters (/people?q=tur)',
      path: '/people?q=tur',
      headers: { ...session, 'hx-request': 'true' },
      expect: 200,
      target: p99Below20,
    },
    { name: 'GET /people, page 1 of 10,011 people', path: '/people', headers: session, expect: 200 },
    { name: 'GET /settings/users, page 1 (seat summary, licenses)', path: '/settings/users', headers: session, expect: 200 },
  ];
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
