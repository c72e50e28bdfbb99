/**
 * @module fastify — the Fastify plugin: routes with `config: { uma: rule }` are checked before their
 * handler (after body parsing, so a rule may read the body); the handler sees `request.uma`.
 */
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { UmaEnforcer, UmaGrant, UmaRule } from './types.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The grant of a route protected with `config.uma` (unset on unprotected routes). */
    uma: UmaGrant;
  }
  interface FastifyContextConfig {
    /** Protects the route: which resource and scopes a request needs. */
    uma?: UmaRule<FastifyRequest>;
  }
}

/** Options of {@link umaFastify}. */
export interface UmaFastifyOptions {
  enforcer: UmaEnforcer;
}

const plugin: FastifyPluginAsync<UmaFastifyOptions> = async (app: FastifyInstance, opts: UmaFastifyOptions) => {
  const { enforcer } = opts;
  if (!enforcer || typeof enforcer.check !== 'function') throw new TypeError('umaFastify: the enforcer option is required');
  app.decorateRequest('uma', null as unknown as UmaGrant);
  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    const rule = request.routeOptions.config.uma;
    if (!rule) return;
    const resourceId = await rule.resource(request);
    const scopes = typeof rule.scopes === 'function' ? rule.scopes(request) : rule.scopes;
    const result = await enforcer.check({ authorization: request.headers.authorization, resourceId, scopes, request, ...(rule.verify ? { verify: rule.verify } : {}) });
    if (result.ok) {
      request.uma = result.grant;
      return;
    }
    return reply.code(result.status).headers(result.headers).send(result.body);
  });
};

/** The Fastify plugin: `await app.register(umaFastify, { enforcer })`. */
export const umaFastify = fp(plugin, { fastify: '5.x', name: '@steward/rs' });
