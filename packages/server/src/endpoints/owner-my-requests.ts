/**
 * @module endpoints/owner-my-requests
 * The user's own access requests as a requesting party: `GET /json/realms/root/realms/{realm}/users/{user}/uma/myRequests`,
 * what she asked of other owners and how each was answered (pending, approved, denied). Only the user
 * herself; errors are CREST JSON. Owners answer requests at `uma/pendingrequests`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { fail, listMyRequests, MAX_MY_REQUESTS, requireSelf } from '@steward/core';
import type { Deps } from '../deps.ts';
import { acceptApiVersionDoc } from '../http/api-version.ts';
import { requireOwnerUser } from '../http/owner-session.ts';
import { loadRealm } from '../http/realm.ts';
import type { RouteDocs } from '../http/route-docs.ts';
import { MyRequestsResultSchema, myRequestToWire } from '../wire/console.ts';
import { singleParameters } from './owner-resources.ts';

const URL = '/json/realms/root/realms/:realm/users/:user/uma/myRequests';
const crest = { errorStyle: 'crest' } as const;

const DOCS = {
  list: {
    summary: 'The user\'s own access requests',
    description: `The requests the user made as a requesting party (through a client that met \`request_submitted\`), to any owner, newest first (at most ${MAX_MY_REQUESTS}), with their state.`,
    tags: ['Owner API'],
    operationId: 'myRequests',
    auth: ['owner-session', 'bearer'],
    params: { user: 'The user\'s name: only the user herself may read this list (403 otherwise).' },
    headers: acceptApiVersionDoc(),
    responses: { '200': { description: 'The requests.', schema: MyRequestsResultSchema } },
    errors: ['invalid_request', 'login_required', 'forbidden', 'not_found'],
  },
  otherMethods: {
    summary: 'Unsupported method on the user\'s own requests',
    tags: ['Owner API'],
    operationId: 'myRequestsOtherMethods',
    auth: 'none',
    params: { user: 'The user\'s name.' },
    refusesMethod: true,
    responses: {},
    errors: ['unsupported_method_type'],
  },
} satisfies Record<string, RouteDocs>;

type ListRequest = FastifyRequest<{ Params: { realm: string; user: string }; Querystring: Record<string, string | string[] | undefined> }>;

export function ownerMyRequestsRoutes(app: FastifyInstance, deps: Deps): void {
  app.get(URL, { config: { ...crest, docs: DOCS.list } }, async (request: ListRequest, reply) => {
    const realm = await loadRealm(deps, request.params.realm);
    const user = await requireOwnerUser(deps, realm, request);
    requireSelf(user, request.params.user);
    singleParameters(request.query, ['_queryFilter', '_fields']);
    const mine = await listMyRequests(deps, { realm: realm.id, user });
    reply.header('cache-control', 'no-store');
    return { result: mine.map(myRequestToWire), resultCount: mine.length, pagedResultsCookie: null, remainingPagedResults: 0 };
  });

  app.route({
    method: ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'],
    url: URL,
    config: { ...crest, docs: DOCS.otherMethods },
    handler: async (request) => {
      throw fail('unsupported_method_type', `Method ${request.method} is not supported on myRequests.`);
    },
  });
}
