/**
 * @module endpoints/uma-policy
 * Keycloak's owner policy API in the Protection API: `/realms/{realm}/authz/protection/uma-policy`
 * (`POST /{resource_id}`, `GET`, `GET|PUT|DELETE /{id}`). The caller is the resource owner with her own
 * access token (scope `sharing`) issued to the resource server that registered the resource. Each
 * "UMA policy" is Steward's sharing policy on one resource (services/keycloak-uma-policy).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import {
  createUmaPolicy,
  deleteUmaPolicy,
  fail,
  hasScope,
  isJsonObject,
  OWNER_API_SCOPE,
  queryUmaPolicies,
  readUmaPolicy,
  updateUmaPolicy,
  type UmaPolicyCaller,
  type UmaPolicyInput,
} from '@steward/core';
import type { Deps } from '../deps.ts';
import { authenticateFirst } from '../http/authenticate-first.ts';
import { keycloakPaging } from '../http/keycloak-paging.ts';
import { queryValue } from '../http/query.ts';
import { requireBearer } from '../http/bearer.ts';
import { loadRealm } from '../http/realm.ts';
import type { RouteDocs } from '../http/route-docs.ts';
import { UmaPolicyInputSchema, UmaPolicySchema } from '../wire/keycloak.ts';
import { jsonBody } from '../wire/resource.ts';

const ERRORS = ['invalid_request', 'invalid_token', 'insufficient_scope', 'not_found'] as const;
const COLLECTION = '/realms/:realm/authz/protection/uma-policy';
const ITEM = `${COLLECTION}/:id`;
const ID = { id: 'The policy id, which is the id of the resource it shares (for POST: the resource to share).' };
const AUTH_NOTE = 'The owner\'s access token (scope `sharing`) issued to the resource server that registered the resource.';

const DOCS = {
  create: {
    summary: 'Share a resource (Keycloak UMA policy)',
    description: `Grants the named users, groups and clients the scopes (all of the resource's when none) on the caller's resource, adding to the resource's sharing policy. ${AUTH_NOTE}`,
    tags: ['Protection API'],
    operationId: 'createUmaPolicy',
    auth: 'bearer',
    params: ID,
    body: { contentType: 'application/json', schema: UmaPolicyInputSchema },
    responses: { '200': { description: 'The resource\'s policy after the change.', schema: UmaPolicySchema } },
    errors: ERRORS,
  },
  list: {
    summary: 'List the owner\'s UMA policies (Keycloak)',
    description: `The caller's policies on her resources of this resource server, ordered by id. ${AUTH_NOTE}`,
    tags: ['Protection API'],
    operationId: 'listUmaPolicies',
    auth: 'bearer',
    query: Type.Object({
      name: Type.Optional(Type.String({ description: 'Substring of the policy name (the resource name).' })),
      resource: Type.Optional(Type.String({ description: 'A resource id.' })),
      scope: Type.Optional(Type.String({ description: 'A scope the policy grants.' })),
      first: Type.Optional(Type.Integer({ description: 'Skip this many; default 0.' })),
      max: Type.Optional(Type.Integer({ description: 'At most this many (1–1000); default 100.' })),
    }),
    responses: { '200': { description: 'The policies.', schema: Type.Array(UmaPolicySchema) } },
    errors: ERRORS,
  },
  read: {
    summary: 'Read a UMA policy (Keycloak)',
    tags: ['Protection API'],
    operationId: 'readUmaPolicy',
    auth: 'bearer',
    params: ID,
    responses: { '200': { description: 'The policy.', schema: UmaPolicySchema } },
    errors: ERRORS,
  },
  replace: {
    summary: 'Replace a UMA policy (Keycloak)',
    description: `Replaces who is granted what on the resource (conditions set through the policies API are dropped). A body read from GET is accepted back. ${AUTH_NOTE}`,
    tags: ['Protection API'],
    operationId: 'replaceUmaPolicy',
    auth: 'bearer',
    params: ID,
    body: { contentType: 'application/json', schema: UmaPolicyInputSchema },
    responses: { '204': { description: 'Replaced. Empty body.' } },
    errors: ERRORS,
  },
  delete: {
    summary: 'Delete a UMA policy (Keycloak)',
    description: `Stops sharing the resource: RPTs the policy allowed are revoked at once. ${AUTH_NOTE}`,
    tags: ['Protection API'],
    operationId: 'deleteUmaPolicy',
    auth: 'bearer',
    params: ID,
    responses: { '204': { description: 'Deleted. Empty body.' } },
    errors: ERRORS,
  },
} satisfies Record<string, RouteDocs>;

type RealmParams = { Params: { realm: string } };
type ItemParams = { Params: { realm: string; id: string } };

/** The owner behind a Keycloak-style owner call: her own token (scope `sharing`) of the resource server. */
export async function ownerCallerOf(deps: Deps, request: FastifyRequest<RealmParams>, reply: FastifyReply): Promise<UmaPolicyCaller> {
  const realm = await loadRealm(deps, request.params.realm);
  const active = await requireBearer(deps, realm, request, reply);
  reply.header('cache-control', 'no-store');
  const user = active.record.subject === active.record.clientId ? null : await deps.store.users.get(realm.id, active.record.subject);
  if (!user || user.disabled || !hasScope(active.record.data.scope, OWNER_API_SCOPE)) {
    reply.header('www-authenticate', `Bearer realm="${realm.id}", error="insufficient_scope", scope="${OWNER_API_SCOPE}"`);
    throw fail('insufficient_scope', `Only the resource owner's own token with scope ${OWNER_API_SCOPE} manages her policies`);
  }
  return { realm: realm.id, user, resourceServer: active.record.clientId };
}

