/**
 * @module endpoints/resource-set
 * The resource registration endpoint (Fed Authz §3) in Keycloak's layout:
 * `/realms/{realm}/authz/protection/resource_set[/{id}]`. Every call needs a PAT; its subject and client
 * scope what the caller may see.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { deleteResource, fail, listResources, readResource, registerResource, updateResource, type ProtectionCaller } from '@steward/core';
import type { Deps } from '../deps.ts';
import { requirePat } from '../http/bearer.ts';
import { loadRealm } from '../http/realm.ts';
import type { RouteDocs } from '../http/route-docs.ts';
import { ResourceDescriptionSchema, ResourceIdListSchema, ResourceRegisteredSchema, ResourceSchema } from '../wire/protection.ts';
import { jsonBody, parseResourceDescription, resourceCreatedToWire, resourceToWire } from '../wire/resource.ts';

const PAT_ERRORS = ['invalid_token', 'insufficient_scope', 'not_found'] as const;
const ID_PARAM = { id: 'The resource id (`_id`) Steward assigned. A resource of another owner or resource server is `not_found`.' };
const JSON_BODY = { contentType: 'application/json', schema: ResourceDescriptionSchema } as const;

const DOCS = {
  create: {
    summary: 'Register a resource',
    description: 'Registers a resource of the PAT\'s owner for the PAT\'s client (the resource server); protection begins now (Fed Authz §3.2.1). Served with and without the trailing slash.',
    tags: ['Protection API'],
    operationId: 'registerResource',
    auth: 'PAT',
    body: JSON_BODY,
    responses: { '201': { description: 'Registered.', schema: ResourceRegisteredSchema, headers: { Location: 'the resource\'s URL' } } },
    errors: ['invalid_request', ...PAT_ERRORS],
  },
  list: {
    summary: 'List resources',
    description: 'The ids of the PAT owner\'s resources that the calling resource server registered (Fed Authz §3.2.5). Served with and without the trailing slash.',
    tags: ['Protection API'],
    operationId: 'listResources',
    auth: 'PAT',
    responses: { '200': { description: 'The ids, oldest first.', schema: ResourceIdListSchema } },
    errors: PAT_ERRORS,
  },
  read: {
    summary: 'Read a resource',
    tags: ['Protection API'],
    operationId: 'readResource',
    auth: 'PAT',
    params: ID_PARAM,
    responses: { '200': { description: 'The resource description with its `_id`.', schema: ResourceSchema } },
    errors: PAT_ERRORS,
  },
  replace: {
    summary: 'Replace a resource',
    description: 'Replaces the whole description (Fed Authz §3.2.3): optional members left out are dropped.',
    tags: ['Protection API'],
    operationId: 'replaceResource',
    auth: 'PAT',
    params: ID_PARAM,
    body: JSON_BODY,
    responses: { '200': { description: 'Replaced.', schema: ResourceRegisteredSchema } },
    errors: ['invalid_request', ...PAT_ERRORS],
  },
  delete: {
    summary: 'Delete a resource',
    description: 'Deletes the resource and its policy; protection ends now (Fed Authz §3.2.4).',
    tags: ['Protection API'],
    operationId: 'deleteResource',
    auth: 'PAT',
    params: ID_PARAM,
    responses: { '204': { description: 'Deleted. Empty body.' } },
    errors: PAT_ERRORS,
  },
  otherMethods: {
    summary: 'Unsupported method (an `Allow` header lists the supported ones)',
    tags: ['Protection API'],
    operationId: 'resourceSetOtherMethods',
    auth: 'none',
    params: ID_PARAM,
    refusesMethod: true,
    responses: {},
    errors: ['unsupported_method_type', 'not_found'],
  },
} satisfies Record<string, RouteDocs>;

type RealmParams = { Params: { realm: string } };
type ItemParams = { Params: { realm: string; id: string } };

const COLLECTION = '/realms/:realm/authz/protection/resource_set';
const ITEM = `${COLLECTION}/:id`;

/** Resolves the realm and the PAT: the caller is (realm, owner, resource server). */
async function callerOf(deps: Deps, request: FastifyRequest<RealmParams>, reply: FastifyReply): Promise<ProtectionCaller> {
  const realm = await loadRealm(deps, request.params.realm);
  const pat = await requirePat(deps, realm, request, reply);
  reply.header('cache-control', 'no-store');
  return { realm: realm.id, owner: pat.owner, resourceServer: pat.resourceServer };
}

function notAllowed(deps: Deps, allow: string) {
  return async (request: FastifyRequest<RealmParams>, reply: FastifyReply): Promise<never> => {
    await loadRealm(deps, request.params.realm);
    reply.header('allow', allow);
    throw fail('unsupported_method_type', `${request.method} is not supported here; use ${allow}`);
  };
}

/** Registers the collection and item routes, including the 405 answers for unsupported methods. */
export function resourceSetRoutes(app: FastifyInstance, deps: Deps): void {
  // The spec writes the collection as `rreguri/`: serve it with and without the trailing slash.
  for (const url of [COLLECTION, `${COLLECTION}/`]) {
    app.post<RealmParams>(url, { config: { docs: DOCS.create } }, async function createResource(request, reply) {
      const caller = await callerOf(deps, request, reply);
      const description = parseResourceDescription(jsonBody(request.headers['content-type'], request.body));
      const resource = await registerResource(deps, caller, description);
      const issuer = deps.issuer(caller.realm);
      reply.code(201).header('location', `${issuer}/authz/protection/resource_set/${encodeURIComponent(resource.id)}`);
      return resourceCreatedToWire(resource, issuer);
    });

    app.get<RealmParams>(url, { config: { docs: DOCS.list } }, async function listResourceIds(request, reply) {
      return listResources(deps, await callerOf(deps, request, reply));
    });

    app.route<RealmParams>({ method: ['PUT', 'DELETE', 'PATCH', 'OPTIONS'], url, config: { docs: DOCS.otherMethods }, handler: notAllowed(deps, 'GET, POST') });
  }

  app.get<ItemParams>(ITEM, { config: { docs: DOCS.read } }, async function readOne(request, reply) {
    const caller = await callerOf(deps, request, reply);
    return resourceToWire(await readResource(deps, caller, request.params.id));
  });

  app.put<ItemParams>(ITEM, { config: { docs: DOCS.replace } }, async function replaceOne(request, reply) {
    const caller = await callerOf(deps, request, reply);
    const description = parseResourceDescription(jsonBody(request.headers['content-type'], request.body));
    const resource = await updateResource(deps, caller, request.params.id, description);
    return resourceCreatedToWire(resource, deps.issuer(caller.realm));
  });

  app.delete<ItemParams>(ITEM, { config: { docs: DOCS.delete } }, async function deleteOne(request, reply) {
    const caller = await callerOf(deps, request, reply);
    await deleteResource(deps, caller, request.params.id);
    return reply.code(204).send();
  });

  app.route<ItemParams>({ method: ['PATCH', 'POST', 'OPTIONS'], url: ITEM, config: { docs: DOCS.otherMethods }, handler: notAllowed(deps, 'GET, PUT, DELETE') });
}
