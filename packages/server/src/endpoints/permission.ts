/**
 * @module endpoints/permission
 * The permission endpoint (Fed Authz §4): a resource server asks, with a PAT, for one permission ticket
 * naming the permissions a client tried to use. 201 `{ticket}`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requestPermission } from '@steward/core';
import type { Deps } from '../deps.ts';
import { authenticateFirst } from '../http/authenticate-first.ts';
import { requirePat } from '../http/bearer.ts';
import { loadRealm } from '../http/realm.ts';
import { parsePermissionRequest } from '../wire/permission.ts';
import { jsonBody } from '../wire/resource.ts';
import type { RouteDocs } from '../http/route-docs.ts';
import { PermissionRequestSchema, TicketSchema } from '../wire/protection.ts';
import { refuseOtherMethods } from '../http/post-only.ts';

const DOCS: RouteDocs = {
  summary: 'Request a permission ticket',
  description:
    'A resource server asks for one permission ticket naming the resources and scopes a client tried to use (Fed Authz §4), and returns it to the client in its UMA challenge. With a user\'s PAT every resource must be hers, registered by the calling resource server; with the resource server\'s own PAT (its `client_credentials` token) any resource it registered, for any owner (Keycloak). Every scope must be registered for its resource, and all resources must have one owner: the ticket is that owner\'s, exactly as if her PAT had asked (`invalid_request` otherwise: one ticket per owner). See docs/keycloak.md.',
  tags: ['Protection API'],
  operationId: 'requestPermission',
  auth: 'PAT',
  body: { contentType: 'application/json', schema: PermissionRequestSchema },
  responses: { '201': { description: 'The ticket (`Cache-Control: no-store`).', schema: TicketSchema } },
  errors: ['invalid_request', 'invalid_resource_id', 'invalid_scope', 'invalid_token', 'insufficient_scope', 'not_found'],
};

const URL_PATH = '/realms/:realm/authz/protection/permission';

/** `POST …/authz/protection/permission`; other methods answer 405. */
export function permissionRoutes(app: FastifyInstance, deps: Deps): void {
  // The PAT is checked before the body is read (RFC 6750 §3.1).
  const caller = authenticateFirst(async (request: FastifyRequest<{ Params: { realm: string } }>, reply) => {
    const realm = await loadRealm(deps, request.params.realm);
    return { realm, pat: await requirePat(deps, realm, request, reply) };
  });
  app.post<{ Params: { realm: string } }>(URL_PATH, { onRequest: caller.onRequest, config: { docs: DOCS } }, async function permission(request, reply) {
    const { realm, pat } = await caller.callerOf(request, reply);
    reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    const permissions = parsePermissionRequest(jsonBody(request.headers['content-type'], request.body));
    const { ticket } = await requestPermission(deps, { realm, owner: pat.owner, resourceServer: pat.resourceServer, permissions });
    return reply.code(201).send({ ticket });
  });

  refuseOtherMethods(app, deps, { url: URL_PATH, name: 'permission endpoint', code: 'unsupported_method_type', tag: 'Protection API', operationId: 'permissionOtherMethods' });
}
