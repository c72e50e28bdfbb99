/** @module endpoints/authorize — (to be written). */
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.ts';

export function authorizeRoutes(_app: FastifyInstance, _deps: Deps): void {}
