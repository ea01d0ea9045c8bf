import { LRUCache } from 'lru-cache';
import type { Db } from './client.js';

/**
 * Reads cached under a version the database keeps per account (people_list_versions, access_versions): the id of
 * the last transaction that changed what the read depends on, written by deferred triggers at commit and read by
 * the session's statement. A change committed anywhere — this instance, another one, a script — gives the next
 * request a new version, so its key misses and the value is read afresh; an entry is never served after a change
 * it predates. The version is read before the value, so an entry holds data as new as its key or newer.
 *
 * One bounded LRU per database and kind of read (least recently used out). Values are deep-frozen: every request
 * gets the same objects.
 */
export class VersionedCache<T extends object> {
  private readonly caches = new WeakMap<Db, LRUCache<string, T>>();

  constructor(private readonly max: number) {}

  /**
   * The value under (account, version, key), or `read()` kept there. `version` undefined (not read with the
   * session) always reads; null (no change recorded yet) is a version like any other.
   */
  async get(db: Db, accountId: string, version: string | null | undefined, key: string, read: () => Promise<T>): Promise<T> {
    if (version === undefined) return read();
    let cache = this.caches.get(db);
    if (!cache) {
      this.caches.set(db, (cache = new LRUCache<string, T>({ max: this.max })));
      every.add(cache);
    }
    const fullKey = `${accountId}\u0000${version ?? ''}\u0000${key}`;
    const hit = cache.get(fullKey);
    if (hit) return hit;
    const value = deepFreeze(await read());
    cache.set(fullKey, value);
    stored.add(value);
    return value;
  }
}

/** Every value a VersionedCache stored (and so may give again), held weakly: they go when the caches drop them. */
const stored = new WeakSet<object>();

/** Whether `value` came from a VersionedCache (rather than a read that was not kept, such as a POST's). */
export function isCachedRead(value: object): boolean {
  return stored.has(value);
}

/**
 * One version made of several read with the session (a read that depends on more than one kind of change), or
 * undefined, so always read, when any of them was not read.
 */
export function joinVersions(...versions: (string | null | undefined)[]): string | undefined {
  return versions.some((v) => v === undefined) ? undefined : versions.map((v) => v ?? '').join('/');
}

/** Every cache made (one per database and kind: a handful in production). */
const every = new Set<{ clear(): void }>();

/** Drops every cached read of every kind and database (tests that count a page's statements on a cold cache). */
export function forgetCachedReads(): void {
  for (const cache of every) cache.clear();
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
