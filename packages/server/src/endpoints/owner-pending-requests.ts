/**
 * @module endpoints/owner-pending-requests
 * The owner's access requests in AM's CREST shape:
 * `/json/realms/root/realms/{realm}/users/{user}/uma/pendingrequests` — GET queries (unanswered ones
 * unless the filter asks about `status`), POST `_action=approveAll|denyAll`; `…/pendingrequests/{id}` —
 * GET reads one, POST `_action=approve` (optional `{"scopes": [...]}`), `deny`, `reopen` (withdraws a
 * denial). Errors are CREST JSON.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import {
  answerAllAccessRequests,
  MAX_BULK_ANSWERS,
  approveAccessRequest,
  denyAccessRequest,
  fail,
  listAccessRequests,
  parseAccessRequestFilter,
  readAccessRequest,
  reopenAccessRequest,
  resolvePolicyQueryOwner,
  viewAccessRequests,
  type User,
} from '@steward/core';
import type { Deps } from '../deps.ts';
import { acceptApiVersionDoc } from '../http/api-version.ts';
import { crestParameters, PAGING_PARAMETERS, pageParameters } from '../http/crest-query.ts';
import { pageToWire, pagingQueryDocs } from '../wire/paging.ts';
import { ownerJsonBody, ownerOf, ownerSessionFirst } from '../http/owner-request.ts';
import { requireOwnerUser } from '../http/owner-session.ts';
import { loadRealm } from '../http/realm.ts';
import type { RouteDocs } from '../http/route-docs.ts';
import { AccessRequestQueryResultSchema, AccessRequestSchema, ApproveBodySchema, accessRequestToWire, bulkAnswerToWire, BulkAnswerSchema, parseApproveScopes } from '../wire/requests.ts';

const COLLECTION = '/json/realms/root/realms/:realm/users/:user/uma/pendingrequests';
const ITEM = `${COLLECTION}/:id`;
const crest = { errorStyle: 'crest' } as const;
const API_VERSION = acceptApiVersionDoc();
const USER = { user: 'The owner\'s user name. Only she may answer; a realm administrator may read.' };
const ID = { ...USER, id: 'The request id (`_id`). Another owner\'s request is `not_found`.' };
const ACCESS_ERRORS = ['login_required', 'forbidden', 'not_found'] as const;

const CollectionQuerySchema = Type.Object({
  _queryFilter: Type.Optional(
    Type.String({
      description:
        '`true` (the default), `false`, or `field eq "value"` on `_id`, `status` (`pending`, `approved`, `denied`), `user`, `requester`, `resource`, `resourceId`, `clientId`, `permissions`, combined with `and`. Without a `status` term only pending requests match.',
    }),
  ),
  ...pagingQueryDocs(),
  _action: Type.Optional(Type.Union([Type.Literal('approveAll'), Type.Literal('denyAll')], { description: 'POST only.' })),
});

const ItemQuerySchema = Type.Object({
  _action: Type.Optional(Type.Union([Type.Literal('approve'), Type.Literal('deny'), Type.Literal('reopen')], { description: 'POST only (required there).' })),
});

const DOCS = {
  query: {
    summary: 'Query access requests',
    description: 'The owner\'s access requests, newest first: the unanswered ones, unless `_queryFilter` names `status`. Page with `_pagedResultsCookie`: each page is read from an index (status, then time). Terms on `user`, `resource` and `permissions` are checked after the read: a page reads at most 5,000 requests beyond its offset and size, so it may come back short (even empty) with a cookie.',
    tags: ['Owner API'],
    operationId: 'queryAccessRequests',
    auth: ['owner-session', 'bearer'],
    params: USER,
    query: CollectionQuerySchema,
    queryMethods: ['GET', 'POST'],
    headers: API_VERSION,
    responses: { '200': { description: 'The matching requests.', schema: AccessRequestQueryResultSchema } },
    errors: ['invalid_request', 'payload_too_large', ...ACCESS_ERRORS],
  },
  answerAll: {
    summary: 'Approve or deny every pending request',
    description: `\`_action=approveAll\` approves every pending request with all its scopes (each added to the owner's policy); \`_action=denyAll\` denies them all. Newest first, each in its own transaction, at most ${MAX_BULK_ANSWERS.toLocaleString('en-US')} per call: \`more\` is true when others wait. Requests that cannot be approved (resource or party gone) stay pending and are listed in \`failed\`.`,
    tags: ['Owner API'],
    operationId: 'answerAllAccessRequests',
    auth: ['owner-session', 'bearer'],
    params: USER,
    query: CollectionQuerySchema,
    headers: API_VERSION,
    responses: { '200': { description: 'What was answered.', schema: BulkAnswerSchema } },
    errors: ['invalid_request', ...ACCESS_ERRORS],
  },
  read: {
    summary: 'Read an access request',
    tags: ['Owner API'],
    operationId: 'readAccessRequest',
    auth: ['owner-session', 'bearer'],
    params: ID,
    headers: API_VERSION,
    responses: { '200': { description: 'The request, whatever its status.', schema: AccessRequestSchema } },
    errors: ['invalid_request', ...ACCESS_ERRORS],
  },
  answer: {
    summary: 'Approve, deny or reopen an access request',
    description:
      '`approve` adds the approved scopes (all asked, or the `scopes` subset of the body) for the requesting party to the owner\'s policy on the resource, creating it when absent; the party\'s client then gets an RPT with them at its next poll. `deny` makes the same ask answer `request_denied` until the owner changes her policy on the resource. `reopen` withdraws a denial: the request is pending again. Answering an answered request is `conflict` (409).',
    tags: ['Owner API'],
    operationId: 'answerAccessRequest',
    auth: ['owner-session', 'bearer'],
    params: ID,
    query: ItemQuerySchema,
    headers: API_VERSION,
    body: { contentType: 'application/json', schema: ApproveBodySchema, required: false },
    responses: { '200': { description: 'The request after the answer (for `reopen`: the pending request that now holds its scopes).', schema: AccessRequestSchema } },
    errors: ['invalid_request', 'unsupported_media_type', 'conflict', ...ACCESS_ERRORS],
  },
  otherMethods: {
    summary: 'Unsupported method on access requests',
    tags: ['Owner API'],
    operationId: 'accessRequestsOtherMethods',
    auth: 'none',
    params: USER,
    refusesMethod: true,
    responses: {},
    errors: ['unsupported_method_type'],
  },
} satisfies Record<string, RouteDocs>;

type CollectionRequest = FastifyRequest<{ Params: { realm: string; user: string } }>;
type ItemRequest = FastifyRequest<{ Params: { realm: string; user: string; id: string } }>;

function noStore(reply: FastifyReply): void {
  reply.header('cache-control', 'no-store');
}

/** The optional JSON body of an action: none, or a JSON one (other media types 415). */
function actionBody(request: FastifyRequest): unknown {
  if (request.headers['content-type'] === undefined && (request.body === undefined || request.body === null)) return undefined;
  return ownerJsonBody(request);
}

