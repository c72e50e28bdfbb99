/**
 * @module endpoints/resource-server-configuration
 * `GET /realms/{realm}/authz/resource-servers/{clientId}/configuration`: a resource server's public
 * configuration (ForgeRock's UMA scope model), read-only and unauthenticated, so a requesting party can learn the scopes
 * it defines and the template scopes of each resource type. Private scopes never appear.
 */
import type { FastifyInstance } from 'fastify';
import { readConfiguration } from '@steward/core';
import type { Deps } from '../deps.ts';
import { loadRealm } from '../http/realm.ts';
import type { RouteDocs } from '../http/route-docs.ts';
import { ConfigurationSchema, configurationToWire } from '../wire/scopes.ts';

const DOCS: RouteDocs = {
  summary: 'A resource server\'s public configuration',
  description: 'The scopes the resource server defines and its resource types with their template scopes, as its administrator published them (ForgeRock\'s UMA scope model). A resource registered with a type and no scopes gets the type\'s template scopes. 404 when the resource server has published none.',
  tags: ['Discovery'],
  operationId: 'resourceServerConfiguration',
  auth: 'none',
  params: { clientId: 'The resource server\'s client id.' },
  responses: { '200': { description: 'The configuration.', schema: ConfigurationSchema } },
  errors: ['not_found'],
};

export function resourceServerConfigurationRoutes(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { realm: string; clientId: string } }>('/realms/:realm/authz/resource-servers/:clientId/configuration', { config: { docs: DOCS } }, async (request, reply) => {
    const realm = await loadRealm(deps, request.params.realm);
    const config = await readConfiguration(deps, realm.id, request.params.clientId);
    reply.header('cache-control', 'no-cache');
    return configurationToWire(config);
  });
}
