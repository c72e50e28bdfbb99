/** @module endpoints/resource-set — (to be written). */
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.ts';

export function resourceSetRoutes(_app: FastifyInstance, _deps: Deps): void {}
