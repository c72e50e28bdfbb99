/** @module endpoints/health — liveness and readiness for load balancers and orchestrators. */
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.ts';

export function healthRoutes(app: FastifyInstance, deps: Deps): void {
  app.get('/health/live', async () => ({ status: 'UP' }));
  app.get('/health/ready', async (_request, reply) => {
    try {
      await deps.store.ping();
      return { status: 'UP' };
    } catch {
      return reply.code(503).send({ status: 'DOWN', checks: [{ name: 'database', status: 'DOWN' }] });
    }
  });
}
