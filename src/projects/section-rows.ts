/**
 * What the sections whose rows change one by one (comments, tasks) share: a row's id as it arrives in a URL or a
 * form, the project's row held while a row changes, and the answer when the project went away or got locked.
 */
import type { Auth } from '../auth/session.js';
import type { Db } from '../db/client.js';
import type { SectionKey } from '../permissions/catalog.js';
import { HttpError } from '../web/http-errors.js';
import { holdUnlocked } from './lock.js';
import { lockedError, projectNotFound, readProject } from './section-access.js';

/**
 * A row id: digits only, no leading zero, at most Number.MAX_SAFE_INTEGER; undefined for anything else ('x',
 * '1e309', '-1', '007', a huge number), so an odd id never reaches a statement and answers 404.
 */
export function rowIdOf(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^[1-9]\d{0,15}$/.test(value)) return undefined;
  const id = Number(value);
  return Number.isSafeInteger(id) ? id : undefined;
}

/**
 * Inside a change's transaction: the project's row held (FOR SHARE) until it ends, so a lock that commits first is
 * seen and one that comes later waits for this change; 'missing' when the project is gone. One implementation
 * (src/projects/lock.ts), under the name the sections' rows use.
 */
export const holdProject = holdUnlocked;
export type ProjectHold = Awaited<ReturnType<typeof holdUnlocked>>;

/**
 * The answer to a change that found the project gone or locked inside its transaction (after the guard let it
 * through): the projects' 404, or the locked project's 403 page.
 */
export async function unavailable(db: Db, auth: Auth, projectId: string, section: SectionKey, reason: Exclude<ProjectHold, 'open'>): Promise<HttpError> {
  if (reason === 'missing') return projectNotFound();
  const ctx = await readProject(db, auth, projectId, section).catch(() => undefined);
  if (!ctx) return projectNotFound();
  return ctx.lock ? lockedError(ctx.lock) : new HttpError(403, 'This project has just been locked for editing: nothing in it can be changed until someone with “Lock project for editing” unlocks it.', 'This project is locked');
}
