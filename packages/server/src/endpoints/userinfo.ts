/** @module endpoints/userinfo — `GET|POST /realms/{realm}/protocol/openid-connect/userinfo` (OIDC Core §5.3). */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { StewardError, userinfoClaims } from '@steward/core';
import type { Deps } from '../deps.ts';
import { requireBearer } from '../http/bearer.ts';
import { loadRealm } from '../http/realm.ts';

export function userinfoRoutes(app: FastifyInstance, deps: Deps): void {
  async function userinfo(request: FastifyRequest<{ Params: { realm: string } }>, reply: FastifyReply) {
    reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    const realm = await loadRealm(deps, request.params.realm);
    const active = await requireBearer(deps, realm, request, reply);
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
  app.get<{ Params: { realm: string } }>('/realms/:realm/protocol/openid-connect/userinfo', userinfo);
  app.post<{ Params: { realm: string } }>('/realms/:realm/protocol/openid-connect/userinfo', userinfo);
}
