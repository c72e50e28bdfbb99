/**
 * @module endpoints/owner-policies
 * The owner's UMA policies in AM's CREST shape (ForgeRock AM's UMA policies REST API):
 * `/json/realms/root/realms/{realm}/users/{user}/uma/policies/{policyId}` with GET, PUT (create with
 * `If-None-Match: *`, update with `If-Match`, either without) and DELETE. Errors are CREST JSON.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { deletePolicy, fail, readPolicy, sharePolicy, type PolicyWriteMode } from '@steward/core';
import type { Deps } from '../deps.ts';
import { acceptApiVersionDoc } from '../http/api-version.ts';
import { ifMatchRevision, ownerJsonBody, ownerOf, ownerSessionFirst, singleHeader } from '../http/owner-request.ts';
import { ownerPolicyQueryRoutes } from './owner-policy-query.ts';
import type { RouteDocs } from '../http/route-docs.ts';
import { EmptyObjectSchema, PolicyBodyDocSchema, PolicyCreatedSchema, PolicyDocSchema } from '../wire/owner.ts';
import { parsePolicyBody, policyRepresentation } from '../wire/policy.ts';

const PARAMS = {
  user: 'The owner\'s user name. Only the owner herself may write; a realm administrator may read and delete.',
  policyId: 'The id of the resource the policy protects. A resource that is not the owner\'s, or has no policy, is `not_found`.',
};
const ACCESS_ERRORS = ['login_required', 'forbidden', 'not_found'] as const;
const ETAG = { ETag: 'the policy revision `_rev`, quoted' };

const DOCS = {
  read: {
    summary: 'Read a UMA policy',
    tags: ['Owner API'],
    operationId: 'readPolicy',
    auth: ['owner-session', 'bearer'],
    params: PARAMS,
    headers: acceptApiVersionDoc(),
    responses: { '200': { description: 'The policy.', schema: PolicyDocSchema, headers: ETAG } },
    errors: ['invalid_request', ...ACCESS_ERRORS],
  },
  write: {
    summary: 'Create or update a UMA policy',
    description:
      'Shares scopes of one of the owner\'s resources with users of the realm or clients (`client:{clientId}`). `If-None-Match: *` only creates (412 when a policy exists); `If-Match: *` or a revision only updates (412 on a stale revision, 404 when none exists); neither creates or replaces. Scopes must be registered for the resource; subjects must exist and not be the owner. A subject the policy does not hold yet must name an enabled user, a confidential client (a public client cannot authenticate), a group the owner may share with or an organization; each that names nobody spends one of the person lookup\'s 60 a minute, and once they are spent a write naming anyone new is 429.',
    tags: ['Owner API'],
    operationId: 'writePolicy',
    auth: ['owner-session', 'bearer'],
    params: PARAMS,
    headers: {
      ...acceptApiVersionDoc(),
      'If-None-Match': { description: '`*`: create only.' },
      'If-Match': { description: '`*` or a revision (`_rev`, quoted or not): update only. Not together with If-None-Match.' },
    },
    body: { contentType: 'application/json', schema: PolicyBodyDocSchema },
    responses: {
      '200': { description: 'Updated: the policy.', schema: PolicyDocSchema, headers: ETAG },
      '201': { description: 'Created.', schema: PolicyCreatedSchema, headers: ETAG },
    },
    errors: ['invalid_request', 'unsupported_media_type', 'precondition_failed', 'too_many_requests', ...ACCESS_ERRORS],
  },
  delete: {
    summary: 'Delete a UMA policy',
    description: 'Stops sharing the resource; the resource itself stays registered.',
    tags: ['Owner API'],
    operationId: 'deletePolicy',
    auth: ['owner-session', 'bearer'],
    params: PARAMS,
    headers: acceptApiVersionDoc(),
    responses: { '200': { description: 'Deleted: `{}`.', schema: EmptyObjectSchema } },
    errors: ['invalid_request', ...ACCESS_ERRORS],
  },
  otherMethods: {
    summary: 'Unsupported method on a UMA policy',
    tags: ['Owner API'],
    operationId: 'policyOtherMethods',
    auth: 'none',
    params: PARAMS,
    refusesMethod: true,
    responses: {},
    errors: ['unsupported_method_type'],
  },
} satisfies Record<string, RouteDocs>;

const URL = '/json/realms/root/realms/:realm/users/:user/uma/policies/:policyId';
const crest = { errorStyle: 'crest' } as const;

type PolicyRequest = FastifyRequest<{ Params: { realm: string; user: string; policyId: string } }>;

/** CREST preconditions: `If-None-Match: *` creates, `If-Match: *|rev` updates, neither creates or updates. */
function writeMode(request: FastifyRequest): { mode: PolicyWriteMode; expectedRev: string | null } {
  const ifMatch = singleHeader(request, 'if-match');
  const ifNoneMatch = singleHeader(request, 'if-none-match');
  if (ifMatch !== undefined && ifNoneMatch !== undefined) throw fail('invalid_request', 'Send If-Match or If-None-Match, not both.');
  if (ifNoneMatch !== undefined) {
    if (ifNoneMatch !== '*') throw fail('invalid_request', 'If-None-Match must be * when creating a policy.');
    return { mode: 'create', expectedRev: null };
  }
  if (ifMatch === undefined) return { mode: 'upsert', expectedRev: null };
  return { mode: 'update', expectedRev: ifMatchRevision(ifMatch) };
}

function noStore(reply: FastifyReply, rev?: string): FastifyReply {
  reply.header('cache-control', 'no-store');
  if (rev !== undefined) reply.header('etag', `"${rev}"`);
  return reply;
}

export function ownerPolicyRoutes(app: FastifyInstance, deps: Deps): void {
  ownerPolicyQueryRoutes(app, deps);
  app.get(URL, { config: { ...crest, docs: DOCS.read } }, async (request: PolicyRequest, reply) => {
    const { realm, owner } = await ownerOf(deps, request, 'read', request.params.policyId);
    const view = await readPolicy(deps, { realm, owner, resourceId: request.params.policyId });
    noStore(reply, view.policy.rev);
    return policyRepresentation(view);
  });

  // Writes identify the caller before the body is read (http/owner-request).
  const onRequest = ownerSessionFirst(deps);
  app.put(URL, { onRequest, config: { ...crest, docs: DOCS.write } }, async (request: PolicyRequest, reply) => {
    const { realm, owner } = await ownerOf(deps, request, 'write', request.params.policyId);
    const { mode, expectedRev } = writeMode(request);
    const body = parsePolicyBody(ownerJsonBody(request));
    const result = await sharePolicy(deps, { realm, owner, resourceId: request.params.policyId, body, mode, expectedRev });
    noStore(reply, result.policy.rev);
    if (result.created) return reply.code(201).send({ _id: result.policy.id, _rev: result.policy.rev });
    return policyRepresentation(result);
  });

  app.delete(URL, { onRequest, config: { ...crest, docs: DOCS.delete } }, async (request: PolicyRequest, reply) => {
    const { realm, owner } = await ownerOf(deps, request, 'delete', request.params.policyId);
    await deletePolicy(deps, { realm, owner, resourceId: request.params.policyId });
    noStore(reply);
    return {};
  });

  app.route({
    method: ['POST', 'PATCH', 'OPTIONS'],
    url: URL,
    config: { ...crest, docs: DOCS.otherMethods },
    handler: async (request) => {
      throw fail('unsupported_method_type', `Method ${request.method} is not supported on a UMA policy.`);
    },
  });
}
