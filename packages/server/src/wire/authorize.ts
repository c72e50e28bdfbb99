/**
 * @module wire/authorize
 * The browser endpoints' parameters and route docs (authorization with sign-in and consent, logout),
 * for the API reference. Documentation only: endpoints/authorize.ts parses and validates.
 */
import Type from 'typebox';
import { AUTHORIZATION_SCOPES, DEFAULT_AUTHORIZATION_SCOPES } from '@steward/core';
import type { RouteDocs } from '../http/route-docs.ts';

const list = (values: readonly string[]) => values.map((v) => `\`${v}\``).join(', ');

const AUTHORIZATION_PARAMS = {
  client_id: Type.String({ description: 'The client. Unknown or repeated: an error page, never a redirect.' }),
  redirect_uri: Type.Optional(Type.String({ description: 'Exactly one of the client\'s registered redirect URIs; may be left out when it has only one. Wrong: an error page, never a redirect.' })),
  response_type: Type.Literal('code'),
  scope: Type.Optional(Type.String({ description: `Space-separated, among ${list(AUTHORIZATION_SCOPES)}; default \`${DEFAULT_AUTHORIZATION_SCOPES.join(' ')}\`.` })),
  state: Type.Optional(Type.String({ maxLength: 2048, description: 'Returned unchanged with the answer.' })),
  nonce: Type.Optional(Type.String({ maxLength: 512, description: 'Put in the ID token (OIDC).' })),
  code_challenge: Type.Optional(Type.String({ description: 'PKCE: 43 base64url characters (S256 of the verifier). Required for public clients.' })),
  code_challenge_method: Type.Optional(Type.Literal('S256', { description: 'With `code_challenge`; only `S256`.' })),
};

export const AuthorizationQuerySchema = Type.Object(AUTHORIZATION_PARAMS);

export const AuthorizationFormSchema = Type.Object(
  {
    ...AUTHORIZATION_PARAMS,
    action: Type.Optional(Type.Union([Type.Literal('allow'), Type.Literal('deny')], { description: 'The button pressed. Without it, the page is shown as for GET (OIDC Core §3.1.2.1).' })),
    csrf: Type.Optional(Type.String({ description: 'With `action`: the page\'s hidden token, matched against its cookie.' })),
    username: Type.Optional(Type.String({ description: 'With `action=allow`: signs in (needed without a session; wins over an existing one).' })),
    password: Type.Optional(Type.String()),
  },
  { description: 'The authorization parameters again (the page\'s hidden fields), and the form\'s own.' },
);

const REDIRECT_QUERY = 'Redirects carry `iss`, and `state` when the request had one.';

export const AUTHORIZE_DOCS: RouteDocs = {
  summary: 'Authorization endpoint',
  description: `Starts the authorization code flow (RFC 6749 §4.1, RFC 7636, OIDC Core §3.1): checks the request and shows the sign-in and consent page. Errors about the client or its redirect URI are HTML pages; every later error (\`invalid_request\`, \`unauthorized_client\`, \`unsupported_response_type\`, \`invalid_scope\`) is sent to the redirect URI as \`error\` and \`error_description\`. ${REDIRECT_QUERY}`,
  tags: ['Browser'],
  operationId: 'authorize',
  auth: 'browser',
  query: AuthorizationQuerySchema,
  responses: {
    '200': { description: 'The sign-in and consent page (sets the CSRF cookie).', contentType: 'text/html' },
    '302': { description: 'An error for the client.', headers: { Location: 'the redirect URI with `error`, `error_description`, `state`, `iss`' } },
  },
  errors: ['invalid_request', 'not_found'],
  errorFormat: 'html',
};

