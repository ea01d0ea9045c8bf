/**
 * The pages of a project's Comments, Tasks and Time tracking, kept under the versions read with the session (design
 * decision 27, src/db/versioned-cache.ts): the account's section version, which every change to a comment, a task
 * or a time entry of its projects stamps at commit (migration 0015), and its people-list version, for the names the
 * pages show. Asked again with nothing changed, a page is the session's statement alone; a change made anywhere
 * (this instance, another one, a script) is on the next page. A POST reads no version, so it always reads afresh.
 * Only the rows are kept: who may edit or delete what is decided on every request from the person's access.
 */
import type { Auth } from '../auth/session.js';
import type { Db } from '../db/client.js';
import { joinVersions, VersionedCache } from '../db/versioned-cache.js';

/** About 300 pages of 25-50 rows (and a Tasks page's rendered rows, kept with it): a few MB at most. */
const pages = new VersionedCache<object>(300);

/**
 * One page of a section of a project: `read()` kept under (section, project, position) and the versions. The value
 * is deep-frozen: callers copy before changing it (slice, map).
 */
export async function sectionPage<T extends object>(db: Db, auth: Auth, section: string, projectId: string, position: object, read: () => Promise<T>): Promise<T> {
  const key = `${section}\u0000${projectId}\u0000${JSON.stringify(position)}`;
  // the page itself is what the cache keeps (not a wrapper), so that HTML can be kept with it (src/web/kept-render.ts)
  return (await pages.get(db, auth.account.id, joinVersions(auth.sectionVersion, auth.peopleListVersion), key, read)) as T;
}
