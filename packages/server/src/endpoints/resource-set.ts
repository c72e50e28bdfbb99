/**
 * @module endpoints/resource-set
 * The resource registration endpoint (Fed Authz §3) in Keycloak's layout:
 * `/realms/{realm}/authz/protection/resource_set[/{id}]`. Every call needs a PAT; its subject and client
 * scope what the caller may see.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { deleteResource, fail, listedResources, MAX_LOOKUP_URI_LENGTH, queryResources, readResource, type Resource, registerResource, registrationOwner, resolveOwner, updateResource, type ProtectionCaller } from '@steward/core';
import Type from 'typebox';
import type { Deps } from '../deps.ts';
import { authenticateFirst } from '../http/authenticate-first.ts';
import { keycloakPaging } from '../http/keycloak-paging.ts';
import { queryFlag, queryValue } from '../http/query.ts';
import { requirePat } from '../http/bearer.ts';
import { loadRealm } from '../http/realm.ts';
import type { RouteDocs } from '../http/route-docs.ts';
import { ResourceDescriptionSchema, ResourceIdListSchema, ResourceRegisteredSchema, ResourceSchema } from '../wire/protection.ts';
import { keycloakResourceMembers, parseKeycloakResource } from '../wire/keycloak-resource.ts';
import { jsonBody, resourceCreatedToWire, resourceToWire } from '../wire/resource.ts';

const PAT_ERRORS = ['invalid_token', 'insufficient_scope', 'not_found'] as const;
const ID_PARAM = { id: 'The resource id (`_id`) Steward assigned. A resource of another resource server, or (with a user\'s PAT) of another owner, is `not_found`; the resource server\'s own PAT reaches what it registered for any owner.' };
const JSON_BODY = { contentType: 'application/json', schema: ResourceDescriptionSchema } as const;

const DOCS = {
  create: {
    summary: 'Register a resource',
    description: 'Registers a resource of the PAT\'s owner (or of the user `owner` names) for the PAT\'s client (the resource server); protection begins now (Fed Authz §3.2.1). Served with and without the trailing slash. Keycloak\'s members are accepted too: `scopes` (strings or `{name}`) for `resource_scopes`, `displayName`, `uris` (or `uri`), `attributes`, `ownerManagedAccess`, and `owner` (a username or user id; another user only with the resource server\'s own PAT, and only for a resource server whose configuration is published). See docs/keycloak.md.',
    tags: ['Protection API'],
    operationId: 'registerResource',
    auth: 'PAT',
    body: JSON_BODY,
    responses: { '201': { description: 'Registered.', schema: ResourceRegisteredSchema, headers: { Location: 'the resource\'s URL' } } },
    errors: ['invalid_request', ...PAT_ERRORS],
  },
  list: {
    summary: 'List resources',
    description: 'The ids of the resources the calling resource server registered (Fed Authz §3.2.5), oldest first: with a user\'s PAT, hers; with the resource server\'s own PAT (its `client_credentials` token), every owner\'s, as in Keycloak (`owner` narrows to one). Served with and without the trailing slash. Without `max` the answer is the whole list (from `first`), streamed: read from the store a page at a time, however many resources there are. With `max` it is one page, as Keycloak\'s Authorization Services pages it (`first`, `max`). Keycloak\'s filters narrow the list; with `deep=true` the answer holds full descriptions.',
    tags: ['Protection API'],
    operationId: 'listResources',
    auth: 'PAT',
    query: Type.Object({
      name: Type.Optional(Type.String({ description: 'Substring of the name (exact with `exactName=true`).' })),
      exactName: Type.Optional(Type.Boolean()),
      uri: Type.Optional(Type.String({ description: 'One of the resource\'s `uris` (a pattern such as `/a/*` or `/a/{id}` with `matchingUri=true`); at most 2048 characters.' })),
      matchingUri: Type.Optional(Type.Boolean()),
      owner: Type.Optional(Type.String({ description: 'Username or user id; another user than the PAT\'s only with the resource server\'s own PAT.' })),
      type: Type.Optional(Type.String()),
      scope: Type.Optional(Type.String({ description: 'A scope the resource offers.' })),
      deep: Type.Optional(Type.Boolean({ description: 'Full descriptions instead of ids.' })),
      first: Type.Optional(Type.Integer({ description: 'Skip this many matches (at most 1,000,000; -1 is 0); default 0.' })),
      max: Type.Optional(Type.Integer({ description: 'At most this many (0–1000): one page. Default: all, streamed.' })),
    }),
    responses: { '200': { description: 'The ids, oldest first.', schema: ResourceIdListSchema } },
    errors: PAT_ERRORS,
  },
  read: {
    summary: 'Read a resource',
    description: 'With a user\'s PAT, one of her resources registered by the calling resource server; with the resource server\'s own PAT, any resource it registered, whoever owns it.',
    tags: ['Protection API'],
    operationId: 'readResource',
    auth: 'PAT',
    params: ID_PARAM,
    responses: { '200': { description: 'The resource description with its `_id`.', schema: ResourceSchema } },
    errors: PAT_ERRORS,
  },
  replace: {
    summary: 'Replace a resource',
    description: 'Replaces the whole description (Fed Authz §3.2.3): optional members left out are dropped. The owner never changes (`owner`, if given, must name the current one). Reached as a read is.',
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
    description: 'Deletes the resource and its policy; protection ends now (Fed Authz §3.2.4). Reached as a read is.',
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

/** Resolves the realm and the PAT: the caller is (realm, owner, resource server); owner = resource server for its own PAT. */
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
  // The PAT is checked before the body is read (RFC 6750 §3.1); handlers read the caller it found.
  const pat = authenticateFirst((request: FastifyRequest<RealmParams>, reply: FastifyReply) => callerOf(deps, request, reply));
  const { onRequest } = pat;
  // The spec writes the collection as `rreguri/`: serve it with and without the trailing slash.
  for (const url of [COLLECTION, `${COLLECTION}/`]) {
    app.post<RealmParams>(url, { onRequest, config: { docs: DOCS.create } }, async function createResource(request, reply) {
      const caller = await pat.callerOf(request, reply);
      const input = parseKeycloakResource(jsonBody(request.headers['content-type'], request.body));
      const owner = await registrationOwner(deps, caller, input.owner);
      const resource = await registerResource(deps, { ...caller, owner }, input.description);
      const issuer = deps.issuer(caller.realm);
      reply.code(201).header('location', `${issuer}/authz/protection/resource_set/${encodeURIComponent(resource.id)}`);
      return resourceCreatedToWire(resource, issuer);
    });

    app.get<RealmParams & { Querystring: Record<string, unknown> }>(url, { onRequest, config: { docs: DOCS.list } }, async function listResourceIds(request, reply) {
      const caller = await pat.callerOf(request, reply);
      const query = listQuery(request.query);
      const toWire = (r: Resource) => (query.deep ? { ...resourceToWire(r), ...keycloakResourceMembers(r) } : r.id);
      // With a URI pattern the lookup may be refused part way (its matching budget): answered whole, not streamed.
      if (query.paged || query.filter.matchingUri) return (await queryResources(deps, caller, query.filter)).map(toWire);
      // The whole list (the UMA answer): streamed a store page at a time, however long it is.
      reply.type('application/json; charset=utf-8');
      return reply.send(Readable.from(jsonArray(skip(listedResources(deps, caller, query.filter), query.filter.first), toWire)));
    });

    app.route<RealmParams>({ method: ['PUT', 'DELETE', 'PATCH', 'OPTIONS'], url, config: { docs: DOCS.otherMethods }, handler: notAllowed(deps, 'GET, POST') });
  }

  // One rule for every item call (services/resources readResource): a user's PAT reaches hers; the
  // resource server's own PAT reaches what it registered, for any owner. The owner never changes.
  app.get<ItemParams>(ITEM, { onRequest, config: { docs: DOCS.read } }, async function readOne(request, reply) {
    const caller = await pat.callerOf(request, reply);
    return resourceToWire(await readResource(deps, caller, request.params.id));
  });

  app.put<ItemParams>(ITEM, { onRequest, config: { docs: DOCS.replace } }, async function replaceOne(request, reply) {
    const caller = await pat.callerOf(request, reply);
    const input = parseKeycloakResource(jsonBody(request.headers['content-type'], request.body));
    const current = await readResource(deps, caller, request.params.id);
    if (input.owner !== undefined && (await resolveOwner(deps, caller, input.owner)) !== current.owner) throw fail('invalid_request', 'The owner of a resource cannot change');
    const resource = await updateResource(deps, caller, current.id, input.description);
    return resourceCreatedToWire(resource, deps.issuer(caller.realm));
  });

  app.delete<ItemParams>(ITEM, { onRequest, config: { docs: DOCS.delete } }, async function deleteOne(request, reply) {
    const caller = await pat.callerOf(request, reply);
    await deleteResource(deps, caller, request.params.id);
    return reply.code(204).send();
  });

  app.route<ItemParams>({ method: ['PATCH', 'POST', 'OPTIONS'], url: ITEM, config: { docs: DOCS.otherMethods }, handler: notAllowed(deps, 'GET, PUT, DELETE') });
}


