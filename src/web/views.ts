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

/**
 * eta works out an included template's file path on every include (building a JSON cache key each time); a page
 * of 25 search results includes 50 partials. The answer for a (template, including file) pair never changes, so
 * this keeps it.
 */
class AccordEta extends Eta {
  constructor(config: ConstructorParameters<typeof Eta>[0]) {
    super(config);
    const resolve = this.resolvePath;
    const known = new Map<string, string>();
    this.resolvePath = function (this: Eta, template: string, options?: { filepath?: string }) {
      const key = `${options?.filepath ?? ''}\0${template}`;
      let resolved = known.get(key);
      if (resolved === undefined) known.set(key, (resolved = resolve.call(this, template, options)));
      return resolved;
    } as Eta['resolvePath'];
  }
}

export default fp(async function views(app: FastifyInstance, opts: { production: boolean }) {
  await app.register(fastifyView, {
    engine: { eta: new AccordEta({ views: viewsDir, cache: opts.production, autoTrim: false }) },
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
