/**
 * @module http/request-id
 * Every answer carries `X-Request-Id`: the caller's (when well formed) or one Steward made, the same
 * id every log line of the request carries.
 */
import type { FastifyInstance } from 'fastify';

export function requestIdHook(app: FastifyInstance): void {
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
}
