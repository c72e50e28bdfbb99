/**
 * @module endpoints/discovery
 * Authorization server metadata (RFC 8414), OpenID Provider metadata and the UMA 2.0 discovery
 * document (UMA Grant §2, Fed Authz §2), served both appended to the issuer (OIDC/UMA style) and
 * inserted before the issuer path (RFC 8414 §3).
 */
import type { FastifyInstance } from 'fastify';
import { CLAIM_TOKEN_FORMATS, TOKEN_SCOPES, UMA_GRANT_TYPE } from '@steward/core';
import type { Deps } from '../deps.ts';
import { loadRealm } from '../http/realm.ts';
import type { RouteDocs } from '../http/route-docs.ts';
import { RealmMetadataSchema } from '../wire/metadata.ts';

/** One entry per document name; each is served at two paths with the same body. */
function metadataDocs(doc: string, summary: string, operationId: string): RouteDocs {
  return {
    summary,
    description: `The realm's metadata, identical under all three document names. Served appended to the issuer (\`/realms/{realm}/.well-known/${doc}\`) and in the RFC 8414 §3 inserted form (\`/.well-known/${doc}/realms/{realm}\`). Not cached (\`Cache-Control: no-store\`); CORS open (\`Access-Control-Allow-Origin: *\`).`,
    tags: ['Discovery'],
    operationId,
    auth: 'none',
    responses: { '200': { description: 'The metadata document.', schema: RealmMetadataSchema } },
    errors: ['not_found'],
  };
}

const DOCS: Record<string, RouteDocs> = {
  'uma2-configuration': metadataDocs('uma2-configuration', 'UMA 2.0 discovery', 'umaConfiguration'),
  'openid-configuration': metadataDocs('openid-configuration', 'OpenID Provider metadata', 'openidConfiguration'),
  'oauth-authorization-server': metadataDocs('oauth-authorization-server', 'OAuth authorization server metadata', 'oauthAuthorizationServer'),
};

export function realmMetadata(deps: Deps, realm: string): Record<string, unknown> {
  const issuer = deps.issuer(realm);
  const oidc = `${issuer}/protocol/openid-connect`;
  return {
    issuer,
    authorization_endpoint: `${oidc}/auth`,
    token_endpoint: `${oidc}/token`,
    introspection_endpoint: `${oidc}/token/introspect`,
    revocation_endpoint: `${oidc}/revoke`,
    userinfo_endpoint: `${oidc}/userinfo`,
    end_session_endpoint: `${oidc}/logout`,
    jwks_uri: `${oidc}/certs`,
    resource_registration_endpoint: `${issuer}/authz/protection/resource_set`,
    permission_endpoint: `${issuer}/authz/protection/permission`,
    revocation_events_endpoint: `${issuer}/authz/protection/events`,
    // Keycloak's name for its owner policy API (python-keycloak reads it); the CREST API has its own member.
    policy_endpoint: `${issuer}/authz/protection/uma-policy`,
    access_report_endpoint: `${issuer}/authz/protection/access`,
    owner_policies_endpoint: `${deps.config.baseUrl}/json/realms/root/realms/${realm}/users/{user}/uma/policies`,
    claims_interaction_endpoint: `${issuer}/uma/claims`,
    grant_types_supported: ['authorization_code', 'client_credentials', 'refresh_token', 'password', UMA_GRANT_TYPE],
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['ES256', 'RS256'],
    scopes_supported: [...TOKEN_SCOPES],
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'preferred_username', 'email'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'bearer'],
    revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    code_challenge_methods_supported: ['S256'],
    uma_profiles_supported: [...CLAIM_TOKEN_FORMATS],
  };
}

const NO_CACHE = 'no-cache, must-revalidate, no-transform, no-store';

export function discoveryRoutes(app: FastifyInstance, deps: Deps): void {
  const serve = (path: string, docs: RouteDocs | undefined) =>
    app.get<{ Params: { realm: string } }>(path, { config: { docs } }, async (request, reply) => {
      const realm = await loadRealm(deps, request.params.realm);
      reply.header('cache-control', NO_CACHE).header('access-control-allow-origin', '*');
      return realmMetadata(deps, realm.id);
    });
  for (const doc of ['uma2-configuration', 'openid-configuration', 'oauth-authorization-server']) {
    serve(`/realms/:realm/.well-known/${doc}`, DOCS[doc]);
    serve(`/.well-known/${doc}/realms/:realm`, DOCS[doc]);
  }
}
