/**
 * @module endpoints/metrics
 * Prometheus `/metrics`. Access follows `STEWARD_METRICS`: `open`, `token` (a bearer token checked
 * against its configured SHA-256 in constant time) or `off` (404, as if there were no route).
 */
import type { FastifyInstance } from 'fastify';
import { fail } from '@steward/core';
import type { Deps } from '../deps.ts';
import type { Metrics } from '../http/metrics.ts';
import type { RouteDocs } from '../http/route-docs.ts';

const DOCS: RouteDocs = {
  summary: 'Prometheus metrics',
  description:
    'Metrics in the Prometheus text format: requests by route pattern and status with latency, token endpoint outcomes by grant type and error code, tickets issued and redeemed, RPTs issued, active sessions, outbox backlog, database pool use, and the Node.js process. Names and alerts: docs/operations.md. `STEWARD_METRICS` decides who may read it: `open`, `token` (a bearer token) or `off` (404).',
  tags: ['Operations'],
  operationId: 'metrics',
  auth: ['none', 'bearer'],
  headers: { Authorization: { description: '`Bearer {token}` when `STEWARD_METRICS=token`.' } },
  responses: { '200': { description: 'The metrics.', contentType: 'text/plain; version=0.0.4' } },
  errors: ['invalid_token', 'not_found'],
};

export function metricsRoutes(app: FastifyInstance, deps: Deps, metrics: Metrics | null): void {
  const { metrics: access, metricsTokenSha256 } = deps.config;
  app.get('/metrics', { config: { docs: DOCS } }, async (request, reply) => {
    if (access === 'off' || metrics === null) throw fail('not_found', 'No route for GET /metrics');
    if (access === 'token') {
      const header = request.headers.authorization ?? '';
      const token = /^Bearer [\x21-\x7e]{1,1024}$/.test(header) ? header.slice(7) : null;
      if (token === null || !deps.digest.equal(deps.digest.sha256(token), metricsTokenSha256!.toLowerCase())) {
        reply.header('www-authenticate', 'Bearer realm="metrics"');
        throw fail('invalid_token', 'A valid bearer token is required');
      }
    }
    reply.header('cache-control', 'no-store').type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}
