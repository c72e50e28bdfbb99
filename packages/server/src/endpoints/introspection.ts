/**
 * @module endpoints/introspection
 * Token introspection (RFC 7662, Fed Authz §5) at `/realms/{realm}/protocol/openid-connect/token/introspect`.
 * The caller is a resource server with a PAT, or a confidential client. An active RPT answers with the
 * permissions on the caller's resources and never `scope`; anything not active answers `{"active":false}`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { fail, introspectToken, isPublicClient, wirePermissions, type Introspection } from '@steward/core';
import type { Deps } from '../deps.ts';
import { requirePat } from '../http/bearer.ts';
import { authenticateClient } from '../http/client-auth.ts';
import { authenticateFirst } from '../http/authenticate-first.ts';
import { Form, formMayCarryCredentials, formOf } from '../http/form.ts';
import { loadRealm } from '../http/realm.ts';
import type { RouteDocs } from '../http/route-docs.ts';
import { IntrospectionRequestSchema, IntrospectionResponseSchema } from '../wire/token.ts';
import { refuseOtherMethods } from '../http/post-only.ts';

const DOCS: RouteDocs = {
  summary: 'Introspect a token',
  description:
    'Token introspection (RFC 7662, Fed Authz §5). The caller is a resource server with a PAT, or a confidential client (Basic or posted credentials; public clients are `invalid_client`). The caller is authenticated before the body is read. An RPT is active for the caller only through its unexpired permissions on the caller\'s resources, which it lists (never `scope`); refresh tokens and PCTs only for the client they were issued to. Anything not active answers `{"active":false}`.',
  tags: ['Protection API'],
  operationId: 'introspect',
  auth: ['PAT', 'client'],
  body: { contentType: 'application/x-www-form-urlencoded', schema: IntrospectionRequestSchema },
  responses: { '200': { description: 'The token\'s state (`Cache-Control: no-store`).', schema: IntrospectionResponseSchema } },
  errors: ['invalid_request', 'invalid_client', 'invalid_token', 'insufficient_scope', 'not_found'],
};

const URL_PATH = '/realms/:realm/protocol/openid-connect/token/introspect';

/** Basic credentials or a posted `client_id` mean client authentication; anything else is the PAT path. */
function authenticatesAsClient(request: FastifyRequest, form: Form): boolean {
  const header = request.headers.authorization;
  return header ? /^basic\s/i.test(header) : form.has('client_id');
}

/** The RFC 7662 §2.2 response for an active token. */
function activeToWire(issuer: string, result: Extract<Introspection, { active: true }>): Record<string, unknown> {
  const { record, claims, permissions } = result;
  const body: Record<string, unknown> = { active: true };
  if (record.kind === 'rpt' && permissions) body.permissions = wirePermissions(permissions);
  else if (typeof record.data.scope === 'string') body.scope = record.data.scope;
  body.client_id = record.clientId;
  body.sub = record.subject;
  body.exp = record.expiresAt;
  body.iat = record.createdAt;
  if (claims) {
    body.jti = record.id;
    body.iss = issuer;
    body.aud = claims.aud ?? record.clientId;
    body.azp = claims.azp ?? record.clientId;
    body.token_type = 'Bearer';
    if (typeof claims.preferred_username === 'string') body.username = claims.preferred_username;
  }
  return body;
}

/** `POST …/token/introspect`; other methods answer `invalid_request` like the token endpoint. */
export function introspectionRoutes(app: FastifyInstance, deps: Deps): void {
  // Authenticate before complaining about the body: an anonymous caller learns nothing but 401. A body
  // that cannot hold credentials is not even read first.
  const caller = authenticateFirst(
    async (request: FastifyRequest<{ Params: { realm: string } }>, reply: FastifyReply) => {
      const realm = await loadRealm(deps, request.params.realm);
      const posted = request.body instanceof Form ? request.body : new Form('');
      if (authenticatesAsClient(request, posted)) {
        const { client } = await authenticateClient(deps, realm, request, reply, posted);
        if (isPublicClient(client)) throw fail('invalid_client', 'Public clients may not introspect tokens');
        return { realm, caller: client.clientId };
      }
      // No credentials at all get the Protection API's bare Bearer challenge (401).
      return { realm, caller: (await requirePat(deps, realm, request, reply)).resourceServer };
    },
    { inBody: (request) => formMayCarryCredentials(request.headers['content-type']) },
  );
  app.post<{ Params: { realm: string } }>(URL_PATH, { onRequest: caller.onRequest, config: { docs: DOCS } }, async function introspect(request, reply) {
    const { realm, caller: who } = await caller.callerOf(request, reply);
    const form = formOf(request.body);
    form.rejectDuplicates(['token_type_hint']);
    const token = form.get('token');
    if (token === undefined) throw fail('invalid_request', 'token is required');
    reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    const result = await introspectToken(deps, { realm: realm.id, token, caller: who });
    return result.active ? activeToWire(deps.issuer(realm.id), result) : { active: false };
  });

  refuseOtherMethods(app, deps, { url: URL_PATH, name: 'introspection endpoint', code: 'invalid_request', tag: 'Protection API', operationId: 'introspectOtherMethods' });
}
