/** @module endpoints/jwks — the realm's public signing keys (`jwks_uri`), in Keycloak's `certs` location. */
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.ts';
import { loadRealm } from '../http/realm.ts';
import type { RouteDocs } from '../http/route-docs.ts';
import { JwksSchema } from '../wire/metadata.ts';

const DOCS: RouteDocs = {
  summary: 'Signing keys (JWKS)',
  description: 'The public keys that verify the realm\'s tokens (`kid` in each token\'s header). Cacheable for 10 seconds, so rotated keys are seen quickly.',
  tags: ['Discovery'],
  operationId: 'jwks',
  auth: 'none',
  responses: { '200': { description: 'The key set.', schema: JwksSchema, headers: { 'Cache-Control': '`public, max-age=10`' } } },
  errors: ['not_found'],
};

export function jwksRoutes(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { realm: string } }>('/realms/:realm/protocol/openid-connect/certs', { config: { docs: DOCS } }, async (request, reply) => {
    const realm = await loadRealm(deps, request.params.realm);
    reply.header('cache-control', 'public, max-age=10');
    return deps.keys.jwks(realm.id);
  });
}
