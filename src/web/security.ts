import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

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
  await app.register(fastifyFormbody, { bodyLimit: 64 * 1024 });
  await app.register(fastifyCsrf, {
    cookieKey: 'accord_csrf',
    cookieOpts: { path: '/', sameSite: 'lax', httpOnly: true, secure: opts.secureCookies, signed: false },
  });
  // Every state change is a POST; each must carry the token (form field `_csrf` or the X-CSRF-Token header htmx sends).
  app.addHook('preHandler', (request, reply, done) => {
    if (request.method !== 'POST') return done();
    app.csrfProtection(request, reply, done);
  });
});
