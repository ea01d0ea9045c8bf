import type { FastifyRequest } from 'fastify';
import type { Auth } from '../auth/session.js';
import { HttpError, SignInRequired } from '../web/http-errors.js';


export function requireSignedIn(request: FastifyRequest): Auth {
  if (!request.auth) throw new SignInRequired('sign in required');
  return request.auth;
}

export function isAdmin(auth: Auth | null): boolean {
  return !!auth && auth.person.isAdmin && auth.person.license !== 'none';
}

/** Account settings are for administrators only (SPEC §2): others get 403. */
export function requireAdmin(request: FastifyRequest): Auth {
  const auth = requireSignedIn(request);
  if (!isAdmin(auth)) throw new HttpError(403, 'Only administrators can change account settings.');
  return auth;
}

export const READ_ONLY_REFUSED = 'Your license is Read-Only: you can look at everything you may read, but not change it.';

/** Any edit needs a Read & Write license: Read-Only people are refused on the server (SPEC §5). */
export function requireWriteLicense(request: FastifyRequest): Auth {
  const auth = requireSignedIn(request);
  if (auth.person.license !== 'read_write') throw new HttpError(403, READ_ONLY_REFUSED);
  return auth;
}

/** An administrator changing account settings: administrator and a Read & Write license. */
export function requireAdminToEdit(request: FastifyRequest): Auth {
  const auth = requireAdmin(request);
  if (auth.person.license !== 'read_write') throw new HttpError(403, READ_ONLY_REFUSED);
  return auth;
}
