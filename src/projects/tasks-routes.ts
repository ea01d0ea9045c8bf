import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../web/deps.js';

/** (being built) */
export default async function tasksRoutes(_app: FastifyInstance, _deps: AppDeps) {}
