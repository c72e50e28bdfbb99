/**
 * @module wire/token
 * Schemas of the OAuth endpoints' forms and answers (token, revocation, introspection, userinfo), for
 * the API reference. Documentation only: the endpoints parse forms with http/form.ts.
 */
import Type, { type TProperties } from 'typebox';
import {
  CLAIM_TOKEN_FORMATS,
  CLIENT_CREDENTIALS_DEFAULT_SCOPE,
  REVOCATION_TOKEN_TYPE_HINTS,
  TOKEN_SCOPES,
  UMA_GRANT_TYPE,
  USER_GRANT_DEFAULT_SCOPE,
} from '@steward/core';

const code = (values: readonly string[]) => values.map((v) => `\`${v}\``).join(', ');

/** Client authentication members of a form (client_secret_post, or a public client's id). */
const CLIENT_MEMBERS = {
  client_id: Type.Optional(Type.String({ description: 'The client: required without Basic authentication; with it, must name the same client.' })),
  client_secret: Type.Optional(Type.String({ description: '`client_secret_post`: the client secret. Not together with Basic authentication.' })),
};

function grantForm(id: string, grantType: string, description: string, members: TProperties) {
  return Type.Object({ grant_type: Type.Literal(grantType), ...members, ...CLIENT_MEMBERS }, { $id: id, description });
}

const oauthScope = (fallback: string) =>
  Type.Optional(Type.String({ description: `Space-separated scopes among ${code(TOKEN_SCOPES)}; default \`${fallback}\`.` }));

export const ClientCredentialsGrantSchema = grantForm('ClientCredentialsGrant', 'client_credentials', 'A confidential client\'s own token (RFC 6749 §4.4), typically a PAT for the resources it owns. No refresh token.', {
  scope: oauthScope(CLIENT_CREDENTIALS_DEFAULT_SCOPE),
});

export const PasswordGrantSchema = grantForm('PasswordGrant', 'password', 'A user\'s tokens from their credentials (RFC 6749 §4.3), for clients allowed this grant. With `openid`, also an ID token.', {
  username: Type.String(),
  password: Type.String(),
  scope: oauthScope(USER_GRANT_DEFAULT_SCOPE),
});

export const RefreshTokenGrantSchema = grantForm('RefreshTokenGrant', 'refresh_token', 'New tokens for a refresh token (RFC 6749 §6), which is rotated: presenting a used one revokes the whole grant. A refresh token issued with an RPT refreshes the RPT (UMA Grant §3.6).', {
  refresh_token: Type.String(),
  scope: Type.Optional(Type.String({ description: 'Narrows: OAuth scopes of an access token (a subset of those granted), or resource scopes kept in each permission of an RPT.' })),
});

export const AuthorizationCodeGrantSchema = grantForm('AuthorizationCodeGrant', 'authorization_code', 'Trades an authorization code (single use; a replay revokes what it issued) for tokens (RFC 6749 §4.1.3, RFC 7636).', {
  code: Type.String(),
  redirect_uri: Type.Optional(Type.String({ description: 'Required, and identical, when the authorization request carried one.' })),
  code_verifier: Type.Optional(Type.String({ description: 'PKCE verifier (43 to 128 unreserved characters); required when the authorization request had a `code_challenge`.' })),
});

export const UmaTicketGrantSchema = grantForm('UmaTicketGrant', UMA_GRANT_TYPE, 'The UMA grant (UMA Grant §3.3.1): trades a permission ticket for an RPT. The ticket is spent by the attempt whatever its outcome; `need_info` and `request_submitted` carry a successor ticket.', {
  ticket: Type.Optional(Type.String({ description: 'The permission ticket from the resource server\'s challenge, or a successor ticket. Without it: Keycloak\'s ticketless grant (`audience` and `permission` required).' })),
  audience: Type.Optional(Type.String({ description: 'Keycloak, ticketless: the resource server\'s client id.' })),
  permission: Type.Optional(Type.Array(Type.String(), { description: 'Keycloak, ticketless, repeatable: `RES` or `RES#S1,S2` (a resource id, or the name of a resource the requesting party or the resource server owns; shared resources are named by id).' })),
  subject_token: Type.Optional(Type.String({ description: 'Keycloak, ticketless: the user\'s access token (confidential clients), issued to this client or naming it in `aud`.' })),
  response_mode: Type.Optional(Type.Union([Type.Literal('permissions'), Type.Literal('decision')], { description: 'Keycloak, ticketless: a permission list or `{"result": true}` instead of an RPT.' })),
  response_include_resource_name: Type.Optional(Type.Boolean()),
  response_permissions_limit: Type.Optional(Type.Integer()),
  submit_request: Type.Optional(Type.Boolean({ description: 'Keycloak: `true` records an access request for the owner when refused (in realms that record them), `false` refuses with `request_denied` without recording. Absent: with a ticket, the realm decides; ticketless, `false`.' })),
  permission_resource_format: Type.Optional(Type.Union([Type.Literal('id'), Type.Literal('uri')])),
  permission_resource_matching_uri: Type.Optional(Type.Boolean()),
  claim_token: Type.Optional(Type.String({ description: 'An ID token this realm issued to the client, identifying the requesting party. Sent with `claim_token_format`.' })),
  claim_token_format: Type.Optional(Type.String({ description: `One of ${code(CLAIM_TOKEN_FORMATS)}. Sent with \`claim_token\`.` })),
  pct: Type.Optional(Type.String({ description: 'A persisted claims token from an earlier RPT response, in place of a claim token.' })),
  rpt: Type.Optional(Type.String({ description: 'An RPT of this client to upgrade (expired ones too): its still-valid permissions are added to the new RPT. `invalid_grant` when it is revoked (or already upgraded) or expired and purged ("The rpt was revoked or has expired": ask again without it), or not this client\'s RPT.' })),
  scope: Type.Optional(Type.String({ description: 'Space-separated resource scopes to ask for; each must be offered by a resource of the ticket and registered for the client.' })),
});

