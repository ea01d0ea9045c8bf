import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../web/deps.js';

/** (being built) */
export default async function requestsRoutes(_app: FastifyInstance, _deps: AppDeps) {}
