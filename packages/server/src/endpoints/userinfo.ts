/** @module endpoints/userinfo — `GET|POST /realms/{realm}/protocol/openid-connect/userinfo` (OIDC Core §5.3). */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { StewardError, userinfoClaims } from '@steward/core';
import type { Deps } from '../deps.ts';
import { authenticateFirst } from '../http/authenticate-first.ts';
import { requireBearer } from '../http/bearer.ts';
import { loadRealm } from '../http/realm.ts';
import type { RouteDocs } from '../http/route-docs.ts';
import { UserinfoSchema } from '../wire/token.ts';

const DOCS: RouteDocs = {
  summary: 'UserInfo',
  description:
    'Claims about the user an access token was issued for (OIDC Core §5.3); GET and POST behave alike. The token needs scope `openid`; `email` only with scope `email`. A client\'s own token or an RPT is `invalid_token`. Failures carry a `WWW-Authenticate: Bearer` challenge naming the error.',
  tags: ['OAuth and UMA tokens'],
  operationId: 'userinfo',
  auth: 'bearer',
  responses: { '200': { description: 'The user\'s claims (`Cache-Control: no-store`).', schema: UserinfoSchema } },
  errors: ['invalid_token', 'insufficient_scope', 'not_found'],
};

export function userinfoRoutes(app: FastifyInstance, deps: Deps): void {
  // The token is checked before a POST's body is read (RFC 6750 §3.1).
  const bearer = authenticateFirst(async (request: FastifyRequest<{ Params: { realm: string } }>, reply: FastifyReply) => {
    reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    const realm = await loadRealm(deps, request.params.realm);
    return { realm, active: await requireBearer(deps, realm, request, reply) };
  });
  async function userinfo(request: FastifyRequest<{ Params: { realm: string } }>, reply: FastifyReply) {
    const { realm, active } = await bearer.callerOf(request, reply);
    try {
      return await userinfoClaims(deps, { realm: realm.id, token: active.record });
    } catch (e) {
      // RFC 6750 §3: the challenge names the error.
      if (e instanceof StewardError && e.code === 'insufficient_scope') {
        reply.header('www-authenticate', `Bearer realm="${realm.id}", error="insufficient_scope", scope="openid"`);
      } else if (e instanceof StewardError && e.code === 'invalid_token') {
        reply.header('www-authenticate', `Bearer realm="${realm.id}", error="invalid_token"`);
      }
      throw e;
    }
  }
  app.get<{ Params: { realm: string } }>('/realms/:realm/protocol/openid-connect/userinfo', { onRequest: bearer.onRequest, config: { docs: DOCS } }, userinfo);
  app.post<{ Params: { realm: string } }>('/realms/:realm/protocol/openid-connect/userinfo', { onRequest: bearer.onRequest, config: { docs: DOCS } }, userinfo);
}
