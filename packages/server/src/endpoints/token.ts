/**
 * @module endpoints/token
 * The token endpoint (RFC 6749 §3.2): generic checks, then dispatch to the grant registry. Adding a
 * grant never edits this file.
 */
import type { FastifyInstance } from 'fastify';
import { fail } from '@steward/core';
import type { Deps } from '../deps.ts';
import { authenticateClient } from '../http/client-auth.ts';
import { formOf } from '../http/form.ts';
import { loadRealm } from '../http/realm.ts';
import { GRANTS } from './grants/index.ts';

export function tokenRoutes(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: { realm: string } }>('/realms/:realm/protocol/openid-connect/token', async function token(request, reply) {
    reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    const realm = await loadRealm(deps, request.params.realm);
    const form = formOf(request.body);
    const grantType = form.get('grant_type');
    if (!grantType) throw fail('invalid_request', 'grant_type is required');
    const grant = GRANTS.get(grantType);
    if (!grant) throw fail('unsupported_grant_type', `Unsupported grant_type ${grantType.slice(0, 100)}`);
    form.rejectDuplicates(['client_id', 'client_secret', 'scope', ...grant.parameters]);
    const client = await authenticateClient(deps, realm, request, reply, form);
    if (!client.grantTypes.includes(grant.grantType)) throw fail('unauthorized_client', `Client is not allowed the ${grantType} grant`);
    return grant.handle({ deps, realm, client, form, request, reply });
  });
  app.route({
    method: ['GET', 'PUT', 'DELETE', 'PATCH'],
    url: '/realms/:realm/protocol/openid-connect/token',
    handler: async () => {
      throw fail('invalid_request', 'The token endpoint accepts POST only');
    },
  });
}
