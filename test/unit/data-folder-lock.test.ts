// The data folder's lock, in one process: who is refused, whose leftover lock is taken over, and when.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { DataFolderInUseError, type Holder, lockDataFolder } from '../../src/db/data-folder-lock.js';

const noop = { onCompromised: () => {} };

function folder(t: { teardown(fn: () => unknown): void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'accord-lock-unit-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Leaves a lock as `holder` would have: the lock directory (modified `ageMs` ago) and the holder file. */
function leaveLock(dir: string, holder: Holder, ageMs = 0) {
  fs.mkdirSync(path.join(dir, 'accord.lock'));
  const when = new Date(Date.now() - ageMs);
  fs.utimesSync(path.join(dir, 'accord.lock'), when, when);
  fs.writeFileSync(path.join(dir, 'accord.lock.json'), JSON.stringify(holder));
}

const here = { hostname: os.hostname(), since: '2030-01-02T03:04:05.000Z', pidNamespace: fs.existsSync('/proc/self/ns/pid') ? fs.readlinkSync('/proc/self/ns/pid') : null };

t.test('a free folder is taken, and released', async (t) => {
  const dir = folder(t);
  const lock = await lockDataFolder(dir, noop);
  t.equal(lock.holder.pid, process.pid);
  t.same(JSON.parse(fs.readFileSync(path.join(dir, 'accord.lock.json'), 'utf8')), lock.holder, 'the holder file says who holds it');
  t.type(await lockDataFolder(dir, noop).catch((e: unknown) => e), DataFolderInUseError, 'a second taker is refused');
  await lock.release();
  t.notOk(fs.existsSync(path.join(dir, 'accord.lock')), 'released: no lock left');
  t.notOk(fs.existsSync(path.join(dir, 'accord.lock.json')), 'nor holder file');
  await (await lockDataFolder(dir, noop)).release();
});

t.test('a live holder on this machine is named, and keeps the folder', async (t) => {
  const dir = folder(t);
  const sleeper = spawn('sleep', ['30']);
  t.teardown(() => sleeper.kill());
  leaveLock(dir, { ...here, pid: sleeper.pid! });
  const err = await lockDataFolder(dir, noop).catch((e: unknown) => e);
  t.type(err, DataFolderInUseError);
  t.equal((err as Error).message, `The data folder ${fs.realpathSync(dir)} is in use by another Accord process (pid ${sleeper.pid} on host ${os.hostname()}, running since 2030-01-02T03:04:05.000Z). Stop that process first, or give this one another DATA_DIR.`);
  t.ok(fs.existsSync(path.join(dir, 'accord.lock')), 'its lock is untouched');
});

t.test('the lock of a holder that died on this machine is taken over at once', async (t) => {
  const dir = folder(t);
  const dead = spawnSync('true').pid!;
  leaveLock(dir, { ...here, pid: dead });
  const lock = await lockDataFolder(dir, noop);
  t.equal(lock.holder.pid, process.pid, 'taken, though its lock was refreshed a moment ago');
  await lock.release();
});

t.test('another machine holds the lock until it has not refreshed it for 30 s', async (t) => {
  const dir = folder(t);
  const elsewhere: Holder = { pid: 4242, hostname: 'another-host.example', since: '2030-01-02T03:04:05.000Z', pidNamespace: 'pid:[1]' };
  leaveLock(dir, elsewhere, 20_000);
  await t.rejects(lockDataFolder(dir, noop), { message: /pid 4242 on host another-host\.example/ }, 'refreshed 20 s ago: refused');
  const old = new Date(Date.now() - 40_000);
  fs.utimesSync(path.join(dir, 'accord.lock'), old, old);
  const lock = await lockDataFolder(dir, noop);
  t.equal(lock.holder.hostname, os.hostname(), 'not refreshed for 40 s: taken over');
  await lock.release();
});

t.test('a lost lock is reported to the holder', async (t) => {
  const dir = folder(t);
  let lost: Error | undefined;
  const lock = await lockDataFolder(dir, { onCompromised: (err) => (lost = err) });
  fs.rmSync(path.join(dir, 'accord.lock'), { recursive: true });
  for (let i = 0; i < 100 && !lost; i++) await new Promise((r) => setTimeout(r, 100));
  t.ok(lost, 'onCompromised is called within the refresh interval');
  await t.rejects(lock.release(), 'and the lock is no longer ours to release');
});