async function queryOwner(deps: Deps, request: CollectionRequest): Promise<{ realm: string; owner: User }> {
  const realm = await loadRealm(deps, request.params.realm);
  const actor = await requireOwnerUser(deps, realm, request);
  return { realm: realm.id, owner: await resolvePolicyQueryOwner(deps, { realm: realm.id, actor, username: request.params.user }) };
}

export function ownerPendingRequestRoutes(app: FastifyInstance, deps: Deps): void {
  app.get(COLLECTION, { config: { ...crest, docs: DOCS.query } }, async (request: CollectionRequest, reply) => {
    const { realm, owner } = await queryOwner(deps, request);
    const params = await crestParameters(request, ['_queryFilter', ...PAGING_PARAMETERS]);
    const query = { filter: parseAccessRequestFilter(params.get('_queryFilter') ?? 'true'), page: pageParameters(params) };
    const page = await listAccessRequests(deps, { realm, owner, query });
    noStore(reply);
    return pageToWire(page, query.page, accessRequestToWire);
  });

  // Answers identify the caller before the body is read (http/owner-request).
  const onRequest = ownerSessionFirst(deps);
  app.post(COLLECTION, { onRequest, config: { ...crest, docs: DOCS.answerAll } }, async (request: CollectionRequest, reply) => {
    const { realm, owner } = await ownerOf(deps, request, 'write', '');
    const params = await crestParameters(request, ['_action']);
    const action = params.get('_action');
    if (action !== 'approveAll' && action !== 'denyAll') throw fail('invalid_request', action === undefined ? '_action is required: approveAll or denyAll' : `Unknown _action ${action.slice(0, 64)}: approveAll or denyAll`);
    const answered = await answerAllAccessRequests(deps, { realm, owner, answer: action === 'approveAll' ? 'approve' : 'deny' });
    noStore(reply);
    return bulkAnswerToWire(answered, await viewAccessRequests(deps, realm, owner, answered.answered));
  });

  app.get(ITEM, { config: { ...crest, docs: DOCS.read } }, async (request: ItemRequest, reply) => {
    const { realm, owner } = await ownerOf(deps, request, 'read', request.params.id);
    const view = await readAccessRequest(deps, { realm, owner, id: request.params.id });
    noStore(reply);
    return accessRequestToWire(view);
  });

  app.post(ITEM, { onRequest, config: { ...crest, docs: DOCS.answer } }, async (request: ItemRequest, reply) => {
    const { realm, owner } = await ownerOf(deps, request, 'write', request.params.id);
    const params = await crestParameters(request, ['_action']);
    const action = params.get('_action');
    if (action !== 'approve' && action !== 'deny' && action !== 'reopen') throw fail('invalid_request', action === undefined ? '_action is required: approve, deny or reopen' : `Unknown _action ${action.slice(0, 64)}: approve, deny or reopen`);
    const body = actionBody(request);
    const input = { realm, owner, id: request.params.id };
    let answered;
    if (action === 'approve') {
      const scopes = parseApproveScopes(body);
      answered = await approveAccessRequest(deps, scopes === undefined ? input : { ...input, scopes });
    } else answered = action === 'deny' ? await denyAccessRequest(deps, input) : await reopenAccessRequest(deps, input);
    noStore(reply);
    return accessRequestToWire((await viewAccessRequests(deps, realm, owner, [answered]))[0]!);
  });

  for (const [url, methods] of [
    [COLLECTION, ['PUT', 'DELETE', 'PATCH', 'OPTIONS']],
    [ITEM, ['PUT', 'DELETE', 'PATCH', 'OPTIONS']],
  ] as const) {
    app.route({
      method: [...methods],
      url,
      config: { ...crest, docs: url === ITEM ? { ...DOCS.otherMethods, operationId: `${DOCS.otherMethods.operationId}Item`, params: ID } : DOCS.otherMethods },
      handler: async (request) => {
        throw fail('unsupported_method_type', `Method ${request.method} is not supported on access requests.`);
      },
    });
  }
}
