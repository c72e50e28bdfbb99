/**
 * @module endpoints/owner-policy-query
 * Querying the owner's UMA policies in AM's CREST shape (ForgeRock AM's UMA policies REST API, "Query UMA policies"):
 * `GET /json/realms/root/realms/{realm}/users/{user}/uma/policies?_queryFilter=…` with `_sortKeys`,
 * and CREST paging (`_pageSize`, `_pagedResultsCookie`, a small `_pagedResultsOffset`,
 * `_totalPagedResultsPolicy`). Result items are the representation a read answers.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { fail, parsePolicyFilter, parsePolicySortKeys, queryPolicies, resolvePolicyQueryOwner, type PolicyQuery } from '@steward/core';
import type { Deps } from '../deps.ts';
import { acceptApiVersionDoc } from '../http/api-version.ts';
import { requireOwnerUser } from '../http/owner-session.ts';
import { crestParameters, PAGING_PARAMETERS, pageParameters } from '../http/crest-query.ts';
import { pagedResultSchema, pageToWire, pagingQueryDocs } from '../wire/paging.ts';
import { loadRealm } from '../http/realm.ts';
import type { RouteDocs } from '../http/route-docs.ts';
import { PolicyDocSchema } from '../wire/owner.ts';
import { policyRepresentation } from '../wire/policy.ts';

const URL = '/json/realms/root/realms/:realm/users/:user/uma/policies';
const crest = { errorStyle: 'crest' } as const;

/** The query parameters CREST defines that this route reads; any other starting with `_` is refused. */
const PARAMETERS = ['_queryFilter', '_sortKeys', ...PAGING_PARAMETERS] as const;

const PolicyQuerySchema = Type.Object({
  _queryFilter: Type.String({
    description:
      '`true`, `false`, or `field eq "value"` expressions on `resourceServer` (the client id that registered the resource) and `permissions/subject`, combined with `and` and parentheses. Other fields or operators, and `or`, are `invalid_request` naming them.',
  }),
  _sortKeys: Type.Optional(Type.String({ description: 'Comma-separated `policyId` (the default) and `name`, each optionally prefixed with `+` (ascending, the default) or `-` (descending). The first key orders; ties sort by `policyId` in its direction. `policyId` order is read from an index; `name` order sorts the owner\'s policies for each page (its cost grows with them).' })),
  ...pagingQueryDocs(),
});

const PolicyQueryResultSchema = pagedResultSchema('PolicyQueryResult', PolicyDocSchema, ' (the policies the `resourceServer` and first `permissions/subject` terms select)');

const API_VERSION = acceptApiVersionDoc();

const DOCS = {
  query: {
    summary: 'Query UMA policies',
    description:
      'The owner\'s policies that match `_queryFilter`, sorted and paged. The owner herself or a realm administrator may query. The parameters may also come as a form body (as `curl --data-urlencode` sends them).',
    tags: ['Owner API'],
    operationId: 'queryPolicies',
    auth: ['owner-session', 'bearer'],
    params: { user: 'The owner\'s user name. The owner herself and realm administrators may query; an unknown user is `not_found` (for an administrator).' },
    query: PolicyQuerySchema,
    headers: API_VERSION,
    responses: { '200': { description: 'The matching policies.', schema: PolicyQueryResultSchema, headers: { 'Content-API-Version': 'the resource version that answered, `resource=1.0`' } } },
    errors: ['invalid_request', 'payload_too_large', 'login_required', 'forbidden', 'not_found'],
  },
  otherMethods: {
    summary: 'Unsupported method on the UMA policies collection',
    tags: ['Owner API'],
    operationId: 'policyCollectionOtherMethods',
    auth: 'none',
    params: { user: 'The owner\'s user name.' },
    refusesMethod: true,
    responses: {},
    errors: ['unsupported_method_type'],
  },
} satisfies Record<string, RouteDocs>;

type QueryRequest = FastifyRequest<{ Params: { realm: string; user: string }; Querystring: Record<string, string | string[] | undefined> }>;


/** The checked query of a request. */
function policyQuery(params: Map<string, string>): PolicyQuery {
  const filter = params.get('_queryFilter');
  if (filter === undefined) throw fail('invalid_request', '_queryFilter is required (use _queryFilter=true for every policy)');
  const sortKeys = params.get('_sortKeys');
  return {
    filter: parsePolicyFilter(filter),
    sortKeys: sortKeys === undefined ? [] : parsePolicySortKeys(sortKeys),
    page: pageParameters(params),
  };
}

export function ownerPolicyQueryRoutes(app: FastifyInstance, deps: Deps): void {
  app.get(URL, { config: { ...crest, docs: DOCS.query } }, async (request: QueryRequest, reply) => {
    const realm = await loadRealm(deps, request.params.realm);
    const actor = await requireOwnerUser(deps, realm, request);
    const owner = await resolvePolicyQueryOwner(deps, { realm: realm.id, actor, username: request.params.user });
    const query = policyQuery(await crestParameters(request, PARAMETERS));
    const page = await queryPolicies(deps, { realm: realm.id, owner, query });
    reply.header('cache-control', 'no-store');
    return pageToWire(page, query.page, policyRepresentation);
  });

  app.route({
    method: ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'],
    url: URL,
    config: { ...crest, docs: DOCS.otherMethods },
    handler: async (request) => {
      throw fail('unsupported_method_type', `Method ${request.method} is not supported on the UMA policies collection.`);
    },
  });
}
