/**
 * @module services/authorization-request
 * Validates an authorization request (RFC 6749 §4.1.1, RFC 7636 §4.3, RFC 9700 §2.1, §4.11). The
 * client and its redirect URI are checked first: when either is wrong the caller must show an error
 * page and never redirect (no open redirector). Every later error is reported to the client by
 * redirecting to the validated redirect URI.
 */
import { fail, type StewardError } from '../errors.ts';
import { isPublicClient, type Client } from '../model/client.ts';
import type { Realm } from '../model/realm.ts';
import { CODE_CHALLENGE_PATTERN, PKCE_METHOD } from './pkce.ts';
import type { Ports } from './ports.ts';
import { TOKEN_SCOPES } from './token-scope.ts';

/** Scopes a client may ask for at the authorization endpoint. */
export const AUTHORIZATION_SCOPES: readonly string[] = TOKEN_SCOPES;

/** Granted when the request names no scope (RFC 6749 §3.3 lets the server pick a default). */
export const DEFAULT_AUTHORIZATION_SCOPES: readonly string[] = ['profile', 'email'];

const MAX_STATE = 2048;
const MAX_NONCE = 512;

/** The raw parameters of an authorization request, as sent. */
export interface AuthorizationParams {
  clientId?: string | undefined;
  redirectUri?: string | undefined;
  responseType?: string | undefined;
  scope?: string | undefined;
  state?: string | undefined;
  nonce?: string | undefined;
  codeChallenge?: string | undefined;
  codeChallengeMethod?: string | undefined;
  /** Names of parameters sent more than once (their value is not used). */
  repeated: readonly string[];
}

/** A validated authorization request. */
export interface AuthorizationRequest {
  client: Client;
  /** Where the response goes: the redirect URI sent, or the only one registered. */
  redirectUri: string;
  /** Whether `redirect_uri` was in the request (then the token request must repeat it, RFC 6749 §4.1.3). */
  redirectUriSent: boolean;
  scopes: string[];
  state?: string | undefined;
  nonce?: string | undefined;
  codeChallenge?: string | undefined;
  codeChallengeMethod?: string | undefined;
}

/**
 * The outcome of validation: a request, an error to show on a page (`redirect: null`), or an error to
 * send to the client's redirect URI.
 */
export type AuthorizationCheck =
  | { ok: true; request: AuthorizationRequest }
  | { ok: false; error: StewardError; redirect: null }
  | { ok: false; error: StewardError; redirect: { uri: string; state?: string | undefined } };

/** Parses a space-delimited scope (RFC 6749 §3.3); null when it names a scope not offered here. */
export function parseAuthorizationScope(scope: string | undefined): string[] | null {
  if (scope === undefined) return [...DEFAULT_AUTHORIZATION_SCOPES];
  const scopes: string[] = [];
  for (const s of scope.split(' ')) {
    if (s === '') continue;
    if (!AUTHORIZATION_SCOPES.includes(s)) return null;
    if (!scopes.includes(s)) scopes.push(s);
  }
  return scopes.length > 0 ? scopes : [...DEFAULT_AUTHORIZATION_SCOPES];
}

export async function checkAuthorizationRequest(ports: Ports, realm: Realm, params: AuthorizationParams): Promise<AuthorizationCheck> {
  const page = (error: StewardError): AuthorizationCheck => ({ ok: false, error, redirect: null });

  if (params.repeated.includes('client_id')) return page(fail('invalid_request', 'Parameter client_id is repeated'));
  if (params.clientId === undefined) return page(fail('invalid_request', 'client_id is required'));
  const client = params.clientId.length <= 255 ? await ports.store.clients.get(realm.id, params.clientId) : null;
  if (!client || client.disabled) return page(fail('invalid_request', 'Unknown client'));

  if (params.repeated.includes('redirect_uri')) return page(fail('invalid_request', 'Parameter redirect_uri is repeated'));
  let redirectUri: string;
  if (params.redirectUri !== undefined) {
    // Exact string comparison, no normalisation (RFC 9700 §2.1).
    if (!client.redirectUris.includes(params.redirectUri)) return page(fail('invalid_request', 'redirect_uri is not registered for this client'));
    redirectUri = params.redirectUri;
  } else {
    if (client.redirectUris.length !== 1) return page(fail('invalid_request', 'redirect_uri is required'));
    redirectUri = client.redirectUris[0]!;
  }

  // From here on the redirect URI is trusted: errors go back to the client.
  const state = params.state !== undefined && params.state.length <= MAX_STATE ? params.state : undefined;
  const back = (error: StewardError): AuthorizationCheck => ({ ok: false, error, redirect: { uri: redirectUri, state } });

  if (params.repeated.length > 0) return back(fail('invalid_request', `Parameter ${params.repeated[0]} is repeated`));
  if (!client.grantTypes.includes('authorization_code')) return back(fail('unauthorized_client', 'Client is not allowed the authorization_code grant'));
  if (params.responseType === undefined) return back(fail('invalid_request', 'response_type is required'));
  if (params.responseType !== 'code') return back(fail('unsupported_response_type', 'Only response_type=code is supported'));
  if (params.state !== undefined && state === undefined) return back(fail('invalid_request', `state is longer than ${MAX_STATE} characters`));
  if (params.nonce !== undefined && params.nonce.length > MAX_NONCE) return back(fail('invalid_request', `nonce is longer than ${MAX_NONCE} characters`));
  const scopes = parseAuthorizationScope(params.scope);
  if (!scopes) return back(fail('invalid_scope', `Supported scopes: ${AUTHORIZATION_SCOPES.join(' ')}`));

  if (params.codeChallenge === undefined) {
    if (params.codeChallengeMethod !== undefined) return back(fail('invalid_request', 'code_challenge_method without code_challenge'));
    if (isPublicClient(client)) return back(fail('invalid_request', 'Public clients must use PKCE (code_challenge with S256)'));
  } else {
    // An absent method means `plain` (RFC 7636 §4.3), which is not offered.
    if (params.codeChallengeMethod !== PKCE_METHOD) return back(fail('invalid_request', 'code_challenge_method must be S256'));
    if (!CODE_CHALLENGE_PATTERN.test(params.codeChallenge)) return back(fail('invalid_request', 'code_challenge must be 43 base64url characters'));
  }

  return {
    ok: true,
    request: {
      client,
      redirectUri,
      redirectUriSent: params.redirectUri !== undefined,
      scopes,
      state,
      nonce: params.nonce,
      codeChallenge: params.codeChallenge,
      codeChallengeMethod: params.codeChallenge === undefined ? undefined : PKCE_METHOD,
    },
  };
}
