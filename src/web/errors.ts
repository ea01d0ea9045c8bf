import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { HttpError, SignInRequired } from './http-errors.js';

const TITLES: Record<number, string> = {
  400: 'Bad request',
  403: 'You can’t do that',
  404: 'Page not found',
  413: 'Too much data',
  415: 'Unsupported request',
  429: 'Too many requests',
};

/**
 * What the log keeps of an unexpected error. A failed query's message and fields carry its parameters (drizzle
 * writes them into the message; a unique violation's detail names the value) — password hashes, sealed phone
 * numbers, emails — so for database errors only the statement, the SQLSTATE code and the stack are kept.
 */
export function loggableError(err: unknown, depth = 0): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: String(err) };
  const e = err as Error & { query?: unknown; params?: unknown; code?: unknown; severity?: unknown };
  const cause = e.cause !== undefined && depth < 3 ? loggableError(e.cause, depth + 1) : undefined;
  const stack = e.stack?.split('\n').filter((line) => /^\s+at /.test(line)).join('\n');
  const fromDatabase = 'params' in e || 'severity' in e;
  return {
    type: e.name,
    message: fromDatabase ? undefined : e.message,
    query: typeof e.query === 'string' ? e.query : undefined,
    code: typeof e.code === 'string' ? e.code : undefined,
    stack,
    cause,
  };
}

/** What an htmx request gets instead of a whole error page: the reason in the page's error summary. */
const FRAGMENT = 'errors/_htmx-error';

/** 4xx pages that say what happened, and a 500 page that reveals nothing about the internals. */
export default fp(async function errors(app: FastifyInstance) {
  app.setNotFoundHandler((request, reply) => {
    return reply.render('errors/error', {
      title: 'Page not found',
      message: 'There is no page at this address. Check the address, or go back to the start.',
    }, { status: 404, fragment: FRAGMENT });
  });

  app.setErrorHandler(async (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof SignInRequired) {
      const next = request.method === 'GET' ? `?next=${encodeURIComponent(request.url)}` : '';
      if (request.headers['hx-request'] === 'true') return reply.header('hx-redirect', `/login${next}`).code(401).send();
      return reply.redirect(`/login${next}`, 303);
    }
    let status = error instanceof HttpError ? error.statusCode : (error.statusCode ?? 500);
    if (status < 400 || status > 599) status = 500;
    let message: string;
    if (error instanceof HttpError) message = error.message;
    else if (error.code?.startsWith('FST_CSRF')) {
      status = 403;
      message = 'This form has expired or did not come from this site. Go back, reload the page and try again.';
    } else if (status === 429) message = 'Too many requests. Wait a few minutes, then try again.';
    else if (status < 500) message = 'The request could not be understood. Go back and try again.';
    else {
      request.log.error({ error: loggableError(error) }, 'unexpected error');
      message = 'Something went wrong on our side. Your change may not have been saved; please try again.';
    }
    const title = status >= 500 ? 'Sorry, there is a problem with the service' : ((error instanceof HttpError && error.title) || (TITLES[status] ?? 'Request refused'));
    try {
      return await reply.render('errors/error', { title, message }, { status, fragment: FRAGMENT });
    } catch (renderError) {
      request.log.error({ error: loggableError(renderError) }, 'error page failed');
      return reply.code(status).type('text/plain; charset=utf-8').send(`${title}\n\n${message}\n`);
    }
  });
});
