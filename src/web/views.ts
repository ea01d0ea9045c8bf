import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyView from '@fastify/view';
import { Eta } from 'eta';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { isHtmx } from './htmx.js';
import { navLinks } from './nav.js';
import { noticeText } from './notices.js';

export const viewsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../views');

declare module 'fastify' {
  interface FastifyReply {
    /** Renders a page (or, for htmx requests, `fragment` when given) with the common locals. */
    render(template: string, data?: Record<string, unknown>, opts?: { status?: number; fragment?: string }): FastifyReply;
  }
}

/** Locals every template may use: who is signed in, the CSRF token, the confirmation to announce. */
function commonLocals(request: FastifyRequest, reply: FastifyReply) {
  const query = (request.query ?? {}) as Record<string, unknown>;
  return {
    auth: request.auth,
    csrfToken: reply.generateCsrf(),
    notice: noticeText(query.notice),
    currentPath: request.url.split('?')[0],
    htmx: isHtmx(request),
    navLinks,
  };
}

export default fp(async function views(app: FastifyInstance, opts: { production: boolean }) {
  await app.register(fastifyView, {
    engine: { eta: new Eta({ views: viewsDir, cache: opts.production, autoTrim: false }) },
    root: viewsDir,
    production: opts.production,
    viewExt: 'eta',
  });
  app.decorateReply('render', function (this: FastifyReply, template, data = {}, opts = {}) {
    const locals = { ...commonLocals(this.request, this), ...data };
    const name = opts.fragment && isHtmx(this.request) ? opts.fragment : template;
    this.code(opts.status ?? 200).type('text/html; charset=utf-8');
    if (isHtmx(this.request)) this.header('vary', 'HX-Request');
    return this.view(name, locals);
  } as FastifyReply['render']);
});
