/** @module endpoints/revocation — `POST /realms/{realm}/protocol/openid-connect/revoke` (RFC 7009; UMA Grant §3.7). */
import type { FastifyInstance } from 'fastify';
import { fail, revokeToken } from '@steward/core';
import type { Deps } from '../deps.ts';
import { authenticateClient } from '../http/client-auth.ts';
import { formOf } from '../http/form.ts';
import { loadRealm } from '../http/realm.ts';

export function revocationRoutes(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: { realm: string } }>('/realms/:realm/protocol/openid-connect/revoke', async function revoke(request, reply) {
    reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    const realm = await loadRealm(deps, request.params.realm);
    const form = formOf(request.body);
    form.rejectDuplicates(['token', 'token_type_hint', 'client_id', 'client_secret']);
    const client = await authenticateClient(deps, realm, request, reply, form);
    const token = form.get('token');
    if (token === undefined) throw fail('invalid_request', 'token is required');
    await revokeToken(deps, { realm: realm.id, client, token, hint: form.get('token_type_hint') });
    // RFC 7009 §2.2: 200 whether or not there was anything to revoke; the body is empty.
    return reply.send();
  });
  app.route({
    method: ['GET', 'PUT', 'DELETE', 'PATCH'],
    url: '/realms/:realm/protocol/openid-connect/revoke',
    handler: async () => {
      throw fail('invalid_request', 'The revocation endpoint accepts POST only');
    },
  });
}
