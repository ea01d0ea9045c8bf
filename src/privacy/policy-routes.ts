import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../web/deps.js';
import { count, every, policyFacts } from './policy.js';

/** /privacy: the data-privacy policy. No session needed and no database read: its figures come from code and config. */
export default async function policyRoutes(app: FastifyInstance, deps: AppDeps) {
  const facts = policyFacts(deps.config);
  app.get('/privacy', async (request, reply) => reply.render('pages/privacy', { title: 'Privacy', facts, count, every }));
}
