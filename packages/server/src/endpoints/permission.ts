/** @module endpoints/permission — (to be written). */
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.ts';

export function permissionRoutes(_app: FastifyInstance, _deps: Deps): void {}
