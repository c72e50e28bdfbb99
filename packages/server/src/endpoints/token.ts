/**
 * @module endpoints/token
 * The token endpoint (RFC 6749 §3.2): generic checks, then dispatch to the grant registry. Adding a
 * grant never edits this file.
 */
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { fail } from '@steward/core';
import type { Deps } from '../deps.ts';
import { authenticateClient } from '../http/client-auth.ts';
import { formOf } from '../http/form.ts';
import { loadRealm } from '../http/realm.ts';
import type { RouteDocs } from '../http/route-docs.ts';
import { RptResponseSchema, TokenRequestSchema, TokenResponseSchema } from '../wire/token.ts';
import { GRANTS } from './grants/index.ts';
import { KeycloakPermissionSchema } from '../wire/keycloak.ts';
import { refuseOtherMethods } from '../http/post-only.ts';
import { limitClient } from '../http/rate-limit.ts';

const DOCS: RouteDocs = {
  summary: 'Token endpoint',
  description:
    'Issues tokens for every grant (RFC 6749 §3.2): `client_credentials`, `password`, `refresh_token`, `authorization_code`, and the UMA grant `urn:ietf:params:oauth:grant-type:uma-ticket`, which trades a permission ticket for an RPT (UMA Grant §3.3): a JWT whose `aud` names the resource servers of its permissions (RFC 9068 §3), whose `azp` is the client and whose `preferred_username` is the requesting party\'s username when it is a user. The client must be allowed the grant type. The UMA grant refuses with `need_info` (new `ticket`, `required_claims`, `redirect_user`), `request_submitted` (new `ticket`, `interval`: the owner has been asked; poll with the new ticket) or `request_denied`. `invalid_client` carries a `WWW-Authenticate: Basic` challenge when the client used the Authorization header. Keycloak\'s ticketless form of the UMA grant (`audience`, `permission`, `response_mode`; a public client may present its user\'s token as bearer) answers a permission list, `{"result": true}` or an RPT, and refuses with `access_denied` (see docs/keycloak.md).',
  tags: ['OAuth and UMA tokens'],
  operationId: 'token',
  auth: 'client',
  body: { contentType: 'application/x-www-form-urlencoded', schema: TokenRequestSchema },
  responses: {
    '200': {
      description: 'The tokens (`Cache-Control: no-store`): a token response, or an RPT response for the UMA grant.',
      schema: Type.Union([TokenResponseSchema, RptResponseSchema, Type.Array(KeycloakPermissionSchema), Type.Object({ result: Type.Literal(true) }, { description: 'Keycloak `response_mode=decision`.' })]),
    },
  },
  errors: ['invalid_request', 'invalid_client', 'invalid_grant', 'unauthorized_client', 'unsupported_grant_type', 'invalid_scope', 'need_info', 'request_denied', 'request_submitted', 'not_found', 'access_denied', 'invalid_resource_id'],
};

export function tokenRoutes(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: { realm: string } }>('/realms/:realm/protocol/openid-connect/token', { config: { docs: DOCS } }, async function token(request, reply) {
    reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    const realm = await loadRealm(deps, request.params.realm);
    const form = formOf(request.body);
    const grantType = form.get('grant_type');
    if (!grantType) throw fail('invalid_request', 'grant_type is required');
    const grant = GRANTS.get(grantType);
    if (!grant) throw fail('unsupported_grant_type', `Unsupported grant_type ${grantType.slice(0, 100)}`);
    form.rejectDuplicates(['client_id', 'client_secret', 'scope', ...grant.parameters]);
    const { client, party } = await authenticateClient(deps, realm, request, reply, form);
    await limitClient(deps, realm.id, client.clientId);
    if (!client.grantTypes.includes(grant.grantType)) throw fail('unauthorized_client', `Client is not allowed the ${grantType} grant`);
    return grant.handle({ deps, realm, client, ...(party ? { party } : {}), form, request, reply });
  });
  refuseOtherMethods(app, deps, { url: '/realms/:realm/protocol/openid-connect/token', name: 'token endpoint', code: 'invalid_request', tag: 'OAuth and UMA tokens', operationId: 'tokenOtherMethods' });
}
