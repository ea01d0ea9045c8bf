import type { FastifyRequest } from 'fastify';
import type { Auth } from '../auth/session.js';
import type { Db } from '../db/client.js';
import { listGlobalPermissions, type PermissionKey } from '../permissions/grants.js';
import { isAdmin, requireWriteLicense } from '../permissions/guard.js';
import { HttpError } from '../web/http-errors.js';
import { canEditPeople, EDIT_PEOPLE_REFUSED } from './rules.js';

/** The signed-in person's global permissions, loaded once (administrators and Read-Only people need no query). */
export async function viewerGrants(db: Db, auth: Auth): Promise<ReadonlySet<PermissionKey>> {
  if (isAdmin(auth) || auth.person.license !== 'read_write') return new Set();
  return listGlobalPermissions(db, auth.account.id, auth.person.id);
}

/** Adding contacts: Read & Write, and administrator or "Edit people" (403 otherwise). */
export async function requireEditPeople(db: Db, request: FastifyRequest): Promise<Auth> {
  const auth = requireWriteLicense(request);
  if (!canEditPeople(auth.person, await viewerGrants(db, auth))) throw new HttpError(403, EDIT_PEOPLE_REFUSED);
  return auth;
}

/** A person id that is not one of the account's contacts (or another account's): 404. */
export const personNotFound = () => new HttpError(404, 'There is no such person in your contacts.');
