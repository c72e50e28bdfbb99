/** @module endpoints/health — liveness and readiness for load balancers and orchestrators. */
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.ts';
import type { RouteDocs } from '../http/route-docs.ts';
import { HealthSchema } from '../wire/metadata.ts';

const LIVE_DOCS: RouteDocs = {
  summary: 'Liveness',
  description: 'Answers as long as the process serves HTTP; checks nothing else.',
  tags: ['Operations'],
  operationId: 'healthLive',
  auth: 'none',
  responses: { '200': { description: '`{"status":"UP"}`', schema: HealthSchema } },
  errors: [],
};

const READY_DOCS: RouteDocs = {
  summary: 'Readiness',
  description: 'Checks that the database answers; a load balancer sends traffic only to ready nodes.',
  tags: ['Operations'],
  operationId: 'healthReady',
  auth: 'none',
  responses: {
    '200': { description: 'Ready: `{"status":"UP"}`', schema: HealthSchema },
    '503': { description: 'The database does not answer: `{"status":"DOWN","checks":[{"name":"database","status":"DOWN"}]}`', schema: HealthSchema },
  },
  errors: [],
};

export function healthRoutes(app: FastifyInstance, deps: Deps): void {
  app.get('/health/live', { config: { docs: LIVE_DOCS } }, async () => ({ status: 'UP' }));
  app.get('/health/ready', { config: { docs: READY_DOCS } }, async (_request, reply) => {
    try {
      await deps.store.ping();
      return { status: 'UP' };
    } catch {
      return reply.code(503).send({ status: 'DOWN', checks: [{ name: 'database', status: 'DOWN' }] });
    }
  });
}