/** The items after the first `count`. */
async function* skip<T>(items: AsyncIterable<T>, count: number): AsyncGenerator<T> {
  let seen = 0;
  for await (const item of items) if (seen++ >= count) yield item;
}

/** A JSON array of the items, written as they come. */
async function* jsonArray<T>(items: AsyncIterable<T>, toWire: (item: T) => unknown): AsyncGenerator<string> {
  let first = true;
  yield '[';
  for await (const item of items) {
    yield `${first ? '' : ','}${JSON.stringify(toWire(item))}`;
    first = false;
  }
  yield ']';
}

/** Keycloak's list filters (all optional; without any, the plain UMA list). One page when `max` is given, else streamed. */
function listQuery(query: Record<string, unknown>) {
  const paged = queryValue(query, 'max') !== undefined;
  const filter = { exactName: queryFlag(query, 'exactName') ?? false, matchingUri: queryFlag(query, 'matchingUri') ?? false, first: keycloakPaging(queryValue(query, 'first'), 'first', 0, 0, 1_000_000), max: keycloakPaging(queryValue(query, 'max'), 'max', Number.MAX_SAFE_INTEGER, 0, 1000) } as Parameters<typeof queryResources>[2];
  for (const member of ['name', 'uri', 'owner', 'type', 'scope'] as const) {
    const value = queryValue(query, member);
    if (value !== undefined) filter[member] = value;
  }
  if (filter.uri !== undefined && filter.uri.length > MAX_LOOKUP_URI_LENGTH) throw fail('invalid_request', `uri must be at most ${MAX_LOOKUP_URI_LENGTH} characters`);
  return { filter, deep: queryFlag(query, 'deep') ?? false, paged };
}
