/** @module endpoints/claims — (to be written). */
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.ts';

export function claimsRoutes(_app: FastifyInstance, _deps: Deps): void {}
