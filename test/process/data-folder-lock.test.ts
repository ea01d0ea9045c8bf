// One process per data folder, with real processes: a second start on a held folder stops at once and says who
// holds it; the lock of a process killed with SIGKILL is taken over by the next start, which finds the data.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { testDbKind } from '../helpers/db.js';
import { ensureBuilt, HttpClient, signsIn, signupForm, spawnServer, startServer } from '../helpers/server-process.js';

// The lock is PGlite's (with DATABASE_URL several instances may share a data folder): the PGlite run tests it.
const pgliteOnly = { skip: testDbKind === 'postgres' && 'the data folder lock is for PGlite; the PGlite run tests it' };
if (!pgliteOnly.skip) ensureBuilt();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'accord-lock-'));
t.teardown(() => fs.rmSync(dataDir, { recursive: true, force: true }));

/** Every file under the folder with its size and modification time. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const st = fs.statSync(path.join(dir, name));
    if (st.isFile()) out[name] = `${st.size}@${st.mtimeMs}`;
  }
  return out;
}

t.test('a second process on a held data folder stops at once, naming the folder and the holder', pgliteOnly, async (t) => {
  const first = await startServer(dataDir);
  t.teardown(async () => {
    first.child.kill('SIGTERM');
    await first.exited;
  });
  const admin = new HttpClient(first.base);
  await admin.request('/signup');
  t.equal((await admin.post('/signup', signupForm('first@lock.test'))).status, 303, 'the first process signs an organization up');
  await new Promise((r) => setTimeout(r, 300)); // let the first settle, so that the snapshot below is still
  const before = snapshot(dataDir);

  const started = Date.now();
  const second = await spawnServer(dataDir);
  const { code } = await second.exited;
  const took = Date.now() - started;
  t.not(code, 0, 'the second exits with a failure status');
  t.ok(took < 10_000, `it gives up at once, without waiting for the lock (${took} ms)`);
  const message = second.stderr();
  const holder = JSON.parse(fs.readFileSync(path.join(dataDir, 'accord.lock.json'), 'utf8'));
  t.equal(holder.pid, first.child.pid, 'the holder file names the first process');
  t.match(message, fs.realpathSync(dataDir), 'the message names the folder');
  t.match(message, `pid ${first.child.pid} on host ${os.hostname()}`, 'and the process holding it');
  t.match(message, `running since ${holder.since}`, 'and since when');
  t.same(snapshot(dataDir), before, 'the second touched nothing in the folder');

  t.equal((await fetch(`${first.base}/healthz`)).status, 200, 'the first keeps serving');
  t.ok(await signsIn(first.base, 'first@lock.test'), 'and its data is intact');
});

t.test('the lock of a process killed with SIGKILL is taken over at once by the next start, which has the data', pgliteOnly, async (t) => {
  const first = await startServer(dataDir);
  const admin = new HttpClient(first.base);
  await admin.request('/signup');
  t.equal((await admin.post('/signup', signupForm('before-kill@lock.test'))).status, 303, 'an organization signs up');
  first.child.kill('SIGKILL');
  t.equal((await first.exited).signal, 'SIGKILL', 'the first process is killed');
  t.ok(fs.existsSync(path.join(dataDir, 'accord.lock')), 'the killed process left its lock behind');

  const started = Date.now();
  const next = await startServer(dataDir);
  t.teardown(() => next.child.kill('SIGKILL'));
  t.ok(Date.now() - started < 25_000, `the next start serves without waiting for the lock to go stale (30 s): ${Date.now() - started} ms`);
  t.ok(await signsIn(next.base, 'before-kill@lock.test'), 'the organization signed up before the kill is there');
  t.ok(await signsIn(next.base, 'first@lock.test'), 'and the one from the first test');
  const holder = JSON.parse(fs.readFileSync(path.join(dataDir, 'accord.lock.json'), 'utf8'));
  t.equal(holder.pid, next.child.pid, 'the holder file now names the new process');
});

t.test('a process whose lock is removed under it stops at once, writing nothing more', pgliteOnly, async (t) => {
  const server = await startServer(dataDir);
  t.teardown(() => server.child.kill('SIGKILL'));
  fs.rmSync(path.join(dataDir, 'accord.lock'), { recursive: true });
  const { code } = await server.exited;
  t.equal(code, 1, 'it exits 1 (within the lock refresh interval, 5 s)');
  t.match(server.stdout(), 'Lost the lock on the data folder', 'saying why');
});