/** Exactly one form per `grant_type` (a JSON Schema `oneOf`: the `grant_type` constants exclude each other). */
export const TokenRequestSchema = {
  oneOf: [ClientCredentialsGrantSchema, PasswordGrantSchema, RefreshTokenGrantSchema, AuthorizationCodeGrantSchema, UmaTicketGrantSchema],
  description: 'One form per `grant_type`. A repeated parameter is `invalid_request`.',
} as const;

export const TokenResponseSchema = Type.Object(
  {
    access_token: Type.String({ description: 'A signed JWT.' }),
    token_type: Type.Literal('Bearer'),
    expires_in: Type.Integer({ description: 'Seconds until the access token expires.' }),
    scope: Type.Optional(Type.String({ description: 'The granted OAuth scopes.' })),
    refresh_token: Type.Optional(Type.String({ description: 'User grants of clients allowed `refresh_token`.' })),
    id_token: Type.Optional(Type.String({ description: 'With scope `openid` (password and authorization_code grants).' })),
  },
  { $id: 'TokenResponse', additionalProperties: false, description: 'Token response (RFC 6749 §5.1).' },
);

export const RptResponseSchema = Type.Object(
  {
    access_token: Type.String({ description: 'The RPT, a signed JWT carrying `permissions`.' }),
    token_type: Type.Literal('Bearer'),
    expires_in: Type.Integer(),
    refresh_token: Type.Optional(Type.String({ description: 'When the requesting party is a user and the client is set to receive RPT refresh tokens.' })),
    pct: Type.Optional(Type.String({ description: 'Persisted claims token, when the requesting party is a user.' })),
    upgraded: Type.Optional(Type.Boolean({ description: 'With an `rpt` presented: true when all its permissions were kept. Keycloak\'s ticketless grant always sends `false`, as Keycloak does; otherwise absent.' })),
  },
  { $id: 'RptResponse', additionalProperties: false, description: 'UMA grant response (UMA Grant §3.3.5). Never `scope`: resource scopes are opaque to the client.' },
);

export const RevocationRequestSchema = Type.Object(
  {
    token: Type.String({ description: 'An access token, RPT, refresh token or PCT issued to the calling client. Revoking a refresh token revokes its whole grant.' }),
    token_type_hint: Type.Optional(Type.String({ description: `One of ${code(REVOCATION_TOKEN_TYPE_HINTS)}; checked but not relied on.` })),
    ...CLIENT_MEMBERS,
  },
  { $id: 'RevocationRequest' },
);

export const IntrospectionRequestSchema = Type.Object(
  {
    token: Type.String({ description: 'The token to introspect.' }),
    token_type_hint: Type.Optional(Type.String({ description: 'Ignored.' })),
    ...CLIENT_MEMBERS,
  },
  { $id: 'IntrospectionRequest' },
);

export const IntrospectionResponseSchema = Type.Object(
  {
    active: Type.Boolean({ description: 'False (and nothing else) for an unknown, expired or revoked token, and for an RPT without permissions on the caller\'s resources.' }),
    permissions: Type.Optional(
      Type.Array(
        Type.Object({ resource_id: Type.String(), resource_scopes: Type.Array(Type.String()), exp: Type.Optional(Type.Integer()) }),
        { description: 'RPTs: the unexpired permissions on the calling resource server\'s resources.' },
      ),
    ),
    scope: Type.Optional(Type.String({ description: 'Access tokens: the OAuth scopes. Never for an RPT.' })),
    client_id: Type.Optional(Type.String()),
    sub: Type.Optional(Type.String()),
    exp: Type.Optional(Type.Integer()),
    iat: Type.Optional(Type.Integer()),
    jti: Type.Optional(Type.String({ description: 'JWTs only (access tokens and RPTs), as are `iss`, `aud`, `azp`, `token_type` and `username`.' })),
    iss: Type.Optional(Type.String()),
    aud: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())], { description: 'The token\'s `aud`: the client for an access token; for an RPT the resource servers whose resources it holds permissions on (RFC 9068 §3), one as a string, several as an array.' })),
    azp: Type.Optional(Type.String({ description: 'The client the token was issued to (for an RPT, the requesting client).' })),
    token_type: Type.Optional(Type.Literal('Bearer')),
    username: Type.Optional(Type.String({ description: 'The user\'s username (the JWT\'s `preferred_username`): the resource owner of an access token or PAT, the requesting party of an RPT; absent when the subject is a client.' })),
  },
  { $id: 'IntrospectionResponse', additionalProperties: false, description: 'RFC 7662 §2.2, with UMA permissions (Fed Authz §5.1.1).' },
);

export const UserinfoSchema = Type.Object(
  {
    sub: Type.String(),
    preferred_username: Type.String(),
    email: Type.Optional(Type.String({ description: 'With scope `email`, when the user has one.' })),
  },
  { $id: 'Userinfo', additionalProperties: false },
);
