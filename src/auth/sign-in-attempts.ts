import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { CreateRateLimitOptions } from '@fastify/rate-limit';
import type { Config } from '../config.js';
import { HttpError } from '../web/http-errors.js';

/** The bucket POST /login counts in (src/web/rate-limit-store.ts names a route's bucket by its method and path). */
const SIGN_IN_BUCKET = 'POST/login';

/**
 * A password typed anywhere but the sign-in form (confirming an organization's deletion) is a guess like any other:
 * a wrong one counts against the address's sign-in attempts, and once they are used up no password is checked.
 */
export function signInAttempts(app: FastifyInstance, config: Config) {
  const max = config.LOGIN_RATE_LIMIT_MAX;
  const options = { max, timeWindow: config.LOGIN_RATE_LIMIT_WINDOW_MINUTES * 60_000, bucket: SIGN_IN_BUCKET };
  const limiter = app.createRateLimit(options as CreateRateLimitOptions);
  return {
    /** Refuses (429) when the address has no sign-in attempt left, as POST /login would. */
    async requireAttemptLeft(request: FastifyRequest): Promise<void> {
      const state = await limiter(request, { increment: false });
      if (!state.isAllowed && state.remaining <= 0) {
        throw new HttpError(429, `Too many attempts from your address. Wait ${config.LOGIN_RATE_LIMIT_WINDOW_MINUTES} minutes, then try again.`);
      }
    },
    /** Counts a wrong password as one sign-in attempt of the address. */
    async countFailure(request: FastifyRequest): Promise<void> {
      await limiter(request);
    },
  };
}
