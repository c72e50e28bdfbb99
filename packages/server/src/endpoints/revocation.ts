/** @module endpoints/revocation — (to be written). */
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.ts';

export function revocationRoutes(_app: FastifyInstance, _deps: Deps): void {}
