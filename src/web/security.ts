import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { HttpError } from '../web/http-errors.js';

/** The cookie that keeps the CSRF secret (for the browser session only: it has no expiry). */
export const CSRF_COOKIE = 'accord_csrf';

/** C0 control characters but tab, newline and carriage return, and DEL: nobody types them, and PostgreSQL refuses NUL. */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const CONTROLS = new RegExp(CONTROL.source, 'g');

/** Form fields and query values without control characters (a form or address can't carry them on purpose). */
function withoutControls(values: unknown): void {
  if (!values || typeof values !== 'object') return;
  const record = values as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const v = record[key];
    if (typeof v === 'string') {
      if (CONTROL.test(v)) record[key] = v.replace(CONTROLS, '');
    } else if (Array.isArray(v)) {
      record[key] = v.map((x) => (typeof x === 'string' ? x.replace(CONTROLS, '') : x));
    }
  }
}

/** Security headers with a CSP that allows no inline script, form parsing, cookies and CSRF on every POST. */
export default fp(async function security(app: FastifyInstance, opts: { secureCookies: boolean }) {
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
        ...(opts.secureCookies ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    hsts: opts.secureCookies,
  });
  await app.register(fastifyCookie);
  // Forms are the only bodies: JSON and plain text get 415 instead of reaching handlers that expect fields.
  app.removeContentTypeParser(['application/json', 'text/plain']);
  await app.register(fastifyFormbody, { bodyLimit: 64 * 1024 });
  // Control characters are dropped from form fields and query values before any validation; an address whose
  // path holds one names no page.
  app.addHook('preValidation', (request, _reply, done) => {
    const params = request.params as Record<string, unknown> | undefined;
    if (params && Object.values(params).some((v) => typeof v === 'string' && CONTROL.test(v))) {
      return done(new HttpError(404, 'There is no page at this address. Check the address, or go back to the start.'));
    }
    withoutControls(request.query);
    withoutControls(request.body);
    done();
  });
  await app.register(fastifyCsrf, {
    cookieKey: CSRF_COOKIE,
    cookieOpts: { path: '/', sameSite: 'lax', httpOnly: true, secure: opts.secureCookies, signed: false },
  });
  // Every state change is a POST; each must carry the token (form field `_csrf` or the X-CSRF-Token header htmx sends).
  app.addHook('preHandler', (request, reply, done) => {
    if (request.method !== 'POST') return done();
    app.csrfProtection(request, reply, done);
  });
});
