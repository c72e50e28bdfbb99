/**
 * @module endpoints/realm-info
 * `GET /realms/{realm}`: Keycloak's published realm representation, whose `public_key` (the RS256 key
 * that signs now, as base64 DER) older Keycloak adapters and python-keycloak verify tokens with.
 */
import { createPublicKey, type JsonWebKey } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { fail } from '@steward/core';
import type { Deps } from '../deps.ts';
import { loadRealm } from '../http/realm.ts';
import type { RouteDocs } from '../http/route-docs.ts';
import { RealmInfoSchema } from '../wire/keycloak.ts';

const DOCS: RouteDocs = {
  summary: 'Realm info (Keycloak)',
  description: 'Keycloak\'s realm representation: the RSA `public_key` that signs RS256 tokens now (base64 DER SubjectPublicKeyInfo) and the service URLs. Prefer the JWKS (`certs`), which also lists keys about to sign. CORS open.',
  tags: ['Discovery'],
  operationId: 'realmInfo',
  auth: 'none',
  responses: { '200': { description: 'The realm representation.', schema: RealmInfoSchema, headers: { 'Cache-Control': '`public, max-age=10`' } } },
  errors: ['not_found'],
};

export function realmInfoRoutes(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { realm: string } }>('/realms/:realm', { config: { docs: DOCS } }, async function realmInfo(request, reply) {
    const realm = await loadRealm(deps, request.params.realm);
    const issuer = deps.issuer(realm.id);
    reply.header('cache-control', 'public, max-age=10').header('access-control-allow-origin', '*');
    return {
      realm: realm.id,
      public_key: await signingRsaKey(deps, realm.id),
      'token-service': `${issuer}/protocol/openid-connect`,
      'account-service': `${issuer}/account`,
      'tokens-not-before': 0,
    };
  });
}

/** The published RS256 key that signs now (the newest active one), as base64 DER SPKI. */
async function signingRsaKey(deps: Deps, realm: string): Promise<string> {
  const published = new Set((await deps.keys.jwks(realm)).keys.map((k) => k.kid));
  const now = deps.clock.now();
  const { byKid } = await deps.keys.keys(realm);
  let chosen: { activeFrom: number; publicJwk: Record<string, unknown> } | undefined;
  for (const k of byKid.values()) {
    const r = k.record;
    if (r.alg === 'RS256' && r.activeFrom <= now && published.has(r.kid) && (!chosen || r.activeFrom > chosen.activeFrom)) chosen = r;
  }
  if (!chosen) throw fail('not_found', 'The realm has no RS256 key');
  const { kid: _kid, alg: _alg, use: _use, ...jwk } = chosen.publicJwk;
  return createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' }).export({ type: 'spki', format: 'der' }).toString('base64');
}
