/**
 * @module endpoints/owner-shared-with-me
 * "Shared with me": `GET /json/realms/root/realms/{realm}/users/{user}/uma/sharedWithMe`, the
 * resources other users share with the user (their policies, or re-shares, naming her), with owner,
 * scopes held, expiry and client restriction. Only the user herself; errors are CREST JSON.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { fail, listSharedWithMe, requireSelf } from '@steward/core';
import type { Deps } from '../deps.ts';
import { acceptApiVersionDoc } from '../http/api-version.ts';
import { requireOwnerUser } from '../http/owner-session.ts';
import { loadRealm } from '../http/realm.ts';
import type { RouteDocs } from '../http/route-docs.ts';
import { SharedWithMeResultSchema, sharedWithMeToWire } from '../wire/console.ts';
import { singleParameters } from './owner-resources.ts';

const URL = '/json/realms/root/realms/:realm/users/:user/uma/sharedWithMe';
const crest = { errorStyle: 'crest' } as const;

const DOCS = {
  list: {
    summary: 'Resources shared with the user',
    description:
      'Every resource a policy of another user names the user on (the owner\'s, or a re-share), with what she holds of it now: expired shares and shares whose chain is broken are left out. Ordered by name. To re-share, PUT a policy at the user\'s own `uma/policies/{resourceId}`.',
    tags: ['Owner API'],
    operationId: 'sharedWithMe',
    auth: ['owner-session', 'bearer'],
    params: { user: 'The user\'s name: only the user herself may read this list (403 otherwise).' },
    headers: acceptApiVersionDoc(),
    responses: { '200': { description: 'The shared resources.', schema: SharedWithMeResultSchema } },
    errors: ['invalid_request', 'login_required', 'forbidden', 'not_found'],
  },
  otherMethods: {
    summary: 'Unsupported method on the resources shared with the user',
    tags: ['Owner API'],
    operationId: 'sharedWithMeOtherMethods',
    auth: 'none',
    params: { user: 'The user\'s name.' },
    refusesMethod: true,
    responses: {},
    errors: ['unsupported_method_type'],
  },
} satisfies Record<string, RouteDocs>;

type ListRequest = FastifyRequest<{ Params: { realm: string; user: string }; Querystring: Record<string, string | string[] | undefined> }>;

export function ownerSharedWithMeRoutes(app: FastifyInstance, deps: Deps): void {
  app.get(URL, { config: { ...crest, docs: DOCS.list } }, async (request: ListRequest, reply) => {
    const realm = await loadRealm(deps, request.params.realm);
    const user = await requireOwnerUser(deps, realm, request);
    requireSelf(user, request.params.user);
    singleParameters(request.query, ['_queryFilter', '_fields']);
    const shared = await listSharedWithMe(deps, { realm: realm.id, user });
    reply.header('cache-control', 'no-store');
    return { result: shared.map(sharedWithMeToWire), resultCount: shared.length, pagedResultsCookie: null, remainingPagedResults: 0 };
  });

  app.route({
    method: ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'],
    url: URL,
    config: { ...crest, docs: DOCS.otherMethods },
    handler: async (request) => {
      throw fail('unsupported_method_type', `Method ${request.method} is not supported on sharedWithMe.`);
    },
  });
}
