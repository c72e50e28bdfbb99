/**
 * @module wire/metadata
 * Schemas of the public documents (discovery metadata, JWKS, health), for the API reference.
 */
import Type from 'typebox';

const url = (description: string) => Type.String({ description });
const list = (description: string) => Type.Array(Type.String(), { description });

export const RealmMetadataSchema = Type.Object(
  {
    issuer: url('`{base}/realms/{realm}`; exactly the `iss` of every token of the realm.'),
    authorization_endpoint: url('…/protocol/openid-connect/auth'),
    token_endpoint: url('…/protocol/openid-connect/token'),
    introspection_endpoint: url('…/protocol/openid-connect/token/introspect'),
    revocation_endpoint: url('…/protocol/openid-connect/revoke'),
    userinfo_endpoint: url('…/protocol/openid-connect/userinfo'),
    end_session_endpoint: url('…/protocol/openid-connect/logout'),
    jwks_uri: url('…/protocol/openid-connect/certs'),
    resource_registration_endpoint: url('…/authz/protection/resource_set (UMA Fed Authz §2)'),
    permission_endpoint: url('…/authz/protection/permission'),
    revocation_events_endpoint: url('…/authz/protection/events: revoked RPTs pushed to their resource servers (Server-Sent Events of signed SETs; docs/revocation.md).'),
    policy_endpoint: url('…/authz/protection/uma-policy: the owner\'s sharing policies in Keycloak\'s Protection API shape (see docs/keycloak.md).'),
    access_report_endpoint: url('…/authz/protection/access: Steward\'s access reports, for the owner\'s audit history (docs/events.md).'),
    owner_policies_endpoint: url('The owner policies API (CREST), with a literal `{user}` placeholder.'),
    claims_interaction_endpoint: url('…/uma/claims (UMA Grant §2)'),
    grant_types_supported: list('Includes the UMA grant.'),
    response_types_supported: list('`code`'),
    response_modes_supported: list('`query`'),
    subject_types_supported: list('`public`'),
    id_token_signing_alg_values_supported: list('`ES256`, `RS256`'),
    scopes_supported: list('OAuth scopes of the token endpoint.'),
    claims_supported: list('Claims of ID tokens and userinfo.'),
    token_endpoint_auth_methods_supported: list('`client_secret_basic`, `client_secret_post`, `none`'),
    introspection_endpoint_auth_methods_supported: list('Client authentication, or a PAT (`bearer`).'),
    revocation_endpoint_auth_methods_supported: list('`client_secret_basic`, `client_secret_post`, `none`'),
    code_challenge_methods_supported: list('`S256` only.'),
    uma_profiles_supported: list('The claim token formats the UMA grant accepts.'),
  },
  {
    $id: 'RealmMetadata',
    additionalProperties: false,
    description: 'Authorization server metadata (RFC 8414), OpenID Provider metadata and UMA 2.0 discovery in one document.',
  },
);

export const JwksSchema = Type.Object(
  {
    keys: Type.Array(Type.Object({ kty: Type.String(), kid: Type.String(), alg: Type.String(), use: Type.Optional(Type.String()) }), {
      description: 'Public keys (ES256 and RS256; old keys stay listed while tokens they signed may be live).',
    }),
  },
  { $id: 'Jwks', description: 'JSON Web Key Set (RFC 7517 §5).' },
);

export const HealthSchema = Type.Object(
  {
    status: Type.Union([Type.Literal('UP'), Type.Literal('DOWN')]),
    checks: Type.Optional(Type.Array(Type.Object({ name: Type.String(), status: Type.String() }), { description: 'When down: what failed.' })),
  },
  { $id: 'Health', additionalProperties: false },
);
