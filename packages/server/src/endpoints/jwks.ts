/** @module endpoints/jwks — the realm's public signing keys (`jwks_uri`), in Keycloak's `certs` location. */
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.ts';
import { loadRealm } from '../http/realm.ts';

export function jwksRoutes(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { realm: string } }>('/realms/:realm/protocol/openid-connect/certs', async (request, reply) => {
    const realm = await loadRealm(deps, request.params.realm);
    reply.header('cache-control', 'public, max-age=10');
    return deps.keys.jwks(realm.id);
  });
}
