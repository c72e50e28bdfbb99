/** @module endpoints/owner-policies — (to be written). */
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.ts';

export function ownerPolicyRoutes(_app: FastifyInstance, _deps: Deps): void {}
