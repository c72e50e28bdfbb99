/**
 * @module endpoints/owner-resources
 * The owner's resources in AM's CREST shape ("My resources" of the account console):
 * `GET /json/realms/root/realms/{realm}/users/{user}/oauth2/resources/sets?_queryFilter=…` with
 * `_sortKeys`, CREST paging (`_pageSize`, `_pagedResultsCookie`, a small `_pagedResultsOffset`,
 * `_totalPagedResultsPolicy`) and a free-text `search`; and one resource with its
 * policy at `…/sets/{resourceId}`. Only the user herself; errors are CREST JSON.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { fail, MAX_SEARCH_LENGTH, parseResourceFilter, parseResourceSortKeys, queryOwnerResources, readOwnerResource, requireSelf, type ResourceQuery, type User } from '@steward/core';
import type { Deps } from '../deps.ts';
import { acceptApiVersionDoc } from '../http/api-version.ts';
import { requireOwnerUser } from '../http/owner-session.ts';
import { singleParameters } from '../http/crest-methods.ts';
import { PAGING_PARAMETERS, pageParameters } from '../http/crest-query.ts';
import { pageToWire, pagingQueryDocs } from '../wire/paging.ts';
import { loadRealm } from '../http/realm.ts';
import type { RouteDocs } from '../http/route-docs.ts';
import { ResourceSetQueryResultSchema, ResourceSetSchema, resourceSetToWire } from '../wire/console.ts';

const COLLECTION = '/json/realms/root/realms/:realm/users/:user/oauth2/resources/sets';
const ONE = `${COLLECTION}/:resourceId`;
const crest = { errorStyle: 'crest' } as const;
const USER = 'The owner\'s user name: only the user herself may list her resources (403 otherwise).';

const PARAMETERS = ['_queryFilter', '_sortKeys', ...PAGING_PARAMETERS, '_fields'] as const;

const ResourceQuerySchema = Type.Object({
  _queryFilter: Type.String({ description: '`true`, `false`, or `field eq "value"` on `name`, `type` and `resourceServer`, combined with `and`.' }),
  _sortKeys: Type.Optional(Type.String({ description: 'One of `name` (the default), `type`, `resourceServer`, `_id`, optionally prefixed with `+` or `-`. Ties sort by name, then id, in the same direction. Every order is served by an index.' })),
  ...pagingQueryDocs(),
  search: Type.Optional(Type.String({ maxLength: MAX_SEARCH_LENGTH, description: 'Only resources whose name, type or resource server contains this text (case ignored).' })),
});

const DOCS = {
  query: {
    summary: 'Query the owner\'s resources',
    description: 'The resources registered for the user, each with her policy on it, filtered, searched, sorted and paged (the account console\'s "My resources"). Page with `_pagedResultsCookie`: each page is read from an index, whatever the owner holds. A `search`, and a filter the order does not lead with, are checked in the database along the sort order: a page costs more the rarer its matches are.',
    tags: ['Owner API'],
    operationId: 'queryOwnerResourceSets',
    auth: ['owner-session', 'bearer'],
    params: { user: USER },
    query: ResourceQuerySchema,
    headers: acceptApiVersionDoc(),
    responses: { '200': { description: 'The matching resources.', schema: ResourceSetQueryResultSchema } },
    errors: ['invalid_request', 'login_required', 'forbidden', 'not_found'],
  },
  read: {
    summary: 'Read one of the owner\'s resources',
    description: 'The resource with the owner\'s policy on it (who has access to which scopes, with conditions).',
    tags: ['Owner API'],
    operationId: 'readOwnerResourceSet',
    auth: ['owner-session', 'bearer'],
    params: { user: USER, resourceId: 'The resource id. Another owner\'s resource is `not_found`.' },
    headers: acceptApiVersionDoc(),
    responses: { '200': { description: 'The resource.', schema: ResourceSetSchema } },
    errors: ['invalid_request', 'login_required', 'forbidden', 'not_found'],
  },
  otherMethods: {
    summary: 'Unsupported method on the owner\'s resources',
    tags: ['Owner API'],
    operationId: 'ownerResourceSetOtherMethods',
    auth: 'none',
    params: { user: 'The owner\'s user name.', resourceId: 'The resource id.' },
    refusesMethod: true,
    responses: {},
    errors: ['unsupported_method_type'],
  },
} satisfies Record<string, RouteDocs>;

type QueryRequest = FastifyRequest<{ Params: { realm: string; user: string }; Querystring: Record<string, string | string[] | undefined> }>;
type OneRequest = FastifyRequest<{ Params: { realm: string; user: string; resourceId: string } }>;


function resourceQuery(params: Map<string, string>): ResourceQuery {
  const filter = params.get('_queryFilter');
  if (filter === undefined) throw fail('invalid_request', '_queryFilter is required (use _queryFilter=true for every resource)');
  const search = (params.get('search') ?? '').trim();
  if (search.length > MAX_SEARCH_LENGTH || search.includes('\u0000')) throw fail('invalid_request', `search must be at most ${MAX_SEARCH_LENGTH} characters`);
  const sortKeys = params.get('_sortKeys');
  return {
    filter: parseResourceFilter(filter),
    search,
    sortKeys: sortKeys === undefined ? [] : parseResourceSortKeys(sortKeys),
    page: pageParameters(params),
  };
}

async function self(deps: Deps, request: FastifyRequest<{ Params: { realm: string; user: string } }>): Promise<{ realm: string; owner: User }> {
  const realm = await loadRealm(deps, request.params.realm);
  const actor = await requireOwnerUser(deps, realm, request);
  requireSelf(actor, request.params.user);
  return { realm: realm.id, owner: actor };
}

export function ownerResourceRoutes(app: FastifyInstance, deps: Deps): void {
  app.get(COLLECTION, { config: { ...crest, docs: DOCS.query } }, async (request: QueryRequest, reply) => {
    const { realm, owner } = await self(deps, request);
    const query = resourceQuery(singleParameters(request.query, PARAMETERS));
    const page = await queryOwnerResources(deps, { realm, owner, query });
    reply.header('cache-control', 'no-store');
    return pageToWire(page, query.page, (item) => resourceSetToWire(item, owner.username));
  });

  app.get(ONE, { config: { ...crest, docs: DOCS.read } }, async (request: OneRequest, reply) => {
    const { realm, owner } = await self(deps, request);
    const item = await readOwnerResource(deps, { realm, owner, id: request.params.resourceId });
    reply.header('cache-control', 'no-store');
    return resourceSetToWire(item, owner.username);
  });

  for (const url of [COLLECTION, ONE]) {
    app.route({
      method: ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'],
      url,
      config: { ...crest, docs: DOCS.otherMethods },
      handler: async (request) => {
        throw fail('unsupported_method_type', `Method ${request.method} is not supported on resource sets; resource servers register resources through the protection API.`);
      },
    });
  }
}
