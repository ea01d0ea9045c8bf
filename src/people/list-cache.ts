import { LRUCache } from 'lru-cache';
import type { Db } from '../db/client.js';
import type { SearchResult } from './search.js';

/**
 * Pages of people already read, per database and account, under the version of the account's people lists that
 * the request's session statement read (people_list_versions, stamped by a deferred trigger on persons by every
 * transaction that changes what a list shows). A change committed anywhere — this instance, another one, a
 * script — gives the account a new version, so the next request's key misses and the page is read afresh: an
 * entry is never served after the change it predates. The version is read before the page, so an entry can only
 * hold data as new as or newer than its key.
 *
 * Bounded by entries (a page is 26 rows at most); the least recently used go first.
 */
const MAX_PAGES = 500;

const caches = new WeakMap<Db, LRUCache<string, SearchResult>>();

function cacheOf(db: Db): LRUCache<string, SearchResult> {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new LRUCache<string, SearchResult>({ max: MAX_PAGES })));
  return cache;
}

/**
 * The page `key` of the account at `version` from the cache, or `read` it and keep it. `version` undefined (not
 * read with the session) always reads. The rows are frozen: every user gets the same objects.
 */
export async function cachedPage(
  db: Db,
  accountId: string,
  version: string | null | undefined,
  key: string,
  read: () => Promise<SearchResult>,
): Promise<SearchResult> {
  if (version === undefined) return read();
  const cache = cacheOf(db);
  const fullKey = `${accountId}\u0000${version ?? ''}\u0000${key}`;
  const hit = cache.get(fullKey);
  if (hit) return hit;
  const page = await read();
  for (const row of page.rows) Object.freeze(row);
  Object.freeze(page.rows);
  cache.set(fullKey, Object.freeze(page));
  return page;
}

/** Drops every cached page of this database (tests that count a page's statements on a cold cache). */
export function forgetCachedPages(db: Db): void {
  caches.get(db)?.clear();
}
