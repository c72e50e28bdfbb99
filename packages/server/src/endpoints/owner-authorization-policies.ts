/**
 * @module endpoints/owner-authorization-policies
 * AM's per-permission authorization policies of a user's UMA policies (ForgeRock AM's UMA policies REST API, "Restrict an UMA
 * policy"): `/json/realms/root/realms/{realm}/users/{user}/policies[/{id}]`, where the `Expiration`
 * and `ClientId` conditions of one permission are read and written. Errors are CREST JSON.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import {
  deleteAuthorizationPolicy,
  fail,
  listAuthorizationPolicies,
  readAuthorizationPolicy,
  writeAuthorizationPolicy,
} from '@steward/core';
import type { Deps } from '../deps.ts';
import { acceptApiVersionDoc } from '../http/api-version.ts';
import { ifMatchRevision, ownerJsonBody, ownerOf, ownerSessionFirst, singleHeader } from '../http/owner-request.ts';
import type { RouteDocs } from '../http/route-docs.ts';
import { singleParameters } from '../http/crest-methods.ts';
import { PAGING_PARAMETERS, pageParameters } from '../http/crest-query.ts';
import { pageToWire, pagingQueryDocs } from '../wire/paging.ts';
import { EmptyObjectSchema } from '../wire/owner.ts';
import { AuthorizationPolicyBodySchema, AuthorizationPolicyListSchema, AuthorizationPolicySchema, authorizationPolicyRepresentation, parseAuthorizationPolicyBody } from '../wire/policy.ts';

const COLLECTION = '/json/realms/root/realms/:realm/users/:user/policies';
const ITEM = `${COLLECTION}/:policyId`;
const crest = { errorStyle: 'crest' } as const;

const PARAMS = {
  user: 'The user name. Only the user herself may write; a realm administrator may read and delete.',
  policyId: '`{resourceId}~{subject}`: one permission of the user\'s UMA policy (or re-share) on that resource.',
};
const ACCESS_ERRORS = ['login_required', 'forbidden', 'not_found'] as const;
const API_VERSION = acceptApiVersionDoc();

const DOCS = {
  list: {
    summary: 'List authorization policies',
    description:
      'One authorization policy per permission of each of the user\'s UMA policies and re-shares, ordered by resource id then subject, a page at a time (`_pagedResultsCookie`, or a small `_pagedResultsOffset`). Only `_queryFilter=true` is supported; never counted.',
    tags: ['Owner API'],
    operationId: 'listAuthorizationPolicies',
    auth: ['owner-session', 'bearer'],
    params: { user: PARAMS.user },
    query: Type.Object({ _queryFilter: Type.Literal('true', { description: 'Required; `true` (every authorization policy) is the only filter supported.' }), ...pagingQueryDocs(false) }),
    headers: API_VERSION,
    responses: { '200': { description: 'The authorization policies.', schema: AuthorizationPolicyListSchema } },
    errors: ['invalid_request', ...ACCESS_ERRORS],
  },
  read: {
    summary: 'Read an authorization policy',
    tags: ['Owner API'],
    operationId: 'readAuthorizationPolicy',
    auth: ['owner-session', 'bearer'],
    params: PARAMS,
    headers: API_VERSION,
    responses: { '200': { description: 'The authorization policy (`_rev` is the UMA policy\'s revision).', schema: AuthorizationPolicySchema } },
    errors: ['invalid_request', ...ACCESS_ERRORS],
  },
  write: {
    summary: 'Restrict an authorization policy',
    description:
      'Replaces the scopes (`actionValues` set to true) and the conditions (`condition`: `AND` of `Expiration` and/or `ClientId`; absent or null removes them) of one permission. The subject is fixed by the id. Same checks as a UMA policy write; grants no longer allowed are revoked.',
    tags: ['Owner API'],
    operationId: 'writeAuthorizationPolicy',
    auth: ['owner-session', 'bearer'],
    params: PARAMS,
    headers: { ...API_VERSION, 'If-Match': { description: '`*` or the UMA policy revision (`_rev`, quoted or not); 412 when stale.' } },
    body: { contentType: 'application/json', schema: AuthorizationPolicyBodySchema },
    responses: { '200': { description: 'The updated authorization policy.', schema: AuthorizationPolicySchema } },
    errors: ['invalid_request', 'unsupported_media_type', 'precondition_failed', ...ACCESS_ERRORS],
  },
  delete: {
    summary: 'Delete an authorization policy',
    description: 'Removes the permission from its UMA policy; removing the last one deletes the UMA policy.',
    tags: ['Owner API'],
    operationId: 'deleteAuthorizationPolicy',
    auth: ['owner-session', 'bearer'],
    params: PARAMS,
    headers: API_VERSION,
    responses: { '200': { description: 'Deleted: `{}`.', schema: EmptyObjectSchema } },
    errors: ['invalid_request', ...ACCESS_ERRORS],
  },
  otherMethods: {
    summary: 'Unsupported method on an authorization policy',
    tags: ['Owner API'],
    operationId: 'authorizationPolicyOtherMethods',
    auth: 'none',
    params: PARAMS,
    refusesMethod: true,
    responses: {},
    errors: ['unsupported_method_type'],
  },
} satisfies Record<string, RouteDocs>;

type ItemRequest = FastifyRequest<{ Params: { realm: string; user: string; policyId: string } }>;
type ListRequest = FastifyRequest<{ Params: { realm: string; user: string }; Querystring: Record<string, string | string[] | undefined> }>;

function noStore(reply: FastifyReply): void {
  reply.header('cache-control', 'no-store');
}

export function ownerAuthorizationPolicyRoutes(app: FastifyInstance, deps: Deps): void {
  app.get(COLLECTION, { config: { ...crest, docs: DOCS.list } }, async (request: ListRequest, reply) => {
    const { realm, owner } = await ownerOf(deps, request, 'read', '');
    const params = singleParameters(request.query, ['_queryFilter', ...PAGING_PARAMETERS]);
    if (params.get('_queryFilter') !== 'true') throw fail('invalid_request', 'Only _queryFilter=true is supported on authorization policies.');
    const page = pageParameters(params);
    const found = await listAuthorizationPolicies(deps, { realm, owner, page });
    noStore(reply);
    return pageToWire(found, page, authorizationPolicyRepresentation);
  });

  app.get(ITEM, { config: { ...crest, docs: DOCS.read } }, async (request: ItemRequest, reply) => {
    const { realm, owner } = await ownerOf(deps, request, 'read', request.params.policyId);
    const found = await readAuthorizationPolicy(deps, { realm, owner, id: request.params.policyId });
    noStore(reply);
    return authorizationPolicyRepresentation(found);
  });

  // Writes identify the caller before the body is read (http/owner-request).
  const onRequest = ownerSessionFirst(deps);
  app.put(ITEM, { onRequest, config: { ...crest, docs: DOCS.write } }, async (request: ItemRequest, reply) => {
    const { realm, owner } = await ownerOf(deps, request, 'write', request.params.policyId);
    const expectedRev = ifMatchRevision(singleHeader(request, 'if-match'));
    const body = parseAuthorizationPolicyBody(ownerJsonBody(request));
    const written = await writeAuthorizationPolicy(deps, { realm, owner, id: request.params.policyId, ...body, expectedRev });
    noStore(reply);
    return authorizationPolicyRepresentation(written);
  });

  app.delete(ITEM, { onRequest, config: { ...crest, docs: DOCS.delete } }, async (request: ItemRequest, reply) => {
    const { realm, owner } = await ownerOf(deps, request, 'delete', request.params.policyId);
    await deleteAuthorizationPolicy(deps, { realm, owner, id: request.params.policyId });
    noStore(reply);
    return {};
  });

  app.route({
    method: ['POST', 'PATCH', 'OPTIONS'],
    url: ITEM,
    config: { ...crest, docs: DOCS.otherMethods },
    handler: async (request) => {
      throw fail('unsupported_method_type', `Method ${request.method} is not supported on an authorization policy.`);
    },
  });
}
