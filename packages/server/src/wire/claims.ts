/**
 * @module wire/claims
 * The claims interaction endpoint's parameters and route docs (UMA Grant §3.3.2, §3.3.3), for the API
 * reference. Documentation only: endpoints/claims.ts parses and validates.
 */
import Type from 'typebox';
import type { RouteDocs } from '../http/route-docs.ts';

const CLAIMS_PARAMS = {
  client_id: Type.String({ description: 'The client. Unknown, disabled or repeated: an error page, never a redirect.' }),
  ticket: Type.String({ description: 'The most recent permission ticket (from `need_info`). Read, not spent, until the user answers.' }),
  claims_redirect_uri: Type.Optional(
    Type.String({ description: 'Exactly one of the client\'s registered claims redirect URIs (simple string comparison; its ordinary redirect URIs do not count); may be left out when it has only one. Wrong: an error page, never a redirect.' }),
  ),
  state: Type.Optional(Type.String({ maxLength: 2048, description: 'Returned unchanged with the answer.' })),
};

export const ClaimsQuerySchema = Type.Object(CLAIMS_PARAMS);

export const ClaimsFormSchema = Type.Object(
  {
    ...CLAIMS_PARAMS,
    csrf: Type.String({ description: 'The page\'s hidden token, matched against its cookie (`steward_claims_csrf_<realm>`, HttpOnly, SameSite=Strict, this path only).' }),
    action: Type.Union([Type.Literal('signin'), Type.Literal('allow'), Type.Literal('deny')], { description: 'The button pressed: sign in, confirm, or cancel/refuse.' }),
    username: Type.Optional(Type.String({ description: 'With `action=signin`.' })),
    password: Type.Optional(Type.String({ description: 'With `action=signin`.' })),
    remember: Type.Optional(Type.Literal('yes', { description: 'With `action=allow`: the user agrees to be remembered, so the grant returns a PCT.' })),
  },
  { description: 'The request parameters again (the page\'s hidden fields, validated again) and the form\'s own.' },
);

const ERROR_REDIRECT = 'Once the client and its claims redirect URI are valid, every other error (a missing, unknown, expired or spent `ticket`, a repeated parameter, a client without the UMA grant) is sent there as `error` and `error_description` (RFC 6749 §4.1.2.1), with `state`.';

export const CLAIMS_DOCS: RouteDocs = {
  summary: 'Claims interaction',
  description: `Where a \`need_info\` answer's \`redirect_user\` (and discovery's \`claims_interaction_endpoint\`) sends the requesting party's browser (UMA Grant §3.3.2). Shows a sign-in page naming the client only, or, when the browser is signed in to the realm, a page asking the user to confirm who she is to the client for the owner's resources (the owner's username, the resources and scopes asked for are shown only then), with an option to be remembered (a PCT). Sets the CSRF cookie. ${ERROR_REDIRECT}`,
  tags: ['Browser'],
  operationId: 'claimsInteraction',
  auth: 'browser',
  query: ClaimsQuerySchema,
  responses: {
    '200': { description: 'The sign-in page, or the consent page (sets the CSRF cookie).', contentType: 'text/html' },
    '302': { description: 'An error for the client.', headers: { Location: 'the claims redirect URI with `error`, `error_description`, `state`' } },
  },
  errors: ['invalid_request', 'not_found'],
  errorFormat: 'html',
};

export const CLAIMS_SUBMIT_DOCS: RouteDocs = {
  summary: 'Submit the claims pages',
  description: `The pages' forms. A missing or wrong CSRF token is a 403 page and nothing is read or spent. \`action=signin\` checks the password (wrong: the page again with 401), sets the session cookie and redirects to the consent page. \`action=allow\` (signed in) spends the ticket and sends the browser to the claims redirect URI with a new \`ticket\` that identifies the user as the requesting party (UMA Grant §3.3.3), \`authorization_state=claims_submitted\` and \`state\`; with \`remember=yes\` the grant with that ticket also returns a PCT. \`action=deny\` spends the ticket and sends \`error=access_denied\`. An answer clears the CSRF cookie, so the form cannot be posted twice. ${ERROR_REDIRECT}`,
  tags: ['Browser'],
  operationId: 'claimsSubmit',
  auth: 'browser',
  body: { contentType: 'application/x-www-form-urlencoded', schema: ClaimsFormSchema },
  responses: {
    '303': {
      description: 'After signing in: the consent page. After an answer: the client.',
      headers: { Location: '`claims` again (after signing in), or the claims redirect URI with `ticket`, `authorization_state` and `state`, or with `error`', 'Set-Cookie': 'the session cookie after signing in; the cleared CSRF cookie after an answer' },
    },
  },
  errors: ['invalid_request', 'login_required', 'forbidden', 'too_many_requests', 'not_found'],
  errorFormat: 'html',
};
