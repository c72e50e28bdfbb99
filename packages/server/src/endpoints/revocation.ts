/** @module endpoints/revocation — `POST /realms/{realm}/protocol/openid-connect/revoke` (RFC 7009; UMA Grant §3.7). */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { fail, revokeToken } from '@steward/core';
import type { Deps } from '../deps.ts';
import { authenticateClient } from '../http/client-auth.ts';
import { authenticateFirst } from '../http/authenticate-first.ts';
import { Form, formMayCarryCredentials, formOf } from '../http/form.ts';
import { loadRealm } from '../http/realm.ts';
import type { RouteDocs } from '../http/route-docs.ts';
import { RevocationRequestSchema } from '../wire/token.ts';
import { refuseOtherMethods } from '../http/post-only.ts';

const DOCS: RouteDocs = {
  summary: 'Revoke a token',
  description:
    'Revokes a token issued to the calling client (RFC 7009, UMA Grant §3.7): an access token, an RPT or a PCT alone; a refresh token with its whole grant. Unknown and already revoked tokens answer 200 as well. A token of another client is `unauthorized_client` and is not revoked.',
  tags: ['OAuth and UMA tokens'],
  operationId: 'revoke',
  auth: 'client',
  body: { contentType: 'application/x-www-form-urlencoded', schema: RevocationRequestSchema },
  responses: { '200': { description: 'Revoked, or nothing to revoke. Empty body.' } },
  errors: ['invalid_request', 'invalid_client', 'unauthorized_client', 'unsupported_token_type', 'not_found'],
};

export function revocationRoutes(app: FastifyInstance, deps: Deps): void {
  // The client is authenticated before any other parameter is looked at (missing or bad credentials
  // are 401 whatever the body); a body that cannot hold credentials is not even read first.
  const caller = authenticateFirst(
    async (request: FastifyRequest<{ Params: { realm: string } }>, reply: FastifyReply) => {
      reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
      const realm = await loadRealm(deps, request.params.realm);
      const { client } = await authenticateClient(deps, realm, request, reply, request.body instanceof Form ? request.body : new Form(''));
      return { realm, client };
    },
    { inBody: (request) => formMayCarryCredentials(request.headers['content-type']) },
  );
  app.post<{ Params: { realm: string } }>('/realms/:realm/protocol/openid-connect/revoke', { onRequest: caller.onRequest, config: { docs: DOCS } }, async function revoke(request, reply) {
    const { realm, client } = await caller.callerOf(request, reply);
    const form = formOf(request.body);
    form.rejectDuplicates(['token', 'token_type_hint', 'client_id', 'client_secret']);
    const token = form.get('token');
    if (token === undefined) throw fail('invalid_request', 'token is required');
    await revokeToken(deps, { realm: realm.id, client, token, hint: form.get('token_type_hint') });
    // RFC 7009 §2.2: 200 whether or not there was anything to revoke; the body is empty.
    return reply.send();
  });
  refuseOtherMethods(app, deps, { url: '/realms/:realm/protocol/openid-connect/revoke', name: 'revocation endpoint', code: 'invalid_request', tag: 'OAuth and UMA tokens', operationId: 'revokeOtherMethods' });
}
