/**
 * @module endpoints/permission
 * The permission endpoint (Fed Authz §4): a resource server asks, with a PAT, for one permission ticket
 * naming the permissions a client tried to use. 201 `{ticket}`.
 */
import type { FastifyInstance } from 'fastify';
import { fail, requestPermission } from '@steward/core';
import type { Deps } from '../deps.ts';
import { requirePat } from '../http/bearer.ts';
import { loadRealm } from '../http/realm.ts';
import { parsePermissionRequest } from '../wire/permission.ts';
import { jsonBody } from '../wire/resource.ts';

const URL_PATH = '/realms/:realm/authz/protection/permission';

/** `POST …/authz/protection/permission`; other methods answer 405. */
export function permissionRoutes(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: { realm: string } }>(URL_PATH, async function permission(request, reply) {
    const realm = await loadRealm(deps, request.params.realm);
    const pat = await requirePat(deps, realm, request, reply);
    reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    const permissions = parsePermissionRequest(jsonBody(request.headers['content-type'], request.body));
    const { ticket } = await requestPermission(deps, { realm, owner: pat.owner, resourceServer: pat.resourceServer, permissions });
    return reply.code(201).send({ ticket });
  });

  app.route<{ Params: { realm: string } }>({
    method: ['GET', 'PUT', 'DELETE', 'PATCH'],
    url: URL_PATH,
    handler: async (request, reply) => {
      await loadRealm(deps, request.params.realm);
      reply.header('allow', 'POST');
      throw fail('unsupported_method_type', 'The permission endpoint accepts POST only');
    },
  });
}
