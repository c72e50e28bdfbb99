/** @module endpoints/userinfo — (to be written). */
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.ts';

export function userinfoRoutes(_app: FastifyInstance, _deps: Deps): void {}
