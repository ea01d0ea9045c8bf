import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import accountRoutes from './account/routes.js';
import accountDataRoutes from './account-data/routes.js';
import invitationRoutes from './invitations/routes.js';
import peopleRoutes from './people/routes.js';
import projectRoutes from './projects/routes.js';
import commentsRoutes from './projects/comments-routes.js';
import tasksRoutes from './projects/tasks-routes.js';
import timeRoutes from './projects/time-routes.js';
import financialsRoutes from './projects/financials-routes.js';
import entriesRoutes from './projects/entries-routes.js';
import requestsRoutes from './projects/requests-routes.js';
import historyRoutes from './history/routes.js';
import explainerRoutes from './permissions/explainer-routes.js';
import globalPermissionRoutes from './permissions/global-routes.js';
import roleRoutes from './permissions/role-routes.js';
import divisionRoutes from './divisions/routes.js';
import groupRoutes from './groups/routes.js';
import { createLucia } from './auth/lucia.js';
import authRoutes from './auth/routes.js';
import securityRoutes from './auth/security-routes.js';
import twoStepRoutes from './auth/two-step-routes.js';
import sessionPlugin from './auth/session.js';
import type { Config } from './config.js';
import { createAppSealer } from './crypto.js';
import { type Database, pingDatabase } from './db/client.js';
import licenseAdminRoutes from './licenses/admin-routes.js';
import licenseRoutes from './licenses/routes.js';
import { createMailer, type Mailer } from './mail/mailer.js';
import { recordUsageEvent } from './privacy/privacy.js';
import policyRoutes from './privacy/policy-routes.js';
import privacyRoutes from './privacy/routes.js';
import supportRoutes from './support/routes.js';
import errors, { loggableError } from './web/errors.js';
import { postgresRateLimitStore } from './web/rate-limit-store.js';
import { lazySchemaCompilers } from './web/schema-compilers.js';
import security from './web/security.js';
import views from './web/views.js';
import type { AppDeps } from './web/deps.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');


export interface BuildOptions {
  config: Config;
  database: Database;
  /** replaces the configured mailer (tests) */
  mailer?: Mailer;
  logger?: boolean;
  /** where log lines go (see web/log-destination.ts); pino's JSON on stdout when not given */
  logStream?: { write(line: string): void };
}

/** Builds the app: web plugins first (security, static, views, errors, sessions), then each area's routes. */
export async function buildApp(opts: BuildOptions): Promise<FastifyInstance> {
  const { config, database } = opts;
  const { db } = database;
  const app = Fastify({
    logger: opts.logger === false ? false : { level: config.LOG_LEVEL, stream: opts.logStream },
    trustProxy: config.TRUST_PROXY,
    schemaController: { compilersFactory: lazySchemaCompilers },
  });
  const deps: AppDeps = {
    config,
    db,
    sealer: createAppSealer(config),
    mailer: opts.mailer ?? createMailer({ smtpUrl: config.SMTP_URL, outboxDir: config.outboxDir, from: config.MAIL_FROM, log: app.log }),
  };

  await app.register(security, { secureCookies: config.secureCookies });
  await app.register(fastifyStatic, { root: path.join(root, 'public'), prefix: '/public/', index: false });
  await app.register(fastifyStatic, {
    root: path.join(root, 'node_modules/htmx.org/dist'),
    prefix: '/vendor/',
    index: false,
    decorateReply: false,
    allowedPath: (p) => p === '/htmx.min.js' || p === '/htmx.js',
  });
  await app.register(fastifyRateLimit, { global: false, store: postgresRateLimitStore(db) as never });
  await app.register(views, { production: config.NODE_ENV !== 'development' });
  await app.register(errors);
  await app.register(sessionPlugin, { db, lucia: createLucia(db, config.secureCookies) });

  // Usage events: which page (the route pattern, never ids or content) and when, for opted-in people only.
  app.addHook('onResponse', async (request, reply) => {
    if (request.auth && request.method === 'GET' && reply.statusCode === 200 && request.routeOptions.url) {
      await recordUsageEvent(db, request.auth, request.routeOptions.url).catch((err) => request.log.warn({ error: loggableError(err) }, 'usage event'));
    }
  });

  app.get('/healthz', async () => {
    await pingDatabase(db);
    return { ok: true };
  });
  await app.register(policyRoutes, deps);
  await app.register(supportRoutes, deps);
  await app.register(authRoutes, deps);
  await app.register(privacyRoutes, deps);
  await app.register(securityRoutes, deps);
  await app.register(twoStepRoutes, deps);
  await app.register(accountRoutes, deps);
  await app.register(accountDataRoutes, deps);
  await app.register(licenseRoutes, deps);
  await app.register(licenseAdminRoutes, deps);
  await app.register(peopleRoutes, deps);
  await app.register(projectRoutes, deps);
  await app.register(invitationRoutes, deps);
  await app.register(historyRoutes, deps);
  await app.register(explainerRoutes, deps);
  await app.register(globalPermissionRoutes, deps);
  await app.register(roleRoutes, deps);
  await app.register(divisionRoutes, deps);
  await app.register(groupRoutes, deps);
  await app.register((await import('./projects/manage-routes.js')).default, deps);
  // the sections of a project (static paths, before the generic /projects/:id/:section page) and project requests
  await app.register(commentsRoutes, deps);
  await app.register(tasksRoutes, deps);
  await app.register(timeRoutes, deps);
  await app.register(financialsRoutes, deps);
  await app.register(entriesRoutes, deps);
  await app.register(requestsRoutes, deps);
  return app;
}
