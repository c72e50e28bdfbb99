/**
 * @module endpoints/admin-resource-servers
 * `/admin/realms/{realm}/resource-servers/{clientId}/configuration`: the administrator publishes,
 * reads and withdraws a resource server's public configuration (ForgeRock's UMA scope model: scope definitions and
 * resource types with template scopes). The CLI's `steward resource-server …` does the same.
 */
import type { FastifyInstance } from 'fastify';
import { publishConfiguration, readConfiguration, withdrawConfiguration } from '@steward/core';
import type { Deps } from '../deps.ts';
import { ADMIN_AUTH_ERRORS, adminAuth, adminRealm } from '../http/admin-auth.ts';
import type { RouteDocs } from '../http/route-docs.ts';
import { ConfigurationSchema, configurationToWire, readConfiguration as readConfigurationBody } from '../wire/scopes.ts';

type Params = { Params: { realm: string; clientId: string } };
const URL = '/admin/realms/:realm/resource-servers/:clientId/configuration';
const base = { tags: ['Admin API'], auth: 'admin', params: { clientId: 'The resource server\'s client id.' } } as const;

const PUT: RouteDocs = {
  ...base,
  summary: 'Publish a resource server\'s configuration',
  description: 'Creates or replaces the whole configuration. Every template scope must be a defined scope. From then on a typed resource of this resource server must use one of these types; registered without scopes, it gets the template scopes, and scopes listed beyond the template (private) may not be names the configuration publishes.',
  operationId: 'adminPutResourceServerConfiguration',
  body: { contentType: 'application/json', schema: ConfigurationSchema, required: true },
  responses: { '200': { description: 'The configuration as published.', schema: ConfigurationSchema } },
  errors: [...ADMIN_AUTH_ERRORS, 'invalid_request'],
};
const GET: RouteDocs = { ...base, summary: 'Read a resource server\'s configuration', operationId: 'adminGetResourceServerConfiguration', responses: { '200': { description: 'The configuration.', schema: ConfigurationSchema } }, errors: [...ADMIN_AUTH_ERRORS] };
const DELETE: RouteDocs = { ...base, summary: 'Withdraw a resource server\'s configuration', description: 'Types are free text again; registered resources keep their scopes.', operationId: 'adminDeleteResourceServerConfiguration', responses: { '204': { description: 'Withdrawn.' } }, errors: [...ADMIN_AUTH_ERRORS] };

export function adminResourceServerRoutes(app: FastifyInstance, deps: Deps): void {
  const onRequest = adminAuth(deps);
  app.put<Params>(URL, { onRequest, config: { docs: PUT } }, async (request) => {
    const realm = await adminRealm(deps, request.params.realm);
    const config = await publishConfiguration(deps, { realm: realm.id, resourceServer: request.params.clientId, ...readConfigurationBody(request.body) });
    return configurationToWire(config);
  });
  app.get<Params>(URL, { onRequest, config: { docs: GET } }, async (request) => {
    const realm = await adminRealm(deps, request.params.realm);
    return configurationToWire(await readConfiguration(deps, realm.id, request.params.clientId));
  });
  app.delete<Params>(URL, { onRequest, config: { docs: DELETE } }, async (request, reply) => {
    const realm = await adminRealm(deps, request.params.realm);
    await withdrawConfiguration(deps, realm.id, request.params.clientId);
    return reply.code(204).send();
  });
}
