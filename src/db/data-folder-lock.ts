import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';

/**
 * One process per data folder. PGlite gives no protection of its own: two processes on one folder each keep their
 * own copy of the database in memory and overwrite each other's files. The lock is proper-lockfile's (an atomic
 * mkdir whose mtime the holder refreshes); next to it a holder file says who holds it, so a refused start can name
 * the process, and a lock left by a process that died on this machine (kill -9, a crash) is taken over at once.
 * Another machine (a shared network folder) can't check that pid: there the lock is taken over once its mtime has
 * not been refreshed for STALE_MS.
 */

/** Who holds a data folder. */
export interface Holder {
  pid: number;
  hostname: string;
  /** when the holder took the lock (ISO time) */
  since: string;
  /** the holder's PID namespace (Linux): its pid says something about a process here only if it is ours */
  pidNamespace: string | null;
}

export interface DataFolderLock {
  /** the folder, symbolic links resolved */
  folder: string;
  holder: Holder;
  release(): Promise<void>;
}

/** Folders this process holds (a holder file naming our own pid is then ours, not a dead process's). */
const held = new Set<string>();

const STALE_MS = 30_000;
const UPDATE_MS = 5_000;
const LOCK = 'accord.lock';
const HOLDER = 'accord.lock.json';

export class DataFolderInUseError extends Error {
  constructor(
    readonly folder: string,
    readonly holder: Holder | undefined,
  ) {
    const who = holder
      ? `(pid ${holder.pid} on host ${holder.hostname}, running since ${holder.since})`
      : `(one that keeps ${path.join(folder, LOCK)} fresh)`;
    super(`The data folder ${folder} is in use by another Accord process ${who}. Stop that process first, or give this one another DATA_DIR.`);
    this.name = 'DataFolderInUseError';
  }
}

function pidNamespace(): string | null {
  try {
    return fs.readlinkSync('/proc/self/ns/pid');
  } catch {
    return null;
  }
}

function readHolder(file: string): Holder | undefined {
  try {
    const h = JSON.parse(fs.readFileSync(file, 'utf8')) as Holder;
    return Number.isInteger(h.pid) && typeof h.hostname === 'string' ? h : undefined;
  } catch {
    return undefined;
  }
}

/** True when the holder ran on this machine, in this PID namespace, and no process has its pid any more (or we
 * have it, without holding the folder: a pid reused after a restart, as a container's pid 1). */
function holderIsGone(h: Holder): boolean {
  if (h.hostname !== os.hostname() || h.pidNamespace !== pidNamespace()) return false;
  if (h.pid === process.pid) return true;
  try {
    process.kill(h.pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Takes the data folder (creating it) or throws DataFolderInUseError naming the holder. Call it before anything
 * opens or writes the folder. `onCompromised` is called if the lock is lost later (its directory removed or taken
 * over): the caller must stop writing at once.
 */
export async function lockDataFolder(dir: string, opts: { onCompromised(err: Error): void }): Promise<DataFolderLock> {
  fs.mkdirSync(dir, { recursive: true });
  const folder = fs.realpathSync(dir);
  const lockPath = path.join(folder, LOCK);
  const holderPath = path.join(folder, HOLDER);
  if (held.has(folder)) throw new DataFolderInUseError(folder, readHolder(holderPath));
  // Deciding that a holder is gone, removing its lock and writing ours happen under a second, short-lived lock, so
  // two processes starting together can't both take over the same leftover lock.
  const releaseStarting = await lockfile.lock(path.join(folder, 'accord-starting'), {
    realpath: false,
    stale: 2_000,
    retries: { retries: 50, factor: 1, minTimeout: 100, maxTimeout: 100 },
    onCompromised: () => {},
  });
  try {
    const previous = readHolder(holderPath);
    if (fs.existsSync(lockPath) && previous && holderIsGone(previous)) fs.rmSync(lockPath, { recursive: true, force: true });
    let release: () => Promise<void>;
    try {
      release = await lockfile.lock(path.join(folder, 'accord'), {
        realpath: false,
        lockfilePath: lockPath,
        stale: STALE_MS,
        update: UPDATE_MS,
        onCompromised: (err) => {
          held.delete(folder);
          opts.onCompromised(err);
        },
      });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ELOCKED') throw new DataFolderInUseError(folder, readHolder(holderPath));
      throw err;
    }
    const holder: Holder = { pid: process.pid, hostname: os.hostname(), since: new Date().toISOString(), pidNamespace: pidNamespace() };
    fs.writeFileSync(holderPath, `${JSON.stringify(holder)}\n`);
    held.add(folder);
    return {
      folder,
      holder,
      release: async () => {
        const current = readHolder(holderPath);
        if (current?.pid === holder.pid && current.since === holder.since) fs.rmSync(holderPath, { force: true });
        held.delete(folder);
        await release();
      },
    };
  } finally {
    await releaseStarting();
  }
}
