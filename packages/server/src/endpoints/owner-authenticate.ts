/** @module endpoints/owner-authenticate — (to be written). */
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.ts';

export function ownerAuthenticateRoutes(_app: FastifyInstance, _deps: Deps): void {}
