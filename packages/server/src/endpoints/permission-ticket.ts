/**
 * @module endpoints/permission-ticket
 * Keycloak's owner-managed permission tickets: `/realms/{realm}/authz/protection/permission/ticket`
 * (`POST` create, `GET` query, `GET /count`, `PUT` to grant or ungrant, `DELETE /{id}`), with the
 * caller's own token (scope `sharing`) of the resource server. Tickets are the shares and pending
 * access requests Steward already keeps (services/permission-tickets).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { createPermissionTicket, deletePermissionTicket, MAX_TICKET_COUNT, queryPermissionTickets, updatePermissionTicket, type PermissionTicketQuery } from '@steward/core';
import type { Deps } from '../deps.ts';
import { authenticateFirst } from '../http/authenticate-first.ts';
import { keycloakPaging } from '../http/keycloak-paging.ts';
import { queryFlag, queryValue } from '../http/query.ts';
import type { RouteDocs } from '../http/route-docs.ts';
import { NewTicketSchema, readNewTicket, readTicketUpdate, TicketUpdateSchema } from '../wire/permission-ticket.ts';
import { jsonBody } from '../wire/resource.ts';
import { ownerCallerOf } from './uma-policy.ts';

const URL_PATH = '/realms/:realm/authz/protection/permission/ticket';
const ERRORS = ['invalid_request', 'invalid_token', 'insufficient_scope', 'forbidden', 'not_found'] as const;
const AUTH = 'The caller\'s own access token (scope `sharing`) issued to the resource server of the resources.';

const TicketSchema = Type.Object(
  {
    id: Type.String({ description: 'Opaque ticket id.' }),
    owner: Type.String(),
    resource: Type.String(),
    scope: Type.String({ description: 'The scope name (Steward scopes have no separate ids).' }),
    granted: Type.Boolean(),
    requester: Type.String({ description: 'The requester\'s user id.' }),
    ownerName: Type.Optional(Type.String()),
    resourceName: Type.Optional(Type.String()),
    scopeName: Type.Optional(Type.String()),
    requesterName: Type.Optional(Type.String()),
  },
  { $id: 'KeycloakPermissionTicket' },
);

const QUERY = Type.Object({
  resourceId: Type.Optional(Type.String()),
  requester: Type.Optional(Type.String({ description: 'User id or username.' })),
  owner: Type.Optional(Type.String({ description: 'User id or username.' })),
  granted: Type.Optional(Type.Boolean()),
  scopeId: Type.Optional(Type.String({ description: 'A scope name.' })),
  returnNames: Type.Optional(Type.Boolean()),
  first: Type.Optional(Type.Integer()),
  max: Type.Optional(Type.Integer({ description: '1–1000; default 100.' })),
});

const DOCS = {
  create: {
    summary: 'Grant a scope to a user (Keycloak permission ticket)',
    description: `The owner grants one scope of her resource to one user (\`requester\` id or \`requesterName\`; \`scope\` or \`scopeName\`; \`granted: true\`): added to her sharing policy on the resource. ${AUTH}`,
    tags: ['Protection API'],
    operationId: 'createPermissionTicket',
    auth: 'bearer',
    body: { contentType: 'application/json', schema: NewTicketSchema },
    responses: { '200': { description: 'The ticket.', schema: TicketSchema } },
    errors: ERRORS,
  },
  query: {
    summary: 'Query permission tickets (Keycloak)',
    description: `Granted tickets (shares) and pending ones (access requests) on the caller's resources, and those naming her as requester, paged with Keycloak's \`first\` and \`max\` (read a store page at a time: the cost follows \`first + max\`). ${AUTH}`,
    tags: ['Protection API'],
    operationId: 'queryPermissionTickets',
    auth: 'bearer',
    query: QUERY,
    responses: { '200': { description: 'The tickets.', schema: Type.Array(TicketSchema) } },
    errors: ERRORS,
  },
  count: {
    summary: 'Count permission tickets (Keycloak)',
    tags: ['Protection API'],
    operationId: 'countPermissionTickets',
    auth: 'bearer',
    query: QUERY,
    responses: { '200': { description: `How many tickets match (paging ignored), counting no further than ${MAX_TICKET_COUNT.toLocaleString('en-US')}.`, schema: Type.Integer() } },
    errors: ERRORS,
  },
  update: {
    summary: 'Grant or ungrant a permission ticket (Keycloak)',
    description: `The owner sets \`granted\` on the ticket \`id\`: true approves a pending request for that scope, false withdraws a granted scope. ${AUTH}`,
    tags: ['Protection API'],
    operationId: 'updatePermissionTicket',
    auth: 'bearer',
    body: { contentType: 'application/json', schema: TicketUpdateSchema },
    responses: { '204': { description: 'Done. Empty body.' } },
    errors: ERRORS,
  },
  delete: {
    summary: 'Delete a permission ticket (Keycloak)',
    description: `The owner withdraws a granted scope or denies a pending request; the requester may give up a granted scope. ${AUTH}`,
    tags: ['Protection API'],
    operationId: 'deletePermissionTicket',
    auth: 'bearer',
    params: { id: 'The ticket id.' },
    responses: { '204': { description: 'Deleted. Empty body.' } },
    errors: ERRORS,
  },
} satisfies Record<string, RouteDocs>;

type RealmParams = { Params: { realm: string } };

function queryOf(query: Record<string, unknown>, paged: boolean): PermissionTicketQuery {
  const q: PermissionTicketQuery = {
    returnNames: queryFlag(query, 'returnNames') ?? false,
    first: paged ? keycloakPaging(queryValue(query, 'first'), 'first', 0, 0, 1_000_000) : 0,
    max: paged ? keycloakPaging(queryValue(query, 'max'), 'max', 100, 1, 1000) : MAX_TICKET_COUNT,
  };
  const granted = queryFlag(query, 'granted');
  if (granted !== undefined) q.granted = granted;
  for (const [member, key] of [['resourceId', 'resourceId'], ['requester', 'requester'], ['owner', 'owner'], ['scopeId', 'scope']] as const) {
    const value = queryValue(query, member);
    if (value !== undefined) q[key] = value;
  }
  return q;
}

export function permissionTicketRoutes(app: FastifyInstance, deps: Deps): void {
  // The owner's token is checked before the body is read (RFC 6750 §3.1).
  const owner = authenticateFirst((request: FastifyRequest<RealmParams>, reply: FastifyReply) => ownerCallerOf(deps, request, reply));
  const { onRequest } = owner;
  app.post<RealmParams>(URL_PATH, { onRequest, config: { docs: DOCS.create } }, async function createTicket(request, reply) {
    const caller = await owner.callerOf(request, reply);
    return createPermissionTicket(deps, caller, readNewTicket(jsonBody(request.headers['content-type'], request.body)));
  });

  app.get<RealmParams & { Querystring: Record<string, unknown> }>(URL_PATH, { onRequest, config: { docs: DOCS.query } }, async function queryTickets(request, reply) {
    const caller = await owner.callerOf(request, reply);
    return queryPermissionTickets(deps, caller, queryOf(request.query, true));
  });

  app.get<RealmParams & { Querystring: Record<string, unknown> }>(`${URL_PATH}/count`, { onRequest, config: { docs: DOCS.count } }, async function countTickets(request, reply) {
    const caller = await owner.callerOf(request, reply);
    return (await queryPermissionTickets(deps, caller, queryOf(request.query, false))).length;
  });

  app.put<RealmParams>(URL_PATH, { onRequest, config: { docs: DOCS.update } }, async function updateTicket(request, reply) {
    const caller = await owner.callerOf(request, reply);
    const { id, granted } = readTicketUpdate(jsonBody(request.headers['content-type'], request.body));
    await updatePermissionTicket(deps, caller, id, granted);
    return reply.code(204).send();
  });

  app.delete<RealmParams & { Params: { id: string } }>(`${URL_PATH}/:id`, { onRequest, config: { docs: DOCS.delete } }, async function deleteTicket(request, reply) {
    const caller = await owner.callerOf(request, reply);
    await deletePermissionTicket(deps, caller, request.params.id);
    return reply.code(204).send();
  });
}
