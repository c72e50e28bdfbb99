/**
 * @module http/security-headers
 * Headers every answer carries: `X-Content-Type-Options: nosniff`, so a browser never runs a JSON
 * answer (or anything else) as another type than it is sent as, and, when STEWARD_BASE_URL is https,
 * `Strict-Transport-Security` (RFC 6797), so a browser that has seen Steward once never contacts it
 * over plain HTTP again. One year, without `includeSubDomains`: Steward speaks for its own host only.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';

/** The HSTS policy sent on https: one year (RFC 6797 §6.1.1). */
export const HSTS = 'max-age=31536000';

/** Sets the headers on a reply (also for answers that run no hook, such as a malformed URL's). */
export function setSecurityHeaders(reply: FastifyReply, https: boolean): FastifyReply {
  reply.header('x-content-type-options', 'nosniff');
  if (https) reply.header('strict-transport-security', HSTS);
  return reply;
}

/** Registers them for every request, matched or not (call it before the routes). */
export function securityHeadersHook(app: FastifyInstance, baseUrl: string): void {
  const https = baseUrl.startsWith('https:');
  app.addHook('onRequest', (_request, reply, done) => {
    setSecurityHeaders(reply, https);
    done();
  });
}
