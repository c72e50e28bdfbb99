/**
 * @module endpoints/resource-scopes
 * `GET /realms/{realm}/authz/protection/resource_set/{id}/scopes`: the resource server's view of one of
 * its resources' scope categories (ForgeRock's UMA scope model): registered, template (of its type) and private.
 */
import type { FastifyInstance } from 'fastify';
import { resourceServerScopeView } from '@steward/core';
import type { Deps } from '../deps.ts';
import { requirePat } from '../http/bearer.ts';
import { loadRealm } from '../http/realm.ts';
import type { RouteDocs } from '../http/route-docs.ts';
import { ScopeCategoriesSchema } from '../wire/scopes.ts';

const DOCS: RouteDocs = {
  summary: 'Scope categories of a resource',
  description: 'The registered scopes of the resource, the template scopes of its type (from the resource server\'s published configuration; none without one) and its private scopes (registered beyond the template). Only the resource server that registered it: with the owner\'s PAT, or with its own PAT for any owner.',
  tags: ['Protection API'],
  operationId: 'resourceScopeCategories',
  auth: 'PAT',
  params: { id: 'The resource id. A resource of another resource server, or (with a user\'s PAT) of another owner, is `not_found`.' },
  responses: { '200': { description: 'The categories.', schema: ScopeCategoriesSchema } },
  errors: ['invalid_token', 'insufficient_scope', 'not_found'],
};

export function resourceScopeRoutes(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { realm: string; id: string } }>('/realms/:realm/authz/protection/resource_set/:id/scopes', { config: { docs: DOCS } }, async (request, reply) => {
    const realm = await loadRealm(deps, request.params.realm);
    const pat = await requirePat(deps, realm, request, reply);
    reply.header('cache-control', 'no-store');
    return resourceServerScopeView(deps, { realm: realm.id, owner: pat.owner, resourceServer: pat.resourceServer }, request.params.id);
  });
}
