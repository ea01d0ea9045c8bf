import type { Db } from '../db/client.js';
import { VersionedCache } from '../db/versioned-cache.js';
import type { SearchResult } from './search.js';

/**
 * Pages of people (/people, /settings/users, their searches) cached under the account's people-list version
 * (people_list_versions: stamped by every transaction that changes what a list of people shows). A page is 26
 * rows at most.
 */
const pages = new VersionedCache<SearchResult>(500);

export function cachedPage(db: Db, accountId: string, version: string | null | undefined, key: string, read: () => Promise<SearchResult>) {
  return pages.get(db, accountId, version, key, read);
}
