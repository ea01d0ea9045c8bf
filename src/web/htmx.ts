import type { FastifyRequest } from 'fastify';

/** True for requests htmx sends (they get the fragment, not the whole page). Boosted/history requests get pages. */
export function isHtmx(request: FastifyRequest): boolean {
  return request.headers['hx-request'] === 'true' && request.headers['hx-history-restore-request'] !== 'true';
}