const LIST_MEMBERS = ['scopes', 'users', 'groups', 'clients', 'roles'] as const;
/** Members of a GET answer a client may send back unchanged. */
const ECHOED = new Set(['id', 'type', 'owner', 'resource', 'logic', 'decisionStrategy']);

function stringList(member: string, value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.length > 256) throw fail('invalid_request', `${member} must be an array of at most 256 strings`);
  return value.map((v, i) => {
    if (typeof v !== 'string' || v === '' || v.length > 256 || v.includes('\u0000')) throw fail('invalid_request', `${member}[${i}] must be a non-empty string of at most 256 characters`);
    return v;
  });
}

function optionalText(member: string, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.length > 1024 || value.includes('\u0000')) throw fail('invalid_request', `${member} must be a string of at most 1024 characters`);
  return value;
}

/** Parses a UMA policy body; `invalid_request` names the bad member. */
export function parseUmaPolicy(body: unknown, id?: string): UmaPolicyInput {
  if (!isJsonObject(body)) throw fail('invalid_request', 'The policy must be a JSON object');
  for (const member of Object.keys(body)) {
    if (!ECHOED.has(member) && !(LIST_MEMBERS as readonly string[]).includes(member) && member !== 'name' && member !== 'description') {
      throw fail('invalid_request', `Unrecognized field ${member.slice(0, 64)}`);
    }
  }
  if (id !== undefined && body.id !== undefined && body.id !== id) throw fail('invalid_request', 'The id in the body does not match the URL');
  if (stringList('roles', body.roles).length > 0) throw fail('invalid_request', 'roles are not supported: share with users, groups or clients');
  const input: UmaPolicyInput = {
    scopes: stringList('scopes', body.scopes),
    users: stringList('users', body.users),
    groups: stringList('groups', body.groups),
    clients: stringList('clients', body.clients),
  };
  const name = optionalText('name', body.name);
  const description = optionalText('description', body.description);
  if (name !== undefined) input.name = name;
  if (description !== undefined) input.description = description;
  return input;
}

export function umaPolicyRoutes(app: FastifyInstance, deps: Deps): void {
  // The owner's token is checked before the body is read (RFC 6750 §3.1).
  const owner = authenticateFirst((request: FastifyRequest<RealmParams>, reply: FastifyReply) => ownerCallerOf(deps, request, reply));
  const { onRequest } = owner;
  app.post<ItemParams>(ITEM, { onRequest, config: { docs: DOCS.create } }, async function createPolicy(request, reply) {
    const caller = await owner.callerOf(request, reply);
    return createUmaPolicy(deps, caller, request.params.id, parseUmaPolicy(jsonBody(request.headers['content-type'], request.body)));
  });

  app.get<RealmParams & { Querystring: Record<string, unknown> }>(COLLECTION, { onRequest, config: { docs: DOCS.list } }, async function listPolicies(request, reply) {
    const caller = await owner.callerOf(request, reply);
    const q = request.query;
    const name = queryValue(q, 'name');
    const resource = queryValue(q, 'resource');
    const scope = queryValue(q, 'scope');
    return queryUmaPolicies(deps, caller, {
      ...(name !== undefined ? { name } : {}),
      ...(resource !== undefined ? { resource } : {}),
      ...(scope !== undefined ? { scope } : {}),
      first: keycloakPaging(queryValue(q, 'first'), 'first', 0, 0, 1_000_000),
      max: keycloakPaging(queryValue(q, 'max'), 'max', 100, 1, 1000),
    });
  });

  app.get<ItemParams>(ITEM, { onRequest, config: { docs: DOCS.read } }, async function readPolicy(request, reply) {
    return readUmaPolicy(deps, await owner.callerOf(request, reply), request.params.id);
  });

  app.put<ItemParams>(ITEM, { onRequest, config: { docs: DOCS.replace } }, async function replacePolicy(request, reply) {
    const caller = await owner.callerOf(request, reply);
    await updateUmaPolicy(deps, caller, request.params.id, parseUmaPolicy(jsonBody(request.headers['content-type'], request.body), request.params.id));
    return reply.code(204).send();
  });

  app.delete<ItemParams>(ITEM, { onRequest, config: { docs: DOCS.delete } }, async function deletePolicy(request, reply) {
    await deleteUmaPolicy(deps, await owner.callerOf(request, reply), request.params.id);
    return reply.code(204).send();
  });
}
