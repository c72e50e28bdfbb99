/** @module endpoints/introspection — (to be written). */
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.ts';

export function introspectionRoutes(_app: FastifyInstance, _deps: Deps): void {}
