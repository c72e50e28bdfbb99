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
import { jsonBody, parseResourceDescription, resourceCreatedToWire, resourceToWire } from '../wire/resource.ts';

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
    app.post<RealmParams>(url, async function createResource(request, reply) {
      const caller = await callerOf(deps, request, reply);
      const description = parseResourceDescription(jsonBody(request.headers['content-type'], request.body));
      const resource = await registerResource(deps, caller, description);
      const issuer = deps.issuer(caller.realm);
      reply.code(201).header('location', `${issuer}/authz/protection/resource_set/${encodeURIComponent(resource.id)}`);
      return resourceCreatedToWire(resource, issuer);
    });

    app.get<RealmParams>(url, async function listResourceIds(request, reply) {
      return listResources(deps, await callerOf(deps, request, reply));
    });

    app.route<RealmParams>({ method: ['PUT', 'DELETE', 'PATCH'], url, handler: notAllowed(deps, 'GET, POST') });
  }

  app.get<ItemParams>(ITEM, async function readOne(request, reply) {
    const caller = await callerOf(deps, request, reply);
    return resourceToWire(await readResource(deps, caller, request.params.id));
  });

  app.put<ItemParams>(ITEM, async function replaceOne(request, reply) {
    const caller = await callerOf(deps, request, reply);
    const description = parseResourceDescription(jsonBody(request.headers['content-type'], request.body));
    const resource = await updateResource(deps, caller, request.params.id, description);
    return resourceCreatedToWire(resource, deps.issuer(caller.realm));
  });

  app.delete<ItemParams>(ITEM, async function deleteOne(request, reply) {
    const caller = await callerOf(deps, request, reply);
    await deleteResource(deps, caller, request.params.id);
    return reply.code(204).send();
  });

  app.route<ItemParams>({ method: ['PATCH', 'POST'], url: ITEM, handler: notAllowed(deps, 'GET, PUT, DELETE') });
}
