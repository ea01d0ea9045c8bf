// SIGTERM, as systemd sends it: the process stops accepting connections, finishes every request in flight, closes
// the database (PGlite, or the PostgreSQL pool on the PostgreSQL run), releases the data folder and exits 0. The requests in flight are sign-up forms whose headers and
// first bytes reached the server before the signal and whose rest is sent after it: the server has started every
// one of them, none can have finished, and each must still be answered and saved.
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { createTestDatabase, testDbKind } from '../helpers/db.js';
import { ensureBuilt, HttpClient, type ServerProcess, signsIn, signupForm, startServer } from '../helpers/server-process.js';

ensureBuilt();

const IN_FLIGHT = 20;

/** Starts a sign-up POST, sending its headers and the first bytes of its body; `finish()` sends the rest. */
async function startSignup(server: ServerProcess, email: string) {
  const client = new HttpClient(server.base);
  await client.request('/signup');
  const body = new URLSearchParams({ ...signupForm(email), _csrf: client.csrf }).toString();
  const req = http.request({
    host: '127.0.0.1',
    port: server.port,
    method: 'POST',
    path: '/signup',
    agent: new http.Agent({ keepAlive: true }), // as browsers and proxies do: the connection outlives the answer
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'content-length': Buffer.byteLength(body),
      cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
    },
  });
  const answer = new Promise<number | string>((resolve) => {
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode!);
    });
    req.on('error', (err) => resolve(`failed: ${err.message}`));
  });
  req.write(body.slice(0, 20));
  return { answer, finish: () => req.end(body.slice(20)) };
}

/** A data folder, and on the PostgreSQL run a database of its own (DATABASE_URL): the environment of a server. */
async function serverEnv(t: { teardown(fn: () => unknown): void }): Promise<{ dataDir: string; env: Record<string, string> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'accord-term-'));
  t.teardown(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  if (testDbKind === 'pglite') return { dataDir, env: {} };
  const db = await createTestDatabase();
  t.teardown(() => db.drop());
  return { dataDir, env: { DATABASE_URL: db.url! } };
}

function emails(prefix: string) {
  return Array.from({ length: IN_FLIGHT }, (_, i) => `${prefix}-${i}@shutdown.test`);
}

t.test('SIGTERM finishes the requests in flight, then exits 0 and releases the data folder', async (t) => {
  const { dataDir, env } = await serverEnv(t);
  const server = await startServer(dataDir, env);
  t.teardown(() => server.child.kill('SIGKILL'));

  const signups = await Promise.all(emails('term').map((email) => startSignup(server, email)));
  await new Promise((r) => setTimeout(r, 500)); // the idle server reads every request's headers
  server.child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 300));
  await t.rejects(fetch(`${server.base}/healthz`), 'once signalled, the server takes no new connection');
  for (const s of signups) s.finish();
  const statuses = await Promise.all(signups.map((s) => s.answer));

  t.same(statuses, Array(IN_FLIGHT).fill(303), 'every request in flight was answered, and succeeded');
  const { code } = await server.exited;
  t.equal(code, 0, 'the process exits 0', { log: server.stdout(), stderr: server.stderr() });
  if (testDbKind === 'pglite') t.notOk(fs.existsSync(path.join(dataDir, 'accord.lock')), 'it released the data folder');

  const next = await startServer(dataDir, env);
  t.teardown(() => next.child.kill('SIGKILL'));
  const saved = [];
  for (const email of emails('term')) if (await signsIn(next.base, email)) saved.push(email);
  t.same(saved, emails('term'), 'every sign-up was saved');
});

t.test('a second SIGTERM does not wait for the requests in flight', async (t) => {
  const { dataDir, env } = await serverEnv(t);
  const server = await startServer(dataDir, env);
  t.teardown(() => server.child.kill('SIGKILL'));
  const signups = await Promise.all(emails('twice').map((email) => startSignup(server, email)));
  await new Promise((r) => setTimeout(r, 500));
  server.child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 300)); // two signals sent together may arrive as one
  server.child.kill('SIGTERM');
  const { code } = await server.exited;
  t.equal(code, 1, 'the process exits 1 at once');
  for (const s of signups) s.finish();
  const statuses = await Promise.all(signups.map((s) => s.answer));
  t.ok(statuses.every((s) => typeof s === 'string'), 'leaving its requests unanswered');
});