export const AUTHORIZE_SUBMIT_DOCS: RouteDocs = {
  summary: 'Submit the consent page',
  description: `The page's form. \`action=allow\` signs the user in if needed and redirects to the client with a single-use \`code\`; \`action=deny\` redirects with \`error=access_denied\`. The request is validated again first; a missing or stale CSRF token is a 403 page, wrong credentials show the page again with 401. ${REDIRECT_QUERY}`,
  tags: ['Browser'],
  operationId: 'authorizeSubmit',
  auth: 'browser',
  body: { contentType: 'application/x-www-form-urlencoded', schema: AuthorizationFormSchema },
  responses: {
    '200': { description: 'Without `action`: the page, as for GET.', contentType: 'text/html' },
    '302': { description: 'Without `action`: an error for the client, as for GET.', headers: { Location: 'the redirect URI with the error' } },
    '303': { description: 'The answer for the client.', headers: { Location: 'the redirect URI with `code`, or with `error`', 'Set-Cookie': 'the session cookie, after signing in' } },
  },
  errors: ['invalid_request', 'login_required', 'forbidden', 'not_found'],
  errorFormat: 'html',
};

const LOGOUT_PARAMS = {
  client_id: Type.Optional(Type.String({ description: 'The client whose `post_logout_redirect_uri` is meant.' })),
  id_token_hint: Type.Optional(Type.String({ description: 'An ID token this realm issued (expired ones too): proof that the signed-in user\'s client asks for the logout when its `sub` is that user. Its `azp` (or sole `aud`) names the client and must agree with `client_id`.' })),
  post_logout_redirect_uri: Type.Optional(Type.String({ description: 'Followed only when it is exactly a registered redirect URI of the client.' })),
  state: Type.Optional(Type.String({ description: 'Added to the redirect.' })),
};

export const LogoutParamsSchema = Type.Object(LOGOUT_PARAMS);

export const LogoutFormSchema = Type.Object(
  {
    ...LOGOUT_PARAMS,
    csrf: Type.Optional(Type.String({ description: 'The confirmation page\'s hidden token, matched against its cookie (`steward_logout_csrf_<realm>`, HttpOnly, SameSite=Strict, this path only).' })),
  },
  { description: 'The parameters as for GET (the confirmation page sends `client_id`, `post_logout_redirect_uri` and `state` back as hidden fields; they are validated again), and the page\'s CSRF token.' },
);

export const LOGOUT_DOCS: RouteDocs = {
  summary: 'Logout',
  description:
    'RP-initiated logout (OIDC RP-Initiated Logout 1.0 §2–§3). The browser\'s session in the realm ends, and its cookie is cleared, only with proof the user wants it: an `id_token_hint` whose `sub` is the signed-in user (or any valid hint when no one is signed in), or a POST of the confirmation page with its CSRF token. Then the browser goes back to `post_logout_redirect_uri` when it is exactly a registered redirect URI of the client named by `client_id` or the hint, or sees a signed-out page. Without proof (no hint, an invalid one, or one for another user) a GET shows a confirmation page ("Sign out of …?") and the session stays; a POST without a matching CSRF token is a 403 page and the session stays. GET takes the parameters in the query, POST in an optional form body. Pages carry the browser endpoints\' security headers (`Cache-Control: no-store`, `X-Frame-Options: DENY`, a strict Content-Security-Policy) and escape every value they show.',
  tags: ['Browser'],
  operationId: 'logout',
  auth: 'browser',
  query: LogoutParamsSchema,
  queryMethods: ['GET'],
  body: { contentType: 'application/x-www-form-urlencoded', schema: LogoutFormSchema, required: false },
  responses: {
    '200': { description: 'The signed-out page, or, without proof, the confirmation page (the session is kept).', contentType: 'text/html', headers: { 'Set-Cookie': 'signed out: the cleared session cookie; confirmation page: its CSRF cookie' } },
    '302': { description: 'GET with a valid hint: back to the client.', headers: { Location: '`post_logout_redirect_uri` with `state`', 'Set-Cookie': 'the cleared session cookie' } },
    '303': { description: 'POST with a valid hint or CSRF token: back to the client.', headers: { Location: '`post_logout_redirect_uri` with `state`', 'Set-Cookie': 'the cleared session cookie' } },
  },
  errors: ['invalid_request', 'forbidden', 'not_found'],
  errorFormat: 'html',
};
