// Runs the production server (`node dist/server.js`, no TypeScript loader) as a real process, for the tests of
// what only a process shows: the data folder's lock, kill -9, SIGTERM.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Builds dist/ if src/ changed since (what `npm start` does first). */
export function ensureBuilt(): void {
  const r = spawnSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: repoRoot, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build failed:\n${r.stdout}\n${r.stderr}`);
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface ServerProcess {
  child: ChildProcess;
  base: string;
  port: number;
  /** what the process wrote to stdout (its log lines) so far */
  stdout(): string;
  /** what the process wrote to stderr so far */
  stderr(): string;
  /** resolves when the process has exited */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `node dist/server.js` on a data folder (PGlite) and a free port; does not wait for it to serve. */
export async function spawnServer(dataDir: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const port = await freePort();
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  // the embedded database, whatever the suite runs on
  for (const k of ['DATABASE_URL', 'TEST_DATABASE_URL', 'ACCORD_TEST_DB']) delete childEnv[k];
  // Nothing of the test runner in the server: tap adds its process-tracking --import to NODE_OPTIONS of every
  // child it sees spawned, so env (which execs node, keeping the pid) takes it out again.
  const child = spawn('/usr/bin/env', ['-u', 'NODE_OPTIONS', process.execPath, 'dist/server.js'], {
    cwd: repoRoot,
    env: {
      ...childEnv,
      NODE_ENV: 'production',
      APP_KEY: 'ab'.repeat(32),
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      LOGIN_RATE_LIMIT_MAX: '1000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, base: `http://127.0.0.1:${port}`, port, stdout: () => stdout, stderr: () => stderr, exited };
}

/** Waits until GET /healthz answers 200; throws with the server's stderr if it exits first or takes over 90 s (a first start on a busy two-core CI machine, migrating a fresh folder, was seen to take over 30 s). */
export async function waitUntilServing(server: ServerProcess): Promise<void> {
  let exited = false;
  void server.exited.then(() => (exited = true));
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline && !exited) {
    try {
      if ((await fetch(`${server.base}/healthz`)).status === 200) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the server did not start: ${server.stderr()}`);
}

export async function startServer(dataDir: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const server = await spawnServer(dataDir, env);
  await waitUntilServing(server);
  return server;
}

/** A browser-like client over real HTTP: keeps cookies, sends the page's CSRF token with its forms. */
export class HttpClient {
  cookies = new Map<string, string>();
  csrf = '';
  constructor(readonly base: string) {}

  async request(url: string, init: RequestInit = {}) {
    const res = await fetch(this.base + url, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    const body = await res.text();
    const m = /<meta name="csrf-token" content="([^"]+)">/.exec(body);
    if (m) this.csrf = m[1]!;
    return { status: res.status, body, location: res.headers.get('location') };
  }

  post(url: string, form: Record<string, string>) {
    return this.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...form, _csrf: this.csrf }).toString(),
    });
  }
}

export const PASSWORD = 'correct horse battery staple';

export function signupForm(email: string): Record<string, string> {
  return {
    organizationName: `Org of ${email}`, name: 'Process Test', email, phone: '+1 555 0100 000', password: PASSWORD,
    foundUs: 'other', edition: 'professional', readWriteLicenses: '5',
  };
}

/** Signs in through the real form; true when the server took the password (303 to the signed-in pages). */
export async function signsIn(base: string, email: string): Promise<boolean> {
  const client = new HttpClient(base);
  await client.request('/login');
  const res = await client.post('/login', { email, password: PASSWORD });
  return res.status === 303;
}
